"""SQLite as `make run` uses it (``settings.SQLITE_OPTIONS``): requests that write at the same
moment wait for each other instead of failing with "database is locked", and none of their
writes is lost. A file database of its own, whatever database the suite runs on."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db.utils import ConnectionHandler, OperationalError

REQUESTS = 4


def _requests_at_once(tmp_path, options: dict) -> tuple[int, list[Exception]]:
    """In a thread of its own, as requests run: in a test process whose main thread runs the
    browser tests' event loop, Django refuses a database connection there."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(_in_threads, tmp_path, options).result()


def _in_threads(tmp_path, options: dict) -> tuple[int, list[Exception]]:
    """``REQUESTS`` threads, each in a transaction as under ATOMIC_REQUESTS, read a counter,
    wait a moment (as a view does) and write it back plus one."""
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(tmp_path / "db.sqlite3"),
                "OPTIONS": options,
            }
        }
    )
    setup = handler["default"]
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (n integer)")
        cursor.execute("INSERT INTO counter VALUES (0)")
    errors: list[Exception] = []
    start = threading.Barrier(REQUESTS)

    def request() -> None:
        conn = handler["default"]  # each thread its own connection, as each request's
        try:
            start.wait(timeout=10)
            # what transaction.atomic does on SQLite (BEGIN in the configured mode)
            conn.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
            with conn.cursor() as cursor:
                cursor.execute("SELECT n FROM counter")
                (n,) = cursor.fetchone()
                time.sleep(0.2)
                cursor.execute("UPDATE counter SET n = %s", [n + 1])
            conn.commit()
        except OperationalError as exc:
            errors.append(exc)
            conn.rollback()
        finally:
            conn.set_autocommit(True)
            conn.close()

    threads = [threading.Thread(target=request) for _ in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with setup.cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        (count,) = cursor.fetchone()
    setup.close()
    return count, errors


def test_writers_at_the_same_moment_wait_for_each_other(tmp_path, django_db_blocker):
    with django_db_blocker.unblock():  # a database of its own, not the suite's
        count, errors = _requests_at_once(tmp_path, dict(settings.SQLITE_OPTIONS))
    assert errors == []
    assert count == REQUESTS


def test_without_the_options_they_fail(tmp_path, django_db_blocker):
    """What the options mend (this test fails when SQLite stops doing so)."""
    with django_db_blocker.unblock():
        count, errors = _requests_at_once(tmp_path, {})
    assert errors, "deferred transactions no longer collide"
    assert "locked" in str(errors[0])
    assert count < REQUESTS
