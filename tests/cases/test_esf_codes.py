"""The codes the database keeps with each ESF Plus questionnaire (``report_codes``, a generated
column) are the codes ``cases.esf_codes`` describes, on SQLite and on PostgreSQL: every value of
every answer, NULL, and values outside the codes; written, then changed."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cases.conftest import (  # noqa: F401 (fixtures used here)
    counsellor,
    new_participant,
    org_a,
)
from wegweiser.cases import esf_codes
from wegweiser.cases.models import Case, EsfEntryData, EsfExitData

YNA = esf_codes.YES_NO_NO_ANSWER

#: Each answer's values in turn; row i takes the i-th value of each (modulo its length), so
#: every value of every answer is written at least once.
ENTRY_VALUES = {
    "gender": ("female", "male", "diverse", "other"),
    "employment_status": ("unemployed", "inactive", "employed", "unknown"),
    "long_term_unemployed": (None, True, False),
    "third_country_national": (True, False),
    "isced_level": (0, 1, 2, 3, 4, 5, 6, 7, 8, 13, 14, 200),
    "age_at_entry": (0, 15, 17, 18, 29, 30, 54, 55, 99, 253, 254, 300),
    "foreign_background": (*YNA, "maybe"),
    "homeless_or_housing_exclusion": (*YNA, "n/a"),
    "rural_area": (*YNA, ""),
    "disability": ("n/a", *YNA),
    "minority": (*YNA, "?"),
    # the Kreis key, kept as a number: five digits, empty, and what is neither
    "kreis": ("06411", "", "6411", "0641a", " 6411", "٠٦٤١١", "99999", "00000"),
}
EXIT_VALUES = {s: (*YNA, "", "x") for s in ("job_searching", "in_education", "employed")} | {
    "qualification_gained": YNA,
    "inactive": ("no", "yes"),
}
ROWS = max(len(v) for v in (*ENTRY_VALUES.values(), *EXIT_VALUES.values()))


def _row(values: dict, i: int) -> dict:
    return {name: options[i % len(options)] for name, options in values.items()}


@pytest.fixture
def cases(org_a, counsellor):  # noqa: F811
    person = new_participant(org_a, counsellor)
    return [
        Case.objects.create(participant=person, organisation=org_a, status="active")
        for _ in range(ROWS)
    ]


def test_the_codes_in_the_database_are_the_described_ones(cases, counsellor):  # noqa: F811
    day = dt.date(2025, 3, 1)
    for i, case in enumerate(cases):
        entry = _row(ENTRY_VALUES, i)
        if entry["employment_status"] != "unemployed":
            entry["long_term_unemployed"] = None  # the table's constraint
        EsfEntryData.objects.create(case=case, collected_on=day, recorded_by=counsellor, **entry)
        EsfExitData.objects.create(
            case=case, collected_on=day, recorded_by=counsellor, **_row(EXIT_VALUES, i)
        )
    stored = EsfEntryData.objects.values_list("case_id", "report_codes")
    for case_id, codes in stored:
        entry = EsfEntryData.objects.filter(case_id=case_id).values().get()
        assert codes == esf_codes.pack(esf_codes.ENTRY_CODES, entry), entry
        assert entry["report_kreis"] == esf_codes.kreis_number_of(entry["kreis"]), entry
    numbers = set(EsfEntryData.objects.values_list("report_kreis", flat=True))
    assert {6411, 99999, 0, esf_codes.KREIS_EMPTY, esf_codes.KREIS_OTHER} == numbers
    for case_id, codes in EsfExitData.objects.values_list("case_id", "report_codes"):
        situations = EsfExitData.objects.filter(case_id=case_id).values().get()
        assert codes == esf_codes.pack(esf_codes.EXIT_CODES, situations), situations
    # the table exercised every code: each known value, NULL where allowed, and "other"
    seen = {
        (code.column, (codes >> shift) & code.other)
        for _case_id, codes in stored
        for code, shift in zip(esf_codes.ENTRY_CODES, _shifts(esf_codes.ENTRY_CODES), strict=True)
    }
    for code in esf_codes.ENTRY_CODES:
        if code.values:
            assert {(code.column, i) for i in range(1, len(code.values) + 1)} <= seen
        assert (code.column, code.other) in seen or code.boolean, code.column


def test_a_changed_answer_changes_the_codes(cases, counsellor):  # noqa: F811
    case = cases[0]
    entry = EsfEntryData.objects.create(
        case=case,
        collected_on=dt.date(2025, 3, 1),
        recorded_by=counsellor,
        **_row(ENTRY_VALUES, 0),  # unemployed, not said whether long-term
    )
    before = EsfEntryData.objects.get(pk=entry.pk).report_codes
    EsfEntryData.objects.filter(pk=entry.pk).update(age_at_entry=42, disability="no_answer")
    after = EsfEntryData.objects.get(pk=entry.pk)
    assert after.report_codes != before
    values = EsfEntryData.objects.filter(pk=entry.pk).values().get()
    assert after.report_codes == esf_codes.pack(esf_codes.ENTRY_CODES, values)


def test_the_codes_fit_their_bits():
    for code in (*esf_codes.ENTRY_CODES, *esf_codes.EXIT_CODES):
        known = len(code.values) or code.limit or 2
        assert known + 1 <= code.other, code.column  # NULL, the values, and "other" apart
    assert esf_codes.ENTRY_BITS + esf_codes.EXIT_BITS + 3 <= 63  # and the six-month result


def _shifts(codes):
    shift = 0
    for code in codes:
        yield shift
        shift += code.bits
