"""Every role against every URL of the volunteers app, GET and POST, own and foreign objects.

The URL list comes from the URLconf: a new ``volunteers:`` URL without an entry in ``MATRIX``
fails :func:`test_every_url_has_a_matrix_entry`. A denial answers 403 or 404 (a login redirect
for anonymous visitors) and changes no table of the volunteers, cases, audit and accounts apps.
Another organisation's object (its pool, volunteer, booking, tandem, case) answers 404 even for
the roles that may use the URL, and changes nothing either.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.volunteers.conftest import request_for
from wegweiser.accounts.models import Membership, Role
from wegweiser.volunteers import services

MANAGE = frozenset({"volunteer_coordinator"})
REQUEST = frozenset({"counsellor", "team_lead"})
SELF = frozenset({"volunteer"})
PUBLIC = "public"
ROLE_OF = {role.value: role for role in Role}
ROLES = [*sorted(ROLE_OF), "anonymous"]


@dataclass(frozen=True)
class Entry:
    allowed: frozenset[str] | str
    objects: tuple[tuple[str, str], ...] = ()


def _o(**kwargs) -> tuple[tuple[str, str], ...]:
    return tuple(kwargs.items())


B = _o(booking_id="booking")
MATRIX: dict[str, Entry] = {
    "volunteers:dashboard": Entry(MANAGE),
    "volunteers:week": Entry(MANAGE),
    "volunteers:list": Entry(MANAGE),
    "volunteers:volunteer-new": Entry(MANAGE),
    "volunteers:volunteer": Entry(MANAGE, _o(volunteer_id="volunteer")),
    "volunteers:volunteer-export": Entry(MANAGE, _o(volunteer_id="volunteer")),
    "volunteers:volunteer-erase": Entry(MANAGE, _o(volunteer_id="volunteer")),
    "volunteers:pool": Entry(MANAGE, _o(pool_id="pool")),
    "volunteers:booking": Entry(MANAGE, B),
    "volunteers:booking-propose": Entry(MANAGE, B),
    "volunteers:booking-step": Entry(MANAGE, B),
    "volunteers:booking-hours": Entry(MANAGE, B),
    "volunteers:tandem": Entry(MANAGE, _o(tandem_id="tandem")),
    "volunteers:reimbursement": Entry(MANAGE, _o(pool_id="pool")),
    "volunteers:export-csv": Entry(MANAGE, _o(pool_id="pool")),
    "volunteers:export-xlsx": Entry(MANAGE, _o(pool_id="pool")),
    "volunteers:request-new": Entry(REQUEST, _o(case_id="case")),
    "volunteers:tandem-new": Entry(REQUEST, _o(case_id="case")),
    "volunteers:requests": Entry(REQUEST),
    "volunteers:booking-done": Entry(REQUEST, B),
    "volunteers:me": Entry(SELF),
    "volunteers:direct-request-new": Entry(MANAGE),
    "volunteers:direct-tandem-new": Entry(MANAGE),
    "volunteers:direct-booking-done": Entry(MANAGE, B),
    # public; a wrong token is a 404 for everyone and changes nothing
    "volunteers:answer": Entry(PUBLIC, _o(answer_token="token")),
}

#: POST bodies that would change something if the request were let through.
POST_DATA = {
    "volunteers:volunteer-new": {
        "first_name": "Neu",
        "last_name": "Person",
        "postcode": "35390",
        "radius_km": "10",
        "modes": ["phone"],
        "max_hours_month": "5",
        "max_tandems": "1",
    },
    "volunteers:volunteer": {"part": "language", "language-language": "so", "language-level": "5"},
    "volunteers:booking-propose": {"volunteer": "{volunteer}"},
    "volunteers:volunteer-erase": {"confirm": "yes"},
    "volunteers:pool": {
        "name": "Neuer Name",
        "lead_days": "3",
        "late_cancel_hours": "24",
        "allowance_eur": "840",
    },
    "volunteers:booking-step": {"step": "cancel"},
    "volunteers:booking-hours": {"hours": "1", "km": "1"},
    "volunteers:tandem": {"action": "start", "volunteer": "{volunteer}"},
    "volunteers:booking-done": {"step": "cancel"},
    "volunteers:answer": {"decision": "accept"},
    "volunteers:direct-request-new": {
        "person_label": "Frau K.",
        "pool": "{pool}",
        "institution": "Schule",
        "day": "2099-03-02",
        "time": "10:00",
        "duration_minutes": "60",
        "mode": "phone",
        "address": "0641 1234",
        "language": "ar",
        "topic": "school",
        "setting": "parents",
    },
    "volunteers:direct-tandem-new": {
        "person_label": "Herr M.",
        "pool": "{pool}",
        "language": "uk",
        "topic": "everyday",
    },
}


def _names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _names(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_every_url_has_a_matrix_entry():
    assert {n for n in _names(get_resolver()) if n.startswith("volunteers:")} == set(MATRIX)


def _objects(side) -> dict:
    booking = request_for(side)
    tandem = services.tandem_request(
        by=side.counsellor,
        organisation=side.org,
        pool=side.pool,
        case=side.case,
        language="ar",
        topic="everyday",
    )
    return {
        "booking": booking,
        "tandem": tandem,
        "volunteer": side.near,
        "pool": side.pool,
        "case": side.case,
        "token": "kein-gueltiger-token",
    }


@pytest.fixture
def world(side_a, side_b):
    users = {}
    User = get_user_model()
    for key, role in ROLE_OF.items():
        user = User.objects.create_user(f"matrix-{key}", password="x")
        Membership.objects.create(user=user, organisation=side_a.org, role=role)
        users[key] = user
    return {"own": _objects(side_a), "other": _objects(side_b), "users": users}


def snapshot() -> dict[str, list]:
    state = {}
    models = [
        *apps.get_app_config("volunteers").get_models(),
        *apps.get_app_config("cases").get_models(),
        *apps.get_app_config("audit").get_models(),
        Membership,
        get_user_model(),
    ]
    for model in models:
        rows = model.objects.order_by("pk").values()
        state[model._meta.label] = [repr(sorted(r.items())) for r in rows]
    return state


def _url(name: str, entry: Entry, objects: dict) -> str:
    return reverse(
        name,
        kwargs={
            k: objects[v] if isinstance(objects[v], str) else objects[v].pk
            for k, v in entry.objects
        },
    )


def _post_data(name: str, objects: dict) -> dict:
    data = dict(POST_DATA.get(name, {}))
    for key, value in data.items():
        if value in ("{volunteer}", "{pool}"):
            data[key] = str(objects[value.strip("{}")].pk)
    return data


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/konto/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_matrix(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    failures = []
    for name, entry in sorted(MATRIX.items()):
        allowed = entry.allowed == PUBLIC or role in entry.allowed
        for method in ("get", "post"):
            variants = [("own", world["own"])]
            if entry.objects:
                variants.insert(0, ("other", world["other"]))  # foreign first: still unchanged
            for which, objects in variants:
                url = _url(name, entry, objects)
                data = _post_data(name, objects) if method == "post" else None
                before = snapshot()
                response = getattr(client, method)(url, data)
                status = response.status_code
                label = f"{role} {method.upper()} {name} ({which}): {status}"
                if entry.allowed == PUBLIC:
                    ok = status == 404 and snapshot() == before
                elif role == "anonymous":
                    ok = _is_login_redirect(response) and snapshot() == before
                elif not allowed:
                    ok = status in (403, 404) and snapshot() == before
                elif which == "other":
                    ok = status in (404, 405) and snapshot() == before
                else:
                    ok = status not in (403, 404)
                if not ok:
                    failures.append(label)
    assert failures == [], "\n".join(failures)


def test_a_foreign_coordinator_gets_404_for_each_object(client, world, side_b):
    """Org B's coordinator against org A's objects: all 404 (or 403 where the role lacks the
    right), nothing changed."""
    client.force_login(side_b.coordinator)
    for name, entry in MATRIX.items():
        if not entry.objects or entry.allowed == PUBLIC:
            continue
        before = snapshot()
        for method in ("get", "post"):
            response = getattr(client, method)(
                _url(name, entry, world["own"]), _post_data(name, world["own"])
            )
            expected = (404, 405) if "volunteer_coordinator" in entry.allowed else (403,)
            assert response.status_code in expected, (name, method, response.status_code)
        assert snapshot() == before, name
