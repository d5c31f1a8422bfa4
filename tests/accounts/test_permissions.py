"""The permissions table: deny by default, personal data only for caseworkers."""

from __future__ import annotations

import pytest

from wegweiser.accounts.models import Role
from wegweiser.accounts.permissions import PERMISSIONS, can, roles_of, user_can

PERSONAL_DATA_ACTIONS = [
    a
    for a in PERMISSIONS
    if a.split(".")[0] in ("participant", "case", "consent", "followup", "referral")
]


def test_unknown_actions_and_no_roles_are_denied():
    assert not can({Role.TEAM_LEAD}, "case.delete_everything")
    assert not can(set(), "case.view")
    assert not can({"unknown_role"}, "case.view")


@pytest.mark.parametrize(
    "role",
    [
        Role.NETWORK_COORDINATOR,
        Role.PROGRAMME_ADMIN,
        Role.DATA_PROTECTION_OFFICER,
        Role.PLATFORM_ADMIN,
        Role.OFFER_EDITOR,
        Role.FUNDING_APPLICANT,
        Role.FUNDING_REVIEWER,
        Role.FUNDING_APPROVER,
        Role.FUNDER,
    ],
)
@pytest.mark.parametrize("action", PERSONAL_DATA_ACTIONS)
def test_no_personal_data_outside_casework(role, action):
    assert not can({role}, action)


PERSONAL = {
    "participant.view",
    "participant.create",
    "participant.edit",
    "participant.export",
    "consent.record",
    "consent.withdraw",
    "case.view",
    "case.create",
    "case.edit",
    "case.transition",
    "case.enrol",
    "followup.record",
    "referral.send",
    "referral.receive",
}
OFFERS = {"offer.edit", "offer.publish", "offer.withdraw", "offer.verify"}
ADMINISTRATION = {
    "accounts.view",
    "accounts.organisation_create",
    "accounts.invite",
    "accounts.roles_change",
    "accounts.user_activate",
    "accounts.second_factor_reset",
}
#: funding administration (docs/funding.md)
FUNDING_APPLY = {"funding.apply", "funding.proof_submit"}
FUNDING_REVIEW = {"funding.review", "funding.proof_check", "funding.budget"}
#: the networks of the funded projects (aggregates, suppressed) and the coverage per Verbund
NETWORK = {"funding.network"}

#: The volunteer pools (docs/volunteers.md): coordinators run them, caseworkers ask them.
VOLUNTEER_POOLS = {"volunteer.manage", "volunteer.export"}
VOLUNTEER_REQUEST = {"volunteer.request"}

#: The whole table, spelled out per role: a new action or a changed grant must be made here too.
#: The ESF Plus reports (reporting): figures in the role's scope, exports always suppressed.
REPORTS = {"reports.dashboard", "reports.export"}
EXPECTED = {
    Role.COUNSELLOR: PERSONAL | OFFERS | VOLUNTEER_REQUEST | {"cases.start", "reports.casework"},
    Role.TEAM_LEAD: PERSONAL
    | OFFERS
    | VOLUNTEER_REQUEST
    | FUNDING_APPLY
    | REPORTS
    | {
        "cases.start",
        "participant.erase",
        "case.override_eligibility",
        "reports.aggregate",
        "reports.casework",
        "reports.monitoring_export",
    },
    Role.NETWORK_COORDINATOR: OFFERS | REPORTS | NETWORK | {"cases.start", "reports.aggregate"},
    Role.PROGRAMME_ADMIN: REPORTS | NETWORK | {"cases.start", "reports.aggregate"},
    Role.DATA_PROTECTION_OFFICER: {"cases.start", "audit.view"},
    Role.PLATFORM_ADMIN: ADMINISTRATION | {"cases.start"},
    Role.OFFER_EDITOR: OFFERS,
    # no case management for the volunteers' roles, the funding roles and the funder
    Role.VOLUNTEER_COORDINATOR: VOLUNTEER_POOLS,
    Role.VOLUNTEER: {"volunteer.self"},
    Role.FUNDING_APPLICANT: FUNDING_APPLY,
    Role.FUNDING_REVIEWER: FUNDING_REVIEW | NETWORK,
    Role.FUNDING_APPROVER: FUNDING_REVIEW | NETWORK | {"funding.decide", "funding.pay"},
    Role.FUNDER: REPORTS | NETWORK,
}


def test_every_role_is_in_the_expected_table():
    assert set(EXPECTED) == set(Role)


@pytest.mark.parametrize("role", list(Role))
def test_the_matrix(role):
    assert {a for a in PERMISSIONS if can({role}, a)} == EXPECTED[role]


@pytest.mark.parametrize("action", ["offer.withdraw", "offer.publish", "offer.edit"])
def test_dpo_and_platform_admin_cannot_touch_the_offers(action):
    for role in (Role.DATA_PROTECTION_OFFICER, Role.PLATFORM_ADMIN, Role.PROGRAMME_ADMIN):
        assert not can({role}, action)


def test_the_offer_maintainer_sees_no_case_management():
    granted = {a for a in PERMISSIONS if can({Role.OFFER_EDITOR}, a)}
    assert granted == OFFERS
    assert not can({Role.OFFER_EDITOR}, "cases.start")


@pytest.mark.django_db
def test_roles_are_per_organisation():
    from django.contrib.auth import get_user_model

    from wegweiser.accounts.models import Membership
    from wegweiser.organisations.models import Organisation

    a = Organisation.objects.create(name="A", kind="kommune")
    b = Organisation.objects.create(name="B", kind="kommune")
    user = get_user_model().objects.create_user("u")
    Membership.objects.create(user=user, organisation=a, role=Role.TEAM_LEAD)
    Membership.objects.create(user=user, organisation=b, role=Role.DATA_PROTECTION_OFFICER)
    assert roles_of(user, a) == {Role.TEAM_LEAD}
    assert user_can(user, a, "case.view") and not user_can(user, b, "case.view")
    assert user_can(user, b, "audit.view") and not user_can(user, a, "audit.view")
    assert roles_of(user, None) == frozenset()
