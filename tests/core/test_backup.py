"""Backups (core/backup.py, ``wegweiser backup`` / ``restore`` / ``table_rows``) and the move of
an SQLite database into PostgreSQL (tools/sqlite-to-postgresql), as an operator runs them: the
``wegweiser`` program in its own process, pg_dump and pg_restore, real databases."""

from __future__ import annotations

import http.cookiejar
import io
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, models

from tests.servers import free_port
from wegweiser.accounts.demo_totp import demo_code

ROOT = Path(__file__).resolve().parents[2]
RUN = [sys.executable, "-m", "wegweiser"]


def postgres_url(name: str | None = None) -> str:
    """The address of the test database, or of database ``name`` on the same server."""
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    return f"postgres://{user}{password}@{host}/{name or db['NAME']}"


def fresh_database(name: str) -> str:
    import psycopg

    parsed = urlparse(postgres_url())
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return postgres_url(name)


def drop_database(name: str) -> None:
    import psycopg

    parsed = urlparse(postgres_url())
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wegweiser(*args: str, database: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "wegweiser.config.test_settings",
        "PYTHONUNBUFFERED": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    done = subprocess.run([*RUN, *args], env=env, capture_output=True, text=True, cwd=ROOT)
    if check and done.returncode != 0:
        raise AssertionError(f"wegweiser {' '.join(args)}: {done.stdout}\n{done.stderr}")
    return done


def rows_of(database: str) -> dict[str, tuple[int, str]]:
    out = wegweiser("table_rows", database=database).stdout
    rows = {}
    for line in out.splitlines():
        table, count, *checksum = line.split("\t")
        rows[table] = (int(count), checksum[0] if checksum else "")
    return rows


def test_wegweiser_keeps_no_files():
    """The backup is the database alone because no model stores a file. A file field added
    one day makes this test fail: then the backup must carry MEDIA_ROOT too."""
    file_fields = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]
    assert file_fields == []
    assert not settings.MEDIA_ROOT


def test_backup_and_restore_need_postgresql_and_restore_an_empty_database(db, tmp_path):
    target = tmp_path / "backup.dump"
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="need PostgreSQL"):
            call_command("backup", str(target))
        with pytest.raises(CommandError, match="need PostgreSQL"):
            call_command("restore", str(target))
        return
    target.write_bytes(b"not a backup")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(target))
    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", str(target))
    with pytest.raises(CommandError, match="is not a file"):
        call_command("restore", str(tmp_path / "missing.dump"))
    folder = tmp_path / "nightly"
    folder.mkdir()
    call_command("backup", str(folder), stdout=io.StringIO())
    (written,) = folder.iterdir()
    assert re.fullmatch(r"wegweiser-\d{4}-\d\d-\d\d\.dump", written.name)
    assert written.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format


@pytest.mark.postgresql
def test_pg_dump_and_pg_restore_match_the_server(db):
    from wegweiser.core import backup

    for name in ("pg_dump", "pg_restore"):
        out = subprocess.run([backup.tool(name), "--version"], capture_output=True, text=True)
        major = int(re.search(r"(\d+)", out.stdout).group(1))
        assert major >= backup.server_major()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_the_demo_backed_up_and_restored_is_equal_row_by_row(transactional_db, tmp_path):
    """The demo data in PostgreSQL, ``wegweiser backup``, ``wegweiser restore`` into a new,
    empty database: every table has the same rows (count and checksum of all rows), the
    audit chain is intact there and its trigger still refuses changes."""
    import psycopg

    call_command("demo", stdout=io.StringIO())
    source = postgres_url()
    dump = tmp_path / "wegweiser.dump"
    backed_up = wegweiser("backup", str(dump), database=source)
    assert "The audit log is intact" in backed_up.stdout
    assert "Backup written to" in backed_up.stdout
    name = f"{settings.DATABASES['default']['NAME']}_restored"
    restored = fresh_database(name)
    try:
        done = wegweiser("restore", str(dump), database=restored)
        before, after = rows_of(source), rows_of(restored)
        assert before == after
        assert before["cases_auditentry"][0] > 100
        assert sum(count for count, _ in before.values()) > 3000
        assert re.search(r"The audit log is intact: [\d,]+ entries checked", done.stdout)
        head = re.search(r"Head: (\d+:\w+)", backed_up.stdout).group(1)
        assert f"Head: {head}" in done.stdout
        refused = pytest.raises(psycopg.errors.RaiseException, match="append-only")
        address = urlparse(restored)._replace(scheme="postgresql").geturl()
        with psycopg.connect(address) as c, refused:
            c.execute("UPDATE cases_auditentry SET object_id = 'x'")
        # a restore into a database that is not empty is refused, nothing written
        again = wegweiser("restore", str(dump), database=restored, check=False)
        assert again.returncode != 0 and "is not empty" in again.stderr
        assert rows_of(restored) == after
    finally:
        drop_database(name)


class Browser:
    """A visitor over real HTTP with cookies (a logged-in session)."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, str]:
        """The status and the page; a redirect to the login page counts as 401."""
        try:
            with self.opener.open(self.base + path, timeout=60) as r:
                if "/konto/login/" in r.url and "/konto/login/" not in path:
                    return 401, ""
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, ""

    def login(self, username: str, password: str) -> None:
        _, form = self.get("/de/konto/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": password}
        ).encode()
        request = urllib.request.Request(
            self.base + "/de/konto/login/", data=data, headers={"Referer": self.base}
        )
        with self.opener.open(request, timeout=60) as r:
            assert "/konto/login/" not in r.url, f"login of {username} failed"
            if "/konto/zweiter-faktor/" not in r.url:
                return
            second, form = r.url, r.read().decode()
        # the second factor: the demo logins' app (their published key)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "code": demo_code()}).encode()
        request = urllib.request.Request(second, data=data, headers={"Referer": self.base})
        with self.opener.open(request, timeout=60) as r:
            assert "/konto/zweiter-faktor/" not in r.url, f"second factor of {username} refused"


@pytest.mark.postgresql
def test_the_sqlite_demo_moves_into_postgresql(db, tmp_path):
    """``make run``'s SQLite demo, moved by tools/sqlite-to-postgresql into a new PostgreSQL
    database: every table has as many rows, the audit chain is intact, and the app serves its
    pages from there (real server, real logins); the entries those pages write continue the
    chain."""
    sqlite = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    wegweiser("migrate", "--no-input", "-v0", database=sqlite)
    demo = wegweiser("demo", database=sqlite).stdout
    logins = dict(re.findall(r"^demo login .*?\): (\S+) / (\S+)", demo, re.M))
    name = f"{settings.DATABASES['default']['NAME']}_moved"
    target = fresh_database(name)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wegweiser.config.test_settings",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    env["WEGWEISER"] = str(Path(sys.executable).parent / "wegweiser")
    try:
        moved = subprocess.run(
            [str(ROOT / "tools" / "sqlite-to-postgresql"), str(tmp_path / "demo.sqlite3"), target],
            env=env,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert moved.returncode == 0, moved.stdout + moved.stderr
        assert "every table's rows counted equal" in moved.stdout
        assert "The audit log is intact" in moved.stdout
        sqlite_rows, pg_rows = rows_of(sqlite), rows_of(target)
        for table, (count, _) in pg_rows.items():
            if table != "directory_offer_search":  # PostgreSQL's own search table
                assert sqlite_rows[table][0] == count, table
        assert pg_rows["directory_offer_search"][0] == pg_rows["directory_offer"][0]

        port = free_port()
        server = subprocess.Popen(
            [*RUN, "runserver", "--noreload", f"127.0.0.1:{port}"],
            # plain HTTP on this machine: cookies without the Secure flag
            env={**env, "DATABASE_URL": target, "DEBUG": "0", "SECURE_COOKIES": "0"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    urllib.request.urlopen(base + "/de/programme/", timeout=1)  # noqa: S310
                    break
                except OSError:
                    time.sleep(0.1)
            visitor = Browser(base)
            for path in ("/de/programme/", "/de/angebote/?q=Sprachkurs", "/de/selbstcheck/"):
                assert visitor.get(path)[0] == 200, path
            counsellor = Browser(base)
            counsellor.login("demo-beratung", logins["demo-beratung"])
            status, start = counsellor.get("/de/fall/")
            assert status == 200
            person = re.search(r'href="(/de/fall/personen/[0-9a-f-]{36}/)"', start).group(1)
            assert counsellor.get(person)[0] == 200  # a read of personal data: logged
            for who, path in (
                ("demo-datenschutz", "/de/fall/protokoll/"),
                ("demo-ehrenamt", "/de/ehrenamt/"),
                ("demo-antrag", "/de/foerderung/"),
            ):
                staff = Browser(base)
                staff.login(who, logins[who])
                assert staff.get(path)[0] == 200, (who, path)
        finally:
            server.terminate()
            server.wait(timeout=20)
        after = rows_of(target)
        assert after["cases_auditentry"][0] > pg_rows["cases_auditentry"][0]
        verified = wegweiser("audit_verify", database=target)
        assert "The audit log is intact" in verified.stdout
    finally:
        drop_database(name)
