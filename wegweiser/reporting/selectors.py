"""The reporting app's reads: one scope per role, one frame of cases, the lists for counsellors.

Every figure starts from :func:`scope_for` (what the user may count) and :func:`case_frame` (the
cases of that scope as a polars frame, :data:`indicators.CASE_SCHEMA`). The scopes
(docs/reporting.md):

- team lead: the cases of the own organisation; personal-data rights, so the figures are shown
  unsuppressed and each can be traced to its cases;
- network coordinator: the cases of every organisation in the projects (the Verbund) its
  organisation carries or is a partner of; aggregates only, suppressed;
- programme administrator and funder: the cases of every project of the programmes its
  organisation takes part in, across organisations; aggregates only, suppressed.

Nothing here writes; the lists that name a case (:func:`cases_behind`, :func:`completeness`) are
for counsellors and team leads of the owning organisation only and log their reads.
"""

from __future__ import annotations

import datetime as dt
import io
import statistics
from dataclasses import dataclass, field

import polars as pl
from django.db import connection, transaction
from django.db.models import Count, F, FilteredRelation, Q, QuerySet
from django.utils import timezone

from wegweiser.accounts.models import Role
from wegweiser.accounts.permissions import roles_of, user_can
from wegweiser.audit import reads
from wegweiser.cases.models import (
    Case,
    CaseStatus,
    FollowUp,
    Referral,
)
from wegweiser.organisations.models import Organisation
from wegweiser.programmes.models import FundingRound, Programme, Project
from wegweiser.reporting import packed
from wegweiser.reporting.indicators import CASE_SCHEMA, empty_cases

TEAM, NETWORK, PROGRAMME = "organisation", "network", "programme"
#: PostgreSQL settings for the one reporting query (its transaction only): the hash joins of a
#: large scope fit in memory instead of spilling in batches, and the query gets the parallel
#: workers that the web's connections go without (config/settings.py). Measured on 1,000,000
#: cases (docs/reporting.md): the packed rows in 3.0 s with two workers, 4.8 s without.
REPORT_SETTINGS = {"work_mem": "128MB", "max_parallel_workers_per_gather": "2"}


@dataclass(frozen=True)
class Scope:
    kind: str  # TEAM, NETWORK or PROGRAMME
    organisation: Organisation
    #: may see personal data of the counted cases (only the own organisation's team lead)
    personal: bool
    project_ids: frozenset = field(default_factory=frozenset)
    programme_ids: frozenset[int] = field(default_factory=frozenset)

    def cases(self) -> QuerySet[Case]:
        if self.kind == TEAM:
            return Case.objects.filter(organisation=self.organisation)
        if self.kind == NETWORK:
            return Case.objects.filter(project_id__in=self.project_ids)
        return Case.objects.filter(funding_round__programme_id__in=self.programme_ids)


def _projects_of(organisation) -> QuerySet[Project]:
    return Project.objects.filter(Q(carrier=organisation) | Q(partners=organisation)).distinct()


def scope_for(user, organisation) -> Scope | None:
    """The widest scope ``user``'s roles in ``organisation`` allow (``None``: no report)."""
    if organisation is None or not user_can(user, organisation, "reports.dashboard"):
        return None
    roles = roles_of(user, organisation)
    if roles & {Role.PROGRAMME_ADMIN, Role.FUNDER}:
        programmes = _projects_of(organisation).values_list("funding_round__programme", flat=True)
        ids = frozenset(p for p in programmes if p is not None)
        return Scope(PROGRAMME, organisation, personal=False, programme_ids=ids)
    if Role.NETWORK_COORDINATOR in roles:
        ids = frozenset(_projects_of(organisation).values_list("pk", flat=True))
        return Scope(NETWORK, organisation, personal=False, project_ids=ids)
    return Scope(TEAM, organisation, personal=True)


def casework_scope(user, organisation) -> Scope | None:
    """The own organisation, for the lists that name cases (counsellors and team leads)."""
    if organisation is None or not user_can(user, organisation, "reports.casework"):
        return None
    return Scope(TEAM, organisation, personal=True)


# --- the frame -----------------------------------------------------------------------------------

_EXIT = ("job_searching", "in_education", "qualification_gained", "employed", "inactive")
_BOOLS = ("long_term_unemployed", "third_country_national")
#: Columns that are the case's own fields (``values()`` takes them by name).
_OWN_FIELDS = ("participant_id", "project_id", "funding_round_id", "entry_date", "exit_date")


_UUIDS = ("case_id", "participant_id", "project_id")


def _values(qs, **extra):
    """``qs.values()`` with the columns of CASE_SCHEMA (and ``extra``)."""
    columns = _columns()
    expressions = {k: v for k, v in columns.items() if v is not None}
    # the recorded six-month survey: one join instead of a subquery per case (a case with two
    # comes twice: :func:`_one_row_per_case`)
    survey = FilteredRelation("followups", condition=_recorded_survey("followups__"))
    return qs.annotate(survey=survey).values(*_OWN_FIELDS, **expressions, **extra)


#: case ids per look-up of their latest survey: within SQLite's limit of parameters
SURVEY_CHUNK = 10_000


def _recorded_survey(prefix: str = "") -> Q:
    """A recorded six-month survey (ESF Plus long-term result) among the follow-ups."""
    return Q(**{f"{prefix}is_esf_long_term": True, f"{prefix}done_at__isnull": False}) & ~Q(
        **{f"{prefix}long_term_result": ""}
    )


def _one_row_per_case(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per case. A case with two recorded six-month surveys (reopened and closed again
    after its survey was recorded) comes from the join once per survey: the survey of its latest
    exit counts (the latest due date, then the one recorded last, then the higher id), whatever
    order the rows came in."""
    # only the survey join repeats a case; a hash collision only costs the look-up below
    ids = frame.get_column("case_id").filter(frame.get_column("long_term_result").is_not_null())
    twice = ids.filter(ids.hash().is_duplicated()).unique()
    if twice.is_empty():
        return frame
    repeated = frame.get_column("case_id").is_in(twice.implode())
    latest = _latest_surveys(twice.to_list())
    again = frame.filter(repeated).unique("case_id", keep="first", maintain_order=True)
    again = again.with_columns(
        pl.col("case_id")  # a case erased between the two reads keeps its row's result
        .replace_strict(latest, default=pl.col("long_term_result"), return_dtype=pl.String)
        .alias("long_term_result")
    )
    return pl.concat([frame.filter(~repeated), again])


def _latest_surveys(case_ids: list) -> dict[str, str]:
    """Case id (text) → the result of its latest recorded six-month survey (the latest due
    date, then the one recorded last, then the higher id)."""
    latest, surveys = {}, FollowUp.objects.filter(_recorded_survey())
    for start in range(0, len(case_ids), SURVEY_CHUNK):
        for case_id, result in (
            surveys.filter(case_id__in=case_ids[start : start + SURVEY_CHUNK])
            .order_by("case_id", "due_date", "done_at", "id")
            .values_list("case_id", "long_term_result")
        ):
            latest[str(case_id)] = result  # the last one of each case stays
    return latest


def _columns() -> dict:
    columns = {
        "case_id": F("id"),
        **dict.fromkeys(_OWN_FIELDS[:3]),
        "programme": F("funding_round__programme__key"),
        "kreis": F("esf_entry__kreis"),  # copied at entry: no join with the participants
        **dict.fromkeys(_OWN_FIELDS[3:]),
        "gender": F("esf_entry__gender"),
        "age_at_entry": F("esf_entry__age_at_entry"),
        "employment_status": F("esf_entry__employment_status"),
        "long_term_unemployed": F("esf_entry__long_term_unemployed"),
        "isced_level": F("esf_entry__isced_level"),
        "third_country_national": F("esf_entry__third_country_national"),
        "foreign_background": F("esf_entry__foreign_background"),
        "homeless": F("esf_entry__homeless_or_housing_exclusion"),
        "rural": F("esf_entry__rural_area"),
        "disability": F("esf_entry__disability"),
        "minority": F("esf_entry__minority"),
    }
    for s in _EXIT:
        columns[s] = F(f"esf_exit__{s}")
        columns[f"{s}_on"] = F(f"esf_exit__{s}_on")
    columns["long_term_result"] = F("survey__long_term_result")
    assert list(columns) == list(CASE_SCHEMA)
    return columns


def counted_cases(scope: Scope) -> QuerySet[Case]:
    """The cases that count: enrolled in a project (entry date) with an entry questionnaire."""
    return scope.cases().filter(
        entry_date__isnull=False, project__isnull=False, esf_entry__isnull=False
    )


def case_frame(scope: Scope) -> pl.DataFrame:
    """The counted cases of ``scope`` as a frame (PostgreSQL: streamed through COPY)."""
    qs = _values(counted_cases(scope).order_by())
    if connection.vendor == "postgresql":
        return frame_from_packed(qs)
    rows = list(qs)
    if not rows:
        return empty_cases()
    for row in rows:
        for key in _UUIDS:
            row[key] = None if row[key] is None else str(row[key])
    return _one_row_per_case(pl.DataFrame(rows, schema=CASE_SCHEMA))


def _statement(raw, qs) -> str:
    """``qs``'s SQL with its parameters bound (for ``COPY (…)``, which takes none)."""
    sql, params = qs.query.sql_with_params()
    statement = raw.mogrify(sql, params) if hasattr(raw, "mogrify") else None
    if statement is None:
        from psycopg import ClientCursor

        with ClientCursor(raw.connection) as client:
            statement = client.mogrify(sql, params)
    return statement


#: The questionnaires' answers as the codes the database keeps with them (``cases.esf_codes``),
#: added to the query by the packed read.
PACKED_EXTRA = {
    "entry_codes": F("esf_entry__report_codes"),
    "exit_codes": F("esf_exit__report_codes"),
    "entry_kreis": F("esf_entry__report_kreis"),
}


def frame_from_packed(qs) -> pl.DataFrame:
    """``qs`` (as for :func:`frame_from_copy`) read as packed binary rows (``packed``): the same
    frame, several times faster; the CSV path when a row holds a value outside the codes."""
    with connection.cursor() as cursor:
        statement = _statement(cursor.cursor, qs.annotate(**PACKED_EXTRA))
    data = packed.read(statement, REPORT_SETTINGS)
    if not data:
        return empty_cases()
    programmes = dict(FundingRound.objects.values_list("pk", "programme__key"))
    frame = packed.frame(data, programmes)
    return frame_from_copy(qs) if frame is None else _one_row_per_case(frame)


def frame_from_copy(qs) -> pl.DataFrame:
    """``qs`` (a ``values()`` query with the columns of CASE_SCHEMA) read by ``COPY ... TO
    STDOUT`` as CSV into polars: about ten times faster than rows through Python."""
    buffer = io.BytesIO()
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        packed.local_settings(cursor.cursor, REPORT_SETTINGS),
    ):
        raw = cursor.cursor
        statement = _statement(raw, qs)
        with raw.copy(f"COPY ({statement}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
            for block in copy:
                buffer.write(block)
    if not buffer.getbuffer().nbytes:
        return empty_cases()
    buffer.seek(0)
    text = {c: (pl.String if t == pl.Boolean else t) for c, t in CASE_SCHEMA.items()}
    frame = _one_row_per_case(pl.read_csv(buffer, schema_overrides=text).select(list(CASE_SCHEMA)))
    return frame.with_columns(
        *(pl.col(c).replace_strict({"t": True, "f": False}, default=None) for c in _BOOLS)
    )


# --- dashboard figures that are not indicators ---------------------------------------------------


def status_funnel(scope: Scope) -> dict[str, int]:
    """Cases per status, in the order of the workflow."""
    counts = dict(
        scope.cases()
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {s: counts.get(s, 0) for s in CaseStatus.values}


def followup_completion(scope: Scope, today: dt.date | None = None) -> dict[str, int]:
    """The ESF Plus six-month surveys of the scope: recorded, open and due, not yet due."""
    today = today or timezone.localdate()
    surveys = FollowUp.objects.filter(case__in=scope.cases(), is_esf_long_term=True)
    return {
        "done": surveys.filter(done_at__isnull=False).count(),
        "overdue": surveys.filter(done_at__isnull=True, due_date__lt=today).count(),
        "open": surveys.filter(done_at__isnull=True, due_date__gte=today).count(),
    }


def referral_figures(scope: Scope) -> tuple[dict[str, int], dict[str, int]]:
    """Referrals the scope's cases were sent with: per status, and refusals per reason."""
    sent = Referral.objects.filter(case__in=scope.cases()).exclude(status="draft")
    by_status = dict(sent.order_by().values_list("status").annotate(n=Count("pk")))
    reasons = dict(
        sent.filter(status="refused")
        .order_by()
        .values_list("refusal_reason")
        .annotate(n=Count("pk"))
    )
    return by_status, reasons


def days_to_enrolment(
    scope: Scope, start: dt.date | None = None, end: dt.date | None = None
) -> dict[str, float | int | None]:
    """Days from the first contact (the case's creation) to the entry: n, median, mean; over
    the entries in the report's period (``start``, ``end``: inclusive, open where None)."""
    cases = scope.cases().filter(entry_date__isnull=False)
    if start:
        cases = cases.filter(entry_date__gte=start)
    if end:
        cases = cases.filter(entry_date__lte=end)
    rows = cases.values_list("created_at", "entry_date")
    days = [max((entry - timezone.localtime(created).date()).days, 0) for created, entry in rows]
    if not days:
        return {"n": 0, "median": None, "mean": None}
    return {
        "n": len(days),
        "median": statistics.median(days),
        "mean": round(statistics.fmean(days), 1),
    }


def programme_names(scope: Scope) -> list[Programme]:
    return list(Programme.objects.filter(pk__in=scope.programme_ids))


def project_names(ids) -> dict[str, str]:
    rows = Project.objects.filter(pk__in=list(ids)).values_list("pk", "name")
    return {str(pk): name for pk, name in rows}


# --- lists that name cases (own organisation, counsellors and team leads) -----------------------


def cases_behind(user, organisation, case_ids: list[str]) -> list[Case]:
    """The cases behind a figure, of the own organisation only; each read logged."""
    scope = casework_scope(user, organisation)
    if scope is None:
        return []
    cases = list(
        scope.cases()
        .filter(pk__in=case_ids)
        .select_related("participant", "project")
        .order_by("participant__pseudonym")
    )
    for case in cases:
        reads.read(
            actor=user, organisation=organisation, obj=case, participant_id=case.participant_id
        )
    return cases


@dataclass(frozen=True)
class Gap:
    case: Case
    what: str  # entry_missing, exit_missing, followup_overdue
    due: dt.date | None = None


def completeness(user, organisation, today: dt.date | None = None) -> list[Gap]:
    """What keeps the organisation's report from being complete, each with its case: enrolled
    cases without an entry questionnaire, exits without an exit questionnaire, six-month surveys
    overdue. (An entry questionnaire is saved only complete, so "incomplete" is "missing".)"""
    scope = casework_scope(user, organisation)
    if scope is None:
        return []
    today = today or timezone.localdate()
    enrolled = scope.cases().filter(entry_date__isnull=False, project__isnull=False)
    enrolled = enrolled.select_related("participant")
    gaps = [Gap(c, "entry_missing") for c in enrolled.filter(esf_entry__isnull=True)]
    gaps += [
        Gap(c, "exit_missing", c.exit_date)
        for c in enrolled.filter(exit_date__isnull=False, esf_exit__isnull=True)
    ]
    overdue = FollowUp.objects.filter(
        case__in=enrolled, is_esf_long_term=True, done_at__isnull=True, due_date__lt=today
    ).select_related("case__participant")
    gaps += [Gap(f.case, "followup_overdue", f.due_date) for f in overdue]
    return gaps


def monitoring_rows(user, organisation) -> list[dict]:
    """The participant-level rows of the own organisation for the federal monitoring file:
    pseudonyms, no names (docs/reporting.md, layout). Team leads only."""
    if organisation is None or not user_can(user, organisation, "reports.monitoring_export"):
        return []
    qs = counted_cases(Scope(TEAM, organisation, personal=True)).select_related(
        "participant", "project", "esf_entry"
    )
    records = {}  # one row per case: a case with two recorded surveys comes twice
    twice = set()
    for record in _values(qs, pseudonym=F("participant__pseudonym")):
        key = str(record["case_id"])
        if key in records:
            twice.add(key)
        records.setdefault(key, record)
    for key, result in _latest_surveys(sorted(twice)).items():
        records[key]["long_term_result"] = result
    return list(records.values())
