"""Hours and money: the monthly reimbursement list per pool (page, XLSX, CSV) with the yearly
allowance (§ 3 Nr. 26a EStG)."""

from __future__ import annotations

import csv
import io

import xlsxwriter
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from wegweiser.audit.models import AuditAction
from wegweiser.audit.services import audit
from wegweiser.core.access import requires
from wegweiser.volunteers import forms, selectors
from wegweiser.volunteers.views.common import one_or_404


def _month(request) -> tuple[int, int]:
    form = forms.MonthForm(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data["month"]:
        year, month = form.cleaned_data["month"].split("-")
        return int(year), int(month)
    today = timezone.localdate()
    return today.year, today.month


def _pool(request, pool_id):
    return one_or_404(selectors.pools_for(request.user, request.organisation), pool_id)


def _header() -> list[str]:
    return [
        _("Nachname"),
        _("Vorname"),
        _("Stunden"),
        _("Kilometer"),
        _("Kosten (€)"),
        _("Kosten im Jahr bis Monatsende (€)"),
        _("Ehrenamtspauschale überschritten"),
    ]


def _cells(row) -> list:
    return [
        row.volunteer.last_name,
        row.volunteer.first_name,
        row.hours,
        row.km,
        row.costs,
        row.year_costs,
        _("ja") if row.over_allowance else _("nein"),
    ]


@requires("volunteer.export")
def reimbursement(request: HttpRequest, pool_id) -> HttpResponse:
    pool = _pool(request, pool_id)
    year, month = _month(request)
    rows = selectors.reimbursement(pool, year, month)
    selectors.names_shown(
        request.user, request.organisation, [r.volunteer for r in rows], "reimbursement"
    )
    return render(
        request,
        "volunteers/reimbursement.html",
        {"pool": pool, "rows": rows, "month": f"{year:04d}-{month:02d}", "year": year},
    )


def _logged(request, pool, month: str) -> None:
    audit(
        actor=request.user,
        organisation=pool.organisation,
        action=AuditAction.EXPORT,
        obj=pool,
        detail={"month": month},
    )


@requires("volunteer.export")
def export_csv(request: HttpRequest, pool_id) -> HttpResponse:
    pool = _pool(request, pool_id)
    year, month = _month(request)
    label = f"{year:04d}-{month:02d}"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(_header())
    for row in selectors.reimbursement(pool, year, month):
        cells = _cells(row)
        numbers = [f"{row.hours:.2f}", f"{row.km:.1f}", f"{row.costs:.2f}", f"{row.year_costs:.2f}"]
        writer.writerow([*cells[:2], *(n.replace(".", ",") for n in numbers), cells[6]])
    _logged(request, pool, label)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="aufwand-{label}.csv"'
    return response


@requires("volunteer.export")
def export_xlsx(request: HttpRequest, pool_id) -> HttpResponse:
    pool = _pool(request, pool_id)
    year, month = _month(request)
    label = f"{year:04d}-{month:02d}"
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(label)
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00"})
    sheet.write_row(0, 0, _header(), bold)
    for i, row in enumerate(selectors.reimbursement(pool, year, month), start=1):
        cells = _cells(row)
        sheet.write_row(i, 0, cells[:2])
        sheet.write_number(i, 2, float(row.hours))
        sheet.write_number(i, 3, float(row.km))
        sheet.write_number(i, 4, float(row.costs), money)
        sheet.write_number(i, 5, float(row.year_costs), money)
        sheet.write(i, 6, cells[6])
    book.close()
    _logged(request, pool, label)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="aufwand-{label}.xlsx"'
    return response
