"""How the case services are called (docs/architecture.md, "Services and selectors"): the one
signature rule, the system actor, and the one compare-and-swap."""

from __future__ import annotations

import inspect

import pytest
from django.contrib.auth import get_user_model

from wegweiser.audit.models import AuditEntry
from wegweiser.cases import services
from wegweiser.cases.errors import ConcurrentEdit, InvalidData, NotAllowed
from wegweiser.cases.models import Case, Consent, Participant
from wegweiser.cases.services.actors import SYSTEM, SYSTEM_USERNAME
from wegweiser.cases.services.base import compare_and_swap

SERVICES = [
    name
    for name in services.__all__
    if inspect.isfunction(getattr(services, name))
    and inspect.getmodule(getattr(services, name)).__name__.startswith("wegweiser.cases.services.")
]


def test_the_package_exports_every_service_of_its_modules():
    assert len(SERVICES) >= 35
    assert {"enrol", "case_open", "referral_case_open", "contact_request_intake"} <= set(SERVICES)


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_takes_at_most_the_object_positionally_and_by_first(name):
    parameters = list(inspect.signature(getattr(services, name)).parameters.values())
    positional = [
        p for p in parameters if p.kind is not p.KEYWORD_ONLY and p.kind is not p.VAR_KEYWORD
    ]
    keyword = [p for p in parameters if p.kind is p.KEYWORD_ONLY]
    assert len(positional) <= 1, f"{name}: only the object acted on is positional"
    assert keyword and keyword[0].name == "by", f"{name}: by= is the first keyword"
    if not positional:  # a creation names its organisation, or the platform acts on its own
        names = [p.name for p in keyword]
        assert "organisation" in names or keyword[0].default is SYSTEM, name


def test_the_system_may_not_do_a_users_work(participant, case):
    with pytest.raises(NotAllowed):
        services.case_open(participant, by=SYSTEM)
    with pytest.raises(NotAllowed):
        services.case_start_clearing(case, by=SYSTEM)
    with pytest.raises(NotAllowed):
        services.participant_create(by=SYSTEM, organisation=participant.organisation)
    assert Case.objects.count() == 1 and Participant.objects.count() == 1


def test_a_user_may_not_do_the_platforms_work(org_a, lead):
    before = (Participant.objects.count(), AuditEntry.objects.count())
    with pytest.raises(NotAllowed):
        services.contact_request_intake(
            by=lead,
            organisation=org_a,
            phone="0151 2345678",
            language="de",
            consent_text_version="t-1",
        )
    with pytest.raises(NotAllowed):
        services.referrals_expire(by=lead)
    with pytest.raises(NotAllowed):
        services.purge_expired_records(by=lead)
    with pytest.raises(NotAllowed):
        services.referral_link_view("any-token", by=lead)
    assert (Participant.objects.count(), AuditEntry.objects.count()) == before


def test_the_intake_writes_as_the_system_and_logs_no_actor(org_a):
    intake = services.contact_request_intake(
        organisation=org_a,
        given_name="Hana",
        phone="0151 2345678",
        language="uk",
        consent_text_version="t-1",
        shared={"gender": "female", "residence": {"title": "duldung", "section": "60a"}},
    )
    assert intake.case.participant == intake.participant == intake.consent.participant
    assert (intake.case.status, intake.case.counsellor) == ("first_contact", None)
    assert intake.consent.recorded_by.username == SYSTEM_USERNAME
    assert not intake.consent.recorded_by.is_active
    status = intake.participant.residence_statuses.get()
    assert (status.title, status.section, status.recorded_by) == (
        "duldung",
        "60a",
        intake.consent.recorded_by,
    )
    entries = AuditEntry.objects.filter(participant_id=intake.participant.pk)
    assert [e.object_type for e in entries.order_by("at", "id")] == [
        "participant",
        "residencestatus",
        "case",
        "consent",
    ]
    assert all(e.actor is None for e in entries)
    assert get_user_model().objects.filter(username=SYSTEM_USERNAME).count() == 1


@pytest.mark.parametrize(
    "wrong",
    [
        {"shared": {"gender": "unknown"}},
        {"shared": {"residence": {"title": "duldung", "section": "25(2)"}}},
        {"phone": ""},
        {"given_name": "x" * 151},
    ],
)
def test_the_intake_refuses_what_its_checks_refuse_and_writes_nothing(org_a, wrong):
    values = {"phone": "0151 2345678", "language": "de", "consent_text_version": "t-1", **wrong}
    with pytest.raises(InvalidData):
        services.contact_request_intake(organisation=org_a, **values)
    assert not Participant.objects.exists() and not AuditEntry.objects.exists()


def test_compare_and_swap_on_a_version(participant):
    stale = Participant.objects.get(pk=participant.pk)
    compare_and_swap(participant, phone="0151 1")
    assert participant.version == stale.version + 1
    with pytest.raises(ConcurrentEdit):
        compare_and_swap(stale, phone="0151 2")
    participant.refresh_from_db()
    assert participant.phone == "0151 1"


def test_compare_and_swap_on_a_state(participant, counsellor):
    consent = services.consent_record(
        participant,
        by=counsellor,
        purpose="counselling",
        given_on=participant.created_at.date(),
        text_version="t-1",
        channel="written",
    )
    gone = InvalidData("schon")
    compare_and_swap(consent, expect={"withdrawn_at": None}, conflict=gone, channel="oral")
    assert consent.channel == "oral"
    with pytest.raises(InvalidData) as refused:
        compare_and_swap(consent, expect={"channel": "written"}, conflict=gone, channel="digital")
    assert refused.value is gone
    assert Consent.objects.get(pk=consent.pk).channel == "oral"
