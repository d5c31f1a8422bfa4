"""Participants: pseudonyms, residence history, households, the case plan."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.cases.conftest import new_participant
from wegweiser.audit.models import AuditEntry
from wegweiser.cases import selectors, services
from wegweiser.cases.errors import ConcurrentEdit, InvalidData
from wegweiser.cases.models import Household, Participant


def test_pseudonyms_are_random_and_unique(org_a, counsellor):
    people = [new_participant(org_a, counsellor) for _ in range(5)]
    pseudonyms = {p.pseudonym for p in people}
    assert len(pseudonyms) == 5
    assert all(re.fullmatch(r"TN-[2-9A-Z]{4}-[2-9A-Z]{4}", p) for p in pseudonyms)
    # Same personal data, different numbers: nothing derived from the person.
    assert "HADDAD" not in "".join(pseudonyms)


def test_invalid_personal_data_is_refused(org_a, counsellor):
    with pytest.raises(InvalidData):
        services.participant_create(by=counsellor, organisation=org_a, citizenships=["XX"])
    with pytest.raises(InvalidData):
        services.participant_create(by=counsellor, organisation=org_a, kreis="123")
    with pytest.raises(InvalidData):
        services.participant_create(by=counsellor, organisation=org_a, nickname="A")
    assert not Participant.objects.exists()


def test_residence_history_and_status_on_a_day(participant, counsellor):
    services.residence_status_record(
        participant,
        by=counsellor,
        title="niederlassungserlaubnis",
        valid_from=dt.date(2025, 3, 1),
    )
    first = participant.residence_statuses.get(section="25(2)")
    assert first.valid_to == dt.date(2025, 2, 28)
    assert selectors.residence_status_on(participant, dt.date(2025, 2, 28)).section == "25(2)"
    assert selectors.residence_status_on(participant, dt.date(2025, 3, 1)).title == (
        "niederlassungserlaubnis"
    )
    assert selectors.residence_status_on(participant, dt.date(2019, 12, 31)) is None


def test_residence_status_is_checked_like_the_engine(participant, counsellor):
    for kwargs in (
        {"title": "aufenthaltserlaubnis", "section": "99"},
        {"title": "niederlassungserlaubnis", "work_ban": "absolute"},
        {"title": "visa"},
    ):
        with pytest.raises(InvalidData):
            services.residence_status_record(
                participant, by=counsellor, valid_from=dt.date(2025, 1, 1), **kwargs
            )
    with pytest.raises(InvalidData):
        services.residence_status_record(
            participant,
            by=counsellor,
            title="duldung",
            section="60a",
            valid_from=dt.date(2025, 1, 1),
            valid_to=dt.date(2024, 1, 1),
        )


def test_household(org_a, org_b, counsellor, counsellor_b):
    mother = new_participant(org_a, counsellor, given_name="Mariam", gender="female")
    child = new_participant(
        org_a, counsellor, given_name="Yusuf", date_of_birth=dt.date(2010, 1, 1)
    )
    household = services.household_link(mother, by=counsellor, relation="main_person")
    services.household_link(child, by=counsellor, relation="child", household=household)
    assert set(household.members.values_list("household_relation", flat=True)) == {
        "main_person",
        "child",
    }
    with pytest.raises(InvalidData):
        services.household_link(child, by=counsellor, relation="main_person", household=household)
    stranger = new_participant(org_b, counsellor_b)
    with pytest.raises(InvalidData):
        services.household_link(stranger, by=counsellor_b, relation="child", household=household)
    assert Household.objects.get(pk=household.pk).organisation == org_a


def test_consent_in_the_future_is_refused(participant, counsellor):
    with pytest.raises(InvalidData):
        services.consent_record(
            participant,
            by=counsellor,
            purpose="counselling",
            given_on=timezone.localdate() + dt.timedelta(days=1),
            text_version="1",
            channel="oral",
        )


def test_case_plan(case, counsellor, lead, org_b, make_user):
    from wegweiser.accounts.models import Role

    goal = services.goal_create(
        case, by=counsellor, title="B1-Kurs", target_date=dt.date(2026, 1, 1)
    )
    services.goal_set_status(goal, by=counsellor, status="achieved")
    assert goal.status == "achieved"
    with pytest.raises(InvalidData):
        services.goal_set_status(goal, by=counsellor, status="maybe")
    contact = services.contact_create(
        case,
        by=counsellor,
        date=dt.date(2025, 6, 2),
        duration_minutes=30,
        channel="video",
        topics=["Sprache"],
    )
    assert contact.author == counsellor
    for bad in ({"channel": "fax"}, {"duration_minutes": 0}):
        with pytest.raises(InvalidData):
            services.contact_create(
                case,
                by=counsellor,
                **{"date": dt.date(2025, 6, 2), "duration_minutes": 30, "channel": "phone", **bad},
            )
    task = services.task_create(case, by=counsellor, title="Termin Jobcenter", assignee=lead)
    outsider = make_user(org_b, Role.COUNSELLOR)
    with pytest.raises(InvalidData):
        services.task_create(case, by=counsellor, title="x", assignee=outsider)
    services.task_done(task, by=lead)
    assert task.done_at is not None
    with pytest.raises(ConcurrentEdit):
        services.task_done(task, by=lead)
    logged = AuditEntry.objects.filter(participant_id=case.participant_id)
    assert {"goal", "contactentry", "task"} <= set(logged.values_list("object_type", flat=True))


def test_counsellor_must_work_for_the_organisation(participant, counsellor, counsellor_b):
    with pytest.raises(InvalidData):
        services.case_open(participant, by=counsellor, counsellor=counsellor_b)


def test_recipients_of_the_same_name_are_told_apart(org_a, org_b):
    """Two branches both called "Jobcenter Kassel": the consent form's list says whose each is."""
    from wegweiser.cases.selectors import consent_recipients as recipients
    from wegweiser.organisations.models import Organisation

    city = Organisation.objects.create(name="Jobcenter Kassel", kind="jobcenter", parent=org_b)
    county = Organisation.objects.create(name="Jobcenter Kassel", kind="jobcenter")
    labels = dict(recipients(org_a))
    assert labels[org_b.pk] == "Partner B"  # a name of its own stays as it is
    assert labels[city.pk] == "Jobcenter Kassel – Partner B"
    assert labels[county.pk] == "Jobcenter Kassel – Jobcenter"
    assert org_a.pk not in labels


def test_recipients_of_the_same_name_and_kind_are_told_apart_by_their_places(org_a):
    """The same name, the same kind, no parent: the places of their offers tell them apart."""
    from wegweiser.cases.selectors import consent_recipients
    from wegweiser.directory.models import Location, Offer, OfferLocation
    from wegweiser.organisations.models import Organisation

    labels = {}
    for city in ("Kassel", "Baunatal"):
        org = Organisation.objects.create(name="Fachdienst Migration", kind="kommune")
        offer = Offer.objects.create(organisation=org, name={"de": "Beratung"})
        place = Location.objects.create(
            organisation=org, street="Weg 1", postcode="34117", city=city, lat=51.3, lon=9.5
        )
        OfferLocation.objects.create(offer=offer, location=place)
        labels[city] = org.pk
    shown = dict(consent_recipients(org_a))
    assert shown[labels["Kassel"]].endswith("(Kassel)")
    assert shown[labels["Baunatal"]].endswith("(Baunatal)")
    assert shown[labels["Kassel"]] != shown[labels["Baunatal"]]
