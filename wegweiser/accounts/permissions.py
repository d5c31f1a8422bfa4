"""What each role may do. Deny by default: a permission not listed here is not granted.

``PERMISSIONS`` is the one table of the platform: an action (``"case.view"``) and the roles that
may perform it *within one organisation*. Views ask :func:`can` with ``request.roles`` (the roles
of the current organisation, see :mod:`wegweiser.accounts.context`); the case services and
selectors ask again with :func:`user_can` (deny in layers).

Personal data of participants is read and written only by counsellors and team leads of the
organisation that owns it. Network coordinators and programme administrators see aggregates only;
the data-protection officer reads the audit log; platform administrators run the platform and see
no participant data either.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from wegweiser.accounts.models import Membership, Role
from wegweiser.directory.models import Organisation

#: Roles that maintain their organisation's entries in the public directory.
DIRECTORY_EDITORS = frozenset({Role.COUNSELLOR, Role.TEAM_LEAD, Role.NETWORK_COORDINATOR})

#: Roles that work with participants' personal data (their own organisation's only).
CASEWORKERS = frozenset({Role.COUNSELLOR, Role.TEAM_LEAD})
#: Roles that see counts and sums, never a person.
AGGREGATE_READERS = frozenset({Role.TEAM_LEAD, Role.NETWORK_COORDINATOR, Role.PROGRAMME_ADMIN})

PERMISSIONS: dict[str, frozenset[Role]] = {
    # participants and their files
    "participant.view": CASEWORKERS,
    "participant.create": CASEWORKERS,
    "participant.edit": CASEWORKERS,
    "participant.export": CASEWORKERS,
    "participant.erase": frozenset({Role.TEAM_LEAD}),
    "consent.record": CASEWORKERS,
    "consent.withdraw": CASEWORKERS,
    # cases
    "case.view": CASEWORKERS,
    "case.create": CASEWORKERS,
    "case.edit": CASEWORKERS,
    "case.transition": CASEWORKERS,
    "case.enrol": CASEWORKERS,
    "case.override_eligibility": frozenset({Role.TEAM_LEAD}),
    "followup.record": CASEWORKERS,
    # referrals: sending organisation ...
    "referral.send": CASEWORKERS,
    # ... and receiving organisation (its inbox shows only what the consent covers)
    "referral.receive": CASEWORKERS,
    # reports, audit, directory
    "reports.aggregate": AGGREGATE_READERS,
    "audit.view": frozenset({Role.DATA_PROTECTION_OFFICER}),
    "directory.edit": DIRECTORY_EDITORS,
}


def can(roles: Iterable[str], action: str) -> bool:
    """May someone with ``roles`` (in one organisation) perform ``action``?

    Unknown actions are denied (and so is every action for an empty set of roles).
    """
    allowed = PERMISSIONS.get(action)
    if not allowed:
        return False
    return any(role in allowed for role in roles)


def roles_of(user, organisation) -> frozenset[Role]:
    """The roles ``user`` holds in ``organisation`` (none for anonymous or inactive users)."""
    if organisation is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    return frozenset(
        Role(r)
        for r in Membership.objects.filter(user=user, organisation=organisation).values_list(
            "role", flat=True
        )
    )


def user_can(user, organisation, action: str) -> bool:
    """:func:`can` for ``user``'s roles in ``organisation``, read from the database."""
    return can(roles_of(user, organisation), action)


def roles_with(action: str) -> frozenset[Role]:
    return PERMISSIONS.get(action, frozenset())


def directory_organisations(user) -> QuerySet[Organisation]:
    """The organisations whose offers ``user`` may edit (none for anonymous users)."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    org_ids = Membership.objects.filter(user=user, role__in=DIRECTORY_EDITORS).values(
        "organisation_id"
    )
    return Organisation.objects.filter(pk__in=org_ids)
