"""What a test needs to start a server as a separate process (the browser tests' server, the
production recipe's gunicorn): a free port, and a database of its own."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse, urlunparse


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_database_url(folder, suffix: str) -> str:
    """Next to the test database on PostgreSQL when ``DATABASE_URL`` names one (CI's PostgreSQL
    run), else a SQLite file in the given folder."""
    url = os.environ.get("DATABASE_URL")
    if not url or not url.startswith("postgres"):
        return f"sqlite:///{folder / f'{suffix}.sqlite3'}"
    import psycopg

    parsed = urlparse(url)
    # one per pytest-xdist worker ("gw0", "gw1"), as pytest-django names the test databases
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    name = "_".join(filter(None, [parsed.path.lstrip("/") or "wegweiser", suffix, worker]))
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(parsed._replace(path=f"/{name}"))
