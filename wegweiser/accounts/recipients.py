"""Who is there to answer: the active counsellors and team leads of an organisation.

An organisation "receives requests on the platform" when at least one active user holds a
casework role there (``accounts.permissions.CASEWORKERS``): only then does the self-check offer a
contact request to its offers, and only those people are notified.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from wegweiser.accounts.models import Membership, Role
from wegweiser.accounts.permissions import CASEWORKERS
from wegweiser.core.shared import shared


def _casework_memberships():
    return Membership.objects.filter(role__in=CASEWORKERS, user__is_active=True)


def caseworkers(organisation) -> QuerySet:
    """The active users with a casework role in ``organisation``."""
    user_ids = _casework_memberships().filter(organisation=organisation).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("pk")


def is_caseworker(user, organisation) -> bool:
    return (
        user is not None
        and user.is_active
        and _casework_memberships().filter(user=user, organisation=organisation).exists()
    )


def receiving_organisation_ids(organisation_ids: Iterable) -> set:
    """Those of ``organisation_ids`` that can receive contact requests, for showing the form
    (kept for a few seconds, ``core.shared``); sending one checks ``receives_requests``."""
    return set(organisation_ids) & _receiving()


@shared("receiving-organisations", Membership, get_user_model())
def _receiving() -> frozenset:
    """Every organisation with an active counsellor or team lead."""
    return frozenset(_casework_memberships().values_list("organisation_id", flat=True).distinct())


def receives_requests(organisation) -> bool:
    return _casework_memberships().filter(organisation=organisation).exists()


def team_leads(organisation) -> QuerySet:
    """The active team leads of ``organisation``."""
    user_ids = (
        _casework_memberships()
        .filter(organisation=organisation, role=Role.TEAM_LEAD)
        .values("user_id")
    )
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("pk")
