"""JSON API of the directory (mounted under /api/v1/).

The query parameters are parsed by :class:`~wegweiser.directory.forms.OfferSearchForm`, the same
form the search page uses, so that both accept the same filters and give the same translated
messages; they are declared for the OpenAPI document by hand.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from wegweiser.core.api import ErrorOut
from wegweiser.core.i18n import language, pick
from wegweiser.core.languages import LANGUAGE_CHOICES
from wegweiser.directory import selectors, vocabulary
from wegweiser.directory.forms import (
    MAX_PAGE,
    MAX_PROFILE_LENGTH,
    MAX_RADIUS_KM,
    OfferSearchForm,
    first_error,
)
from wegweiser.directory.models import Offer
from wegweiser.organisations import selectors as region_selectors
from wegweiser.programmes.api import PROFILE_SCHEMA

router = Router(tags=["directory"])

#: Rules between the search parameters, which OpenAPI cannot state per parameter (422 otherwise).
SEARCH_RULES = (
    "Rules between parameters (422 otherwise): lat and lon together; a postcode or lat/lon, not "
    "both; radius only with a postcode or lat/lon; sort=distance only with a postcode or "
    "lat/lon; sort=relevance only with a q that has a word of two or more letters or digits. "
    "A parameter sent empty (?sort=), as an HTML form sends an unfilled field, counts as not "
    "given; a repeatable parameter does not take an empty value."
)

GEOJSON_LIMIT = 10_000
LAND_KEYS = [f"{n:02d}" for n in range(1, 17)]


#: An empty value: what an HTML form sends for a field left unfilled.
EMPTY = {"type": "string", "enum": [""]}


def _param(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    """An optional query parameter; one that is not repeatable also takes the empty value, which
    counts as not given (the search page hands its form's query string to the map's requests)."""
    if schema.get("type") not in {"array", "string"} or "enum" in schema or "x-values" in schema:
        schema = {"anyOf": [schema, EMPTY]}
    return {
        "in": "query",
        "name": name,
        "required": False,
        "description": description,
        "schema": schema,
    }


def _array(values: list[str]) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string", "enum": values}}


FILTER_PARAMETERS = [
    _param(
        "q",
        "Free text (German stemming; every word must match, as a word prefix); no null characters",
        {"type": "string", "maxLength": 200, "pattern": "^[^\\u0000]*$"},
    ),
    _param(
        "postcode",
        "German postcode (one the API knows); the search centre",
        {"x-values": "Postcode"},
    ),
    _param(
        "lat",
        "Latitude of the search centre (with lon)",
        {"type": "number", "minimum": -90, "maximum": 90},
    ),
    _param(
        "lon",
        "Longitude of the search centre (with lat)",
        {"type": "number", "minimum": -180, "maximum": 180},
    ),
    _param(
        "radius",
        "Radius in km around the centre (default 25)",
        {"type": "number", "minimum": 1, "maximum": MAX_RADIUS_KM},
    ),
    _param(
        "region", "Kreis key (5 digits) or Sonderstatusstadt key (8 digits)", {"x-values": "Region"}
    ),
    _param("theme", "Theme (repeatable; all must match)", _array(list(vocabulary.THEMES))),
    _param(
        "programme",
        "Programme key (repeatable; any matches)",
        {"type": "array", "items": {"x-values": "Programme"}},
    ),
    _param(
        "language",
        "Language code (repeatable; any matches)",
        _array([code for code, _label in LANGUAGE_CHOICES]),
    ),
    _param(
        "mode",
        "in_person, online or phone (repeatable; any matches)",
        _array(list(vocabulary.MODES)),
    ),
    _param(
        "free",
        "Only offers without cost (true; also on, as the search form's checkbox sends it)",
        {"anyOf": [{"type": "boolean"}, {"type": "string", "enum": ["on"]}]},
    ),
    {
        "in": "query",
        "name": "profile",
        "required": False,
        "description": "Eligibility profile as JSON (as for POST /eligibility), at most "
        f"{MAX_PROFILE_LENGTH} characters: only offers whose funding round the profile is "
        "eligible for, plus offers outside any programme; sent empty, no profile",
        "content": {"application/json": {"schema": PROFILE_SCHEMA}},
    },
    _param(
        "sort",
        "relevance, distance or name (default: distance with a centre, else relevance "
        "with a text, else name)",
        {"type": "string", "enum": ["relevance", "distance", "name"]},
    ),
    _param(
        "page",
        "Page number (20 per page)",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
    ),
]


class LocationOut(Schema):
    street: str
    postcode: str
    city: str
    lat: float
    lon: float
    region: str | None
    accessibility: list[str]


class OfferOut(Schema):
    id: uuid.UUID
    url: str
    name: str
    description: str
    organisation: dict[str, str]
    programme: str | None
    funding_round: str | None
    themes: list[str]
    languages: list[str]
    modes: list[str]
    is_free: bool
    email: str
    phone: str
    website: str
    locations: list[LocationOut]
    opening_hours: list[dict[str, Any]] | None = None
    last_verified: str | None
    possibly_outdated: bool
    distance_km: float | None = None


class OfferPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[OfferOut]


def offer_json(
    offer: Offer, request: HttpRequest, distance: float | None = None, details: bool = False
) -> dict[str, Any]:
    lang = language()
    rnd = offer.funding_round
    doc = {
        "id": offer.id,
        "url": request.build_absolute_uri(offer.get_absolute_url()),
        "name": pick(offer.name, lang),
        "description": pick(offer.description, lang),
        "organisation": {
            "id": str(offer.organisation_id),
            "name": offer.organisation.name,
        },
        "programme": rnd.programme.key if rnd else None,
        "funding_round": f"{rnd.programme.key}/{rnd.key}" if rnd else None,
        "themes": offer.themes,
        "languages": offer.languages,
        "modes": offer.modes,
        "is_free": offer.is_free,
        "email": offer.email,
        "phone": offer.phone,
        "website": offer.website,
        "locations": [
            {
                "street": p.location.street,
                "postcode": p.location.postcode,
                "city": p.location.city,
                "lat": p.location.lat,
                "lon": p.location.lon,
                "region": p.location.region_id,
                "accessibility": p.location.accessibility,
            }
            for p in offer.placements.all()
        ],
        "last_verified": offer.last_verified.isoformat() if offer.last_verified else None,
        "possibly_outdated": offer.is_outdated(),
        "distance_km": round(distance, 2) if distance is not None else None,
    }
    if details:
        doc["opening_hours"] = [
            {
                "weekday": h.weekday,
                "opens": h.opens.strftime("%H:%M"),
                "closes": h.closes.strftime("%H:%M"),
            }
            for h in offer.opening_hours.all()
        ]
    return doc


def _invalid(detail: list[dict[str, Any]]) -> JsonResponse:
    return JsonResponse(
        {"message": _("Die Suchangaben sind ungültig."), "detail": detail}, status=422
    )


def _filters(*leave_out: str) -> list[dict[str, Any]]:
    return [p for p in FILTER_PARAMETERS if p["name"] not in leave_out]


def parse_filters(request: HttpRequest) -> OfferSearchForm:
    return OfferSearchForm(request.GET, land=None)


@router.get(
    "/offers",
    response={200: OfferPageOut, 422: ErrorOut},
    summary="Search offers",
    description=SEARCH_RULES,
    openapi_extra={"parameters": FILTER_PARAMETERS},
)
def offers(request: HttpRequest):
    """Published offers matching the filters, 20 per page, in the same order as the search page."""
    form = parse_filters(request)
    if not form.is_valid():
        return _invalid(first_error(form))
    result = selectors.search_offers(form.to_query())
    return JsonResponse(
        {
            "count": result.total,
            "page": result.page,
            "pages": result.pages,
            "results": [offer_json(h.offer, request, h.distance_km) for h in result.hits],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def feature_collection(rows: list[dict[str, Any]], lang: str = "de") -> dict[str, Any]:
    """GeoJSON (RFC 7946) of :func:`selectors.offer_points` rows."""
    prefix = reverse("directory:offer", args=[uuid.UUID(int=0)]).replace(
        str(uuid.UUID(int=0)) + "/", ""
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": str(r["id"]),
                "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
                "properties": {
                    "name": r["title"],
                    "organisation": r["organisation__name"],
                    "region": r["region_id"],
                    "url": f"{prefix}{r['id']}/",
                },
            }
            for r in rows
        ],
    }


@router.get(
    "/offers.geojson",
    summary="Offers as GeoJSON",
    response={422: ErrorOut},
    description=SEARCH_RULES,
    openapi_extra={
        "responses": {
            200: {
                "description": "A GeoJSON FeatureCollection (RFC 7946)",
                "content": {"application/geo+json": {"schema": {"type": "object"}}},
            }
        },
        "parameters": [
            *_filters("page"),
            _param(
                "limit",
                f"At most this many features (default and maximum {GEOJSON_LIMIT})",
                {"type": "integer", "minimum": 1, "maximum": GEOJSON_LIMIT},
            ),
        ],
    },
)
def offers_geojson(request: HttpRequest):
    """Matching offers with a place as a GeoJSON FeatureCollection (for maps), in result order."""
    form = parse_filters(request)
    if not form.is_valid():
        return _invalid(first_error(form))
    try:
        limit = int(request.GET.get("limit") or GEOJSON_LIMIT)
    except ValueError:
        limit = 0
    if not 1 <= limit <= GEOJSON_LIMIT:
        message = _("Die Grenze muss zwischen 1 und %(max)s liegen.") % {"max": GEOJSON_LIMIT}
        return _invalid([{"loc": ["query", "limit"], "msg": message, "type": "value_error"}])
    lang = language()
    rows = selectors.offer_points(form.to_query(), limit=limit, lang=lang)
    response = JsonResponse(
        feature_collection(rows, lang), json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Type"] = "application/geo+json"
    return response


@router.get("/offers/{uuid:offer_id}", response={200: OfferOut, 404: ErrorOut}, summary="One offer")
def offer_detail(request: HttpRequest, offer_id: uuid.UUID):
    try:
        offer = selectors.offer_get(offer_id)
    except Offer.DoesNotExist:
        return JsonResponse(
            {"message": _("Dieses Angebot gibt es nicht."), "detail": []}, status=404
        )
    return JsonResponse(
        offer_json(offer, request, details=True), json_dumps_params={"ensure_ascii": False}
    )


@router.get(
    "/regions",
    summary="Regions with offer counts (GeoJSON)",
    response={200: dict, 422: ErrorOut},
    description=SEARCH_RULES,
    openapi_extra={
        "parameters": [
            _param(
                "land",
                "Two-digit key of a Land (default 06, Hessen; 'all' for Germany)",
                {"type": "string", "enum": [*LAND_KEYS, "all"]},
            ),
            _param("geometry", "Include boundaries (default true)", {"type": "boolean"}),
            *_filters("sort", "page"),
        ]
    },
)
def regions(request: HttpRequest):
    """Kreise and kreisfreie Städte (with boundaries) and Sonderstatusstädte (as points), each with
    the number of matching published offers (``offer_count``) for the choropleth."""
    form = parse_filters(request)
    if not form.is_valid():
        return _invalid(first_error(form))
    land = request.GET.get("land") or "06"
    if land not in LAND_KEYS and land != "all":
        message = _(
            "Ein Land wird mit seinem zweistelligen Schlüssel (01 bis 16) oder all angegeben."
        )
        return _invalid([{"loc": ["query", "land"], "msg": message, "type": "value_error"}])
    land = None if land == "all" else land
    geometry_text = request.GET.get("geometry") or "true"
    if geometry_text not in {"true", "false"}:
        message = _("Bitte ja (true) oder nein (false).")
        return _invalid([{"loc": ["query", "geometry"], "msg": message, "type": "value_error"}])
    with_geometry = geometry_text == "true"
    counts = selectors.region_counts(form.to_query())
    city_counts = selectors.city_region_counts(form.to_query())
    features = []
    for region in region_selectors.regions(land):
        geometry = region.geometry if with_geometry else None
        if region.geometry is None:
            geometry = {"type": "Point", "coordinates": [region.lon, region.lat]}
        count = (
            city_counts.get(region.ags, 0)
            if region.kind == "sonderstatusstadt"
            else counts.get(region.ags, 0)
        )
        features.append(
            {
                "type": "Feature",
                "id": region.ags,
                "geometry": geometry,
                "properties": {
                    "ags": region.ags,
                    "name": region.name,
                    "label": region.label,
                    "kind": region.kind,
                    "land": region.land_ags,
                    "parent": region.parent_id,
                    "offer_count": count,
                },
            }
        )
    return JsonResponse(
        {"type": "FeatureCollection", "features": features},
        json_dumps_params={"ensure_ascii": False},
    )
