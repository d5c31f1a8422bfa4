"""The allowed side of the permission matrix: every role the matrix allows, on an object in a
state where the action is possible and with a valid body, succeeds (2xx/3xx) and changes what
it should. (The matrix itself proves the denials; this proves the allowed branch is no 400.)
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.cases.conftest import ENTRY, case_in_status, new_participant
from tests.cases.test_permission_matrix import (  # noqa: F401
    MATRIX,
    PUBLIC,
    ROLE_OF,
    snapshot,
    world,
)
from wegweiser.accounts.context import SESSION_KEY
from wegweiser.audit.models import AuditEntry
from wegweiser.cases import services
from wegweiser.cases.models import Case, CaseStatus, Referral
from wegweiser.directory.models import Offer
from wegweiser.programmes.models import Project

#: Each URL: (method, function (world, user) -> (url kwargs, body)). GET-only pages change the
#: audit log (a view or an export entry); lists change nothing and are only checked for 200.
LISTS = {
    "cases:start",
    "cases:inbox",
    "cases:audit-log",
    "cases:participant-new",
    "accounts:home",
    "accounts:security",  # one's own second factor: nothing of anyone else's to log
    # the platform administration shows staff accounts, never a participant: no read to log
    "accounts:admin-organisations",
    "accounts:admin-organisation",
}


def _fresh_person(objects, user, name="Neu"):
    return new_participant(objects["org_a"], user, family_name=name)


def _project(objects):
    return Project.objects.filter(carrier=objects["org_a"]).get()


def setup_for(name, objects, user):  # noqa: C901 -- one branch per URL, on purpose
    own = objects["own"]
    person, case = own["participant"], own["case"]
    if name == "cases:participant-new":
        return "post", {}, {"given_name": "Neu", "family_name": "Person"}
    if name == "cases:participant-edit":
        return (
            "post",
            {"participant_id": person.pk},
            {"given_name": "X", "family_name": "Y", "version": person.version},
        )
    if name == "cases:residence-add":
        return (
            "post",
            {"participant_id": person.pk},
            {
                "residence-title": "aufenthaltserlaubnis",
                "residence-section": "25(2)",
                "residence-valid_from": "2025-02-01",
                "residence-work_ban": "none",
            },
        )
    if name == "cases:household":
        return (
            "post",
            {"participant_id": person.pk},
            {"household-relation": "main_person", "household-version": person.version},
        )
    if name == "cases:consent-add":
        return (
            "post",
            {"participant_id": person.pk},
            {
                "consent-purpose": "counselling",
                "consent-given_on": "2025-01-01",
                "consent-text_version": "1",
                "consent-channel": "oral",
            },
        )
    if name == "cases:consent-withdraw":
        return "post", {"participant_id": person.pk, "consent_id": own["consent"].pk}, {}
    if name == "cases:case-open":
        return "post", {"participant_id": person.pk}, {}
    if name in ("cases:export-json", "cases:export-html", "cases:participant"):
        return "get", {"participant_id": person.pk}, None
    if name == "cases:participant-erase":
        return "post", {"participant_id": person.pk}, {}
    if name == "cases:case":
        return "get", {"case_id": case.pk}, None
    if name == "cases:case-assign":
        fresh = services.case_open(_fresh_person(objects, user), by=user)
        Case.objects.filter(pk=fresh.pk).update(counsellor=None)  # as a self-check contact
        fresh.refresh_from_db()
        return "post", {"case_id": fresh.pk}, {"assign-version": fresh.version}
    if name == "cases:case-clearing":
        fresh = services.case_open(_fresh_person(objects, user), by=user)
        return "post", {"case_id": fresh.pk}, {"clearing-version": fresh.version}
    if name == "cases:case-enrol":
        fresh = services.case_open(_fresh_person(objects, user), by=user)
        services.case_start_clearing(fresh, by=user)
        return (
            "post",
            {"case_id": fresh.pk},
            {
                "project": _project(objects).pk,
                "entry_date": ENTRY.isoformat(),
                "version": fresh.version,
            },
        )
    if name == "cases:case-followup":
        fresh = case_in_status(
            _fresh_person(objects, user),
            CaseStatus.ACTIVE,
            project=_project(objects),
            counsellor=user,
        )
        return (
            "post",
            {"case_id": fresh.pk},
            {
                "followup-start_date": "2025-07-01",
                "followup-situation": "work",
                "followup-version": fresh.version,
            },
        )
    if name == "cases:case-close":
        return (
            "post",
            {"case_id": case.pk},
            {"close-exit_date": "2026-01-10", "close-version": case.version},
        )
    if name == "cases:case-dropout":
        return (
            "post",
            {"case_id": case.pk},
            {"dropout-reason": "moved", "dropout-version": case.version},
        )
    if name == "cases:esf-entry":
        return (
            "post",
            {"case_id": case.pk},
            {
                "collected_on": ENTRY.isoformat(),
                "employment_status": "inactive",
                "isced_level": "3",
                "foreign_background": "yes",
                "homeless_or_housing_exclusion": "no",
                "rural_area": "no",
                "disability": "no_answer",
                "minority": "no_answer",
                "version": 0,
            },
        )
    if name == "cases:esf-exit":
        exit_date = ENTRY + dt.timedelta(days=30)
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, exit_date=exit_date)
        return (
            "post",
            {"case_id": case.pk},
            {
                "collected_on": exit_date.isoformat(),
                "job_searching": "yes",
                "job_searching_on": exit_date.isoformat(),
                "in_education": "no",
                "qualification_gained": "no_answer",
                "employed": "no",
                "inactive": "no",
                "version": 0,
            },
        )
    if name == "cases:goal-add":
        return "post", {"case_id": case.pk}, {"goal-title": "Ziel"}
    if name == "cases:goal-status":
        return "post", {"case_id": case.pk, "goal_id": own["goal"].pk}, {"status": "achieved"}
    if name == "cases:contact-add":
        return (
            "post",
            {"case_id": case.pk},
            {
                "contact-date": "2025-06-03",
                "contact-duration_minutes": "30",
                "contact-channel": "phone",
            },
        )
    if name == "cases:task-add":
        return "post", {"case_id": case.pk}, {"task-title": "Aufgabe"}
    if name == "cases:task-done":
        return "post", {"case_id": case.pk, "task_id": own["task"].pk}, {}
    if name == "cases:followup-record":
        # the objects's six-month check-in (ESF) is long due
        return (
            "post",
            {"case_id": case.pk, "followup_id": own["followup"].pk},
            {
                "still_in_work_or_training": "yes",
                "dropout_risk": "low",
                "long_term_result": "employed",
            },
        )
    if name == "cases:referral-new":
        offer = Offer.objects.get(organisation=objects["org_b"])
        return "post", {"case_id": case.pk}, {"offer": str(offer.pk), "message": "Hallo"}
    if name == "cases:referral-send":
        offer = Offer.objects.get(organisation=objects["org_b"])
        draft = services.referral_create(case, by=user, offer=offer)
        return "post", {"referral_id": draft.pk}, {}
    if name in ("cases:referral-withdraw", "cases:referral-link"):
        return "post", {"referral_id": own["referral"].pk}, {}
    if name == "cases:received":
        return "get", {"referral_id": own["received"].pk}, None
    if name == "cases:received-accept":
        return "post", {"referral_id": own["received"].pk}, {}
    if name == "cases:received-open-case":  # accepts and opens a case in one step
        return "post", {"referral_id": own["received"].pk}, {}
    if name == "cases:received-refuse":
        return "post", {"referral_id": own["received"].pk}, {"refuse-reason": "no_capacity"}
    if name == "cases:received-complete":
        received = Referral.objects.get(pk=own["received"].pk)
        services.referral_accept(received, by=user)
        return (
            "post",
            {"referral_id": received.pk},
            {"complete-outcome": "support_given"},
        )
    if name == "accounts:organisation-switch":
        return "post", {}, {"organisation": str(objects["org_a"].pk)}
    if name in (
        "cases:start",
        "cases:inbox",
        "cases:audit-log",
        "accounts:home",
        "accounts:security",
    ):
        return "get", {}, None
    return _account_setup(name, objects)


def _account_setup(name, objects):
    """The platform administration: org A and its counsellor (or a member invited for it)."""
    org = objects["org_a"]
    member = objects["own"]["member"]
    if name == "accounts:admin-organisations":
        return "get", {}, None
    if name == "accounts:admin-organisation-new":
        return "post", {}, {"name": "Neu (Test)", "kind": "verein"}
    if name == "accounts:admin-organisation":
        return "get", {"organisation_id": org.pk}, None
    if name == "accounts:admin-invite":
        return (
            "post",
            {"organisation_id": org.pk},
            {"email": "neu@example.org", "roles": ["offer_editor"], "language": "ar"},
        )
    if name == "accounts:admin-member":
        return (
            "post",
            {"organisation_id": org.pk, "user_id": member.pk},
            {"roles": ["counsellor", "team_lead"]},
        )
    if name == "accounts:admin-invitation-resend":
        member.set_unusable_password()
        member.save()
    elif name == "accounts:admin-reactivate":
        member.is_active = False
        member.save()
    elif name == "accounts:admin-second-factor-reset":
        TOTPDevice.objects.create(user=member, name="Authenticator-App", confirmed=True)
    elif name != "accounts:admin-deactivate":
        raise AssertionError(f"no success case for {name}")
    return "post", {"organisation_id": org.pk, "user_id": member.pk}, {}


CASES = [
    (name, role)
    for name, entry in sorted(MATRIX.items())
    if entry.allowed != PUBLIC
    for role in sorted(ROLE_OF)
    if role in entry.allowed
]


def test_every_url_has_a_success_case():
    assert {name for name, _ in CASES} == {n for n, e in MATRIX.items() if e.allowed != PUBLIC}


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_allowed_role_succeeds_and_changes_something(client, world, name, role):  # noqa: F811
    user = world["users"][role]
    client.force_login(user)
    method, kwargs, body = setup_for(name, world, user)
    url = reverse(name, kwargs=kwargs)
    before = snapshot()
    audit_before = AuditEntry.objects.count()
    response = getattr(client, method)(url, body)
    assert 200 <= response.status_code < 400, (name, role, response.status_code)
    if name == "accounts:organisation-switch":
        assert client.session[SESSION_KEY] == str(world["org_a"].pk)
    elif method == "post":
        assert snapshot() != before, f"{name}: nothing changed"
        # the change is the one intended, not only an audit entry
        changed = {k for k, rows in snapshot().items() if rows != before.get(k)}
        assert changed - {"audit.AuditEntry"}, f"{name}: only the audit log changed"
    elif name not in LISTS:
        assert AuditEntry.objects.count() > audit_before, f"{name}: the read is not logged"


def test_the_answer_link_succeeds_once(client, world):  # noqa: F811
    """The public URL's allowed branch: a valid token answers once, then it is used up."""
    referral = world["own"]["referral"]
    _, token = services.referral_link_create(referral, by=referral.created_by)
    url = reverse("cases:link-answer", kwargs={"token": token})
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": "accept"})
    assert response.status_code == 200
    assert Referral.objects.get(pk=referral.pk).status == "accepted"
    assert client.post(url, {"decision": "accept"}).status_code == 404
