"""An interpreter and a tandem from a case, in a real browser (acceptance of the volunteers issue).

The server's database has the demo data: ``demo-beratung`` counsels at the WIR network carrier,
``demo-ehrenamt`` coordinates its interpreter pool (and two others). The counsellor asks for an
Arabic interpreter from a case for today (so that the appointment can be confirmed as done in the
same test), the coordinator confirms a proposal with its reasons, the volunteer accepts through
her link, the confirmation mail carries an .ics, the counsellor confirms completion, and the
hours and costs appear in the month's reimbursement list (XLSX). Then a tandem from request to
its end.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import icalendar
import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.helpers import log_in, serious_violations, wait_until

pytestmark = pytest.mark.browser

INSTITUTION = "Browsertest-Ausländerbehörde"
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def demo(demo_output):
    logins = dict(re.findall(r"(demo-[a-z]+) / (\S+)", demo_output))
    carrier = re.search(r"demo case management at (.+?) \(referral partner", demo_output).group(1)
    return {"logins": logins, "carrier": carrier}


def _login(page, demo, username):
    log_in(page, username, demo["logins"][username])
    switch = page.locator("#organisation-select")
    if switch.count() and switch.locator("option[selected]").inner_text() != demo["carrier"]:
        switch.select_option(label=demo["carrier"])
        page.locator(".organisation-switch").get_by_role("button", name="Wechseln").click()
        page.wait_for_load_state()


def _logout(page):
    page.get_by_role("button", name="Abmelden").click()


def _open_case(page) -> str:
    page.goto("/de/fall/")
    links = page.locator("a[href*='/de/fall/faelle/']")
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href")
        page.goto(href)
        if page.get_by_role("link", name="Dolmetschen anfragen").count():
            return href
        page.goto("/de/fall/")
    raise AssertionError("no open demo case")


def _csv_row(page, pool_url: str, month: str, name: str) -> tuple[Decimal, Decimal]:
    text = page.request.get(f"{pool_url}csv/?month={month}").text()
    for row in csv.reader(io.StringIO(text), delimiter=";"):
        if row and f"{row[1]} {row[0]}" == name:
            return Decimal(row[2].replace(",", ".")), Decimal(row[4].replace(",", "."))
    return Decimal(0), Decimal(0)


def test_interpreter_from_a_case_to_the_reimbursement_list(page, demo, mailbox):
    now = dt.datetime.now(BERLIN).replace(tzinfo=None)  # the server's time zone
    today = now.date()
    # begun already, and today: two hours ago, or midnight when that was yesterday
    start = max(now - dt.timedelta(hours=2), dt.datetime.combine(today, dt.time(0)))

    # the counsellor asks for an interpreter from a case
    _login(page, demo, "demo-beratung")
    _open_case(page)
    page.get_by_role("link", name="Dolmetschen anfragen").click()
    page.select_option(
        "#id_pool", label=page.locator("#id_pool option", has_text="Gießen").first.inner_text()
    )
    page.fill("#id_institution", INSTITUTION)
    page.fill("#id_day", today.isoformat())
    page.fill("#id_time", start.strftime("%H:%M"))
    page.fill("#id_duration_minutes", "60")
    page.select_option("#id_mode", "on_site")
    page.fill("#id_address", "Ostanlage 1, 35390 Gießen")
    page.fill("#id_postcode", "35390")
    page.select_option("#id_language", "ar")
    page.select_option("#id_topic", "authority")
    page.select_option("#id_setting", "counselling")
    page.get_by_role("button", name="Anfrage senden").click()
    page.wait_for_url(re.compile(r"/de/ehrenamt/anfragen/$"))
    assert INSTITUTION in page.content()
    _logout(page)

    # the coordinator sees the proposals with their reasons and confirms one
    _login(page, demo, "demo-ehrenamt")
    page.goto("/de/ehrenamt/")
    assert serious_violations(page) == []
    row = page.locator("tr", has_text=INSTITUTION)
    assert "dringend" in row.inner_text()
    with page.expect_navigation():
        row.get_by_role("link").click()
    booking_url = page.url
    first = page.locator("ol.proposals > li").first
    reasons = first.locator("tbody tr")
    expect(reasons).to_have_count(4)  # the click waits for the new page to begin, not to be read
    points = [int(reasons.nth(i).locator("td").nth(2).inner_text()) for i in range(4)]
    rank = int(re.search(r"Rang: (-?\d+)", first.inner_text()).group(1))
    assert sum(points) == rank  # the reasons add up to the rank
    assert "Entfernung" in first.inner_text() and "Kontinuität" in first.inner_text()
    chosen = first.locator("strong").inner_text()
    assert serious_violations(page) == []
    first.get_by_role("button", name="Diesen Vorschlag bestätigen").click()
    page.get_by_role("button", name="Person anfragen (Antwort-Link)").click()
    link = page.locator("#answer-link").get_attribute("href")
    _logout(page)

    # the volunteer accepts by link: no personal data of the person before
    page.goto(link)
    text = page.locator("main").inner_text()
    assert "Ostanlage" not in text and "(Demo)" not in text
    assert serious_violations(page) == []
    page.get_by_label("Ich sage zu").check()
    page.get_by_role("button", name="Antwort senden").click()
    assert "Sie haben zugesagt" in page.locator("main").inner_text()
    assert "Ostanlage 1" in page.locator("main").inner_text()

    # the coordinator confirms to the requester: mail with the first name and an .ics
    _login(page, demo, "demo-ehrenamt")
    page.goto(booking_url)
    page.get_by_role("button", name="Der anfragenden Stelle bestätigen").click()
    assert "bestätigt" in page.locator("dl.facts").inner_text()
    confirmations = [
        m
        for m in mailbox()
        if m["Subject"] == "Dolmetscheinsatz bestätigt" and "demo-beratung@example.org" in m["To"]
    ]
    assert confirmations, "no confirmation mail to the requester"
    message = confirmations[-1]
    assert chosen.split()[0] in message.get_body(("plain",)).get_content()
    ics = next(p for p in message.iter_attachments() if p.get_filename().endswith(".ics"))
    event = icalendar.Calendar.from_ical(ics.get_content()).walk("VEVENT")[0]
    when = event.decoded("dtstart").astimezone(BERLIN)
    assert when.strftime("%Y-%m-%d %H:%M") == start.strftime("%Y-%m-%d %H:%M")
    page.goto("/de/ehrenamt/")
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("Gießen")).last.click()
    pool_url = page.url.split("?")[0]
    month = today.strftime("%Y-%m")
    hours_before, costs_before = _csv_row(page, pool_url, month, chosen)
    _logout(page)

    # the requester confirms completion
    _login(page, demo, "demo-beratung")
    page.goto("/de/ehrenamt/anfragen/")
    page.locator("tr", has_text=INSTITUTION).get_by_role(
        "button", name="Einsatz hat stattgefunden"
    ).click()
    assert "erledigt" in page.locator("tr", has_text=INSTITUTION).inner_text()
    _logout(page)

    # hours and costs, then the month's reimbursement list
    _login(page, demo, "demo-ehrenamt")
    page.goto(booking_url)
    page.fill("#id_hours", "1.5")
    page.fill("#id_km", "12")
    page.get_by_role("button", name="Stunden speichern").click()
    expect(page.locator(".messages")).to_contain_text("Stunden und Kosten gespeichert")
    hours_after, costs_after = _csv_row(page, pool_url, month, chosen)
    assert hours_after - hours_before == Decimal("1.5")
    assert costs_after - costs_before == Decimal("21.60")  # 1.5 h x 12 € + 12 km x 0.30 €
    page.goto(f"{pool_url}?month={month}")
    assert serious_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Als Excel-Datei (XLSX)").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    rows = {f"{r[1]} {r[0]}": r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert Decimal(str(rows[chosen][2])) == hours_after


def test_a_tandem_from_request_to_end(page, demo):
    _login(page, demo, "demo-beratung")
    _open_case(page)
    page.get_by_role("link", name="Tandem (Lotsin oder Lotse) anfragen").click()
    page.select_option(
        "#id_pool", label=page.locator("#id_pool option", has_text="Gießen").first.inner_text()
    )
    page.select_option("#id_language", "ar")
    page.select_option("#id_topic", "housing")
    page.fill("#id_postcode", "35390")
    page.get_by_role("button", name="Anfrage senden").click()
    page.wait_for_url(re.compile(r"/de/ehrenamt/anfragen/$"))
    _logout(page)

    _login(page, demo, "demo-ehrenamt")
    page.goto("/de/ehrenamt/")
    page.get_by_role("link", name="Arabisch – Wohnen").first.click()
    first = page.locator("ol.proposals > li").first
    expect(first).to_contain_text("Entfernung")
    assert serious_violations(page) == []
    first.get_by_role("button", name="Diesen Vorschlag bestätigen").click()
    expect(page.locator(".messages")).to_contain_text("Das Tandem hat begonnen")
    today = dt.datetime.now(BERLIN).date().isoformat()
    for kind, minutes in (("contact", "90"), ("supervision", "60"), ("reflection", "45")):
        page.select_option("#id_meeting-kind", kind)
        page.fill("#id_meeting-on", today)
        page.fill("#id_meeting-minutes", minutes)
        page.get_by_role("button", name="Eintragen").click()
    expect(page.locator("main li", has_text="Supervision")).to_have_count(1)
    page.fill("#id_end-on", today)
    page.select_option("#id_end-outcome", "independent")
    page.get_by_role("button", name="Beenden").click()
    text = page.locator("main").inner_text()
    assert "beendet" in text and "kommt allein zurecht" in text


def test_the_dashboard_maps_uncovered_languages_per_kreis(page, demo, live_url):
    """The coordinator's map of requests in languages no volunteer there speaks: the Kreise of
    her pools drawn from our own files over our own background, nothing from elsewhere, and the
    same figures in the table below for screen readers."""
    _login(page, demo, "demo-ehrenamt")
    page.goto("/de/ehrenamt/")
    wait_until(page, "() => document.getElementById('map')?.dataset.kreise !== undefined")
    wait_until(page, "() => document.getElementById('map')?.dataset.backgroundDrawn === 'true'")
    drawn = int(page.locator("#map").get_attribute("data-kreise"))
    rows = page.locator("#uncovered-table tbody tr")
    assert drawn >= 1 and rows.count() >= drawn
    assert page.locator("#map .leaflet-overlay-pane path").count() >= drawn
    assert page.locator("#uncovered-table caption").inner_text()
    assert all(u.startswith(live_url) for u in page.external_requests), page.external_requests
    assert serious_violations(page) == []
