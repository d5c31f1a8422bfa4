"""The API (django-ninja) under /api/v1/: the routers, JSON errors, and an OpenAPI document that
states every limit the API enforces (docs/api.md).

The routers declare their own parameters and answers; :class:`WegweiserAPI` adds what holds for
every operation (429 with ``Retry-After``; 413 for a body; the request limits in the
description) and the value lists that live in the database (known postcodes, regions,
programmes, funding rounds), so that the document names exactly the values the API accepts.
"""

from __future__ import annotations

import copy
from typing import Any

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from wegweiser.config.guard import error_body
from wegweiser.directory.api import router as directory_router
from wegweiser.programmes.api import router as programmes_router

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds until the client's address may send again",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
}


def _error_response(description: str, headers: dict | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": ERROR_REF}},
    }
    if headers:
        answer["headers"] = headers
    return answer


def _value_lists() -> dict[str, list[str]]:
    """The values the API accepts that live in the database or the shipped geodata."""
    from wegweiser.core import geo
    from wegweiser.organisations.selectors import region_choices
    from wegweiser.programmes.models import Programme
    from wegweiser.programmes.selectors import engine_catalogue

    catalogue = engine_catalogue()
    return {
        "Postcode": sorted(geo.postcodes()),
        "Region": sorted(key for key, _label in region_choices(None)),
        "Programme": list(Programme.objects.order_by("position").values_list("key", flat=True)),
        # a round is named by its id (both programmes of a shared id) or as programme/round
        "RoundSelector": sorted(catalogue.round_ids | {r.key for r in catalogue.rounds}),
        "RoundId": sorted(catalogue.round_ids),
    }


def _limits_text() -> str:
    return (
        f"\n\nLimits: {settings.WEGWEISER_API_LIMIT_PER_ADDRESS} requests per client address "
        "(429 with Retry-After beyond); request bodies up to "
        f"{settings.WEGWEISER_API_MAX_BODY_BYTES} bytes (413) and JSON nested at most "
        f"{settings.WEGWEISER_API_MAX_JSON_DEPTH} levels (422). Every error, also 404 and 405, "
        "is a JSON object with `message` and `detail`."
    )


class WegweiserAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        doc = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        doc = copy.deepcopy(dict(doc))
        doc["info"]["description"] += _limits_text()
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        for name, values in _value_lists().items():
            schemas[name] = {"type": "string", "enum": values}
        for operations in doc["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                responses.setdefault(
                    429, _error_response("Too many requests from this address", RETRY_AFTER)
                )
                if "requestBody" in operation:
                    responses.setdefault(413, _error_response("Request body too large"))
        _resolve_refs(doc)
        return doc


def _resolve_refs(doc: dict) -> None:
    """Turn the routers' ``{"x-values": "Postcode"}`` markers into ``$ref``s to the lists."""

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            name = node.pop("x-values", None)
            if name is not None:
                node.clear()
                node["$ref"] = f"#/components/schemas/{name}"
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)


api = WegweiserAPI(
    title="wegweiser API",
    version="1",
    description="Programme catalogue and rules-as-code eligibility check. "
    "Answers are three-valued (eligible, not_eligible, undetermined) with reasons and sources. "
    "Directory of organisations, funded projects and offers with search, GeoJSON and regions.",
    urls_namespace="api-v1",
)
api.add_router("/", programmes_router)
api.add_router("/", directory_router)


@api.exception_handler(Http404)
def _not_found(request, exc):
    message = _("Diese Adresse gibt es in der API nicht; alle Adressen stehen in %(url)s.") % {
        "url": "/api/v1/openapi.json"
    }
    return api.create_response(request, error_body(message), status=404)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    detail = [
        {
            "loc": [str(part) for part in error.get("loc", ())],
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "value_error")),
        }
        for error in exc.errors
    ]
    message = detail[0]["msg"] if detail else _("Die Anfrage ist ungültig.")
    return api.create_response(request, error_body(message, detail), status=422)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return api.create_response(request, error_body(str(exc)), status=exc.status_code)
