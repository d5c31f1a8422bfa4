"""Reads of the platform administration: organisations, their members and their roles.

Only for users with ``accounts.view`` in any organisation (the platform administrators); anyone
else gets nothing. Staff accounts only: no participant data is read here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from wegweiser.accounts.models import Membership, Role
from wegweiser.accounts.permissions import user_can_anywhere
from wegweiser.organisations.models import Organisation


@dataclass(frozen=True)
class Member:
    user: object
    roles: tuple[Role, ...]
    #: an authenticator app is set up (the platform administrator can reset it)
    second_factor: bool = False

    @property
    def invitation_open(self) -> bool:
        """Invited, but no password set yet."""
        return not self.user.has_usable_password()


def _allowed(by) -> bool:
    return user_can_anywhere(by, "accounts.view")


def organisations_overview(*, by, query: str = "") -> QuerySet[Organisation]:
    """Organisations with their number of members, by name: those with members, or (with a
    ``query``) every organisation whose name contains it."""
    if not _allowed(by):
        return Organisation.objects.none()
    organisations = Organisation.objects.annotate(
        members=Count("memberships__user", distinct=True)
    ).order_by("name", "pk")
    if query:
        return organisations.filter(Q(name__icontains=query) | Q(alternate_name__icontains=query))
    return organisations.filter(members__gt=0)


def organisation_get(*, by, organisation_id) -> Organisation:
    """One organisation; raises ``Organisation.DoesNotExist`` for anyone without the right."""
    if not _allowed(by):
        raise Organisation.DoesNotExist
    return Organisation.objects.get(pk=organisation_id)


def members_of(*, by, organisation: Organisation) -> list[Member]:
    """The organisation's members with their roles there, by user name."""
    if not _allowed(by):
        return []
    rows = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__username", "user_id")
    )
    roles: dict = {}
    users: dict = {}
    for m in rows:
        users[m.user_id] = m.user
        roles.setdefault(m.user_id, set()).add(Role(m.role))
    order = list(Role)
    with_app = set(
        TOTPDevice.objects.filter(user_id__in=users, confirmed=True).values_list(
            "user_id", flat=True
        )
    )
    return [
        Member(users[uid], tuple(sorted(roles[uid], key=order.index)), uid in with_app)
        for uid in users
    ]


def member_get(*, by, organisation: Organisation, user_id) -> Member:
    """One member of ``organisation``; raises ``User.DoesNotExist`` for anyone else."""
    User = get_user_model()
    if not _allowed(by):
        raise User.DoesNotExist
    user = User.objects.filter(pk=user_id, memberships__organisation=organisation).distinct().get()
    roles = Membership.objects.filter(user=user, organisation=organisation).values_list(
        "role", flat=True
    )
    order = list(Role)
    return Member(user, tuple(sorted({Role(r) for r in roles}, key=order.index)))
