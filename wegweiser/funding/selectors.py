"""Scoped reads of the funding administration.

An application is visible to the applying organisation's applicants and to the reviewers and
approvers of the authority of its call, nobody else: every page starts from
:func:`applications_visible`, so another organisation's application answers 404 like a missing
one. No personal data is stored here (organisations, amounts, texts about the project).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from wegweiser.accounts.permissions import user_can
from wegweiser.funding.models import Application, Call, Payment, Status


def applications_visible(user, organisation) -> QuerySet[Application]:
    """Applications of ``organisation`` (its applicants) and to its calls (the authority)."""
    if organisation is None:
        return Application.objects.none()
    scope = Q(pk__in=[])
    if user_can(user, organisation, "funding.apply"):
        scope |= Q(organisation=organisation)
    if user_can(user, organisation, "funding.review"):
        scope |= Q(call__authority=organisation) & ~Q(status=Status.DRAFT)
    return (
        Application.objects.filter(scope)
        .select_related("call__funding_round__programme", "organisation", "project")
        .prefetch_related("regions", "budget_lines", "payments")
    )


def own_applications(user, organisation) -> QuerySet[Application]:
    if organisation is None or not user_can(user, organisation, "funding.apply"):
        return Application.objects.none()
    return applications_visible(user, organisation).filter(organisation=organisation)


def inbox(user, organisation) -> QuerySet[Application]:
    """The authority's applications (drafts stay with the applicant)."""
    if organisation is None or not user_can(user, organisation, "funding.review"):
        return Application.objects.none()
    return applications_visible(user, organisation).filter(call__authority=organisation)


def calls_open(day=None) -> QuerySet[Call]:
    day = day or timezone.localdate()
    return Call.objects.filter(opens__lte=day, closes__gte=day).select_related("funding_round")


def budget_by_kreis(user, organisation, year: int | None = None) -> list[dict]:
    """Per Kreis (region served) and year of the call: planned (approved amounts) and paid.

    An application serving several regions counts in each with an equal share. Only for the
    authority (its calls)."""
    rows: dict[tuple[str, int], dict] = defaultdict(
        lambda: {"planned": Decimal("0"), "paid": Decimal("0"), "applications": 0}
    )
    apps = inbox(user, organisation).filter(
        status__in=[Status.APPROVED, Status.PROOF_SUBMITTED, Status.CLOSED]
    )
    if year:
        apps = apps.filter(call__year=year)
    apps = apps.select_related("decision")
    paid: dict = defaultdict(Decimal)
    for p in Payment.objects.filter(application__in=apps).values("application_id", "amount_eur"):
        paid[p["application_id"]] += p["amount_eur"]
    for app in apps:
        regions = list(app.regions.all())
        if not regions:
            continue
        share = Decimal(len(regions))
        for region in regions:
            row = rows[(region.ags, app.call.year)]
            # the map shows a Sonderstatusstadt inside its Kreis (it has no boundary of its own)
            kreis = region.parent_id if region.kind == "sonderstatusstadt" else region.ags
            row.update(ags=region.ags, kreis=kreis, label=region.label, year=app.call.year)
            row["planned"] += (app.decision.amount_eur / share).quantize(Decimal("0.01"))
            row["paid"] += (paid[app.pk] / share).quantize(Decimal("0.01"))
            row["applications"] += 1
    return sorted(rows.values(), key=lambda r: (r["year"], r["label"]))
