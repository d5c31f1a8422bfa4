"""One person from intake to closure in a real browser (acceptance of the case-management issue).

The server's database has the demo data: ``demo-beratung`` counsels at a WIR network carrier
(ESF Plus), ``demo-partner`` at another demo organisation with a published offer. The person is
enrolled in the network's project of the previous round wir-2022, with entry, job start and exit
in the past, so that every check-in up to the ESF Plus survey six months after exit is due and
recorded.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in, serious_violations
from tests.random_parts import without_random_parts
from wegweiser.cases.retention import add_offset
from wegweiser.cases.services import FOLLOWUP_EARLY_DAYS
from wegweiser.core.labels import offset_label

pytestmark = pytest.mark.browser

#: The person is enrolled in the demo network's project of the previous round wir-2022 (catalogue,
#: wir.yaml; its name on the pages), so that the whole follow-up, up to the ESF Plus survey six
#: months after exit, can lie in the past and be recorded.
ROUND = "1. Förderrunde (2022–2026)"
ROUND_START, ROUND_END = dt.date(2022, 10, 1), dt.date(2026, 9, 30)


def _logout(page):
    page.get_by_role("button", name="Abmelden").click()


@pytest.fixture
def demo(demo_output):
    logins = dict(re.findall(r"(demo-[a-z]+) / (\S+)", demo_output))
    partner = re.search(r"referral partner: (.+?\(Demo\))\)", demo_output).group(1)
    return {"logins": logins, "partner": partner}


def _dates(today: dt.date) -> dict:
    """Entry, job start and exit relative to ``today``, clamped into the round's period.

    As far back as the round allows, so that as many check-ins as possible are genuinely due;
    the exit is six months ago if the round allows it (then the ESF Plus survey is due, too).
    """
    entry = min(
        today, ROUND_END - dt.timedelta(days=300), max(ROUND_START, today - dt.timedelta(days=400))
    )
    job_start = min(today, entry + dt.timedelta(days=1))
    six_months_ago = next(
        day
        for day in (today - dt.timedelta(days=n) for n in range(180, 190))
        if add_offset(day, "6m") <= today
    )
    exit_date = min(today, ROUND_END, max(add_offset(job_start, "3m"), six_months_ago))
    return {"entry": entry, "job_start": job_start, "exit": exit_date}


def _may_record(due: dt.date, today: dt.date) -> bool:
    return due - dt.timedelta(days=FOLLOWUP_EARLY_DAYS) <= today


def _record_check_in(page, case_url, offset, due, today, *, esf=False):
    """Record the check-in if it is due, else check the refusal; returns whether recorded."""
    page.goto(case_url)
    page.get_by_role("link", name=f"Termin erfassen {offset_label(offset)}").click()
    page.check("input[name='still_in_work_or_training'][value='yes']")
    page.check("input[name='dropout_risk'][value='low']")
    if esf:
        page.check("input[name='long_term_result'][value='employed']")
    else:
        assert page.locator("input[name='long_term_result']").count() == 0
    page.get_by_role("button", name="Termin erfassen").click()
    if _may_record(due, today):
        expect(page.locator(".messages")).to_contain_text("Der Nachbetreuungstermin ist erfasst.")
        return True
    assert "erst am" in page.get_by_role("alert").first.inner_text()
    return False


def test_one_person_from_intake_to_closure(page, demo):
    today = dt.date.today()
    dates = _dates(today)
    entry, job_start, exit_date = dates["entry"], dates["job_start"], dates["exit"]
    counsellor = ("demo-beratung", demo["logins"]["demo-beratung"])
    log_in(page, *counsellor, lands_on=r"/de/fall/$")
    assert serious_violations(page) == []

    # intake
    page.get_by_role("link", name="Neue Person aufnehmen").click()
    page.fill("#id_given_name", "Testa")
    page.fill("#id_family_name", "Browser (Demo)")
    page.fill("#id_date_of_birth", "1996-04-01")
    page.select_option("#id_gender", "female")
    page.fill("#id_languages", "ar, de")
    page.fill("#id_citizenships", "SY")
    page.fill("#id_kreis", "06431")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".messages")).to_contain_text("Die Person wurde angelegt.")
    file_url = page.url

    # residence status (not shared with the partner)
    page.get_by_text("Aufenthaltsstatus eintragen").click()
    page.select_option("#id_residence-title", "aufenthaltserlaubnis")
    page.fill("#id_residence-section", "25(2)")
    page.fill("#id_residence-valid_from", "2024-01-01")
    page.select_option("#id_residence-work_ban", "none")
    page.get_by_role("button", name="Eintragen").click()
    expect(page.locator(".messages")).to_contain_text("Der Aufenthaltsstatus wurde eingetragen.")

    # consent: counselling, and sharing name and languages with the partner
    for purpose in ("counselling", "referral_sharing"):
        page.get_by_text("Einwilligung erfassen", exact=True).first.click()
        page.select_option("#id_consent-purpose", purpose)
        page.fill("#id_consent-text_version", "2025-01")
        page.select_option("#id_consent-channel", "written")
        if purpose == "referral_sharing":
            page.select_option("#id_consent-recipient", label=demo["partner"])
            page.check("input[name='consent-shared_fields'][value='name']")
            page.check("input[name='consent-shared_fields'][value='languages']")
        page.locator("form[action$='/einwilligungen/'] button[type=submit]").click()
        expect(page.locator(".messages")).to_contain_text("Die Einwilligung wurde erfasst.")
    assert serious_violations(page) == []  # the participant's file

    # case: first contact -> clearing -> enrolment with the eligibility check
    page.get_by_role("button", name="Fall eröffnen (Erstkontakt)").click()
    expect(page.locator("#case-status")).to_have_text("Erstkontakt")
    case_url = page.url
    assert serious_violations(page) == []  # the case page
    page.get_by_role("button", name="Clearing beginnen").click()
    assert page.locator("#case-status").inner_text() == "Clearing"
    page.get_by_role("link", name="Förderprüfung und Aufnahme in ein Projekt").click()
    previous = page.locator("#id_project option", has_text="2022–2026").get_attribute("value")
    page.select_option("#id_project", previous)
    page.fill("#id_entry_date", entry.isoformat())
    page.get_by_role("button", name="Prüfen und aufnehmen").click()
    expect(page.locator(".messages")).to_contain_text("Die Person ist aufgenommen.")
    assert page.locator("#case-status").inner_text() == "aktive Begleitung"
    snapshot = page.locator(".snapshot").first
    assert "förderfähig" in snapshot.inner_text() and ROUND in snapshot.inner_text()
    assert snapshot.locator(".reasons li").count() >= 3  # age, refugee, work ban

    # referral to the partner's offer, sent under the sharing consent
    page.get_by_role("link", name="An ein Angebot einer anderen Organisation überweisen").click()
    page.fill("#id_q", demo["partner"].removesuffix(" (Demo)"))
    page.get_by_role("button", name="Suchen").click()
    page.locator("input[name='offer']").first.check()
    page.get_by_role("button", name="Entwurf anlegen").click()
    page.get_by_role("button", name="Senden", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Die Überweisung wurde gesendet.")
    _logout(page)

    # the partner sees only the consented fields and accepts
    log_in(page, "demo-partner", demo["logins"]["demo-partner"], lands_on=r"/de/fall/$")
    page.goto("/de/fall/eingang/")
    page.locator("table a").first.click()
    shared = page.locator(".shared-person").inner_text()
    assert (
        "Testa Browser (Demo)" in shared and "Arabisch, Deutsch" in shared
    )  # language names, not codes
    body = without_random_parts(page.locator("main").inner_text())  # UW-C9DF-NTSY holds "SY"
    for hidden in ("1996", "25(2)", "Aufenthaltserlaubnis", "SY", "Syrien", "testa"):
        assert hidden not in body, hidden
    page.get_by_role("button", name="Annehmen", exact=True).click()
    assert page.locator("#referral-status").inner_text() == "angenommen"
    _logout(page)

    # job start: the check-ins are scheduled and already due
    log_in(page, *counsellor, lands_on=r"/de/fall/$")
    page.goto(case_url)
    assert "angenommen" in page.locator("section[aria-labelledby='referrals-heading']").inner_text()
    page.fill("#id_followup-start_date", job_start.isoformat())
    page.select_option("#id_followup-situation", "work")
    page.get_by_role("button", name="Nachbetreuung beginnen").click()
    assert page.locator("#case-status").inner_text() == "in Arbeit/Ausbildung: Nachbetreuung"
    page.goto("/de/fall/")
    if add_offset(job_start, "4w") < today:
        overdue = page.locator(".followup-list li.overdue", has_text="Testa Browser (Demo)")
        assert overdue.count() >= 1 and "überfällig seit" in overdue.first.inner_text()

    # the check-ins that are due are recorded; one not yet due is refused
    for offset in ("4w", "3m"):
        assert _record_check_in(page, case_url, offset, add_offset(job_start, offset), today)

    # exit: the ESF Plus survey is dated six months after exit (facts.md A.4)
    page.goto(case_url)
    page.fill("#id_close-exit_date", exit_date.isoformat())
    page.get_by_role("button", name="Abschließen").click()
    expect(page.locator(".messages")).to_contain_text("Der Fall ist abgeschlossen.")
    assert page.locator("#case-status").inner_text() == "abgeschlossen"
    survey_due = add_offset(exit_date, "6m")
    followups = page.locator("section[aria-labelledby='followups-heading']").inner_text()
    assert "mit ESF-Plus-Ergebnis" in followups
    # the 6-month check-in answers the ESF Plus longer-term result
    assert _record_check_in(page, case_url, "6m", survey_due, today, esf=True)
    followups = page.locator("section[aria-labelledby='followups-heading']").inner_text()
    assert "erwerbstätig, auch selbstständig (EECR05)" in followups
    page.goto(file_url)
    assert "abgeschlossen" in page.locator("section[aria-labelledby='cases-heading']").inner_text()
