"""The guard of the public surfaces (config/guard.py): JSON errors under /api/, limits on bodies
and JSON depth, rate limits per client address on the API and the self-check."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from wegweiser.core.jsonlimits import depth

pytestmark = pytest.mark.django_db

URL = "/api/v1/eligibility"


def deep(levels: int) -> str:
    return '{"profile": ' + "[" * levels + "]" * levels + "}"


def test_json_nested_1000_levels_is_refused_with_a_json_422_not_a_500(client):
    response = client.post(URL, data=deep(1000), content_type="application/json")
    assert response.status_code == 422
    doc = response.json()
    assert doc["detail"][0]["type"] == "too_deep"
    assert "32" in doc["message"]


def test_the_profile_query_parameter_is_limited_too(client):
    response = client.get("/api/v1/offers", {"profile": "[" * 100 + "]" * 100})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "profile"]


def test_depth_within_the_limit_reaches_the_view(client):
    response = client.post(URL, data=deep(20), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "profile"]  # the view's own message


@override_settings(WEGWEISER_API_MAX_BODY_BYTES=1000)
def test_a_large_body_is_refused_with_413_before_it_is_read(client):
    body = json.dumps({"profile": {}, "rounds": ["x" * 2000]})
    response = client.post(URL, data=body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "1000" in response.json()["message"]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/nothing", "/api/v2/offers", "/api/", "/api/v1/", "/api/v1/offers/not-a-uuid"],
)
def test_unknown_addresses_under_api_answer_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "/api/v1/openapi.json" in response.json()["message"]


def test_a_wrong_method_answers_json_405_with_allow(client):
    response = client.delete("/api/v1/programmes")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json()["message"] == "Die Methode DELETE geht hier nicht; erlaubt: GET."


def test_errors_in_the_clients_language(client):
    response = client.get("/api/v1/nothing", headers={"accept-language": "en"})
    assert response.json()["message"].startswith("This address does not exist in the API")


def test_pages_outside_the_api_keep_their_html_errors(client):
    response = client.get("/de/gibt-es-nicht/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@override_settings(WEGWEISER_API_LIMIT_PER_ADDRESS="3/m")
def test_the_api_limits_requests_per_address(client):
    for _ in range(3):
        assert client.get("/api/v1/nothing").status_code == 404
    response = client.get("/api/v1/programmes")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["message"].startswith("Zu viele Anfragen")
    other = client.get("/api/v1/programmes", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200  # another address counts on its own


@override_settings(WEGWEISER_SELFCHECK_LIMIT_PER_ADDRESS="2/m")
def test_the_self_check_limits_requests_per_address(client, catalogue_loaded):
    assert client.get("/de/selbstcheck/").status_code == 200
    assert client.get("/de/selbstcheck/").status_code == 200
    response = client.get("/de/selbstcheck/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "zu viele Anfragen" in response.content.decode()
    # the information pages are not counted
    assert client.get("/de/datenschutz/").status_code == 200


def test_the_openapi_document_declares_429_on_every_operation(client):
    doc = client.get("/api/v1/openapi.json").json()
    for operations in doc["paths"].values():
        for operation in operations.values():
            assert "Retry-After" in operation["responses"]["429"]["headers"]
    geojson = doc["paths"]["/api/v1/offers.geojson"]["get"]["responses"]["200"]["content"]
    assert list(geojson) == ["application/geo+json"]


nested = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab,:'),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(alphabet='[]{}"\\a', max_size=3), children, max_size=3)
    ),
    max_leaves=20,
)


def _nesting(value) -> int:
    if isinstance(value, list):
        return 1 + max((_nesting(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_nesting(v) for v in value.values()), default=0)
    return 0


@given(nested)
def test_depth_counts_what_the_parser_nests_ignoring_brackets_in_strings(value):
    assert depth(json.dumps(value)) == _nesting(value)
