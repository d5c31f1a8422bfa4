"""The workflow of the funding services and the refusals of bad input (nothing written)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import translation

from tests.funding.conftest import TODAY
from wegweiser.audit.models import AuditEntry
from wegweiser.funding import errors, services
from wegweiser.funding.models import Application, Status
from wegweiser.programmes.models import Project


def snapshot() -> dict:
    models = [*apps.get_app_config("funding").get_models(), AuditEntry, Project]
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}


BAD_APPLICATIONS = [
    pytest.param(
        {"total_eur": Decimal("50000.01"), "lines": [("staff", Decimal("50000.01"))]},
        "über dem Höchstbetrag",
        id="amount-above-cap",
    ),
    pytest.param(
        {"total_eur": Decimal("50000"), "lines": [("staff", Decimal("40000"))]},
        "Ausgabenpositionen ergeben zusammen 40.000,00 €",
        id="lines-below-total",
    ),
    pytest.param(
        {"total_eur": Decimal("30000"), "lines": [("staff", Decimal("20000")), ("other", 20000)]},
        "Gesamtbetrag ist 30.000,00 €",
        id="lines-above-total",
    ),
    pytest.param(
        {"period_start": dt.date(2016, 6, 1)},
        "außerhalb der Förderrunde",
        id="period-before-round",
    ),
    pytest.param(
        {"period_start": dt.date(2026, 6, 1), "period_end": dt.date(2026, 1, 1)},
        "Ende des Zeitraums liegt vor dem Beginn",
        id="period-reversed",
    ),
    pytest.param({"lines": []}, "mindestens eine Ausgabenposition", id="no-lines"),
    pytest.param({"regions": []}, "mindestens ein Einsatzgebiet", id="no-regions"),
    pytest.param(
        {"total_eur": Decimal("0"), "lines": [("staff", Decimal("0"))]},
        "größer als 0",
        id="zero",
    ),
]


@pytest.mark.parametrize(("overrides", "message"), BAD_APPLICATIONS)
def test_bad_application_is_refused_and_writes_nothing(
    make_application, applicant, kreis_a, overrides, message
):
    before = snapshot()
    with pytest.raises(errors.InvalidInput) as refused:
        make_application(applicant, kreis_a, **overrides)
    assert message in str(refused.value)
    assert snapshot() == before


def test_period_outside_a_round_with_an_end(make_application, applicant, kreis_a, call):
    call.funding_round.end = dt.date(2026, 6, 30)
    call.funding_round.save()
    before = snapshot()
    with pytest.raises(errors.InvalidInput, match="außerhalb der Förderrunde"):
        make_application(applicant, kreis_a)
    assert snapshot() == before


def test_messages_are_translated(make_application, applicant, kreis_a):
    with translation.override("en"):
        with pytest.raises(errors.InvalidInput) as refused:
            make_application(
                applicant, kreis_a, total_eur=Decimal("60000"), lines=[("staff", 60000)]
            )
        assert "maximum" in str(refused.value)
        assert "60,000.00" in str(refused.value)


BAD_PAYMENTS = [
    pytest.param([], Decimal("48000.01"), id="one-tranche-above-approved"),
    pytest.param([Decimal("30000")], Decimal("18000.01"), id="with-earlier-tranche"),
    pytest.param([Decimal("24000"), Decimal("24000")], Decimal("1"), id="all-paid"),
    pytest.param([], Decimal("0"), id="zero"),
]


@pytest.mark.parametrize(("earlier", "amount"), BAD_PAYMENTS)
def test_payment_above_the_approved_amount_is_refused(approved, approver, earlier, amount):
    for tranche in earlier:
        services.pay(approved, by=approver, amount_eur=tranche)
    before = snapshot()
    with pytest.raises(errors.InvalidInput):
        services.pay(approved, by=approver, amount_eur=amount)
    assert snapshot() == before


def test_the_whole_workflow(approved, approver, reviewer, applicant, kreis_a, region):
    assert approved.status == Status.APPROVED
    project = approved.project
    assert project.carrier == kreis_a
    assert project.funding_round == approved.call.funding_round
    assert project.budget_eur == Decimal("48000")
    assert (project.start, project.end) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert list(project.regions.all()) == [region]
    first = services.pay(approved, by=approver, amount_eur=Decimal("24000"), paid_on=TODAY)
    second = services.pay(
        approved, by=approver, amount_eur=Decimal("24000"), paid_on=dt.date(2027, 1, 10)
    )
    assert (first.tranche, second.tranche) == (1, 2)
    approved.refresh_from_db()
    assert approved.paid_eur == Decimal("48000")
    assert approved.retention_until == dt.date(2037, 12, 31)
    assert approved.proof_due == dt.date(2027, 6, 30)
    lines = {line.pk: line.planned_eur - 1000 for line in approved.budget_lines.all()}
    services.proof_submit(approved, by=applicant, narrative="Bericht", actuals=lines)
    assert approved.status == Status.PROOF_SUBMITTED
    services.proof_return(approved, by=reviewer, note="Belege fehlen")
    assert approved.status == Status.APPROVED
    services.proof_submit(approved, by=applicant, narrative="Bericht 2", actuals=lines)
    services.proof_accept(approved, by=reviewer)
    assert Application.objects.get(pk=approved.pk).status == Status.CLOSED
    assert approved.proof.state == "accepted"
    actions = list(
        AuditEntry.objects.filter(object_id=str(approved.pk)).values_list("action", flat=True)
    )
    assert actions.count("funding_paid") == 2 and "funding_decided" in actions


def test_approval_updates_the_carriers_project_in_the_round(
    make_application, applicant, kreis_a, reviewer, approver, call
):
    existing = Project.objects.create(
        name="WIR-Fallmanagement Kreis A",
        funding_round=call.funding_round,
        carrier=kreis_a,
        start=dt.date(2017, 1, 1),
    )
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
    )
    services.approve(application, by=approver, amount_eur=Decimal("50000"))
    existing.refresh_from_db()
    assert application.project == existing
    assert existing.start == dt.date(2017, 1, 1) and existing.end is None  # stays open
    assert existing.budget_eur == Decimal("50000")
    assert Project.objects.filter(carrier=kreis_a).count() == 1


def test_rejection_needs_a_reason_and_creates_no_project(
    make_application, applicant, kreis_a, reviewer, approver
):
    application = make_application(applicant, kreis_a)
    services.application_submit(application, by=applicant, today=TODAY)
    services.review_start(application, by=reviewer)
    before = snapshot()
    with pytest.raises(errors.InvalidInput):
        services.reject(application, by=approver, reason="  ")
    assert snapshot() == before
    services.reject(application, by=approver, reason="Nicht antragsberechtigt")
    assert application.status == Status.REJECTED
    assert not Project.objects.exists()


def test_approval_refused_above_cap_above_request_or_before_review(
    make_application, applicant, kreis_a, reviewer, approver
):
    application = make_application(
        applicant, kreis_a, total_eur=Decimal("40000"), lines=[("staff", Decimal("40000"))]
    )
    services.application_submit(application, by=applicant, today=TODAY)
    services.review_start(application, by=reviewer)
    for amount, message in [
        (Decimal("50001"), "Höchstbetrag"),
        (Decimal("45000"), "höher als der beantragte"),
        (Decimal("40000"), "Vollständigkeitsprüfung"),
    ]:
        before = snapshot()
        with pytest.raises(errors.InvalidInput, match=message):
            services.approve(application, by=approver, amount_eur=amount)
        assert snapshot() == before


@pytest.mark.parametrize(
    "who", ["applicant", "applicant_b", "reviewer"], ids=["applicant", "other-kreis", "reviewer"]
)
def test_roles_are_checked_again_in_the_services(
    request, make_application, applicant, kreis_a, reviewer, who
):
    application = make_application(applicant, kreis_a)
    services.application_submit(application, by=applicant, today=TODAY)
    services.review_start(application, by=reviewer)
    user = request.getfixturevalue(who)
    before = snapshot()
    with pytest.raises(errors.NotAllowed):
        services.approve(application, by=user, amount_eur=Decimal("1000"))
    with pytest.raises(errors.NotAllowed):
        services.pay(application, by=user, amount_eur=Decimal("1000"))
    assert snapshot() == before


def test_wrong_transitions_are_refused(make_application, applicant, kreis_a, reviewer):
    application = make_application(applicant, kreis_a)
    with pytest.raises(errors.TransitionNotAllowed):
        services.review_start(application, by=reviewer)
    with pytest.raises(errors.TransitionNotAllowed):
        services.application_submit(application, by=applicant, today=dt.date(2026, 4, 1))
    services.application_submit(application, by=applicant, today=TODAY)
    with pytest.raises(errors.TransitionNotAllowed):
        services.application_submit(application, by=applicant, today=TODAY)
