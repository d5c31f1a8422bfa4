"""What each role may do. Deny by default: a permission not listed here is not granted.

``PERMISSIONS`` is the one table of the platform: an action (``"case.view"``) and the roles that
may perform it *within one organisation*. Views ask :func:`can` with ``request.roles`` (the roles
of the current organisation, see :mod:`wegweiser.accounts.context`); the case services and
selectors ask again with :func:`user_can` (deny in layers).

Personal data of participants is read and written only by counsellors and team leads of the
organisation that owns it. Network coordinators and programme administrators see aggregates only;
the data-protection officer reads the audit log; platform administrators run the platform (users
and organisations, the ``accounts.*`` actions) and see no participant data either. The offer
maintainers ("Angebotspflege") edit their organisation's offers and see no case management.

Most actions are asked per organisation. Two families are answered from *all* of a user's
memberships: the offer maintenance (``offer.*``: the maintenance pages list the offers of every
organisation where the user holds a role with the action, :func:`organisations_where`) and the
platform administration (``accounts.*``: a platform administrator manages every organisation,
:func:`user_can_anywhere`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from wegweiser.accounts.models import Membership, Role
from wegweiser.organisations.models import Organisation

#: Roles that maintain their organisation's entries in the public directory. Counsellors keep
#: this right (they run the offers and answer the yearly "still correct?" mail); the data-
#: protection officer, programme and platform administrators do not have it (docs/accounts.md).
DIRECTORY_EDITORS = frozenset(
    {Role.COUNSELLOR, Role.TEAM_LEAD, Role.NETWORK_COORDINATOR, Role.OFFER_EDITOR}
)
#: Every role that works in case management and so sees its start page ("Fallarbeit"); the
#: offer maintainers, the volunteer pools' roles, the funding administration's roles and the
#: funders do not.
STAFF = frozenset(Role) - {
    Role.OFFER_EDITOR,
    Role.VOLUNTEER_COORDINATOR,
    Role.VOLUNTEER,
    Role.FUNDING_APPLICANT,
    Role.FUNDING_REVIEWER,
    Role.FUNDING_APPROVER,
    Role.FUNDER,
}
#: Roles that run the platform: users, organisations, memberships.
PLATFORM_ADMINS = frozenset({Role.PLATFORM_ADMIN})

#: Roles that run volunteer pools (docs/volunteers.md).
VOLUNTEER_COORDINATORS = frozenset({Role.VOLUNTEER_COORDINATOR})
#: Roles that may ask a pool for an interpreter or a tandem (from a case of their organisation).
VOLUNTEER_REQUESTERS = frozenset({Role.COUNSELLOR, Role.TEAM_LEAD})

#: Funding administration (docs/funding.md): the applying organisation's team lead or its
#: "Antragstellung"; at the granting authority the reviewers and the approvers.
FUNDING_APPLICANTS = frozenset({Role.TEAM_LEAD, Role.FUNDING_APPLICANT})
FUNDING_AUTHORITY = frozenset({Role.FUNDING_REVIEWER, Role.FUNDING_APPROVER})
FUNDING_APPROVERS = frozenset({Role.FUNDING_APPROVER})
#: Who sees the network of a funded project (its Verbund partners, their offers, the referral
#: counts between them, suppressed) and the coverage of its Kreise: the Verbund's network
#: coordinators, the programme's administrators and funders, the granting authority
#: (docs/funding.md; which projects each sees: ``funding.network.projects_visible``).
NETWORK_READERS = frozenset(
    {
        Role.NETWORK_COORDINATOR,
        Role.PROGRAMME_ADMIN,
        Role.FUNDER,
        Role.FUNDING_REVIEWER,
        Role.FUNDING_APPROVER,
    }
)

#: Roles that work with participants' personal data (their own organisation's only).
CASEWORKERS = frozenset({Role.COUNSELLOR, Role.TEAM_LEAD})
#: Roles that see counts and sums, never a person.
AGGREGATE_READERS = frozenset({Role.TEAM_LEAD, Role.NETWORK_COORDINATOR, Role.PROGRAMME_ADMIN})
#: Roles that see the ESF Plus reports (the funder too; each in its own scope).
REPORT_READERS = AGGREGATE_READERS | {Role.FUNDER}
#: Roles that read personal data and so log in with a second factor (accounts/second_factor.py):
#: participants' files (case work), volunteers' and interpreting requests' data, the audit log,
#: staff accounts, funding applications with their contact persons. The others see only
#: aggregates with small cells suppressed, or the public directory's offers; a test keeps this
#: in step with the table below (tests/accounts/test_second_factor.py).
PERSONAL_DATA_READERS = frozenset(Role) - {
    Role.OFFER_EDITOR,
    Role.NETWORK_COORDINATOR,
    Role.PROGRAMME_ADMIN,
    Role.FUNDER,
}

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
    # the case-management start page (its sections ask for their own actions)
    "cases.start": STAFF,
    # reports, audit
    "reports.aggregate": AGGREGATE_READERS,
    "audit.view": frozenset({Role.DATA_PROTECTION_OFFICER}),
    # the organisation's offers in the public directory (maintenance pages)
    "offer.edit": DIRECTORY_EDITORS,  # list, create, edit; see the organisation's drafts
    "offer.publish": DIRECTORY_EDITORS,
    "offer.withdraw": DIRECTORY_EDITORS,  # back to draft: no longer public
    "offer.verify": DIRECTORY_EDITORS,  # "still correct"
    # platform administration (every organisation; see user_can_anywhere)
    "accounts.view": PLATFORM_ADMINS,  # organisations and their members (no participant data)
    "accounts.organisation_create": PLATFORM_ADMINS,
    "accounts.invite": PLATFORM_ADMINS,
    "accounts.roles_change": PLATFORM_ADMINS,
    "accounts.user_activate": PLATFORM_ADMINS,  # deactivate and reactivate a user
    "accounts.second_factor_reset": PLATFORM_ADMINS,  # a lost phone: set up anew at next login
    # volunteers (docs/volunteers.md): the coordinators run their organisation's pools ...
    "volunteer.manage": VOLUNTEER_COORDINATORS,  # pools, volunteers, proposals, bookings, hours
    "volunteer.export": VOLUNTEER_COORDINATORS,  # the monthly reimbursement list
    # ... counsellors and team leads ask for an interpreter or a tandem and confirm completion
    "volunteer.request": VOLUNTEER_REQUESTERS,
    # ... a volunteer sees only her own availability, offers and hours
    "volunteer.self": frozenset({Role.VOLUNTEER}),
    # funding administration: the applicant organisation's side (its own applications only) ...
    "funding.apply": FUNDING_APPLICANTS,  # list, create, edit drafts, submit
    "funding.proof_submit": FUNDING_APPLICANTS,  # the Verwendungsnachweis
    # ... and the granting authority's (applications to its own calls only)
    "funding.review": FUNDING_AUTHORITY,  # inbox, start the review, completeness, score
    "funding.decide": FUNDING_APPROVERS,  # approve with an amount, or reject
    "funding.pay": FUNDING_APPROVERS,  # tranches against the approved amount
    "funding.proof_check": FUNDING_AUTHORITY,  # accept or return the Verwendungsnachweis
    "funding.budget": FUNDING_AUTHORITY,  # budget per Kreis and year, planned and paid
    # ... and the networks of the funded projects (aggregates only, small counts suppressed)
    "funding.network": NETWORK_READERS,  # Verbund partners, offers, referral counts, coverage
    # ESF Plus reporting (docs/reporting.md): dashboards and exports in each role's scope
    "reports.dashboard": REPORT_READERS,
    "reports.export": REPORT_READERS,  # indicator tables as XLSX/CSV, always suppressed
    "reports.casework": CASEWORKERS,  # completeness list, the cases behind a figure
    "reports.monitoring_export": frozenset({Role.TEAM_LEAD}),  # pseudonymised, own organisation
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


def user_can_anywhere(user, action: str) -> bool:
    """Does ``user`` hold a role that grants ``action`` in any of their organisations?

    For the platform-wide actions (``accounts.*``); inactive and anonymous users: never.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    allowed = roles_with(action)
    return bool(allowed) and Membership.objects.filter(user=user, role__in=allowed).exists()


def organisations_where(user, action: str) -> QuerySet[Organisation]:
    """The organisations in which ``user`` holds a role granting ``action`` (none if anonymous)."""
    allowed = roles_with(action)
    if not allowed or not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    org_ids = Membership.objects.filter(user=user, role__in=allowed).values("organisation_id")
    return Organisation.objects.filter(pk__in=org_ids)


def directory_organisations(user) -> QuerySet[Organisation]:
    """The organisations whose offers ``user`` may edit (``offer.edit``; none for anonymous)."""
    return organisations_where(user, "offer.edit")
