"""The case plan on the case page: goals, contacts, tasks."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wegweiser.cases import forms, services
from wegweiser.cases.models import Goal
from wegweiser.cases.views.cases import case_form_view
from wegweiser.cases.views.common import act, button_post, case_or_404, child_or_404
from wegweiser.core.access import requires


def _plan_view(prefix: str, form_class, call: Callable, done: str):
    return case_form_view("case.edit", prefix, form_class, call, done)


goal_add = _plan_view(
    "goal",
    forms.GoalForm,
    lambda case, by, d: services.goal_create(case, by=by, **d),
    gettext_lazy("Das Ziel wurde angelegt."),
)
contact_add = _plan_view(
    "contact",
    forms.ContactForm,
    lambda case, by, d: services.contact_create(case, by=by, **d),
    gettext_lazy("Der Kontakt wurde eingetragen."),
)
task_add = _plan_view(
    "task",
    forms.TaskForm,
    lambda case, by, d: services.task_create(case, by=by, assignee=by, **d),
    gettext_lazy("Die Aufgabe wurde angelegt."),
)


@requires("case.edit")
@require_POST
def goal_status(request: HttpRequest, case_id, goal_id) -> HttpResponse:
    case = case_or_404(request, case_id)
    goal: Goal = child_or_404(case.goals.all(), goal_id)
    form = forms.GoalStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie einen Status."))
    else:
        act(
            request,
            lambda: services.goal_set_status(
                goal, by=request.user, status=form.cleaned_data["status"]
            ),
            _("Der Status des Ziels wurde geändert."),
        )
    return redirect("cases:case", case_id=case.pk)


task_done = button_post(
    "case.edit",
    lambda request, case_id, task_id: child_or_404(
        case_or_404(request, case_id).tasks.all(), task_id
    ),
    services.task_done,
    gettext_lazy("Die Aufgabe ist erledigt."),
    lambda task: redirect("cases:case", case_id=task.case_id),
)
