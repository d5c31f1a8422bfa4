"""Issue 11 in a real browser: a contact request reaches a person, a referral becomes a case.

A visitor does the self-check in Arabic and asks the demo partner organisation to contact her,
sending her answers along. The partner's counsellor (``demo-partner``), who set her mail address
on the settings page, gets the mail (the server writes mails as files), follows its link to the
case, takes it over, sees the reference number and the residence status the visitor sent, and
starts the clearing. Then she accepts the demo referral of "Lina Probe (Demo)" and opens a case
from it in one step: only the consented fields arrive. axe-core on every page added or changed;
screenshots at 360 px into docs/screenshots/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import mails
from tests.browser.helpers import log_in, serious_violations
from tests.browser.test_public import SCREENSHOTS, _answer_by_mouse, _questions
from tests.random_parts import without_random_parts

pytestmark = pytest.mark.browser

PARTNER = "demo-partner"


@pytest.fixture
def demo(demo_output):
    logins = dict(re.findall(r"(demo-[a-z]+) / (\S+)", demo_output))
    partner = re.search(r"referral partner: (.+?\(Demo\))\)", demo_output).group(1)
    return {"logins": logins, "partner": partner}


def test_contact_request_in_arabic_reaches_the_counsellor_and_a_referral_becomes_a_case(
    page, browser, live_url, demo, mail_dir
):
    failures: dict[str, list[str]] = {}

    def check(name: str) -> None:
        found = serious_violations(page)
        if found:
            failures[name] = found

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    password = demo["logins"][PARTNER]

    # 1. the counsellor gives her mail address (the demo logins have none)
    log_in(page, PARTNER, password, lands_on=r"/de/fall/$")
    page.get_by_role("link", name="E-Mail-Benachrichtigungen einstellen").click()
    page.wait_for_url(re.compile(r"/de/konto/benachrichtigungen/$"))
    check("notification settings")
    page.fill("#id_email", "partner@demo.example")
    page.click("button.primary[type=submit]")  # without the password: refused, on the form
    assert page.locator("#id_password").get_attribute("aria-invalid") == "true"
    check("notification settings with an error")
    page.fill("#id_password", password)
    page.check("#id_email_enabled")
    page.click("button.primary[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Ihre Einstellungen sind gespeichert")
    page.get_by_role("button", name="Abmelden").click()

    # 2. a visitor in Arabic: the self-check, the partner's offer, her answers sent along
    visitor = browser.new_context(base_url=live_url, locale="ar")
    public = visitor.new_page()
    public.set_default_timeout(10_000)
    public.set_viewport_size({"width": 360, "height": 780})
    _questions(public, "ar", _answer_by_mouse)
    public.locator(".nearest-details > summary").click()  # the list of nearest offers is folded
    card = public.locator(".offer-list.nearest .offer-card").filter(has_text=demo["partner"])
    card.first.locator("a.button.primary").click()
    public.wait_for_url(re.compile(r"/ar/selbstcheck/kontakt/"))
    assert public.locator("html").get_attribute("dir") == "rtl"
    shared = public.locator("#shareable-answers").inner_text()
    assert "1995" in shared and "64291 Darmstadt" in shared  # the date in Arabic words
    public.fill("#id_name", "Samira Beispiel (Demo)")
    public.fill("#id_phone", "0151 7654321")
    public.check("#id_share_answers")
    public.check("#id_consent")
    public.screenshot(path=SCREENSHOTS / "contacts-ar-contact.png", full_page=True)
    page_axe = serious_violations(public)
    if page_axe:
        failures["contact (ar)"] = page_axe
    public.click("button.primary[type=submit]")
    public.wait_for_url(re.compile(r"/ar/selbstcheck/gesendet/$"))
    reference = public.locator(".reference").inner_text()
    assert re.fullmatch(r"SC-[2-9A-Z]{4}-[2-9A-Z]{4}", reference)
    visitor.close()

    # 3. the mail: the reference and a link to the case, nothing about her
    (message,) = mails(mail_dir, reference)
    assert "partner@demo.example" in message
    for secret in ("Samira", "7654321", "1995"):
        # the live server's random port (41995) and the parts random per run are no data
        assert secret not in without_random_parts(message.replace(live_url, "")), secret
    link = re.search(rf"{re.escape(live_url)}/de/fall/faelle/[0-9a-f-]+/", message).group()

    # 4. she opens the case from the mail, takes it over, sees what came along, starts clearing
    log_in(page, PARTNER, password, lands_on=r"/de/fall/$")
    notices = page.locator("section[aria-labelledby='notices-heading']").inner_text()
    assert re.search(r"[1-9]\d* neue Kontaktanfrage", notices), notices
    check("start page with counts")
    page.goto(link)
    origin = page.locator("section[aria-labelledby='origin-heading']")
    assert reference in origin.inner_text()
    residence = page.locator("#origin-residence").inner_text()
    assert "Aufenthaltserlaubnis" in residence and "25(2)" in residence
    assert "Arabisch" in origin.inner_text()
    check("case page of a contact request")
    page.get_by_role("button", name="Fall übernehmen").click()
    expect(page.locator(".messages")).to_contain_text("Sie sind jetzt für diesen Fall zuständig")
    page.get_by_role("button", name="Clearing beginnen").click()
    assert page.locator("#case-status").inner_text() == "Clearing"
    page.set_viewport_size({"width": 360, "height": 780})
    page.screenshot(path=SCREENSHOTS / "contacts-case-origin.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    # the person search finds her by the reference she names on the phone
    page.goto("/de/fall/")
    page.fill("#id_q", reference.lower())
    page.get_by_role("button", name="Suchen").click()
    assert "Samira Beispiel (Demo)" in page.locator("#people-heading + form + p + ul").inner_text()

    # 5. a received referral becomes a case in one step, with the consented fields only
    page.goto("/de/fall/eingang/")
    check("inbox")
    rows = page.locator("tbody tr", has_text="gesendet")
    numbers = [re.search(r"UW-[2-9A-Z]{4}-[2-9A-Z]{4}", t) for t in rows.all_inner_texts()]
    assert numbers and all(numbers) and len({n.group() for n in numbers}) == len(numbers)
    links = rows.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    for href in links:  # the demo referral of Lina (other tests may have sent more)
        page.goto(href)
        if "Lina Probe (Demo)" in page.locator(".shared-person").inner_text():
            break
    else:
        raise AssertionError("the demo referral of Lina Probe (Demo) is not in the inbox")
    check("received referral")
    page.get_by_role("button", name="Annehmen und Fall eröffnen").click()
    page.wait_for_url(re.compile(r"/de/fall/faelle/[0-9a-f-]+/$"))
    expect(page.locator(".messages")).to_contain_text("Der Fall ist eröffnet")
    assert "Aus einer Überweisung" in page.locator("main").inner_text()
    assert page.locator("#case-status").inner_text() == "Erstkontakt"
    check("case page of a referral")
    page.locator("nav.breadcrumbs a", has_text="Lina Probe (Demo)").click()
    person = page.locator("main").inner_text()
    assert "0000 000000" in person  # phone: consented
    for kept_back in ("30.11.2001", "lina@example.org", "25(2)", "Aufenthaltserlaubnis"):
        assert kept_back not in person, kept_back
    for field in ("Geburtsdatum", "Staatsangehörigkeiten"):
        value = page.locator(
            f"section[aria-labelledby='person-heading'] dt:text-is('{field}') + dd"
        )
        assert value.inner_text().strip() == "–", field
    assert failures == {}, failures
