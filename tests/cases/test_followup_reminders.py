"""The daily job: due check-ins mailed to the counsellor, each once (issue 11)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command

from wegweiser.accounts.models import Membership, Role
from wegweiser.cases.models import Case, CaseStatus, FollowUp, FollowUpReminder, Participant
from wegweiser.notifications.models import NotificationSettings
from wegweiser.organisations.models import Organisation

TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def world(db):
    User = get_user_model()
    org = Organisation.objects.create(name="Träger F", kind="wohlfahrtsverband")
    counsellor = User.objects.create_user("f-beratung", email="beratung@f.example")
    lead = User.objects.create_user("f-leitung", email="leitung@f.example")
    Membership.objects.create(user=counsellor, organisation=org, role=Role.COUNSELLOR)
    Membership.objects.create(user=lead, organisation=org, role=Role.TEAM_LEAD)

    def followup(due: dt.date, *, counsellor_=counsellor, done=False, name="Amal") -> FollowUp:
        person = Participant.objects.create(organisation=org, given_name=name)
        case = Case.objects.create(
            participant=person,
            organisation=org,
            counsellor=counsellor_,
            status=CaseStatus.FOLLOWUP,
        )
        return FollowUp.objects.create(
            case=case,
            offset="4w",
            situation="work",
            start_date=due - dt.timedelta(days=28),
            due_date=due,
            done_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC) if done else None,
        )

    return {"org": org, "counsellor": counsellor, "lead": lead, "followup": followup}


def _run(day: dt.date) -> str:
    out = StringIO()
    call_command("notify_due_followups", "--today", day.isoformat(), stdout=out)
    return out.getvalue()


def test_due_check_ins_are_mailed_once(world):
    world["followup"](TODAY)
    world["followup"](TODAY - dt.timedelta(days=3))  # overdue, never mailed
    world["followup"](TODAY + dt.timedelta(days=1))  # not due yet
    world["followup"](TODAY - dt.timedelta(days=1), done=True)  # recorded
    assert "1 E-Mail(s) gesendet" in _run(TODAY)
    (message,) = mail.outbox
    assert message.to == ["beratung@f.example"]
    assert message.subject == "2 Nachbetreuungstermine sind fällig"
    assert "/de/fall/" in message.body and "Amal" not in message.subject + message.body
    # again the same day, and the next day: nothing new
    assert "0 E-Mail(s) gesendet" in _run(TODAY)
    assert len(mail.outbox) == 1
    _run(TODAY + dt.timedelta(days=1))  # the one due tomorrow, and only it
    assert len(mail.outbox) == 2 and mail.outbox[1].subject == "Ein Nachbetreuungstermin ist fällig"
    assert FollowUpReminder.objects.count() == 3


def test_a_case_without_counsellor_goes_to_the_team_leads(world):
    world["followup"](TODAY, counsellor_=None)
    _run(TODAY)
    assert [m.to for m in mail.outbox] == [["leitung@f.example"]]


def test_switched_off_means_no_mail_and_no_later_flood(world):
    NotificationSettings.objects.create(user=world["counsellor"], email_enabled=False)
    world["followup"](TODAY)
    _run(TODAY)
    assert mail.outbox == []
    NotificationSettings.objects.filter(user=world["counsellor"]).update(email_enabled=True)
    _run(TODAY + dt.timedelta(days=1))
    assert mail.outbox == []  # the old check-in was dealt with; no backlog of mails


def test_a_failed_mail_is_tried_again_on_the_next_run(world, settings):
    world["followup"](TODAY)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    assert "0 E-Mail(s) gesendet" in _run(TODAY)
    assert not FollowUpReminder.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert "1 E-Mail(s) gesendet" in _run(TODAY)


def test_a_bad_date_is_refused(db):
    with pytest.raises(CommandError):
        call_command("notify_due_followups", "--today", "morgen")
