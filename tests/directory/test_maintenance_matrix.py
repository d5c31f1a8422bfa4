"""Every role against every offer-maintenance action, GET and POST (the permissions table's
``offer.*`` actions). A denial is 403 (405 for a GET on a POST-only action; a login redirect for
anonymous visitors; 404 for another organisation's offer) and changes nothing; an allowed POST
does what it says. The data-protection officer, programme and platform administrators can no
longer withdraw (or touch) the organisation's offers; the offer maintainers can."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from wegweiser.accounts.models import Membership, Role
from wegweiser.directory.models import Offer
from wegweiser.organisations.models import Organisation

pytestmark = pytest.mark.django_db

#: Who may maintain offers, spelled out (tests/accounts/test_permissions.py has the table).
EDITORS = {Role.COUNSELLOR, Role.TEAM_LEAD, Role.NETWORK_COORDINATOR, Role.OFFER_EDITOR}
ROLES = [*(r.value for r in Role), "anonymous", "other_org_editor"]
NO_CASEWORK = {
    "offer_editor",
    "other_org_editor",
    "volunteer_coordinator",
    "volunteer",
    "funder",
    "funding_applicant",
    "funding_reviewer",
    "funding_approver",
}

BODY = {
    "name_de": "Sprachcafé am Abend",
    "description_de": "Wir sprechen Deutsch.",
    "themes": ["german-language"],
    "languages": ["de"],
    "modes": ["online"],
}

#: action -> (URL name, needs the offer, the offer's status before, methods allowed)
ACTIONS = {
    "list": ("directory:manage", None, Offer.PUBLISHED, {"get"}),
    "new": ("directory:manage-new", None, Offer.PUBLISHED, {"get", "post"}),
    "edit": ("directory:manage-edit", None, Offer.PUBLISHED, {"get", "post"}),
    "publish": ("directory:manage-action", "publish", Offer.DRAFT, {"post"}),
    "unpublish": ("directory:manage-action", "unpublish", Offer.PUBLISHED, {"post"}),
    "verify": ("directory:manage-action", "verify", Offer.PUBLISHED, {"post"}),
}


@pytest.fixture
def world(db):
    own = Organisation.objects.create(name="Eigene", kind="beratungsstelle")
    other = Organisation.objects.create(name="Andere", kind="verein")
    offer = Offer.objects.create(organisation=own, name={"de": "Unser Angebot"})
    users = {}
    User = get_user_model()
    for role in Role:
        users[role.value] = User.objects.create_user(role.value)
        Membership.objects.create(user=users[role.value], organisation=own, role=role)
    users["other_org_editor"] = User.objects.create_user("fremd")
    Membership.objects.create(
        user=users["other_org_editor"], organisation=other, role=Role.OFFER_EDITOR
    )
    return {"own": own, "offer": offer, "users": users}


def state() -> list:
    return list(
        Offer.objects.order_by("pk").values_list(
            "pk", "status", "last_verified", "name", "organisation_id", "updated_at"
        )
    )


def url_of(action: str, offer: Offer) -> str:
    name, slug, _status, _methods = ACTIONS[action]
    if name == "directory:manage-action":
        return reverse(name, kwargs={"offer_id": offer.pk, "action": slug})
    if name == "directory:manage-edit":
        return reverse(name, kwargs={"offer_id": offer.pk})
    return reverse(name)


def body(action: str, world) -> dict:
    if action in ("new", "edit"):
        return {**BODY, "organisation": str(world["own"].pk)}
    return {}


def did_it(action: str, before: list, offer: Offer) -> bool:
    offer.refresh_from_db()
    if action == "publish":
        return offer.status == Offer.PUBLISHED
    if action == "unpublish":
        return offer.status == Offer.DRAFT
    if action == "verify":
        return offer.last_verified is not None
    if action == "new":
        return len(state()) == len(before) + 1
    if action == "edit":
        return offer.name == {"de": "Sprachcafé am Abend"}
    raise AssertionError(action)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("method", ["get", "post"])
def test_maintenance_matrix(client, world, role, action, method):
    offer = world["offer"]
    Offer.objects.filter(pk=offer.pk).update(status=ACTIONS[action][2])
    offer.refresh_from_db()
    if role != "anonymous":
        client.force_login(world["users"][role])
    before = state()
    response = getattr(client, method)(url_of(action, offer), body(action, world) or None)
    status = response.status_code
    method_ok = method in ACTIONS[action][3]
    if role == "anonymous":
        assert status == 302 and "/konto/login/" in response["Location"]
    elif role == "other_org_editor" and action in ("edit", "publish", "unpublish", "verify"):
        # another organisation's offer: like a missing one
        assert status == (404 if method_ok else 405)
    elif role == "other_org_editor" and action == "new" and method == "post":
        # an offer for an organisation one does not maintain: refused on the form
        assert status in (200, 400) and "field-error" in response.content.decode()
    elif role == "other_org_editor" or Role(role) in EDITORS:
        if not method_ok:
            assert status == 405
        elif method == "get":
            assert status == 200
        else:
            assert status == 302, response.content.decode()[:2000]
            assert did_it(action, before, offer), (role, action)
            return
    else:
        # no offer.* right in any organisation: 403 (405 if the method is wrong anyway)
        assert status == (403 if method_ok else 405), (role, action, method, status)
    assert state() == before


def test_the_nav_shows_the_maintenance_only_to_those_who_may(client, world):
    for role, user in world["users"].items():
        client.force_login(user)
        html = client.get(reverse("directory:search")).content.decode()
        shown = f'href="{reverse("directory:manage")}"' in html
        assert shown == (role == "other_org_editor" or Role(role) in EDITORS), role
        cases = f'href="{reverse("cases:start")}"' in html
        # the offer maintainers and the funding roles do not work in case management
        assert cases == (role not in NO_CASEWORK), role
