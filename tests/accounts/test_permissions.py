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
    ],
)
@pytest.mark.parametrize("action", PERSONAL_DATA_ACTIONS)
def test_no_personal_data_outside_casework(role, action):
    assert not can({role}, action)


def test_the_matrix():
    expected = {
        Role.COUNSELLOR: {"case.view", "case.enrol", "referral.send", "referral.receive"},
        Role.TEAM_LEAD: {"case.override_eligibility", "participant.erase", "reports.aggregate"},
        Role.NETWORK_COORDINATOR: {"reports.aggregate", "directory.edit"},
        Role.PROGRAMME_ADMIN: {"reports.aggregate"},
        Role.DATA_PROTECTION_OFFICER: {"audit.view"},
        Role.PLATFORM_ADMIN: set(),
    }
    for role, some in expected.items():
        granted = {a for a in PERMISSIONS if can({role}, a)}
        assert some <= granted, role
    assert {a for a in PERMISSIONS if can({Role.DATA_PROTECTION_OFFICER}, a)} == {"audit.view"}
    assert {a for a in PERMISSIONS if can({Role.PROGRAMME_ADMIN}, a)} == {"reports.aggregate"}
    assert not any(can({Role.PLATFORM_ADMIN}, a) for a in PERMISSIONS)
    assert not can({Role.COUNSELLOR}, "case.override_eligibility")
    assert not can({Role.COUNSELLOR}, "participant.erase")
    assert not can({Role.COUNSELLOR}, "audit.view")


@pytest.mark.django_db
def test_roles_are_per_organisation():
    from django.contrib.auth import get_user_model

    from wegweiser.accounts.models import Membership
    from wegweiser.directory.models import Organisation

    a = Organisation.objects.create(name="A", kind="kommune")
    b = Organisation.objects.create(name="B", kind="kommune")
    user = get_user_model().objects.create_user("u")
    Membership.objects.create(user=user, organisation=a, role=Role.TEAM_LEAD)
    Membership.objects.create(user=user, organisation=b, role=Role.DATA_PROTECTION_OFFICER)
    assert roles_of(user, a) == {Role.TEAM_LEAD}
    assert user_can(user, a, "case.view") and not user_can(user, b, "case.view")
    assert user_can(user, b, "audit.view") and not user_can(user, a, "audit.view")
    assert roles_of(user, None) == frozenset()
