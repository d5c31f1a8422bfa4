"""Security headers with DEBUG off (the test settings are the production settings): a
Content-Security-Policy without 'unsafe-inline', Permissions-Policy, HSTS over HTTPS, Secure
cookies; and no inline script, style or handler left in any template (issue 17)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

PACKAGE = Path(__file__).resolve().parents[2] / "wegweiser"
PAGES = ["/de/selbstcheck/", "/de/angebote/", "/de/konto/login/", "/api/v1/programmes"]


@pytest.mark.parametrize("path", PAGES)
def test_every_answer_carries_the_policies(client, path, catalogue_loaded, regions_loaded):
    response = client.get(path, secure=True)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Strict-Transport-Security"] == "max-age=31536000"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_hsts_over_plain_http(client):
    assert "Strict-Transport-Security" not in client.get("/de/konto/login/")


def test_the_cookies_are_secure(client):
    response = client.get("/de/konto/login/", secure=True)
    assert response.cookies["csrftoken"]["secure"] is True


def _settings(debug: str) -> dict:
    code = (
        "import json; from wegweiser.config import settings as s; print(json.dumps(["
        "getattr(s, 'SECURE_HSTS_SECONDS', None), getattr(s, 'SESSION_COOKIE_SECURE', False),"
        "getattr(s, 'CSRF_COOKIE_SECURE', False)]))"
    )
    env = {**os.environ, "DEBUG": debug, "SECRET_KEY": "x"}
    env.pop("WEGWEISER_HSTS_SECONDS", None)
    env.pop("SECURE_COOKIES", None)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_hsts_and_secure_cookies_follow_debug():
    assert _settings("0") == [31536000, True, True]
    assert _settings("1") == [None, False, False]


INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")|<style|\sstyle=|\son[a-z]+="
)


def test_no_template_has_inline_script_style_or_handler():
    found = [
        f"{path.relative_to(PACKAGE)}: {m.group()}"
        for path in PACKAGE.rglob("*.html")
        for m in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_our_scripts_write_no_style_attributes():
    found = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.js")
        if "vendor" not in path.parts and re.search(r"style=\\?\"", path.read_text("utf-8"))
    ]
    assert found == []
