"""HTTP API: POST /api/v1/eligibility, GET /api/v1/programmes, the OpenAPI document."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.eligibility.test_cli import ACCEPTANCE_PROFILE

URL = "/api/v1/eligibility"

pytestmark = pytest.mark.django_db


def post(client, body, **headers):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", **headers)


def test_answer_matches_the_command_line(client):
    body = {"profile": json.loads(ACCEPTANCE_PROFILE), "date": "2025-06-01"}
    response = post(client, body)
    assert response.status_code == 200
    doc = response.json()
    cli = subprocess.run(
        [sys.executable, "-m", "wegweiser", "eligibility", "--date", "2025-06-01"],
        input=ACCEPTANCE_PROFILE,
        capture_output=True,
        text=True,
        check=True,
    )
    assert doc["results"] == json.loads(cli.stdout)["results"]
    assert doc["catalogue_version"]


def test_rounds_and_language(client):
    body = {
        "profile": {"gender": "female"},
        "date": "2025-06-01",
        "rounds": ["win-win-1"],
        "lang": "en",
    }
    (result,) = post(client, body).json()["results"]
    assert result["status"] == "not_eligible"
    assert result["reasons"][0]["text"] == "The programme is for young men."


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("{not json", "profile"),
        ({"profile": {"colour": "blue"}}, "colour"),
        ({"profile": {"gender": "m"}}, "gender"),
        ({"profile": {"birth_date": "2026-01-01"}, "date": "2025-06-01"}, "birth_date"),
        ({"profile": {}, "rounds": ["wir-1999"]}, "rounds"),
        ({"profile": {}, "date": "soon"}, "date"),
        ({"profil": {}}, "profil"),
    ],
)
def test_bad_input_answers_422_with_the_cli_message(client, body, key):
    response = post(client, body)
    assert response.status_code == 422
    doc = response.json()
    assert doc["message"].startswith(f"{key}: ")
    assert doc["detail"][0]["loc"][-1] == key
    if isinstance(body, dict) and "profile" in body and key not in ("rounds", "date"):
        cli = subprocess.run(
            [
                sys.executable,
                "-m",
                "wegweiser",
                "eligibility",
                "--date",
                body.get("date", "2025-06-01"),
            ],
            input=json.dumps(body["profile"]),
            capture_output=True,
            text=True,
            check=False,
        )
        assert cli.returncode == 2
        assert cli.stderr.strip() == f"error: {doc['message']}"


def test_error_in_english_on_request(client):
    response = post(client, {"profile": {"gender": "m"}, "lang": "en"})
    assert (
        response.json()["message"]
        == "gender: 'm' is not allowed; allowed values: female, male, diverse"
    )


def test_programmes(client, catalogue_loaded):
    response = client.get("/api/v1/programmes")
    assert response.status_code == 200
    programmes = {p["id"]: p for p in response.json()}
    assert len(programmes) == 9
    assert programmes["integrationskurs-mit-kind"]["ended"] is True
    rounds = {r["id"]: r for r in programmes["win-win"]["rounds"]}
    assert set(rounds) == {"win-win-1", "win-win-2", "win-win-3"}
    assert rounds["win-win-2"]["assumed"] == ["start", "end"]
    assert rounds["win-win-2"]["excludes_participation_in"] == ["wir-2022", "wir-2026"]


def test_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/eligibility" in doc["paths"]
    assert "/api/v1/programmes" in doc["paths"]
    schema = doc["paths"]["/api/v1/eligibility"]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]
    assert "gender" in schema["properties"]["profile"]["properties"]


def test_api_docs_page_loads_nothing_from_other_hosts(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "swagger" in html.lower()
    assert "cdn." not in html and "https://" not in html.split("<body")[0]
