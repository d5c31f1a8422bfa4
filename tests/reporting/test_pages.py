"""The report pages over a small network: figures per role, drill-down, exports, completeness."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from tests.reporting.conftest import ENTRY
from wegweiser.audit.models import AuditAction, AuditEntry
from wegweiser.reporting import indicators
from wegweiser.reporting.suppression import recoverable, table_equations

pytestmark = pytest.mark.django_db

#: The hand-computed table of the network (conftest.PEOPLE): (code) -> women, men, non-binary.
EXPECTED = {
    "EECO01": (6, 5, 1),
    "EECO02": (5, 4, 1),
    "EECO04": (1, 0, 0),
    "EECO05": (0, 1, 0),
    "EECO07": (6, 5, 1),  # 29 at entry
    "EECO09": (5, 0, 0),
    "EECO10": (0, 4, 1),
    "EECO11": (1, 1, 0),
    "EECO12-KA": (6, 5, 1),
    "EECO13": (6, 5, 1),
    "EECO14": (6, 5, 1),
    "EECR01": (1, 4, 0),  # the job on day 29 does not count: the search at exit does
    "EECR04": (5, 0, 0),
}


def login(client, network, role):
    client.force_login(network["users"][role])
    return client


def shown_table(response) -> dict:
    return {r["code"]: [v for v, _c in r["cells"]] for r in response.context["overall"]}


def test_team_lead_sees_the_exact_table(client, network):
    response = login(client, network, "team_lead").get(reverse("reporting:dashboard"))
    assert response.status_code == 200
    table = shown_table(response)
    for code in indicators.CODES:
        w, m, d = EXPECTED.get(code, (0, 0, 0))
        assert table[code] == [w, m, d, w + m + d], code
    assert reverse("reporting:cases") in response.content.decode()


def test_drill_down_lists_the_cases_of_a_cell(client, network):
    url = reverse("reporting:cases") + "?code=EECR04&column=women"
    response = login(client, network, "counsellor").get(url)
    assert response.status_code == 200
    cases = response.context["cases"]
    assert len(cases) == 5
    html = response.content.decode()
    for case in cases:
        assert reverse("cases:case", kwargs={"case_id": case.pk}) in html
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, object_id=str(cases[0].pk)).exists()


@pytest.mark.parametrize("role", ["network_coordinator", "programme_admin", "funder"])
def test_aggregate_roles_see_suppressed_figures_and_no_person(client, network, role):
    response = login(client, network, role).get(reverse("reporting:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Geheimname" not in html and "Person1" not in html
    for case in network["cases"]:
        assert case.participant.pseudonym not in html
    assert reverse("reporting:cases") not in html
    table = shown_table(response)
    hidden = set()
    for code, values in table.items():
        for value, column in zip(values, indicators.COLUMNS, strict=True):
            assert value is None or value == 0 or value >= 5, (code, column, value)
            if value is None:
                hidden.add(((), code, column))
    assert hidden, "the network has cells below five"
    assert not recoverable(hidden, table_equations([()], list(table)))
    assert table["EECO01"][3] == 12


def test_coordinator_cannot_drill_down(client, network):
    url = reverse("reporting:cases") + "?code=EECR04&column=women"
    assert login(client, network, "network_coordinator").get(url).status_code == 403


def test_other_organisation_sees_nothing_of_the_network(client, network):
    response = login(client, network, "other_org").get(reverse("reporting:dashboard"))
    assert shown_table(response)["EECO01"] == [0, 0, 0, 0]


def xlsx_table(content: bytes, sheet: str = "Indikatoren") -> dict:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = list(book[sheet].iter_rows(values_only=True))
    assert rows[0][:2] == ("Code", "Indikator")
    assert rows[0][2:] == ("Frauen", "Männer", "nicht-binär", "insgesamt")
    return {r[0]: [None if v == "•" else v for v in r[2:]] for r in rows[1:]}


@pytest.mark.parametrize("role", ["network_coordinator", "programme_admin"])
def test_xlsx_figures_equal_the_dashboard(client, network, role):
    c = login(client, network, role)
    dashboard = shown_table(c.get(reverse("reporting:dashboard")))
    response = c.get(reverse("reporting:export-xlsx"))
    assert response.status_code == 200
    assert xlsx_table(response.content) == dashboard
    book = openpyxl.load_workbook(io.BytesIO(c.get(reverse("reporting:export-xlsx")).content))
    assert "Definitionen" in book.sheetnames
    assert AuditEntry.objects.filter(action=AuditAction.REPORT_EXPORTED).exists()


def test_team_lead_export_is_suppressed_but_agrees_where_shown(client, network):
    c = login(client, network, "team_lead")
    dashboard = shown_table(c.get(reverse("reporting:dashboard")))
    exported = xlsx_table(c.get(reverse("reporting:export-xlsx")).content)
    assert any(v is None for values in exported.values() for v in values)
    for code, values in exported.items():
        for got, shown in zip(values, dashboard[code], strict=True):
            assert got is None or got == shown


def test_xlsx_with_breakdown_has_a_sheet_per_table(client, network):
    c = login(client, network, "programme_admin")
    response = c.get(reverse("reporting:export-xlsx") + "?by=kreis")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Indikatoren", "Kreis", "Definitionen"]


def test_csv_export(client, network):
    response = login(client, network, "network_coordinator").get(reverse("reporting:export-csv"))
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Code;Indikator;Frauen")
    assert "EECO01;Gesamtzahl der Teilnehmenden;6;5;•;12" not in text  # the 1 is hidden
    assert "EECO01;Gesamtzahl der Teilnehmenden;" in text


@pytest.mark.parametrize(
    "by, heading",
    [
        ("project_id", "Projekt"),
        ("funding_round_id", "Förderrunde"),
        ("programme", "Programm"),
        ("kreis", "Kreis"),
    ],
)
def test_breakdown_exports_are_headed_and_labelled_in_plain_words(client, network, by, heading):
    """The breakdown's column is headed "Kreis", "Projekt", ... and holds names, not the keys
    (a Kreis key, a project's UUID, a round's number) — in the CSV and in the XLSX sheet."""
    c = login(client, network, "programme_admin")
    text = c.get(reverse("reporting:export-csv") + f"?by={by}").content.decode("utf-8-sig")
    lines = text.splitlines()
    header = next(
        line
        for line in lines
        if line.endswith(";Code;Indikator;Frauen;Männer;nicht-binär;insgesamt")
    )
    assert header.split(";")[0] == heading
    book = openpyxl.load_workbook(
        io.BytesIO(c.get(reverse("reporting:export-xlsx") + f"?by={by}").content)
    )
    rows = list(book.worksheets[1].iter_rows(values_only=True))
    assert ";".join(rows[0]) == header
    groups = {row[0] for row in rows[1:]}
    assert groups and all(
        isinstance(g, str) and not re.fullmatch(r"[0-9a-f-]{8,}|\d+", g) for g in groups
    ), groups
    if by == "funding_round_id":  # a round with its programme: several have the same name
        from wegweiser.programmes.models import FundingRound

        names = {f"{r.programme.name['de']} – {r.name['de']}" for r in FundingRound.objects.all()}
        assert groups <= names, groups


def test_monitoring_file_is_pseudonymised(client, network):
    response = login(client, network, "team_lead").get(reverse("reporting:export-monitoring"))
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("pseudonym;project_id;")
    assert len(lines) == 13
    assert "Geheimname" not in text and "Person" not in text
    assert network["cases"][0].participant.pseudonym in text
    assert ENTRY.isoformat() in text


def test_completeness_links_each_gap_to_its_case(client, network):
    case = network["cases"][-1]
    case.esf_entry.delete()
    left = network["cases"][0]
    left.esf_exit.delete()
    response = login(client, network, "counsellor").get(reverse("reporting:completeness"))
    html = response.content.decode()
    assert reverse("cases:esf-entry", kwargs={"case_id": case.pk}) in html
    assert reverse("cases:esf-exit", kwargs={"case_id": left.pk}) in html


def test_breakdown_and_period(client, network):
    c = login(client, network, "team_lead")
    response = c.get(reverse("reporting:dashboard") + "?by=programme&start=2025-09-01")
    assert response.status_code == 200
    table = shown_table(response)
    assert table["EECO01"][3] == 0  # nobody entered after September
    assert table["EECR04"][3] == 5  # but they left then
    assert response.context["grouped"]


def test_days_to_entry_count_the_entries_of_the_period(client, network):
    """The days from first contact to entry are over the period's entries, like the tables:
    before, they counted every entry of all time under a filtered report."""
    c = login(client, network, "team_lead")
    whole = c.get(reverse("reporting:dashboard")).context["report"]
    assert whole.days["n"] == shown_table(c.get(reverse("reporting:dashboard")))["EECO01"][3]
    later = c.get(reverse("reporting:dashboard") + "?start=2025-09-01").context["report"]
    assert later.days == {} or later.days["n"] == 0  # nobody entered after September
    html = c.get(reverse("reporting:dashboard") + "?start=2025-09-01").content.decode()
    assert "Zu wenige Eintritte für eine Angabe." in html


def test_charts_are_inline_svg_with_their_tables_and_no_outside_request(client, network):
    html = login(client, network, "programme_admin").get(reverse("reporting:dashboard")).content
    html = html.decode()
    assert html.count('<svg class="chart') >= 5  # months, funnel, outcomes, referrals, map
    assert 'class="chart kreis-map"' in html
    assert html.count('role="img"') == html.count("<svg")
    assert html.count('<table class="report-table"') >= 8
    for outside in ('src="http', 'href="http', "<script src"):
        assert outside not in html
    assert "report.css" in html


@pytest.mark.parametrize("lang", ["de", "ar", "uk"])
def test_months_are_named_not_numbered(client, network, lang):
    """The months of entries and exits, in the table and the chart, as the page's language names
    them ("Juni 2025"), never as a key ("2025-06")."""
    c = login(client, network, "team_lead")
    response = c.get(f"/{lang}/berichte/")
    html = response.content.decode()
    months = response.context["month_rows"]
    assert months
    with translation.override(lang):
        names = {date_format(ENTRY.replace(day=1), "YEAR_MONTH_FORMAT")}
    assert names <= {m for m, _e, _x in months}
    assert not re.search(r">\s*20\d\d-\d\d\s*<", html), "a month as a key"


def test_team_lead_has_no_map_but_the_kreis_table(client, network):
    html = login(client, network, "team_lead").get(reverse("reporting:dashboard")).content
    assert b"kreis-map" not in html
    assert "Frankfurt am Main" in html.decode()


def test_dashboard_in_arabic_is_right_to_left(client, network):
    login(client, network, "team_lead")
    response = client.get("/ar/berichte/")
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()


def test_breakdown_of_an_empty_scope(client, network):
    c = login(client, network, "other_org")
    for by in ("kreis", "project_id", "programme", "funding_round_id"):
        assert c.get(reverse("reporting:dashboard") + f"?by={by}").status_code == 200
        assert c.get(reverse("reporting:export-xlsx") + f"?by={by}").status_code == 200


@pytest.mark.parametrize(
    "view", ["reporting:dashboard", "reporting:export-xlsx", "reporting:export-csv"]
)
def test_a_filter_with_errors_shows_the_message_and_no_figures(client, network, view):
    """Before, the report of the whole time stood under the message, as if it were the period's."""
    c = login(client, network, "programme_admin")
    exports = AuditEntry.objects.filter(action=AuditAction.REPORT_EXPORTED).count()
    response = c.get(reverse(view) + "?start=2025-09-01&end=2025-01-01")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Das Ende liegt vor dem Beginn." in html and 'role="alert"' in html
    assert "indicators-heading" not in html and "EECO01" not in html
    assert AuditEntry.objects.filter(action=AuditAction.REPORT_EXPORTED).count() == exports
