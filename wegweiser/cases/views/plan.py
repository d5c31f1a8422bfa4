"""The case plan on the case page: goals, contacts, tasks."""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wegweiser.cases import forms, services
from wegweiser.cases.models import Goal
from wegweiser.cases.views.cases import PAGE
from wegweiser.cases.views.common import act, case_or_404, child_or_404
from wegweiser.core.access import requires

#: What the user is told after a change of the case plan.
DONE = {
    "goal": gettext_lazy("Das Ziel wurde angelegt."),
    "contact": gettext_lazy("Der Kontakt wurde eingetragen."),
    "task": gettext_lazy("Die Aufgabe wurde angelegt."),
    "task_done": gettext_lazy("Die Aufgabe ist erledigt."),
}
_CASE = replace(PAGE, done=DONE)


def _task_create(case, *, by, **data):
    """A task of the user's own (she can hand it on later)."""
    return services.task_create(case, by=by, assignee=by, **data)


goal_add = _CASE.post("case.edit", "goal", forms.GoalForm, services.goal_create)
contact_add = _CASE.post("case.edit", "contact", forms.ContactForm, services.contact_create)
task_add = _CASE.post("case.edit", "task", forms.TaskForm, _task_create)


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


task_done = _CASE.button("case.edit", "task_done", services.task_done, child=("tasks", "task_id"))
