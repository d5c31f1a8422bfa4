"""schemathesis against the live OpenAPI document with every check: the API keeps every promise
of its document, and the document states every limit the API enforces (issue 17).

The run is schemathesis's own engine, as ``st run --checks all`` runs it (examples, coverage,
fuzzing and stateful phases), on the Django WSGI application: the document is loaded from
``/api/v1/openapi.json`` and every request goes through the whole middleware stack to the test
database with the demo directory. Examples per operation are bounded so that it ends in about a
minute.

Rules JSON Schema cannot state are named in the document and refused with 422 and their own
``type`` (docs/api.md). A schema-valid request refused by one of them is what the document says,
so exactly those refusals are dropped from ``positive_data_acceptance``; nothing else is.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.db import connections
from jsonschema import Draft202012Validator
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events, from_schema

pytestmark = pytest.mark.django_db(transaction=True)

#: The ``type`` of the refusals by a documented rule OpenAPI cannot state.
DOCUMENTED_RULES = {
    # between search parameters (directory.forms.RULE_CODES)
    "lat_lon_pair",
    "postcode_and_point",
    "radius_needs_centre",
    "distance_needs_centre",
    "relevance_needs_text",
    # inside a profile, relative to another value (the profile's description)
    "birth_after_reference",
    "age_contradicts_birth_date",
    "ags_not_in_kreis",
}
CONFIG = """
seed = 1
[checks]
enabled = true
[generation]
max-examples = 25
"""


def _refused_by_documented_rule(response) -> bool:
    if response.status_code != 422:
        return False
    try:
        detail = json.loads(response.content)["detail"]
    except (ValueError, KeyError, TypeError):
        return False
    return bool(detail) and all(d.get("type") in DOCUMENTED_RULES for d in detail)


def _describe(recorder, case_id, check) -> str:
    failure = check.failure_info.failure
    interaction = recorder.interactions.get(case_id)
    response = interaction.response if interaction is not None else None
    body = response.content[:400] if response is not None else b""
    status = response.status_code if response is not None else "-"
    request = interaction.request if interaction is not None else None
    sent = f"{request.method} {request.uri} {request.body!r:.300}" if request else case_id
    return f"{failure.code} {failure.title}: {sent} -> {status} {body!r}"


def _closing_connections(app):
    """The WSGI application, closing the database connections after each request as Django's
    own threaded server does: schemathesis calls it from worker threads, whose connections
    would otherwise stay open until the garbage collector finds them (a ResourceWarning in
    whichever test runs then)."""

    def application(environ, start_response):
        try:
            return list(app(environ, start_response))
        finally:
            connections.close_all()

    return application


def test_api_keeps_its_openapi_document(demo_directory):
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json",
        _closing_connections(get_wsgi_application()),
        config=SchemathesisConfig.from_str(CONFIG),
    )

    @schema.hook
    def filter_failure(context, failure, case, response):
        return not (failure.code == "ST202" and _refused_by_documented_rule(response))

    failures, errors, statuses = [], [], []
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            statuses.append(event.status)
            for case_id, checks in event.recorder.checks.items():
                for check in checks:
                    if check.failure_info is not None:
                        failures.append(_describe(event.recorder, case_id, check))
        elif isinstance(event, events.NonFatalError | events.FatalError):
            errors.append(repr(event))
    print(f"schemathesis: {len(statuses)} scenarios, {statuses.count(Status.SUCCESS)} passed")
    assert not errors
    assert not failures, "\n".join(failures)
    assert statuses and Status.SUCCESS in statuses


def _admits(schema: dict, instance, components: dict) -> bool:
    validator = Draft202012Validator({**schema, "components": components})
    return validator.is_valid(instance)


def test_an_empty_parameter_is_taken_exactly_where_the_document_admits_it(client, demo_directory):
    """``?sort=`` is what an HTML form sends for a field left unfilled, and the search page hands
    its form's query string to the map's requests: the API takes it as not given. Every query
    parameter of every operation, sent empty, is answered 200 exactly when its schema admits the
    empty value (a repeatable one reads it as ``[""]``), else 422 — the promise schemathesis
    found broken by chance once (``?land=`` answered 200 while ``land`` listed only the keys)."""
    doc = client.get("/api/v1/openapi.json").json()
    components = doc["components"]
    seen = []
    for path, operations in doc["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            if parameter["in"] != "query":
                continue
            name = parameter["name"]
            response = client.get(f"{path}?{name}=")
            if "schema" not in parameter:  # the JSON profile: no JSON text is empty
                assert "sent empty, no profile" in parameter["description"]
                assert response.status_code == 200, (path, name)
                continue
            schema = parameter["schema"]
            instance = [""] if schema.get("type") == "array" else ""
            expected = 200 if _admits(schema, instance, components) else 422
            assert response.status_code == expected, (path, name, response.content[:200])
            seen.append((path, name, expected))
    # the table this walked: every filter of the three searches and the regions' own two
    assert {(p, n) for p, n, _ in seen} >= {
        ("/api/v1/regions", "land"),
        ("/api/v1/regions", "geometry"),
        ("/api/v1/offers.geojson", "limit"),
        ("/api/v1/offers", "page"),
        ("/api/v1/offers", "theme"),
    }
    assert {e for _, _, e in seen} == {200, 422}


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("free=true", 200),
        ("free=false", 200),
        ("free=on", 200),  # the search form's checkbox; the document lists it
        ("free=True", 422),
        ("free=TRUE", 422),
        ("free=1", 422),
        ("free=yes", 422),
        ("geometry=false", 200),
        ("geometry=TRUE", 422),
        ("geometry=on", 422),
        ("land=06", 200),
        ("land=all", 200),
        ("land=6", 422),
    ],
)
def test_regions_take_the_written_values_only(client, demo_directory, query, status):
    """Each value answered 200 is one the document admits, each refused one it does not."""
    doc = client.get("/api/v1/openapi.json").json()
    name, value = query.split("=")
    parameters = doc["paths"]["/api/v1/regions"]["get"]["parameters"]
    schemas = {p["name"]: p["schema"] for p in parameters if "schema" in p}
    instance = {"true": True, "false": False}.get(value, value)
    assert _admits(schemas[name], instance, doc["components"]) == (status == 200)
    assert client.get(f"/api/v1/regions?{query}").status_code == status
