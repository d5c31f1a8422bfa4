"""Accounts in a real browser: the platform administrator invites an offer maintainer by e-mail,
the invitation mail's link sets the password, the new account sees the offer maintenance and no
case management; then the password reset from the login page (request → mail → link → new
password → login). Mails come from the server through Django's mail framework (file backend,
``mailbox``). axe-core on every page on the way: no serious or critical violation."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django_otp.oath import hotp
from playwright.sync_api import expect

from tests.browser.helpers import second_factor_code, serious_violations

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
EMAIL = "browser-pflege@example.org"
COUNSELLOR_EMAIL = "browser-beratung@example.org"
FIRST_PASSWORD = "Erstes-Passwort-im-Browser-26"
NEW_PASSWORD = "Zweites-Passwort-im-Browser-27"


def _check(page, seen: list[str]) -> None:
    assert serious_violations(page) == [], page.url
    seen.append(urlparse(page.url).path)


def _link(message, pattern: str) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    (found,) = re.findall(rf"https?://\S+{pattern}\S+/", body)
    return urlparse(found).path


def _login(page, username, password):
    page.goto("/de/konto/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Anmelden").click()
    if username.startswith("demo-"):
        page.wait_for_url(re.compile(r"/de/konto/zweiter-faktor/"))
        page.fill("#id_code", second_factor_code(username))
        page.get_by_role("button", name="Anmelden").click()


def _demo_logins(demo_output) -> dict[str, str]:
    return dict(re.findall(r"(demo-[a-z]+) / (\S+)", demo_output))


def _to_the_organisation(page, demo_output, check=lambda: None) -> None:
    """As the platform administrator: start page → administration → the offer maintainer's
    organisation (``check`` runs on each page on the way)."""
    organisation = re.search(r"maintains the offers of (.+?\(Demo\))\)", demo_output).group(1)
    _login(page, "demo-plattform", _demo_logins(demo_output)["demo-plattform"])
    page.wait_for_url(re.compile(r"/de/fall/$"))
    page.get_by_role("link", name="Organisationen und Konten verwalten").click()
    check()
    page.get_by_role("link", name=organisation, exact=True).click()
    check()


def test_invitation_and_password_reset(page, demo_output, mailbox):
    seen: list[str] = []

    # the platform administrator: start page → administration → the organisation → invite
    _to_the_organisation(page, demo_output, lambda: _check(page, seen))
    assert "demo-pflege" in page.locator(".offer-list").inner_text()
    page.get_by_role("link", name="Person einladen").click()
    _check(page, seen)
    page.get_by_role("button", name="Einladung senden").click()  # empty: errors on the form
    expect(page.get_by_role("alert")).to_be_visible()
    _check(page, seen)
    page.get_by_label("E-Mail-Adresse").fill(EMAIL)
    page.get_by_label("Angebotspflege").check()
    page.get_by_role("button", name="Einladung senden").click()
    expect(page.locator(".messages")).to_contain_text("Die Einladung wurde gesendet.")
    assert EMAIL in page.locator(".offer-list").inner_text()
    page.set_viewport_size({"width": 360, "height": 740})
    _check(page, seen)
    page.screenshot(path=SCREENSHOTS / "accounts-de-members.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("link", name=re.compile(rf"Rollen ändern\W+{re.escape(EMAIL)}")).click()
    _check(page, seen)
    page.get_by_role("button", name="Abmelden").click()
    _check(page, seen)  # logged_out

    # the invitation mail: the link sets the password once
    (invitation,) = [m for m in mailbox() if m["To"] == EMAIL]
    link = _link(invitation, "/de/konto/einladung/")
    page.goto(link)
    _check(page, seen)
    page.fill("#id_new_password1", FIRST_PASSWORD)
    page.fill("#id_new_password2", FIRST_PASSWORD)
    page.get_by_role("button", name="Passwort festlegen").click()
    page.wait_for_url(re.compile(r"/de/konto/passwort-neu/fertig/$"))
    _check(page, seen)
    page.goto(link)
    expect(page.get_by_role("heading", name="Dieser Link gilt nicht mehr")).to_be_visible()
    _check(page, seen)

    # the new account: offer maintenance, no case management
    _login(page, EMAIL, FIRST_PASSWORD)
    page.wait_for_url(re.compile(r"/de/pflege/angebote/$"))
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    expect(nav.get_by_role("link", name="Angebote pflegen")).to_be_visible()
    assert nav.get_by_role("link", name="Fallarbeit").count() == 0
    assert page.goto("/de/fall/").status == 403
    page.goto("/de/pflege/angebote/")
    page.get_by_role("button", name="Abmelden").click()

    # the password reset, linked from the login page
    page.goto("/de/konto/login/")
    _check(page, seen)
    page.get_by_role("link", name="Passwort vergessen?").click()
    _check(page, seen)
    page.set_viewport_size({"width": 360, "height": 740})
    page.screenshot(path=SCREENSHOTS / "accounts-de-password-reset.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_label("E-Mail-Adresse").fill(EMAIL)
    page.get_by_role("button", name="Link senden").click()
    page.wait_for_url(re.compile(r"/de/konto/passwort-vergessen/gesendet/$"))
    _check(page, seen)
    mails = [m for m in mailbox() if m["To"] == EMAIL]
    assert len(mails) == 2
    reset = mails[1]
    assert EMAIL not in reset.get_body(preferencelist=("plain",)).get_content()
    page.goto(_link(reset, "/de/konto/passwort-neu/"))
    _check(page, seen)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", "nicht-gleich")
    page.get_by_role("button", name="Passwort speichern").click()
    expect(page.get_by_role("alert")).to_be_visible()
    _check(page, seen)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.get_by_role("button", name="Passwort speichern").click()
    page.get_by_role("link", name="Anmelden").last.click()
    _login(page, EMAIL, FIRST_PASSWORD)  # the old password no longer works
    expect(page.get_by_role("alert")).to_be_visible()
    _login(page, EMAIL, NEW_PASSWORD)
    page.wait_for_url(re.compile(r"/de/pflege/angebote/$"))
    # the password change, too
    page.goto("/de/konto/passwort-aendern/")
    _check(page, seen)
    assert len(set(seen)) >= 12, seen


def _app_code(key: str, step_offset: int = 0) -> str:
    """What an authenticator app shows for ``key`` (as the set-up page gives it)."""
    import base64
    import time

    raw = key.replace(" ", "")
    secret = base64.b32decode(raw + "=" * (-len(raw) % 8))
    return f"{hotp(secret, int(time.time() // 30) + step_offset):06d}"


def test_a_new_counsellor_sets_up_the_second_factor_and_the_admin_resets_it(
    page, demo_output, mailbox
):
    """Second factor (issue 17): an invited counsellor reads personal data, so after the
    password comes the set-up (QR code and key, one code, ten recovery codes); the next login
    asks for a code, a recovery code works once; the platform administrator resets it and the
    person is told by mail."""
    seen: list[str] = []
    _to_the_organisation(page, demo_output)
    page.get_by_role("link", name="Person einladen").click()
    page.get_by_label("E-Mail-Adresse").fill(COUNSELLOR_EMAIL)
    page.get_by_label("Beratung / Fallmanagement").check()
    page.get_by_role("button", name="Einladung senden").click()
    page.get_by_role("button", name="Abmelden").click()
    (invitation,) = [m for m in mailbox() if m["To"] == COUNSELLOR_EMAIL]
    page.goto(_link(invitation, "/de/konto/einladung/"))
    page.fill("#id_new_password1", FIRST_PASSWORD)
    page.fill("#id_new_password2", FIRST_PASSWORD)
    page.get_by_role("button", name="Passwort festlegen").click()
    page.wait_for_url(re.compile(r"/de/konto/passwort-neu/fertig/$"))

    # the password alone leads to the set-up, not to the cases
    _login(page, COUNSELLOR_EMAIL, FIRST_PASSWORD)
    page.wait_for_url(re.compile(r"/de/konto/zweiter-faktor/einrichten/"))
    expect(page.locator(".qr-code svg")).to_be_visible()
    _check(page, seen)
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=SCREENSHOTS / "accounts-de-second-factor-setup.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    assert page.goto("/de/fall/").url.endswith(
        "/de/konto/zweiter-faktor/einrichten/?next=%2Fde%2Ffall%2F"
    )
    key = page.locator(".otp-key").inner_text()
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="App bestätigen").click()
    expect(page.get_by_role("alert")).to_be_visible()  # a wrong code: said on the form
    _check(page, seen)
    page.wait_for_timeout(1100)  # a refused code makes the next wait a second
    page.get_by_label("Code").fill(_app_code(key))
    page.get_by_role("button", name="App bestätigen").click()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    _check(page, seen)
    page.get_by_role("link", name=re.compile("Ich habe die Codes gesichert")).click()
    page.wait_for_url(re.compile(r"/de/fall/$"))
    page.get_by_role("button", name="Abmelden").click()

    # the next login asks for the code; a recovery code works once
    _login(page, COUNSELLOR_EMAIL, FIRST_PASSWORD)
    page.wait_for_url(re.compile(r"/de/konto/zweiter-faktor/\?next="))
    _check(page, seen)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"/de/fall/$"))
    page.goto("/de/konto/sicherheit/")
    assert "9 Wiederherstellungscodes übrig" in page.locator("main").inner_text()
    _check(page, seen)
    page.goto("/ar/konto/sicherheit/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    _check(page, seen)
    page.locator(".logout button").click()

    # the platform administrator resets it (a lost phone); the person gets a mail
    _to_the_organisation(page, demo_output)
    page.get_by_role(
        "button", name=re.compile(rf"Zweiten Faktor zurücksetzen\W+{re.escape(COUNSELLOR_EMAIL)}")
    ).click()
    expect(page.locator(".messages")).to_contain_text("Der zweite Faktor ist zurückgesetzt")
    page.get_by_role("button", name="Abmelden").click()
    told = [m for m in mailbox() if m["To"] == COUNSELLOR_EMAIL]
    assert len(told) == 2 and "zurückgesetzt" in told[1]["Subject"]
    _login(page, COUNSELLOR_EMAIL, FIRST_PASSWORD)
    page.wait_for_url(re.compile(r"/de/konto/zweiter-faktor/einrichten/"))
    assert len(set(seen)) >= 4, seen
