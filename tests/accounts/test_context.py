"""The current organisation of a request: from the session, else the first by name."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from wegweiser.accounts.context import (
    SESSION_KEY,
    CurrentOrganisationMiddleware,
    current_organisation,
    organisation_select,
)
from wegweiser.accounts.models import Membership, Role
from wegweiser.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs():
    return (
        Organisation.objects.create(name="Beta e. V.", kind="wohlfahrtsverband"),
        Organisation.objects.create(name="Alpha gGmbH", kind="bildungstraeger"),
        Organisation.objects.create(name="Gamma", kind="kommune"),
    )


@pytest.fixture
def user(orgs):
    beta, alpha, _gamma = orgs
    user = get_user_model().objects.create_user("multi")
    Membership.objects.create(user=user, organisation=beta, role=Role.COUNSELLOR)
    Membership.objects.create(user=user, organisation=alpha, role=Role.COUNSELLOR)
    Membership.objects.create(user=user, organisation=alpha, role=Role.TEAM_LEAD)
    return user


def request_for(user, session=None):
    request = RequestFactory().get("/")
    request.user = user
    request.session = session if session is not None else SessionStore()
    return request


def run_middleware(request):
    seen = {}

    def view(req):
        seen["organisation"] = req.organisation
        seen["roles"] = req.roles
        seen["organisations"] = req.organisations
        return "response"

    assert CurrentOrganisationMiddleware(view)(request) == "response"
    return seen


def test_default_is_the_first_by_name(user, orgs):
    beta, alpha, _ = orgs
    seen = run_middleware(request_for(user))
    assert seen["organisation"] == alpha
    assert seen["roles"] == frozenset({Role.COUNSELLOR, Role.TEAM_LEAD})
    assert seen["organisations"] == (alpha, beta)


def test_the_session_choice_wins(user, orgs):
    beta, _, _ = orgs
    session = SessionStore()
    session[SESSION_KEY] = str(beta.pk)
    seen = run_middleware(request_for(user, session))
    assert seen["organisation"] == beta and seen["roles"] == {Role.COUNSELLOR}


def test_a_stale_or_foreign_choice_falls_back(user, orgs):
    _, alpha, gamma = orgs
    session = SessionStore()
    session[SESSION_KEY] = str(gamma.pk)  # not a member
    assert run_middleware(request_for(user, session))["organisation"] == alpha


def test_select_only_own_organisations(user, orgs):
    beta, _, gamma = orgs
    request = request_for(user)
    assert organisation_select(request, beta.pk) == beta
    assert request.session[SESSION_KEY] == str(beta.pk)
    assert request.organisation == beta and request.roles == {Role.COUNSELLOR}
    with pytest.raises(PermissionDenied):
        organisation_select(request, gamma.pk)
    assert request.session[SESSION_KEY] == str(beta.pk)


def test_anonymous_and_memberless(orgs, django_assert_num_queries):
    with django_assert_num_queries(0):
        seen = run_middleware(request_for(AnonymousUser()))
    assert seen["organisation"] is None and seen["roles"] == frozenset()
    loner = get_user_model().objects.create_user("loner")
    assert run_middleware(request_for(loner))["organisation"] is None


def test_resolved_once_per_request(user, orgs, django_assert_num_queries):
    request = request_for(user)
    with django_assert_num_queries(1):
        run_middleware(request)
        current_organisation(request)
        current_organisation(request)


def test_current_organisation_without_middleware(user, orgs):
    _, alpha, _ = orgs
    assert current_organisation(request_for(user)) == alpha
