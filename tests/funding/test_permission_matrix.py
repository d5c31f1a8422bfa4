"""Every funding URL × every role, GET and POST, own and foreign applications.

A new URL in the ``funding`` namespace without an entry in ``MATRIX`` fails
:func:`test_every_url_has_a_matrix_entry`. A denial answers 403 or 404 (a login redirect for
anonymous visitors) and changes no table of the funding app, the audit log, the projects or the
memberships. Another organisation's application answers 404 even for the roles that may use the
URL: Kreis B's applicant never sees Kreis A's application, an authority only the applications
to its own calls.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.funding.conftest import TODAY
from wegweiser.accounts.models import Membership, Role
from wegweiser.audit.models import AuditEntry
from wegweiser.funding import services
from wegweiser.funding.models import Call
from wegweiser.organisations.models import Organisation
from wegweiser.programmes.models import Project

APPLY = frozenset({"funding_applicant", "team_lead"})
REVIEW = frozenset({"funding_reviewer", "funding_approver"})
APPROVE = frozenset({"funding_approver"})
BOTH = APPLY | REVIEW
#: the networks of the funded projects (docs/funding.md): coordinators, programme
#: administrators, funders, the authority
NETWORK = frozenset(
    {"network_coordinator", "programme_admin", "funder", "funding_reviewer", "funding_approver"}
)
#: programme administrators and funders see every project of their programme: the other
#: Kreis's project (same programme) is theirs to see too
PROGRAMME_WIDE = frozenset({"programme_admin", "funder"})
PUBLIC = "public"
#: the roles at Kreis A (the applicant) or at the authority; the last two act for the others
AT_KREIS = ["funding_applicant", "team_lead", "counsellor", "network_coordinator",
            "programme_admin", "funder", "dpo", "platform_admin", "offer_editor"]  # fmt: skip
AT_AUTHORITY = ["funding_reviewer", "funding_approver"]
OTHERS = {"other_applicant": "funding_applicant", "other_authority": "funding_approver"}
ROLES = [*AT_KREIS, *AT_AUTHORITY, *OTHERS, "anonymous"]


@dataclass(frozen=True)
class Entry:
    allowed: frozenset[str] | str
    #: the application (in which state) the URL is about; "project": the project its
    #: approval created
    state: str | None = None
    #: roles for which the other organisation's object is not foreign
    shared: frozenset[str] = frozenset()


MATRIX: dict[str, Entry] = {
    "funding:home": Entry(BOTH),
    "funding:application-new": Entry(APPLY),
    "funding:application": Entry(BOTH, "approved"),
    "funding:notice": Entry(BOTH, "approved"),
    "funding:submit": Entry(APPLY, "draft"),
    "funding:proof": Entry(APPLY, "approved"),
    "funding:inbox": Entry(REVIEW),
    "funding:review-start": Entry(REVIEW, "submitted"),
    "funding:review": Entry(REVIEW, "in_review"),
    "funding:decide": Entry(APPROVE, "in_review"),
    "funding:pay": Entry(APPROVE, "approved"),
    "funding:proof-check": Entry(REVIEW, "proof_submitted"),
    "funding:budget": Entry(REVIEW),
    "funding:coverage": Entry(PUBLIC),
    "funding:coverage-csv": Entry(PUBLIC),
    "funding:networks": Entry(NETWORK),
    "funding:network": Entry(NETWORK, "project", shared=PROGRAMME_WIDE),
    "funding:network-coverage": Entry(NETWORK),
    "funding:network-coverage-csv": Entry(NETWORK),
}

POST_DATA = {
    "funding:application-new": {"title": "Neu", "total_eur": "100", "line_staff": "100"},
    "funding:proof": {"narrative": "Bericht"},
    "funding:review": {"complete_budget": "on", "notes": "gut", "score": "5"},
    "funding:decide": {"outcome": "reject", "reason": "nein"},
    "funding:pay": {"amount_eur": "1000", "paid_on": "2026-02-01"},
    "funding:proof-check": {"outcome": "accept"},
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
    assert {n for n in _names(get_resolver()) if n.startswith("funding:")} == set(MATRIX)


def _applications(kreis, applicant, call, reviewer, approver, region) -> dict:
    def new(title):
        return services.application_create(
            by=applicant,
            organisation=kreis,
            call=call,
            title=title,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 12, 31),
            regions=[region],
            total_eur=Decimal("50000"),
            lines=[("staff", Decimal("50000"))],
        )

    def to(state, title):
        app = new(title)
        if state == "draft":
            return app
        services.application_submit(app, by=applicant, today=TODAY)
        if state == "submitted":
            return app
        services.review_start(app, by=reviewer)
        if state == "in_review":
            return app
        services.review_record(
            app,
            by=reviewer,
            complete_budget=True,
            complete_period=True,
            complete_regions=True,
            complete_eligible=True,
        )
        services.approve(app, by=approver, amount_eur=Decimal("40000"))
        services.pay(app, by=approver, amount_eur=Decimal("10000"), paid_on=TODAY)
        if state == "approved":
            return app
        services.proof_submit(
            app, by=applicant, narrative="Bericht", actuals={app.budget_lines.get().pk: 9000}
        )
        return app

    states = ["draft", "submitted", "in_review", "approved", "proof_submitted"]
    return {s: to(s, f"Vorhaben {kreis.name} {s}") for s in states}


@pytest.fixture
def world(db, kreis_a, kreis_b, rp, call, region, make_user):
    rp2 = Organisation.objects.create(name="Anderes Regierungspräsidium", kind="sonstige")
    call2 = Call.objects.create(
        funding_round=call.funding_round,
        authority=rp2,
        title="Anderer Aufruf",
        year=2026,
        budget_eur=Decimal("100000"),
        cap_eur=Decimal("50000"),
        opens=call.opens,
        closes=call.closes,
    )
    users = {}
    for role in AT_KREIS:
        users[role] = make_user(kreis_a, Role(role), name=role)
    for role in AT_AUTHORITY:
        users[role] = make_user(rp, Role(role), name=role)
    users["other_applicant"] = make_user(kreis_b, Role.FUNDING_APPLICANT, name="other-a")
    users["other_authority"] = make_user(
        rp2, Role.FUNDING_REVIEWER, Role.FUNDING_APPROVER, name="other-rp"
    )
    own = _applications(
        kreis_a, users["funding_applicant"], call, users["funding_reviewer"],
        users["funding_approver"], region,
    )  # fmt: skip
    other = _applications(
        kreis_b, users["other_applicant"], call2, users["other_authority"],
        users["other_authority"], region,
    )  # fmt: skip
    return {"own": own, "other": other, "users": users}


def snapshot() -> dict[str, list]:
    models = [*apps.get_app_config("funding").get_models(), AuditEntry, Project, Membership]
    return {
        m._meta.label: [repr(sorted(r.items())) for r in m.objects.order_by("pk").values()]
        for m in models
    }


def _url(name: str, entry: Entry, objects: dict) -> str:
    if entry.state is None:
        return reverse(name)
    if entry.state == "project":
        return reverse(name, kwargs={"project_id": objects["approved"].project_id})
    return reverse(name, kwargs={"application_id": objects[entry.state].pk})


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/konto/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_matrix(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    acting = OTHERS.get(role, role)
    failures = []
    for name, entry in MATRIX.items():
        allowed = entry.allowed == PUBLIC or acting in entry.allowed
        for method in ("get", "post"):
            variants = [("own", world["own"])]
            if entry.state:
                variants.append(("other", world["other"]))
            for which, objects in variants:
                url = _url(name, entry, objects)
                before = snapshot()
                data = POST_DATA.get(name, {}) if method == "post" else None
                response = getattr(client, method)(url, data)
                status = response.status_code
                foreign = bool(entry.state) and (which == "other") != (role in OTHERS)
                foreign = foreign and acting not in entry.shared
                if entry.allowed == PUBLIC:
                    ok = status in (200, 405) and snapshot() == before
                elif role == "anonymous":
                    ok = _is_login_redirect(response) and snapshot() == before
                elif not allowed:
                    ok = status in (403, 404) and snapshot() == before
                elif foreign:
                    ok = status in (404, 405) and snapshot() == before
                else:
                    ok = status not in (403, 404)
                if not ok:
                    failures.append(f"{role} {method.upper()} {name} ({which}): {status}")
    assert failures == [], "\n".join(failures)


def test_an_applicant_never_sees_another_applicants_application(client, world):
    """Kreis B's applicant: every page of every Kreis A application is a 404, nothing changes;
    and the list of Kreis B shows none of Kreis A's."""
    client.force_login(world["users"]["other_applicant"])
    before = snapshot()
    for name, entry in MATRIX.items():
        if entry.state is None or entry.state == "project":
            continue
        for app in world["own"].values():
            url = reverse(name, kwargs={"application_id": app.pk})
            for method in ("get", "post"):
                response = getattr(client, method)(url, POST_DATA.get(name, {}))
                assert response.status_code in (403, 404, 405), (name, method)
    assert snapshot() == before
    page = client.get(reverse("funding:home")).content.decode()
    assert "Kreis A" not in page and "Vorhaben Kreis B" in page
