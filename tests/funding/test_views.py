"""The pages refuse bad input with the service's message on the form and write nothing; the
authority's budget page sums planned and paid per Kreis and year."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.funding.test_services import snapshot
from wegweiser.funding.models import Application

GOOD = {
    "title": "WIR-Fallmanagement",
    "period_start": "2026-01-01",
    "period_end": "2026-12-31",
    "regions": ["06412"],
    "total_eur": "50000",
    "line_staff": "45000",
    "line_material": "5000",
}

BAD_FORMS = [
    pytest.param(
        {"total_eur": "60000", "line_staff": "55000"}, "über dem Höchstbetrag", id="above-cap"
    ),
    pytest.param({"line_material": "4000"}, "ergeben zusammen 49.000,00 €", id="lines-not-total"),
    pytest.param({"period_start": "2015-01-01"}, "außerhalb der Förderrunde", id="period-outside"),
]


@pytest.fixture
def open_call(call):
    call.opens, call.closes = call.opens.replace(year=2000), call.closes.replace(year=2100)
    call.save()
    return call


@pytest.mark.parametrize(("change", "message"), BAD_FORMS)
def test_bad_application_form_is_refused_with_the_message(
    client, applicant, open_call, region, change, message
):
    client.force_login(applicant)
    before = snapshot()
    data = {**GOOD, "call": open_call.pk, **change}
    response = client.post(reverse("funding:application-new"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before
    ok = client.post(reverse("funding:application-new"), {**GOOD, "call": open_call.pk})
    assert ok.status_code == 302 and Application.objects.count() == 1


def test_payment_above_the_approved_amount_is_refused_on_the_page(client, approved, approver):
    client.force_login(approver)
    url = reverse("funding:pay", kwargs={"application_id": approved.pk})
    client.post(url, {"amount_eur": "40000", "paid_on": "2026-02-01"})
    before = snapshot()
    response = client.post(url, {"amount_eur": "8000.01", "paid_on": "2026-03-01"}, follow=True)
    assert "höher als der noch offene Betrag von 8.000,00 €" in response.content.decode()
    assert snapshot() == before


def test_budget_per_kreis_and_year(client, approved, approver, reviewer):
    client.force_login(approver)
    client.post(
        reverse("funding:pay", kwargs={"application_id": approved.pk}),
        {"amount_eur": "12000", "paid_on": "2026-02-01"},
    )
    response = client.get(reverse("funding:budget"))
    rows = response.context["rows"]
    assert [(r["ags"], r["year"], r["planned"], r["paid"]) for r in rows] == [
        ("06412", 2026, Decimal("48000"), Decimal("12000"))
    ]
    assert response.context["map_values"]["06412"]["value"] == 48000.0
    assert "12.000,00" in response.content.decode()
