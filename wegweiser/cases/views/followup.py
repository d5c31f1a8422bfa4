"""Recording a follow-up check-in."""

from __future__ import annotations

from functools import partial

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wegweiser.cases import forms, services
from wegweiser.cases.models import FollowUp
from wegweiser.cases.views.common import case_form_page, case_or_404, child_or_404, submit
from wegweiser.core.access import requires


@requires("followup.record")
@require_http_methods(["GET", "POST"])
def followup_record(request: HttpRequest, case_id, followup_id) -> HttpResponse:
    case = case_or_404(request, case_id)
    followup: FollowUp = child_or_404(case.followups.all(), followup_id)
    form = forms.FollowUpRecordForm(request.POST or None, esf_long_term=followup.is_esf_long_term)
    done = _("Der Nachbetreuungstermin ist erfasst.")
    if submit(request, form, partial(services.followup_record, followup, by=request.user), done):
        return redirect("cases:case", case_id=case.pk)
    return case_form_page(request, "cases/followup.html", form, case, followup=followup)
