"""Two Kreise that apply, an authority with a reviewer and an approver, and a call of the
WIR-Fallmanagement round with a cap of 50,000 €."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from wegweiser.accounts.models import Membership, Role
from wegweiser.funding import services
from wegweiser.funding.models import Call
from wegweiser.organisations.models import Organisation, Region
from wegweiser.programmes.models import FundingRound

TODAY = dt.date(2026, 2, 1)
LINES = [("staff", Decimal("45000")), ("material", Decimal("5000"))]


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
def kreis_a(db):
    return Organisation.objects.create(name="Kreis A", kind="kommune")


@pytest.fixture
def kreis_b(db):
    return Organisation.objects.create(name="Kreis B", kind="kommune")


@pytest.fixture
def rp(db):
    return Organisation.objects.create(name="Regierungspräsidium", kind="sonstige")


@pytest.fixture
def applicant(kreis_a, make_user):
    return make_user(kreis_a, Role.FUNDING_APPLICANT, name="antrag-a")


@pytest.fixture
def applicant_b(kreis_b, make_user):
    return make_user(kreis_b, Role.FUNDING_APPLICANT, name="antrag-b")


@pytest.fixture
def reviewer(rp, make_user):
    return make_user(rp, Role.FUNDING_REVIEWER, name="pruefung")


@pytest.fixture
def approver(rp, make_user):
    return make_user(rp, Role.FUNDING_APPROVER, name="bewilligung")


@pytest.fixture
def fm_round(catalogue_loaded):
    return FundingRound.objects.get(key="hessen-wir-fm")


@pytest.fixture
def call(fm_round, rp):
    return Call.objects.create(
        funding_round=fm_round,
        authority=rp,
        title="WIR-Fallmanagement",
        year=2026,
        budget_eur=Decimal("1650000"),
        cap_eur=Decimal("50000"),
        opens=dt.date(2026, 1, 1),
        closes=dt.date(2026, 3, 31),
    )


@pytest.fixture
def region(regions_loaded):
    return Region.objects.get(ags="06412")


@pytest.fixture
def make_application(call, region):
    def make(by, organisation, **overrides):
        fields = {
            "call": call,
            "title": "WIR-Fallmanagement 2026",
            "period_start": dt.date(2026, 1, 1),
            "period_end": dt.date(2026, 12, 31),
            "regions": [region],
            "total_eur": Decimal("50000"),
            "lines": LINES,
        }
        fields.update(overrides)
        return services.application_create(by=by, organisation=organisation, **fields)

    return make


@pytest.fixture
def approved(make_application, applicant, kreis_a, reviewer, approver):
    application = make_application(applicant, kreis_a)
    services.application_submit(application, by=applicant, today=TODAY)
    services.review_start(application, by=reviewer)
    services.review_record(
        application,
        by=reviewer,
        complete_budget=True,
        complete_period=True,
        complete_regions=True,
        complete_eligible=True,
        score=8,
    )
    services.approve(application, by=approver, amount_eur=Decimal("48000"))
    return application
