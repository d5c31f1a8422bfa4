"""The case plan: goals, contacts and tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wegweiser.audit.models import AuditAction
from wegweiser.cases.errors import ConcurrentEdit, InvalidData
from wegweiser.cases.models import Case, ContactEntry, Goal, Task
from wegweiser.cases.services.base import check_counsellor, compare_and_swap, log, now, require


@transaction.atomic
def goal_create(case: Case, *, by, title: str, target_date: dt.date | None = None) -> Goal:
    require(by, case.organisation, "case.edit")
    if not title.strip():
        raise InvalidData()
    goal = Goal.objects.create(
        case=case, title=title.strip(), target_date=target_date, created_by=by
    )
    log(by, AuditAction.CREATE, goal, case=case)
    return goal


@transaction.atomic
def goal_set_status(goal: Goal, *, by, status: str) -> Goal:
    require(by, goal.case.organisation, "case.edit")
    if status not in Goal.Status.values:
        raise InvalidData()
    Goal.objects.filter(pk=goal.pk).update(status=status, updated_at=now())
    goal.status = status
    log(by, AuditAction.UPDATE, goal, case=goal.case, detail={"status": status})
    return goal


@transaction.atomic
def contact_create(
    case: Case,
    *,
    by,
    date: dt.date,
    duration_minutes: int,
    channel: str,
    topics: Iterable[str] = (),
    note: str = "",
) -> ContactEntry:
    require(by, case.organisation, "case.edit")
    if channel not in ContactEntry.Channel.values or not 0 < duration_minutes <= 24 * 60:
        raise InvalidData()
    if date > timezone.localdate():
        raise InvalidData(_("Ein Kontakt kann nicht in der Zukunft liegen."))
    entry = ContactEntry.objects.create(
        case=case,
        author=by,
        date=date,
        duration_minutes=duration_minutes,
        channel=channel,
        topics=list(topics),
        note=note,
    )
    log(by, AuditAction.CREATE, entry, case=case)
    return entry


@transaction.atomic
def task_create(
    case: Case, *, by, title: str, due_date: dt.date | None = None, assignee=None
) -> Task:
    require(by, case.organisation, "case.edit")
    if not title.strip():
        raise InvalidData()
    check_counsellor(assignee, case.organisation)
    task = Task.objects.create(
        case=case, title=title.strip(), due_date=due_date, assignee=assignee, created_by=by
    )
    log(by, AuditAction.CREATE, task, case=case)
    return task


@transaction.atomic
def task_done(task: Task, *, by) -> Task:
    require(by, task.case.organisation, "case.edit")
    compare_and_swap(
        task,
        expect={"done_at": None},
        conflict=ConcurrentEdit(_("Die Aufgabe ist bereits erledigt.")),
        done_at=now(),
    )
    log(by, AuditAction.UPDATE, task, case=task.case, detail={"done": True})
    return task
