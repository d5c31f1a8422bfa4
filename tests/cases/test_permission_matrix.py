"""Every role against every case-related and account URL, GET and POST, own and foreign objects.

The URL list comes from the URLconf: a new URL in the ``cases`` or ``accounts`` namespace without
an entry in ``MATRIX`` fails :func:`test_every_url_has_a_matrix_entry`. A denial must answer
403 or 404 (a login redirect for anonymous visitors) and leave every table of the case and
accounts apps exactly as it was, audit log included. Another organisation's object answers 404
even for the roles that may use the URL. The platform administration (``accounts:admin-*``) is
platform-wide: it has no foreign objects, only roles without the right.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.cases.conftest import ENTRY, case_in_status, new_participant
from wegweiser.accounts.models import Membership, Role
from wegweiser.cases import services
from wegweiser.cases.models import CaseStatus, ConsentPurpose, SharedField
from wegweiser.cases.services import followup
from wegweiser.directory.models import Offer
from wegweiser.organisations.models import Organisation
from wegweiser.programmes.models import Project

CASEWORK = frozenset({"counsellor", "team_lead"})
LEAD = frozenset({"team_lead"})
DPO = frozenset({"dpo"})
PLATFORM = frozenset({"platform_admin"})
#: Every role of case management (the start page); the offer maintainers are not among them.
STAFF = frozenset(
    {
        "counsellor",
        "team_lead",
        "network_coordinator",
        "programme_admin",
        "dpo",
        "platform_admin",
        "other_org",
    }
)
ANY_USER = STAFF | {"offer_editor"}
PUBLIC = "public"
ROLES = [*sorted(ANY_USER), "anonymous"]
ROLE_OF = {
    "counsellor": Role.COUNSELLOR,
    "team_lead": Role.TEAM_LEAD,
    "network_coordinator": Role.NETWORK_COORDINATOR,
    "programme_admin": Role.PROGRAMME_ADMIN,
    "dpo": Role.DATA_PROTECTION_OFFICER,
    "platform_admin": Role.PLATFORM_ADMIN,
    "offer_editor": Role.OFFER_EDITOR,
}


@dataclass(frozen=True)
class Entry:
    allowed: frozenset[str] | str
    #: URL kwargs -> which fixture object (``referral`` is one the organisation sent,
    #: ``received`` one it received)
    objects: tuple[tuple[str, str], ...] = ()
    #: False for platform-wide URLs: no other organisation's objects to hide
    scoped: bool = True


def _o(**kwargs) -> tuple[tuple[str, str], ...]:
    return tuple(kwargs.items())


P = _o(participant_id="participant")
C = _o(case_id="case")
ORG = _o(organisation_id="organisation")
MEMBER = ORG + _o(user_id="member")
MATRIX: dict[str, Entry] = {
    "cases:start": Entry(STAFF),
    "cases:audit-log": Entry(DPO),
    "cases:participant-new": Entry(CASEWORK),
    "cases:participant": Entry(CASEWORK, P),
    "cases:participant-edit": Entry(CASEWORK, P),
    "cases:residence-add": Entry(CASEWORK, P),
    "cases:household": Entry(CASEWORK, P),
    "cases:consent-add": Entry(CASEWORK, P),
    "cases:consent-withdraw": Entry(CASEWORK, P + _o(consent_id="consent")),
    "cases:case-open": Entry(CASEWORK, P),
    "cases:export-json": Entry(CASEWORK, P),
    "cases:export-html": Entry(CASEWORK, P),
    "cases:participant-erase": Entry(LEAD, P),
    "cases:case": Entry(CASEWORK, C),
    "cases:case-clearing": Entry(CASEWORK, C),
    "cases:case-enrol": Entry(CASEWORK, C),
    "cases:case-followup": Entry(CASEWORK, C),
    "cases:case-close": Entry(CASEWORK, C),
    "cases:case-dropout": Entry(CASEWORK, C),
    "cases:case-assign": Entry(CASEWORK, C),
    "cases:esf-entry": Entry(CASEWORK, C),
    "cases:esf-exit": Entry(CASEWORK, C),
    "cases:goal-add": Entry(CASEWORK, C),
    "cases:goal-status": Entry(CASEWORK, C + _o(goal_id="goal")),
    "cases:contact-add": Entry(CASEWORK, C),
    "cases:task-add": Entry(CASEWORK, C),
    "cases:task-done": Entry(CASEWORK, C + _o(task_id="task")),
    "cases:followup-record": Entry(CASEWORK, C + _o(followup_id="followup")),
    "cases:referral-new": Entry(CASEWORK, C),
    "cases:referral-send": Entry(CASEWORK, _o(referral_id="referral")),
    "cases:referral-withdraw": Entry(CASEWORK, _o(referral_id="referral")),
    "cases:referral-link": Entry(CASEWORK, _o(referral_id="referral")),
    "cases:inbox": Entry(CASEWORK),
    "cases:received": Entry(CASEWORK, _o(referral_id="received")),
    "cases:received-accept": Entry(CASEWORK, _o(referral_id="received")),
    "cases:received-refuse": Entry(CASEWORK, _o(referral_id="received")),
    "cases:received-open-case": Entry(CASEWORK, _o(referral_id="received")),
    "cases:received-complete": Entry(CASEWORK, _o(referral_id="received")),
    # public; a wrong token is a 404 for everyone and changes nothing
    "cases:link-answer": Entry(PUBLIC, _o(token="token")),
    "accounts:organisation-switch": Entry(ANY_USER, _o()),
    "accounts:home": Entry(ANY_USER),
    # what protects one's own account (second factor, recovery codes): everyone's own
    "accounts:security": Entry(ANY_USER),
    # public; a wrong token shows "this link is no longer valid" and changes nothing
    "accounts:invitation": Entry(PUBLIC, _o(uidb64="uidb64", token="token")),
    "accounts:admin-organisations": Entry(PLATFORM),
    "accounts:admin-organisation-new": Entry(PLATFORM),
    "accounts:admin-organisation": Entry(PLATFORM, ORG, scoped=False),
    "accounts:admin-invite": Entry(PLATFORM, ORG, scoped=False),
    "accounts:admin-member": Entry(PLATFORM, MEMBER, scoped=False),
    "accounts:admin-invitation-resend": Entry(PLATFORM, MEMBER, scoped=False),
    "accounts:admin-deactivate": Entry(PLATFORM, MEMBER, scoped=False),
    "accounts:admin-reactivate": Entry(PLATFORM, MEMBER, scoped=False),
    "accounts:admin-second-factor-reset": Entry(PLATFORM, MEMBER, scoped=False),
}

#: POST bodies that would change something if the request were let through.
POST_DATA = {
    "cases:participant-new": {"given_name": "Neu", "family_name": "Person"},
    "cases:participant-edit": {"given_name": "X", "family_name": "Y", "version": "1"},
    "cases:residence-add": {"residence-title": "duldung", "residence-valid_from": "2025-01-01"},
    "cases:household": {"household-relation": "main_person", "household-version": "1"},
    "cases:consent-add": {
        "consent-purpose": "counselling",
        "consent-given_on": "2025-01-01",
        "consent-text_version": "1",
        "consent-channel": "oral",
    },
    "cases:case-dropout": {"dropout-reason": "moved", "dropout-version": "1"},
    "cases:case-close": {"close-exit_date": "2026-01-10", "close-version": "1"},
    "cases:case-assign": {"assign-version": "1"},
    "cases:goal-add": {"goal-title": "Ziel"},
    "cases:goal-status": {"status": "achieved"},
    "cases:contact-add": {
        "contact-date": "2025-06-03",
        "contact-duration_minutes": "30",
        "contact-channel": "phone",
    },
    "cases:task-add": {"task-title": "Aufgabe"},
    "cases:followup-record": {
        "still_in_work_or_training": "yes",
        "dropout_risk": "low",
        "long_term_result": "employed",
    },
    "cases:received-refuse": {"refuse-reason": "no_capacity"},
    "cases:received-complete": {"complete-outcome": "support_given"},
    "cases:link-answer": {"decision": "accept"},
    "accounts:invitation": {"new_password1": "Lang-genug-2026", "new_password2": "Lang-genug-2026"},
    "accounts:admin-organisation-new": {"name": "Neue Organisation", "kind": "verein"},
    "accounts:admin-invite": {
        "email": "neu@example.org",
        "roles": ["counsellor"],
        "language": "de",
    },
    "accounts:admin-member": {"roles": ["team_lead"]},
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


def case_urls() -> set[str]:
    return {n for n in _names(get_resolver()) if n.startswith(("cases:", "accounts:"))}


def test_every_url_has_a_matrix_entry():
    assert case_urls() == set(MATRIX)


# --- the world: two organisations with the same objects, and a third that refers to both ------


def _organisation_objects(org, by, project, offer_elsewhere, recipient, name):
    person = new_participant(org, by, family_name=name)
    consent = services.consent_record(
        person,
        by=by,
        purpose=ConsentPurpose.REFERRAL_SHARING,
        recipient=recipient,
        shared_fields=[SharedField.NAME],
        given_on=dt.date(2025, 6, 1),
        text_version="2025-01",
        channel="written",
    )
    case = case_in_status(person, CaseStatus.FOLLOWUP, project=project, counsellor=by)
    followups = followup.followups_schedule(case, start_date=ENTRY, situation="work")
    goal = services.goal_create(case, by=by, title="Deutsch B1")
    task = services.task_create(case, by=by, title="Anruf")
    referral = services.referral_create(case, by=by, offer=offer_elsewhere)
    services.referral_send(referral, by=by)
    return {
        "participant": person,
        "consent": consent,
        "case": case,
        "followup": followups[-1],
        "goal": goal,
        "task": task,
        "referral": referral,
    }


@pytest.fixture
def world(db, org_a, org_b, org_c, wir_round, make_user):
    offers = {
        org: Offer.objects.create(organisation=org, name={"de": f"Angebot {org.name}"}, status="p")
        for org in (org_a, org_b, org_c)
    }
    for offer in offers.values():
        offer.status = Offer.PUBLISHED
        offer.save(update_fields=["status"])
    staff = {org: make_user(org, Role.COUNSELLOR) for org in (org_a, org_b, org_c)}
    projects = {
        org: Project.objects.create(
            name=f"WIR {org.name}", funding_round=wir_round, carrier=org, start=dt.date(2022, 10, 1)
        )
        for org in (org_a, org_b)
    }
    own = _organisation_objects(org_a, staff[org_a], projects[org_a], offers[org_b], org_b, "Eins")
    other = _organisation_objects(
        org_b, staff[org_b], projects[org_b], offers[org_c], org_c, "Zwei"
    )
    # org_c refers one person to org_a and one to org_b: their inboxes
    for org, objects in ((org_a, own), (org_b, other)):
        person = new_participant(org_c, staff[org_c], family_name=f"Drei {org.name}")
        services.consent_record(
            person,
            by=staff[org_c],
            purpose=ConsentPurpose.REFERRAL_SHARING,
            recipient=org,
            shared_fields=[SharedField.NAME],
            given_on=dt.date(2025, 6, 1),
            text_version="2025-01",
            channel="written",
        )
        case = services.case_open(person, by=staff[org_c])
        received = services.referral_create(case, by=staff[org_c], offer=offers[org])
        services.referral_send(received, by=staff[org_c])
        objects["received"] = received
    own["token"] = other["token"] = "kein-gueltiger-token"
    own["uidb64"] = other["uidb64"] = "MQ"
    own["organisation"], other["organisation"] = org_a, org_b
    own["member"], other["member"] = staff[org_a], staff[org_b]
    users = {}
    for key, role in ROLE_OF.items():
        users[key] = make_user(org_a, role, name=key)
    users["other_org"] = staff[org_b]
    return {"own": own, "other": other, "users": users, "org_a": org_a, "org_b": org_b}


def snapshot() -> dict[str, list]:
    """Every row of every table of the cases, audit and accounts apps (the users and their
    second-factor devices too)."""
    state = {}
    models = [
        *apps.get_app_config("cases").get_models(),
        *apps.get_app_config("audit").get_models(),
        # the second factor: the reset deletes a person's app and recovery codes
        *apps.get_app_config("otp_totp").get_models(),
        *apps.get_app_config("otp_static").get_models(),
        Membership,
        get_user_model(),
    ]
    for model in models:
        rows = model.objects.order_by("pk").values()
        state[model._meta.label] = [repr(sorted(r.items())) for r in rows]
    state["organisations.Organisation"] = list(Organisation.objects.values_list("pk", flat=True))
    return state


def _url(name: str, entry: Entry, objects: dict) -> str:
    return reverse(
        name,
        kwargs={
            k: objects[v] if isinstance(objects[v], str) else objects[v].pk
            for k, v in entry.objects
        },
    )


def _post_data(name: str, world) -> dict:
    if name == "accounts:organisation-switch":
        return {"organisation": str(world["org_b"].pk)}
    return POST_DATA.get(name, {"version": "1", "clearing-version": "1"})


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/konto/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_matrix(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    failures = []
    # the erasure last: it removes the objects the other URLs use
    for name, entry in sorted(
        MATRIX.items(), key=lambda i: (i[0] == "cases:participant-erase", i[0])
    ):
        acting = "counsellor" if role == "other_org" else role  # org B's counsellor
        allowed = entry.allowed == PUBLIC or acting in entry.allowed
        for method in ("get", "post"):
            variants = [("own", world["own"])]
            if entry.objects and entry.scoped:
                variants.append(("other", world["other"]))
            for which, objects in variants:
                url = _url(name, entry, objects)
                data = _post_data(name, world) if method == "post" else None
                before = snapshot()
                response = getattr(client, method)(url, data)
                status = response.status_code
                label = f"{role} {method.upper()} {name} ({which}): {status}"
                # org B's counsellor: org A's objects ("own") are foreign, org B's are theirs
                foreign = bool(entry.objects) and (which == "other") != (role == "other_org")
                if name == "cases:link-answer":
                    ok = status == 404 and snapshot() == before
                elif name == "accounts:invitation":
                    ok = status == 200 and snapshot() == before
                elif role == "anonymous":
                    ok = _is_login_redirect(response) and snapshot() == before
                elif name == "accounts:organisation-switch":
                    # a POST for org B: 403 unless the user belongs to it
                    ok = (status in (302, 405)) if role == "other_org" else status in (403, 405)
                    ok = ok and (role == "other_org" or snapshot() == before)
                elif not allowed:
                    ok = status in (403, 404) and snapshot() == before
                elif foreign:
                    # 404 like a missing object (405 for the wrong method, which is answered
                    # before any object is looked up)
                    ok = status in (404, 405) and snapshot() == before
                else:
                    ok = status not in (403, 404)
                if not ok:
                    failures.append(label)
    assert failures == [], "\n".join(failures)


def test_the_other_organisations_counsellor_gets_404_for_each_object(client, world):
    """The inverse view: org B's counsellor against org A's objects (all 404, no change)."""
    client.force_login(world["users"]["other_org"])
    for name, entry in MATRIX.items():
        if not entry.objects or entry.allowed == PUBLIC:
            continue
        before = snapshot()
        for method in ("get", "post"):
            response = getattr(client, method)(
                _url(name, entry, world["own"]), _post_data(name, world)
            )
            expected = (404, 405) if "counsellor" in entry.allowed else (403,)
            assert response.status_code in expected, (name, method, response.status_code)
            if response.status_code == 405:
                assert method.upper() not in response["Allow"]
        assert snapshot() == before, name


@pytest.mark.parametrize(
    "role", ["network_coordinator", "programme_admin", "dpo", "platform_admin"]
)
def test_start_page_shows_no_person_outside_casework(client, world, role):
    client.force_login(world["users"][role])
    page = client.get(reverse("cases:start")).content.decode()
    assert "Eins" not in page and "Haddad" not in page and "Amina" not in page
