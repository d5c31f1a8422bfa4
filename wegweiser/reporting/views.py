"""The report pages: dashboard, the cases behind a figure, completeness, exports.

Thin: the scope from :mod:`.selectors`, the figures from :mod:`.report`, then render.
"""

from __future__ import annotations

import datetime as dt
import io

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from wegweiser.accounts.permissions import can
from wegweiser.audit.models import AuditAction
from wegweiser.audit.services import audit
from wegweiser.core.access import requires
from wegweiser.reporting import charts, exports, indicators, selectors
from wegweiser.reporting import report as reports
from wegweiser.reporting.forms import Cell, ReportFilter
from wegweiser.reporting.labels import COLUMN_NAMES, DIMENSION_NAMES, INDICATOR_NAMES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope(request: HttpRequest) -> selectors.Scope:
    scope = selectors.scope_for(request.user, request.organisation)
    if scope is None:  # the decorator let the role in: the organisation has gone
        raise Http404
    return scope


def _rows(table, labels=None, by=None) -> list[dict]:
    """Table rows for the template: code, name, cells (value, column)."""
    out = []
    for row in table.iter_rows(named=True):
        out.append(
            {
                "group": (labels or {}).get(row[by], row[by]) if by else None,
                "group_key": row[by] if by else None,
                "code": row["code"],
                "name": INDICATOR_NAMES[row["code"]],
                "cells": [(row[c], c) for c in COLUMN_NAMES],
            }
        )
    return out


@requires("reports.dashboard")
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    form = ReportFilter(request.GET or None)
    if refused := _refused_filter(request, form, scope):
        return refused
    filters = form.values()
    report = reports.build(scope, **filters)
    drill = scope.personal and can(request.roles, "reports.casework")
    month_rows = [(month_label(m), e, x) for m, e, x in report.months]
    months = [(m, [e, x]) for m, e, x in month_rows]
    context = {
        "form": form,
        "report": report,
        "month_rows": month_rows,
        "scope": scope,
        "drill": drill,
        "query": request.GET.urlencode(),
        "columns": COLUMN_NAMES,
        "dimension": DIMENSION_NAMES.get(filters["by"] or ""),
        "overall": _rows(report.overall),
        "grouped": _rows(report.grouped, report.group_labels, report.by)
        if report.grouped is not None
        else [],
        "charts": {
            "months": charts.bar_chart(
                _("Eintritte und Austritte je Monat"), months, [_("Eintritte"), _("Austritte")]
            ),
            "funnel": charts.bar_chart(
                _("Fälle je Status"), [(k, [v]) for k, v in report.funnel], [_("Fälle")]
            ),
            "outcomes": charts.bar_chart(
                _("Ergebnisse"),
                [(f"{c}", [v]) for c, v in report.outcomes],
                [_("Teilnehmende")],
            ),
            "referrals": charts.bar_chart(
                _("Überweisungen"), [(k, [v]) for k, v in report.referrals], [_("Überweisungen")]
            ),
        },
        "outcome_rows": [(c, INDICATOR_NAMES[c], v) for c, v in report.outcomes],
        "kreis_map": charts.kreis_map(_("Teilnahmen je Kreis"), report.kreise)
        if scope.kind == selectors.PROGRAMME
        else None,
        "kreis_rows": _kreis_rows(report.kreise),
        "can_export": can(request.roles, "reports.export"),
        "can_monitoring": can(request.roles, "reports.monitoring_export"),
        "can_completeness": can(request.roles, "reports.casework"),
    }
    return render(request, "reporting/dashboard.html", context)


def _refused_filter(request: HttpRequest, form: ReportFilter, scope) -> HttpResponse | None:
    """A filter with errors: the page with the message and the filter, and no figures. Figures
    for another period than the one asked for (before: the whole time) could be taken for it;
    the exports refuse it the same way."""
    if not form.is_bound or form.is_valid():
        return None
    return render(request, "reporting/dashboard.html", {"form": form, "scope": scope}, status=400)


def _kreis_rows(counts: dict) -> list[tuple[str, int | None]]:
    names = charts.kreis_names()
    return sorted(((names.get(k, k), v) for k, v in counts.items()), key=lambda t: str(t[0]))


@requires("reports.casework")
@require_safe
def drill_down(request: HttpRequest) -> HttpResponse:
    """The cases counted in one cell, for counsellors and team leads of the own organisation."""
    scope = selectors.casework_scope(request.user, request.organisation)
    cell = Cell(request.GET)
    if scope is None or not cell.is_valid():
        raise Http404
    filters = ReportFilter(request.GET).values()
    code, column, group = (cell.cleaned_data[k] for k in ("code", "column", "group"))
    gender = {v: k for k, v in indicators.GENDERS.items()}.get(column)
    where = {filters["by"]: _typed(filters["by"], group)} if filters["by"] and group else None
    ids = indicators.cases_counted(
        selectors.case_frame(scope),
        code,
        gender=gender,
        where=where,
        start=filters["start"],
        end=filters["end"],
    )
    cases = selectors.cases_behind(request.user, request.organisation, ids)
    context = {
        "cases": cases,
        "code": code,
        "name": INDICATOR_NAMES[code],
        "column": COLUMN_NAMES[column],
    }
    return render(request, "reporting/cases.html", context)


def _typed(by: str, value: str):
    if by == "funding_round_id":
        try:
            return int(value)
        except ValueError:
            raise Http404 from None
    return value


@requires("reports.casework")
@require_safe
def completeness(request: HttpRequest) -> HttpResponse:
    gaps = selectors.completeness(request.user, request.organisation)
    groups = {
        "entry_missing": _("Eintrittsfragebogen fehlt"),
        "exit_missing": _("Austritt ohne Austrittsfragebogen"),
        "followup_overdue": _("Sechs-Monats-Termin überfällig"),
    }
    sections = [(key, label, [g for g in gaps if g.what == key]) for key, label in groups.items()]
    return render(request, "reporting/completeness.html", {"sections": sections})


def month_label(month: str) -> str:
    """``2025-10`` as the page's language names the month: "Oktober 2025", "أكتوبر 2025"."""
    year, number = month.split("-")
    return date_format(dt.date(int(year), int(number), 1), "YEAR_MONTH_FORMAT")


def _sheets(report) -> dict:
    sheets = {"Indikatoren": exports.table_rows(report.overall_export)}
    if report.grouped_export is not None:
        by = report.by
        labelled = report.grouped_export.with_columns(
            report.grouped_export[by].replace_strict(
                {k: str(v) for k, v in report.group_labels.items()}, default=None
            )
            if report.group_labels
            else report.grouped_export[by]
        )
        sheets[str(DIMENSION_NAMES[by])] = exports.table_rows(labelled, [by])
    return sheets


def _export_log(request: HttpRequest, kind: str) -> None:
    audit(
        actor=request.user,
        organisation=request.organisation,
        action=AuditAction.REPORT_EXPORTED,
        obj=request.organisation,
        detail={"report_format": kind},
    )


@requires("reports.export")
@require_safe
def export_xlsx(request: HttpRequest) -> HttpResponse:
    """The indicator tables (always suppressed) and the definitions, as an XLSX file (small: the
    rows go through temporary files, the finished file is a few kilobytes)."""
    scope, form = _scope(request), ReportFilter(request.GET or None)
    if refused := _refused_filter(request, form, scope):
        return refused
    report = reports.build(scope, **form.values())
    _export_log(request, "xlsx")
    out = io.BytesIO()
    exports.write_xlsx(out, _sheets(report))
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    name = f"esf-plus-indikatoren-{timezone.localdate().isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires("reports.export")
@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    scope, form = _scope(request), ReportFilter(request.GET or None)
    if refused := _refused_filter(request, form, scope):
        return refused
    report = reports.build(scope, **form.values())
    _export_log(request, "csv")
    rows = list(exports.table_rows(report.overall_export))
    for name, sheet in list(_sheets(report).items())[1:]:
        rows += [[], [name], *sheet]
    response = HttpResponse(exports.csv_bytes(rows), content_type="text/csv; charset=utf-8")
    name = f"esf-plus-indikatoren-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires("reports.monitoring_export")
@require_safe
def export_monitoring(request: HttpRequest) -> HttpResponse:
    """The pseudonymised participant-level file of the own organisation (docs/reporting.md)."""
    records = selectors.monitoring_rows(request.user, request.organisation)
    _export_log(request, "monitoring")
    body = exports.csv_bytes(exports.monitoring_rows(records))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    name = f"esf-plus-teilnehmende-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
