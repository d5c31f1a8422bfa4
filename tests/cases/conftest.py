"""Organisations, users in every role, funded projects and a participant for the case tests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from wegweiser.accounts.models import Membership, Role
from wegweiser.cases import services
from wegweiser.cases.models import Case, CaseStatus, ConsentPurpose, SharedField
from wegweiser.directory.models import Offer
from wegweiser.organisations.models import Organisation
from wegweiser.programmes.models import FundingRound, Project

#: A day on which wir-2022 and win-win-1 both run.
ENTRY = dt.date(2025, 6, 2)


@pytest.fixture
def org_a(db):
    return Organisation.objects.create(name="Träger A", kind="wohlfahrtsverband")


@pytest.fixture
def org_b(db):
    return Organisation.objects.create(name="Partner B", kind="bildungstraeger")


@pytest.fixture
def org_c(db):
    return Organisation.objects.create(name="Dritte C", kind="migrantenorganisation")


@pytest.fixture
def make_user(db):
    counter = iter(range(1000))

    def make(organisation, *roles, name=None):
        user = get_user_model().objects.create_user(name or f"user{next(counter)}", password="x")
        for role in roles:
            Membership.objects.create(user=user, organisation=organisation, role=role)
        return user

    return make


@pytest.fixture
def counsellor(org_a, make_user):
    return make_user(org_a, Role.COUNSELLOR, name="beraterin")


@pytest.fixture
def lead(org_a, make_user):
    return make_user(org_a, Role.TEAM_LEAD, name="teamleitung")


@pytest.fixture
def counsellor_b(org_b, make_user):
    return make_user(org_b, Role.COUNSELLOR, name="partnerin")


@pytest.fixture
def wir_round(catalogue_loaded):
    return FundingRound.objects.get(programme__key="wir", key="wir-2022")


@pytest.fixture
def winwin_round(catalogue_loaded):
    return FundingRound.objects.get(programme__key="win-win", key="win-win-1")


@pytest.fixture
def jmd_round(catalogue_loaded):
    return FundingRound.objects.get(programme__key="jmd", key="jmd")


@pytest.fixture
def wir_project(org_a, wir_round):
    return Project.objects.create(
        name="WIR Netzwerk A", funding_round=wir_round, carrier=org_a, start=dt.date(2022, 10, 1)
    )


@pytest.fixture
def winwin_project(org_a, winwin_round):
    return Project.objects.create(
        name="Win-Win A", funding_round=winwin_round, carrier=org_a, start=dt.date(2024, 1, 1)
    )


@pytest.fixture
def offer_b(org_b):
    return Offer.objects.create(
        organisation=org_b, name={"de": "Sprachkurs B"}, status=Offer.PUBLISHED
    )


def new_participant(organisation, by, **fields):
    """A refugee (Aufenthaltserlaubnis § 25(2)), 30 years old at entry: eligible for WIR."""
    values = {
        "given_name": "Amina",
        "family_name": "Haddad",
        "date_of_birth": dt.date(1995, 5, 5),
        "gender": "male",
        "phone": "0151 000000",
        "email": "amina@example.org",
        "languages": ["ar", "de"],
        "citizenships": ["SY"],
        "kreis": "06412",
        **fields,
    }
    person = services.participant_create(by=by, organisation=organisation, **values)
    services.residence_status_record(
        person,
        by=by,
        title="aufenthaltserlaubnis",
        section="25(2)",
        valid_from=dt.date(2020, 1, 1),
        work_ban="none",
    )
    return person


@pytest.fixture
def participant(org_a, counsellor):
    return new_participant(org_a, counsellor)


@pytest.fixture
def sharing_consent(participant, counsellor, org_b):
    return services.consent_record(
        participant,
        by=counsellor,
        purpose=ConsentPurpose.REFERRAL_SHARING,
        recipient=org_b,
        shared_fields=[SharedField.NAME, SharedField.PHONE],
        given_on=dt.date(2025, 6, 1),
        text_version="2025-01",
        channel="written",
    )


@pytest.fixture
def case(participant, counsellor):
    return services.case_open(participant, by=counsellor)


@pytest.fixture
def active_case(case, counsellor, wir_project, wir_round):
    services.case_start_clearing(case, by=counsellor)
    services.enrol(
        case, by=counsellor, project=wir_project, funding_round=wir_round, entry_date=ENTRY
    )
    return case


def case_in_status(participant, status, *, project=None, counsellor=None) -> Case:
    """A case put straight into ``status`` (as the workflow would have left it)."""
    enrolled = status in (CaseStatus.ACTIVE, CaseStatus.FOLLOWUP, CaseStatus.CLOSED)
    return Case.objects.create(
        participant=participant,
        organisation=participant.organisation,
        counsellor=counsellor,
        status=status,
        project=project if enrolled else None,
        funding_round=project.funding_round if enrolled and project else None,
        entry_date=ENTRY if enrolled else None,
        work_start_date=ENTRY if status in (CaseStatus.FOLLOWUP, CaseStatus.CLOSED) else None,
    )
