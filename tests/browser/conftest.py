"""A real server (its own process, its own database with the demo data) and Debian's Chromium.

The server is the `wegweiser` program as a user runs it: ``migrate``, ``demo`` and ``runserver``
with production settings (DEBUG off) plus the test settings' static-file finder. With
``DATABASE_URL`` set (CI's PostgreSQL run) it gets its own PostgreSQL database next to the test
database; otherwise a SQLite file in a temporary folder.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.servers import free_port, fresh_database_url

CHROMIUM = os.environ.get("WEGWEISER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


#: What `wegweiser demo` printed for the server's database (the random demo logins).
DEMO_OUTPUT: list[str] = []


def _warm_up(url: str) -> None:
    """Load what the first map page loads (Kreis boundaries, GeoJSON, postcodes) before any test
    runs: on a busy machine the first, cold load took longer than a test waits for the map."""
    page = urllib.request.urlopen(f"{url}/de/angebote/?postcode=60311", timeout=120).read()  # noqa: S310
    for found in re.findall(rb'data-(?:geojson|regions)-url="([^"]+)"', page):
        address = html.unescape(found.decode())
        urllib.request.urlopen(f"{url}{address}", timeout=120).read()  # noqa: S310


@pytest.fixture(scope="session")
def mail_dir(tmp_path_factory):
    """Where the server writes its mails (Django's file backend: one file per connection)."""
    return tmp_path_factory.mktemp("mail")


@pytest.fixture(scope="session")
def live_url(tmp_path_factory, mail_dir):
    tmp = tmp_path_factory.mktemp("browser")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": fresh_database_url(tmp, "browser"),
        "DJANGO_SETTINGS_MODULE": "wegweiser.config.test_settings",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONUNBUFFERED": "1",
        # mails as files the tests read; their links point to this server
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "WEGWEISER_SITE_URL": url,
        # every browser test sends its contact requests from 127.0.0.1 to the demo partner:
        # the limits themselves are tested in tests/public/test_limits.py
        "WEGWEISER_CONTACT_LIMIT_PER_ADDRESS": "100/h",
        "WEGWEISER_CONTACT_LIMIT_PER_OFFER": "100/h",
    }
    env.pop("WEGWEISER_MAP_TILE_URL", None)
    run = [sys.executable, "-m", "wegweiser"]
    subprocess.run([*run, "migrate", "--no-input", "-v0"], env=env, check=True)
    demo = subprocess.run([*run, "demo"], env=env, check=True, capture_output=True, text=True)
    DEMO_OUTPUT.append(demo.stdout)
    log = (tmp / "server.log").open("w")
    server = subprocess.Popen(
        [*run, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # up to a minute: on a busy 2-core machine the server took longer than 10 s to start
    deadline, up = time.monotonic() + 60, False
    while not up:
        try:
            urllib.request.urlopen(f"{url}/de/programme/", timeout=5)  # noqa: S310
            up = True
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                break
            time.sleep(0.2)
    if not up:
        server.kill()
        raise RuntimeError((tmp / "server.log").read_text())
    _warm_up(url)
    yield url
    server.terminate()
    server.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    # the retrying assertions wait as long as the actions (their default is 5 s): a loaded CI
    # machine may take longer to answer a form
    expect.set_options(timeout=10_000)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_url):
    context = browser.new_context(base_url=live_url, locale="de-DE")
    requests = []
    context.on("request", lambda r: requests.append(r.url))
    pg = context.new_page()
    pg.external_requests = requests  # checked by tests: nothing may leave our server
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


@pytest.fixture
def page_without_js(browser, live_url):
    context = browser.new_context(base_url=live_url, locale="de-DE", java_script_enabled=False)
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def mails(folder, containing: str, timeout: float = 10.0) -> list[str]:
    """The mails in ``folder`` that contain ``containing`` (raw text), waiting up to ``timeout``
    seconds for the first: the server sends after its transaction commits."""
    deadline = time.monotonic() + timeout
    while True:
        found = [
            message
            for path in sorted(folder.glob("*.log"))
            for message in path.read_text().split("-" * 79)
            if containing in message
        ]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


@pytest.fixture(scope="session")
def demo_output(live_url) -> str:
    """The output of the server database's `wegweiser demo` (logins and demo organisations)."""
    return DEMO_OUTPUT[-1]


@pytest.fixture(scope="session")
def mailbox(live_url, mail_dir):
    """The mails the server sent so far, oldest first (``email.message.EmailMessage``)."""
    import email
    import email.policy

    def messages():
        found = []
        folder = mail_dir
        for path in sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime_ns):
            for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    found.append(email.message_from_bytes(chunk, policy=email.policy.default))
        return found

    return messages
