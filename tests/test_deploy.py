"""The production recipe (deploy/) works on this machine.

Its environment file, unchanged but for the secret, the database, the bound port and the mail
folder, drives the steps of deploy/README.md: migrate, load the catalogue and the Kreise,
collect the static files, ``check --deploy`` without a single warning. Then gunicorn starts from
the systemd unit's own command line with deploy/gunicorn.conf.py and answers real HTTP as nginx
would ask it (Host and X-Forwarded-Proto set): pages with the security headers, HTTP redirected
to HTTPS, foreign host names refused, static files with long caching, secure cookies, no query
string in the access log. Every scheduled job of the timers runs and succeeds.
"""

from __future__ import annotations

import http.client
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.servers import free_port, fresh_database_url

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
HOST = "wegweiser.example.org"


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as systemd's EnvironmentFile= reads them (values may be double-quoted)."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        assert sep and re.fullmatch(r"[A-Z_][A-Z0-9_]*", key), f"not KEY=VALUE: {line!r}"
        if value.startswith('"'):
            assert value.endswith('"') and len(value) > 1, f"unclosed quote: {line!r}"
            value = value[1:-1]
        values[key] = value
    return values


def exec_starts(unit: Path) -> list[list[str]]:
    """The ExecStart= command lines of a systemd unit, with the installed paths made local."""
    commands = []
    for line in unit.read_text(encoding="utf-8").splitlines():
        if line.startswith("ExecStart="):
            command = line.removeprefix("ExecStart=").split()
            command[0] = str(BIN / Path(command[0]).name)
            commands.append([c.replace("/srv/wegweiser/deploy", str(DEPLOY)) for c in command])
    return commands


def _get(port: int, path: str, *, host: str = HOST, https: bool = True):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": host, "X-Forwarded-For": "203.0.113.7"}
    if https:
        headers["X-Forwarded-Proto"] = "https"
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """The recipe's environment on this machine, and a database of its own."""
    tmp = tmp_path_factory.mktemp("deploy")
    recipe = read_env_file(DEPLOY / "wegweiser.env.example")
    assert recipe["SECRET_KEY"] == "CHANGE-ME"  # the example ships no secret
    env = {
        "PATH": f"{BIN}:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        **recipe,
        # what an operator fills in, and what must differ on a test machine
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": fresh_database_url(tmp, "deploy"),
        "WEGWEISER_HOME": str(tmp),
        "WEGWEISER_BIND": f"127.0.0.1:{free_port()}",
        "WEGWEISER_WORKERS": "2",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp / "mail"),
    }
    return env, tmp


def _run(env, *args) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(BIN / "wegweiser"), *args], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"wegweiser {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(production):
    env, tmp = production
    for step in (["migrate", "--no-input", "-v0"], ["load_catalogue"], ["load_regions"],
                 ["collectstatic", "--no-input", "-v0"]):  # fmt: skip
        _run(env, *step)
    return env, tmp


@pytest.fixture(scope="module")
def server(installed):
    env, tmp = installed
    (command,) = exec_starts(DEPLOY / "systemd" / "wegweiser.service")
    assert Path(command[0]).name == "gunicorn" and command[-1].endswith("gunicorn.conf.py")
    log = (tmp / "gunicorn.log").open("w")
    process = subprocess.Popen(command, env=env, cwd=tmp, stdout=log, stderr=subprocess.STDOUT)
    port = int(env["WEGWEISER_BIND"].rsplit(":", 1)[1])
    for _ in range(300):
        try:
            _get(port, "/de/programme/")
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError((tmp / "gunicorn.log").read_text())
    yield port, tmp / "gunicorn.log"
    process.terminate()
    process.wait(timeout=30)
    log.close()


def test_the_example_environment_passes_django_s_deployment_checks(installed):
    env, _ = installed
    done = _run(env, "check", "--deploy", "--fail-level", "WARNING")
    assert "System check identified no issues" in done.stdout, done.stdout + done.stderr


def test_pages_come_over_https_with_the_security_headers(server):
    port, _ = server
    response, body = _get(port, "/de/programme/")
    assert response.status == 200, body[:500]
    assert "Programme" in body and '<html lang="de"' in body
    headers = {k.lower(): v for k, v in response.getheaders()}
    assert int(re.search(r"max-age=(\d+)", headers["strict-transport-security"])[1]) >= 31536000
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert "permissions-policy" in headers


def test_plain_http_is_redirected_and_foreign_host_names_refused(server):
    port, _ = server
    response, _ = _get(port, "/de/programme/", https=False)
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/de/programme/"
    response, _ = _get(port, "/de/programme/", host="attacker.example")
    assert response.status == 400


def test_static_files_are_served_compressed_and_cached_for_long(server):
    port, _ = server
    _, body = _get(port, "/de/programme/")
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', body)[1]
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet), stylesheet  # hashed name
    response, css = _get(port, stylesheet)
    assert response.status == 200 and "box-sizing" in css
    assert int(re.search(r"max-age=(\d+)", response.getheader("Cache-Control"))[1]) >= 86400


def test_cookies_are_secure_and_the_log_holds_no_query_string(server):
    port, log = server
    response, _ = _get(port, "/de/konto/login/")
    cookies = response.getheader("Set-Cookie") or ""
    assert (
        "csrftoken=" in cookies
        and "Secure" in cookies
        and "HttpOnly" not in cookies.split("csrftoken=")[0]
    )
    response, _ = _get(port, "/de/angebote/?postcode=60311&q=Beratung")
    assert response.status == 200
    time.sleep(0.5)  # the access log line is written after the response
    written = log.read_text()
    assert '"GET /de/angebote/"' in written
    assert "60311" not in written and "Beratung" not in written


def test_every_scheduled_job_runs(installed):
    env, _ = installed
    units = sorted((DEPLOY / "systemd").glob("wegweiser-*.service"))
    jobs = [command for unit in units for command in exec_starts(unit)]
    assert len(jobs) >= 5, jobs
    for command in jobs:
        assert Path(command[0]).name == "wegweiser", command
        _run(env, *command[1:])
    for timer in (DEPLOY / "systemd").glob("*.timer"):
        assert (DEPLOY / "systemd" / f"{timer.stem}.service").exists(), timer
