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
    """Those of ``organisation_ids`` that can receive contact requests (one query)."""
    ids = set(organisation_ids)
    if not ids:
        return set()
    return set(
        _casework_memberships()
        .filter(organisation_id__in=ids)
        .values_list("organisation_id", flat=True)
        .distinct()
    )


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
