"""Backups of the PostgreSQL database with PostgreSQL's own tools (docs/operations.md).

``wegweiser backup FILE`` runs ``pg_dump --format=custom``, ``wegweiser restore FILE`` runs
``pg_restore`` into an empty database and then checks the audit chain (``audit_verify``). The
connection comes from the settings (``DATABASE_URL``); the password goes to the tools in the
environment (``PGPASSWORD``), never on their command line.

wegweiser keeps no uploaded files (no model has a file field; ``tests/core/test_backup.py``
fails when one is added, so that the backup learns to carry them): the database is everything.

:func:`table_rows` counts the rows of every table and, on PostgreSQL, a checksum over all of
them, to compare a database before the backup with the restored one (``wegweiser table_rows``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from django.db import connections


class BackupError(Exception):
    """Why a backup or a restore cannot be made (plain words, for the operator)."""


def _settings(alias: str = "default") -> Mapping:
    connection = connections[alias]
    if connection.vendor != "postgresql":
        raise BackupError(
            "backup and restore need PostgreSQL (DATABASE_URL=postgres://...); to move an "
            "SQLite database there, see tools/sqlite-to-postgresql"
        )
    return connection.settings_dict


def _environment(settings: Mapping) -> dict[str, str]:
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings.get(key):
            env[name] = str(settings[key])
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    env["PGDATABASE"] = settings["NAME"]
    return env


def server_major(alias: str = "default") -> int:
    """The major version of the PostgreSQL server (15 for 15.20)."""
    connection = connections[alias]
    connection.ensure_connection()
    return connection.pg_version // 10000


def tool(name: str, alias: str = "default") -> str:
    """The path of ``pg_dump`` or ``pg_restore``, refused when missing or older than the server
    (pg_dump cannot dump a newer server; the Debian package ``postgresql-client`` has both)."""
    _settings(alias)  # PostgreSQL only
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    found = re.search(r"(\d+)(?:\.\d+)?", out)
    major = int(found.group(1)) if found else 0
    server = server_major(alias)
    if major < server:
        raise BackupError(
            f"{name} is version {major}, older than the PostgreSQL server ({server}): install "
            f"the client of version {server} (postgresql-client-{server})"
        )
    return path


def dump(target: Path, alias: str = "default") -> None:
    """The whole database into ``target`` (pg_dump's custom format: compressed, restorable
    table by table, readable by ``pg_restore --list``)."""
    settings = _settings(alias)
    pg_dump = tool("pg_dump", alias)
    done = subprocess.run(
        [pg_dump, "--format=custom", f"--file={target}"],
        env=_environment(settings),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")


def is_empty(alias: str = "default") -> bool:
    """No table in the database's schema ``public`` (a new database: ``createdb NAME``)."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        return cursor.fetchone()[0] == 0


def restore(source: Path, alias: str = "default") -> None:
    """``source`` (made by :func:`dump`) into the configured database, which must be empty; all
    or nothing (one transaction)."""
    settings = _settings(alias)
    if not Path(source).is_file():
        raise BackupError(f"{source} is not a file")
    if not is_empty(alias):
        raise BackupError(
            f"the database {settings['NAME']} is not empty: restore into a new one "
            "(createdb NAME, then DATABASE_URL=postgres://.../NAME wegweiser restore FILE)"
        )
    pg_restore = tool("pg_restore", alias)
    connections[alias].close()
    done = subprocess.run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={settings['NAME']}",
            str(source),
        ],
        env=_environment(settings),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")


@dataclass(frozen=True)
class TableRows:
    table: str
    rows: int
    checksum: str  # md5 over the md5 of every row in a fixed order; "" on SQLite


def table_rows(alias: str = "default") -> list[TableRows]:
    """Every table of the database with its number of rows and (PostgreSQL) a checksum of them
    (the same rows in any physical order give the same checksum)."""
    connection = connections[alias]
    tables = sorted(connection.introspection.table_names(include_views=False))
    found = []
    with connection.cursor() as cursor:
        for table in tables:
            name = connection.ops.quote_name(table)
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT count(*), coalesce(md5(string_agg(md5(t::text), '' "  # noqa: S608
                    f"ORDER BY md5(t::text))), '') FROM {name} AS t"
                )
                rows, checksum = cursor.fetchone()
            else:
                cursor.execute(f"SELECT count(*) FROM {name}")  # noqa: S608
                rows, checksum = cursor.fetchone()[0], ""
            found.append(TableRows(table, rows, checksum))
    return found
