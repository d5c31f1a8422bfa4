"""The ESF Plus report pages in a real browser (acceptance of the reporting issue).

A team lead and a network coordinator of the demo open the dashboard: every chart stands next to
a table with its figures (for screen readers), the coordinator sees no participant's name, the
XLSX export holds the page's figures (read back with openpyxl), the print stylesheet hides the
navigation and the filters, axe finds no violation, and the page does not scroll sideways at
360 px in German and in Arabic (right to left).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from openpyxl import load_workbook

from tests.browser.helpers import log_in
from wegweiser.cases.demo import DEMO_SUFFIX
from wegweiser.reporting.demo import MARKER, PEOPLE

pytestmark = pytest.mark.browser

#: the participants of the case-management demo (wegweiser/cases/demo.py), given and family names
OTHER_PEOPLE = (
    ("Mira", "Beispiel"),
    ("Samir", "Muster"),
    ("Lina", "Probe"),
    ("Jonas", "Fiktiv"),
    ("Ada", "Erfunden"),
    ("Karim", "Vorlage"),
    ("Yusuf", "Platzhalter"),
)
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def logins(demo_output) -> dict:
    return dict(re.findall(r"(demo-[a-z]+) / (\S+)", demo_output))


def _violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
    ]


def _charts_have_tables(page) -> int:
    """Every chart (an SVG image with a title) has a table with captions in its section."""
    charts = page.locator("svg[role='img']")
    assert charts.count() >= 4
    for i in range(charts.count()):
        chart = charts.nth(i)
        title = chart.locator("title").text_content()
        assert title and chart.get_attribute("aria-labelledby")
        block = chart.locator("xpath=ancestor::section[1]")
        table = block.locator("table")
        assert table.count() >= 1, title
        assert table.first.locator("caption").text_content().strip()
        assert table.first.locator("tbody tr").count() >= 1, title
    return charts.count()


def _indicator_row(page, code: str) -> list[str]:
    """The cells (women, men, non-binary, total) of ``code`` in the first indicator table."""
    row = page.locator("table.report-table").first.locator("tbody tr", has_text=code).first
    # a linked figure carries a hidden "– Fälle ansehen" for screen readers
    return [re.match(r"\d+|•", c.strip()).group() for c in row.locator("td.num").all_inner_texts()]


def _xlsx_row(page, code: str) -> list[str]:
    with page.expect_download() as download:
        page.get_by_role("link", name="Als Excel-Datei (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    data = Path(download.value.path()).read_bytes()
    sheet = load_workbook(io.BytesIO(data), read_only=True)["Indikatoren"]
    for row in sheet.iter_rows(values_only=True):
        if row and row[0] == code:
            return ["" if v is None else str(v) for v in row[2:6]]
    raise AssertionError(f"{code} not in the XLSX")


def _print_hides_navigation(page) -> None:
    page.emulate_media(media="print")
    try:
        for selector in (".site-nav", ".report-filter", ".report-actions"):
            assert not page.locator(selector).first.is_visible(), selector
        assert page.locator("table.report-table").first.is_visible()
        assert page.locator("svg[role='img']").first.is_visible()
    finally:
        page.emulate_media(media="screen")


_WIDE = """() => [...document.querySelectorAll('body *')].filter(e => {
  const r = e.getBoundingClientRect();
  return r.right > 360.5 || r.left < -0.5;
}).slice(0, 12).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().width))"""


def _wide(page) -> list[str]:
    """The elements that stick out of the viewport (for the message of a failure)."""
    return page.evaluate(_WIDE)


def _fits_360(page, lang: str) -> None:
    page.set_viewport_size({"width": 360, "height": 780})
    try:
        page.goto(f"/{lang}/berichte/")
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{lang}: the page is {width} px wide at 360 px: {_wide(page)}"
        assert _violations(page) == [], lang
        page.screenshot(path=str(SHOTS / f"reporting-360-{lang}.png"), full_page=True)
    finally:
        page.set_viewport_size({"width": 1280, "height": 800})


def test_team_lead_reads_charts_exports_xlsx_and_prints(page, live_url, logins):
    log_in(page, "demo-teamleitung", logins["demo-teamleitung"])
    page.goto("/de/berichte/")
    assert page.get_by_role("heading", name="ESF-Plus-Bericht", level=1).is_visible()
    _charts_have_tables(page)
    # the team lead sees the figures unsuppressed and can trace them to the cases
    cells = _indicator_row(page, "EECO01")
    assert cells[-1].isdigit() and int(cells[-1]) >= len(PEOPLE)
    assert page.locator("table.report-table a[href*='/berichte/faelle/']").count() > 0
    assert _violations(page) == []
    page.screenshot(path=str(SHOTS / "reporting-team-lead-de.png"), full_page=True)
    # the export is always suppressed: equal to the page wherever the page shows a figure
    # that the export shows too; the total is large enough to be shown in both
    exported = _xlsx_row(page, "EECO01")
    assert exported[-1] == cells[-1]
    for shown, sent in zip(cells, exported, strict=True):
        assert sent in (shown, "•")
    _print_hides_navigation(page)
    for lang in ("de", "ar"):
        _fits_360(page, lang)
    assert page.external_requests and all(
        r.startswith(live_url) or r.startswith("data:") for r in page.external_requests
    )


def test_network_coordinator_sees_sums_and_no_names(page, logins):
    log_in(page, "demo-netzwerk", logins["demo-netzwerk"])
    page.goto("/de/berichte/")
    assert page.get_by_role("heading", name="ESF-Plus-Bericht", level=1).is_visible()
    _charts_have_tables(page)
    text = page.locator("main").inner_text()
    html = page.content()
    assert f"{MARKER} {DEMO_SUFFIX}" not in html
    names = [given for given, *_rest in PEOPLE] + [n for pair in OTHER_PEOPLE for n in pair]
    for name in names:
        assert not re.search(rf"\b{name}\b", html), name
    # no drill-down to the cases, no monitoring file, no completeness list
    assert page.locator("a[href*='/berichte/faelle/']").count() == 0
    assert page.locator("a[href*='monitoring.csv']").count() == 0
    assert "Kleine Fallzahlen sind gesperrt" in text
    cells = _indicator_row(page, "EECO01")
    exported = _xlsx_row(page, "EECO01")
    assert exported == cells  # both suppressed the same way
    assert _violations(page) == []
    page.screenshot(path=str(SHOTS / "reporting-network-de.png"), full_page=True)
    _print_hides_navigation(page)
    for lang in ("de", "ar"):
        _fits_360(page, lang)
