"""Every role against every reporting URL, GET and POST.

A new URL of the ``reporting`` namespace without an entry in ``MATRIX`` fails
:func:`test_every_url_has_a_matrix_entry`. A denial answers 403 (a login redirect for anonymous
visitors) and leaves every table of the cases, audit and accounts apps as it was; a POST is never
accepted (the reports only read). The drill-down of another organisation lists none of the
network's cases; a coordinator, programme administrator or funder never sees a participant's
name or pseudonym on any page or file.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from wegweiser.accounts.models import Membership

pytestmark = pytest.mark.django_db

REPORT = frozenset({"team_lead", "network_coordinator", "programme_admin", "funder"})
CASEWORK = frozenset({"counsellor", "team_lead"})
LEAD = frozenset({"team_lead"})
MATRIX = {
    "reporting:dashboard": REPORT,
    "reporting:cases": CASEWORK,
    "reporting:completeness": CASEWORK,
    "reporting:export-xlsx": REPORT,
    "reporting:export-csv": REPORT,
    "reporting:export-monitoring": LEAD,
}
QUERY = {"reporting:cases": "?code=EECO01&column=total"}
ROLES = [
    "counsellor",
    "team_lead",
    "network_coordinator",
    "programme_admin",
    "funder",
    "dpo",
    "platform_admin",
    "offer_editor",
    "other_org",  # a team lead of an organisation outside the network
    "anonymous",
]
AGGREGATE_ONLY = ("network_coordinator", "programme_admin", "funder")


def _names(resolver, prefix=""):
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _names(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_every_url_has_a_matrix_entry():
    assert {n for n in _names(get_resolver()) if n.startswith("reporting:")} == set(MATRIX)


def snapshot() -> dict:
    state = {}
    for model in [
        *apps.get_app_config("cases").get_models(),
        *apps.get_app_config("audit").get_models(),
        Membership,
        get_user_model(),
    ]:
        state[model._meta.label] = [repr(sorted(r.items())) for r in model.objects.values()]
    return state


def _body(response) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxml"):
        import io

        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        return " ".join(
            str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
        )
    return response.content.decode("utf-8-sig")


@pytest.mark.parametrize("role", ROLES)
def test_matrix(client, network, role):
    if role != "anonymous":
        client.force_login(network["users"][role])
    secrets = {"Geheimname"} | {c.participant.pseudonym for c in network["cases"]}
    secrets |= {c.participant.given_name for c in network["cases"]}
    failures = []
    for name, allowed in MATRIX.items():
        url = reverse(name) + QUERY.get(name, "")
        for method in ("get", "post"):
            before = snapshot()
            response = getattr(client, method)(url, {} if method == "post" else None)
            status = response.status_code
            label = f"{role} {method.upper()} {name}: {status}"
            if role == "anonymous":
                ok = status == 302 and "/konto/login/" in response["Location"]
                ok = ok and snapshot() == before
            elif (role if role != "other_org" else "team_lead") not in allowed:
                ok = status == 403 and snapshot() == before
            elif method == "post":
                ok = status == 405 and snapshot() == before
            else:
                ok = status == 200
                body = _body(response)
                if role in AGGREGATE_ONLY or role == "other_org":
                    leaked = [s for s in secrets if s in body]
                    ok = ok and not leaked
            if not ok:
                failures.append(label)
    assert failures == [], "\n".join(failures)


def test_other_organisation_drill_down_lists_none_of_the_network(client, network):
    client.force_login(network["users"]["other_org"])
    for code in ("EECO01", "EECR04"):
        response = client.get(reverse("reporting:cases") + f"?code={code}&column=total")
        assert response.status_code == 200
        assert response.context["cases"] == []


def test_drill_down_cannot_reach_a_foreign_case_by_its_id(client, network, org_c, make_user):
    """Even handed the ids of another organisation's cases, the list stays empty."""
    from wegweiser.reporting import selectors

    stranger = network["users"]["other_org"]
    ids = [str(c.pk) for c in network["cases"]]
    assert selectors.cases_behind(stranger, org_c, ids) == []


@pytest.mark.parametrize("role", AGGREGATE_ONLY)
def test_aggregate_roles_never_see_a_name_with_any_filter(client, network, role):
    client.force_login(network["users"][role])
    names = {c.participant.pseudonym for c in network["cases"]} | {"Geheimname", "Person0"}
    for query in ("", "?by=kreis", "?by=project_id", "?by=programme", "?by=funding_round_id"):
        for name in ("reporting:dashboard", "reporting:export-csv", "reporting:export-xlsx"):
            body = _body(client.get(reverse(name) + query))
            assert not [n for n in names if n in body], (name, query)
