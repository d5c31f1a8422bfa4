"""A database of its own for a server a test starts as a separate process (the browser tests'
server, the production recipe): next to the test database on PostgreSQL when ``DATABASE_URL``
names one (CI's PostgreSQL run), else a SQLite file in the given folder."""

from __future__ import annotations

import os
from urllib.parse import urlparse, urlunparse


def fresh_database_url(folder, suffix: str) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url or not url.startswith("postgres"):
        return f"sqlite:///{folder / f'{suffix}.sqlite3'}"
    import psycopg

    parsed = urlparse(url)
    name = f"{parsed.path.lstrip('/') or 'wegweiser'}_{suffix}"
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(parsed._replace(path=f"/{name}"))
