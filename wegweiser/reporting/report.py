"""One report of a scope: the indicator tables and the dashboard's figures, suppressed where
the scope has no personal-data rights. The dashboard, the exports and the tests all build it
here, so an export shows the dashboard's figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from wegweiser.cases.models import CaseStatus, ReferralStatus, RefusalReason
from wegweiser.core.i18n import pick
from wegweiser.programmes.models import FundingRound, Programme
from wegweiser.reporting import charts, indicators, selectors
from wegweiser.reporting.labels import DIMENSION_NAMES
from wegweiser.reporting.suppression import DEFAULT_THRESHOLD, suppress_series, suppress_tables


def threshold() -> int:
    return int(getattr(settings, "WEGWEISER_REPORT_MIN_CELL", DEFAULT_THRESHOLD))


@dataclass
class Report:
    scope: selectors.Scope
    by: str | None
    start: dt.date | None
    end: dt.date | None
    overall: pl.DataFrame  # as shown (suppressed unless personal)
    grouped: pl.DataFrame | None
    overall_export: pl.DataFrame  # always suppressed
    grouped_export: pl.DataFrame | None
    group_labels: dict
    months: list[tuple[str, int | None, int | None]]
    funnel: list[tuple[str, int | None]]
    outcomes: list[tuple[str, int | None]]
    followups: list[tuple[str, int | None]]
    referrals: list[tuple[str, int | None]]
    refusals: list[tuple[str, int | None]]
    days: dict
    kreise: dict[str, int | None]

    @property
    def suppressed(self) -> bool:
        return not self.scope.personal


def build(
    scope: selectors.Scope,
    *,
    by: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    frame: pl.DataFrame | None = None,
) -> Report:
    frame = selectors.case_frame(scope) if frame is None else frame
    parts = indicators.participations(frame)
    flagged = indicators.flags(parts, start=start, end=end)
    overall = indicators.table(flagged)
    grouped = indicators.table(flagged, [by]) if by else None
    limit = threshold()
    overall_hidden, grouped_hidden = suppress_tables(
        overall, grouped, [by] if by else [], threshold=limit
    )
    personal = scope.personal

    def series(values: dict) -> dict:
        return values if personal else suppress_series(values, threshold=limit)

    months_raw = indicators.per_month(frame)
    entries = series(dict(zip(months_raw["month"], months_raw["entries"], strict=True)))
    exits = series(dict(zip(months_raw["month"], months_raw["exits"], strict=True)))
    funnel = series(selectors.status_funnel(scope))
    outcomes = series({k: v for k, v in indicators.outcomes(frame).items() if k != "left"})
    followups = series(selectors.followup_completion(scope))
    by_status, reasons = selectors.referral_figures(scope)
    referral_statuses = [s for s in ReferralStatus.values if s != ReferralStatus.DRAFT]
    referrals = series({s: by_status.get(s, 0) for s in referral_statuses})
    refusals = series({r: reasons.get(r, 0) for r in RefusalReason.values})
    kreis_counts = (
        parts.filter(pl.col("kreis").is_not_null())
        .group_by("kreis")
        .agg(pl.len().alias("n"))
        .iter_rows()
    )
    kreise = series(dict(kreis_counts))
    status_labels = dict(CaseStatus.choices)
    followup_labels = {"done": _("erfasst"), "overdue": _("überfällig"), "open": _("noch offen")}
    return Report(
        scope=scope,
        by=by,
        start=start,
        end=end,
        overall=overall if personal else overall_hidden,
        grouped=grouped if personal else grouped_hidden,
        overall_export=overall_hidden,
        grouped_export=grouped_hidden,
        group_labels=group_labels(by, grouped) if by else {},
        months=[(m, entries[m], exits[m]) for m in months_raw["month"]],
        funnel=[(status_labels[s], funnel[s]) for s in CaseStatus.values],
        outcomes=[(code, outcomes[code]) for code in outcomes if code != "__total__"],
        followups=[(followup_labels[k], followups[k]) for k in followup_labels],
        referrals=[(dict(ReferralStatus.choices)[s], referrals[s]) for s in referral_statuses],
        refusals=[(dict(RefusalReason.choices)[r], refusals[r]) for r in RefusalReason.values],
        days=_days(scope, personal, limit, start, end),
        kreise={k: v for k, v in kreise.items() if k != "__total__"},
    )


def _days(scope, personal: bool, limit: int, start=None, end=None) -> dict:
    """Days from first contact to entry in the period; for aggregate roles only over enough
    entries."""
    days = selectors.days_to_enrolment(scope, start, end)
    return days if personal or days["n"] >= limit else {}


def group_labels(by: str, grouped: pl.DataFrame | None) -> dict:
    if grouped is None:
        return {}
    keys = [k for k in grouped[by].unique().to_list() if k is not None]
    if by == "project_id":
        return selectors.project_names(keys)
    if by == "funding_round_id":
        # "WIR – 1. Förderrunde (2022–2026)": rounds of several programmes share their names
        rounds = FundingRound.objects.filter(pk__in=keys).select_related("programme")
        return {r.pk: f"{pick(r.programme.name)} – {pick(r.name)}" for r in rounds}
    if by == "programme":
        return {p.key: pick(p.name) for p in Programme.objects.filter(key__in=keys)}
    if by == "kreis":
        names = charts.kreis_names()
        return {k: names.get(k, k) for k in keys}
    return {}


DIMENSIONS = tuple(DIMENSION_NAMES)
