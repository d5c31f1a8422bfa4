"""The ESF record-keeping period (facts.md D.2) and follow-up dates.

Art. 82 Reg. (EU) 2021/1060: supporting documents are kept for five years from 31 December of the
year in which the managing authority made its last payment to the beneficiary. A case counts as
an ESF Plus record when the person was enrolled (an entry date) in a project whose funding round
belongs to an ESF Plus funding line (``esf-plus-*``, see ``catalogue/funding-lines.yaml``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from wegweiser.cases.models import Case, ProjectRecordKeeping

ESF_FUNDING_LINE_PREFIX = "esf-plus"
RETENTION_YEARS = 5


def is_esf_record(case: Case) -> bool:
    if case.entry_date is None or case.funding_round_id is None:
        return False
    return case.funding_round.funding_line.key.startswith(ESF_FUNDING_LINE_PREFIX)


def esf_retention_until(case: Case) -> dt.date | None:
    """The last day the case's ESF records must be kept.

    ``date.max`` while the last payment is not known (keep); ``None`` if the case is no ESF record.
    """
    if not is_esf_record(case):
        return None
    try:
        keeping = ProjectRecordKeeping.objects.get(project_id=case.project_id)
    except ProjectRecordKeeping.DoesNotExist:
        return dt.date.max
    if keeping.last_payment_on is None:
        return dt.date.max
    until = dt.date(keeping.last_payment_on.year + RETENTION_YEARS, 12, 31)
    if keeping.held_until is not None:
        until = max(until, keeping.held_until)
    return until


def esf_retention_applies(case: Case, today: dt.date) -> bool:
    until = esf_retention_until(case)
    return until is not None and today <= until


# --- follow-up offsets --------------------------------------------------------------------------

OFFSET_RE = re.compile(r"^(\d{1,3})([dwm])$")


def add_offset(start: dt.date, offset: str) -> dt.date:
    """``start`` plus ``4w``, ``3m``, ``10d``. Months are calendar months; the 31st of a short
    month becomes its last day (31 January + 1m = 28/29 February)."""
    match = OFFSET_RE.match(offset)
    if not match:
        raise ValueError(f"invalid follow-up offset {offset!r} (e.g. 4w, 3m, 10d)")
    n, unit = int(match.group(1)), match.group(2)
    if unit == "d":
        return start + dt.timedelta(days=n)
    if unit == "w":
        return start + dt.timedelta(weeks=n)
    month_index = start.month - 1 + n
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)
