"""JSON API of the catalogue and the eligibility check (mounted under /api/v1/)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from ninja import Router, Schema, Status

from wegweiser.core.api import ErrorOut
from wegweiser.core.i18n import pick
from wegweiser.eligibility.cli import parse_request
from wegweiser.eligibility.engine import evaluate, result_document
from wegweiser.eligibility.facts import ProfileError
from wegweiser.eligibility.i18n import LANGUAGES
from wegweiser.eligibility.registry import profile_json_schema
from wegweiser.programmes.openapi import nullable, strict_profile_schema
from wegweiser.programmes.selectors import engine_catalogue, programme_list

router = Router(tags=["eligibility"])

REQUEST_KEYS = ("profile", "date", "rounds", "lang")


class ReasonOut(Schema):
    rule: str
    outcome: Literal["met", "not_met", "unknown"]
    text: str
    source: str


class RoundResultOut(Schema):
    programme: str
    round: str
    status: Literal["eligible", "not_eligible", "undetermined"]
    reasons: list[ReasonOut]
    missing: list[str]


class EligibilityOut(Schema):
    date: dt.date
    catalogue_version: str
    results: list[RoundResultOut]


class RoundOut(Schema):
    id: str
    name: str
    start: dt.date
    end: dt.date | None
    state: Literal["upcoming", "active", "ended"]
    funder: str
    administering_authority: str
    funding_line: str
    budget_eur: float | None
    assumed: list[str]
    excludes_participation_in: list[str]
    rules: list[dict[str, Any]]


class ProgrammeOut(Schema):
    id: str
    name: str
    family: str | None
    summary: str
    target_group: str
    funder: str
    administering_authority: str
    ended: bool
    rounds: list[RoundOut]


PROFILE_SCHEMA = strict_profile_schema(
    profile_json_schema(
        "Every fact is optional; an absent (or null) fact is unknown (see docs/eligibility.md). "
        "Rules JSON Schema cannot state: a birth date not after the reference date, an age that "
        "agrees with the birth date, a municipality inside the Kreis."
    )
)
REQUEST_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["profile"],
    "properties": {
        "profile": PROFILE_SCHEMA,
        "date": nullable(
            {"type": "string", "format": "date", "description": "reference date, default today"}
        ),
        "rounds": nullable(
            {
                "type": "array",
                "items": {"x-values": "RoundSelector"},
                "description": "evaluate these rounds even if not active (round id, or "
                "programme/round)",
            }
        ),
        "lang": nullable({"type": "string", "enum": list(LANGUAGES)}),
    },
}


def _error(key: str, message: str, code: str) -> JsonResponse:
    body = {
        "message": message,
        "detail": [{"loc": ["body", *key.split(".")], "msg": message, "type": code}],
    }
    return JsonResponse(body, status=422)


@router.post(
    "/eligibility",
    response={200: EligibilityOut, 422: ErrorOut},
    description="422: the body is not JSON, nested too deep, or breaks a rule of the schema or "
    "one it cannot state (see the profile's description).",
    summary="Check a profile against the funding rounds",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": REQUEST_SCHEMA}},
        }
    },
)
def eligibility(request: HttpRequest):
    lang = request.LANGUAGE_CODE if request.LANGUAGE_CODE in LANGUAGES else "de"
    try:
        try:
            body = json.loads(request.body or b"")
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
            # RecursionError: only if WEGWEISER_API_MAX_JSON_DEPTH is set near Python's limit
            raise ProfileError("profile", "invalid_json", detail=str(exc)) from None
        if not isinstance(body, dict):
            raise ProfileError("body", "not_an_object")
        for key in body:
            if key not in REQUEST_KEYS:
                raise ProfileError(key, "unknown_key", allowed=", ".join(REQUEST_KEYS))
        if body.get("lang") is not None:
            if body["lang"] not in LANGUAGES:
                raise ProfileError(
                    "lang", "not_allowed", value=body["lang"], allowed=", ".join(LANGUAGES)
                )
            lang = body["lang"]
        day = timezone.localdate()
        if body.get("date") is not None:
            try:
                day = dt.date.fromisoformat(body["date"])
            except (TypeError, ValueError):
                raise ProfileError("date", "not_a_date", value=body["date"]) from None
        rounds = [] if body.get("rounds") is None else body["rounds"]
        if not isinstance(rounds, list) or not all(isinstance(r, str) for r in rounds):
            raise ProfileError("rounds", "not_a_round_list")
        if "profile" not in body:
            raise ProfileError("profile", "required")
        catalogue = engine_catalogue()
        profile, chosen = parse_request(catalogue, body["profile"], day, rounds)
    except ProfileError as exc:
        key = exc.key if exc.key in REQUEST_KEYS or exc.key == "body" else f"profile.{exc.key}"
        return _error(key, exc.text(lang), exc.code)
    doc = result_document(evaluate(catalogue, profile, day, chosen), day, lang)
    doc["catalogue_version"] = catalogue.version
    return Status(200, doc)


@router.get(
    "/programmes",
    response=list[ProgrammeOut],
    tags=["catalogue"],
    summary="Programmes and their funding rounds",
)
def programmes(request: HttpRequest):
    lang = request.LANGUAGE_CODE
    today = timezone.localdate()
    out = []
    for prog in programme_list():
        out.append(
            {
                "id": prog.key,
                "name": pick(prog.name, lang),
                "family": pick(prog.family, lang) or None,
                "summary": pick(prog.summary, lang),
                "target_group": pick(prog.target_group, lang),
                "funder": prog.funder,
                "administering_authority": prog.administering_authority,
                "ended": prog.is_ended(today),
                "rounds": [
                    {
                        "id": r.key,
                        "name": pick(r.name, lang),
                        "start": r.start,
                        "end": r.end,
                        "state": r.state(today),
                        "funder": r.funder,
                        "administering_authority": r.administering_authority,
                        "funding_line": r.funding_line.key,
                        "budget_eur": float(r.budget_eur) if r.budget_eur is not None else None,
                        "assumed": r.assumed,
                        "excludes_participation_in": r.excludes,
                        "rules": [
                            {
                                "id": rule["id"],
                                "text": pick(rule["text"], lang),
                                "source": rule["source"],
                            }
                            for rule in r.rules
                        ],
                    }
                    for r in prog.rounds.all()
                ],
            }
        )
    return out
