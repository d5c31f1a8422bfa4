"""The public coverage page (aggregates only: counts per Kreis, no person, no single offer) and
its CSV export, and the same restricted to the Kreise of the user's networks (coordinators per
Verbund, behind the login). The numbers come from :func:`wegweiser.funding.coverage.coverage`;
the languages asked for by interpreting requests but given in no offer of the Kreis from
:func:`wegweiser.funding.coverage.language_gaps` (request counts below the reports' threshold
shown as "fewer than 5")."""

from __future__ import annotations

import csv
from dataclasses import dataclass

import polars as pl
from django.db import connection
from django.db.models import CharField, TextField
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from wegweiser.core.access import requires
from wegweiser.core.i18n import pick
from wegweiser.core.languages import language_label
from wegweiser.directory.maps import map_settings
from wegweiser.directory.models import Offer
from wegweiser.directory.vocabulary import THEMES
from wegweiser.funding import coverage as cov
from wegweiser.funding import network
from wegweiser.organisations.models import Region
from wegweiser.programmes.models import Programme

SORTS = {
    "kreis": ("name", False),
    "einwohner": ("population", True),
    "angebote": ("offers", True),
    "je100000": ("per_100k", True),
    "traeger": ("providers", True),
}


def offer_frame() -> pl.DataFrame:
    """The published offers as the coverage needs them: one query, every column as text (no
    JSON decoding row by row in Python), the lists decoded by polars."""
    rows = (
        Offer.objects.filter(status=Offer.PUBLISHED, region__isnull=False)
        .annotate(
            org=Cast("organisation_id", CharField()),
            theme_list=Cast("themes", TextField()),
            language_list=Cast("languages", TextField()),
        )
        .values_list(
            "region_id", "org", "theme_list", "language_list", "funding_round__programme__key"
        )
    )
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    text = pl.DataFrame(
        fetched,
        schema={n: pl.Utf8 for n in cov.OFFER_SCHEMA},
        orient="row",
    )
    as_list = pl.List(pl.Utf8)
    return text.with_columns(
        pl.col("themes").fill_null("[]").str.json_decode(as_list),
        pl.col("languages").fill_null("[]").str.json_decode(as_list),
    )


@dataclass
class Computed:
    result: cov.Coverage
    labels: dict[str, dict[str, str]]
    #: requests per (Kreis, language) of every language asked for
    demand: dict[tuple[str, str], int]
    #: ags, language, requests: asked for, offered nowhere in the Kreis
    gaps: pl.DataFrame


def compute() -> Computed:
    frame = offer_frame()
    demand = cov.demand_frame(network.language_demand())
    offered = frame["languages"].explode().drop_nulls().unique().to_list()
    languages = sorted({*offered, *demand["language"].to_list()})
    programmes = {p.key: pick(p.name) for p in Programme.objects.order_by("position")}
    labels = {
        "theme": {k: str(v) for k, v in THEMES.items()},
        "language": {code: language_label(code) for code in languages},
        "programme": programmes,
    }
    result = cov.coverage(frame, cov.population(), {d: list(v) for d, v in labels.items()})
    return Computed(
        result=result,
        labels=labels,
        demand={(r[0], r[1]): r[2] for r in demand.iter_rows()},
        gaps=cov.language_gaps(frame, demand),
    )


def shown_count(n: int) -> str:
    """A count of requests as an aggregate role may see it: 1 to 4 (below the reports'
    threshold) as "fewer than 5"."""
    limit = network.threshold()
    if 0 < n < limit:
        return _("unter %(limit)s") % {"limit": limit}
    return str(n)


def _csv_count(n: int) -> str:
    limit = network.threshold()
    return f"<{limit}" if 0 < n < limit else str(n)


def coverage(request: HttpRequest) -> HttpResponse:
    return _coverage_page(request, kreise=None)


@requires("funding.network")
def network_coverage(request: HttpRequest) -> HttpResponse:
    """The coverage of the Kreise the user's networks serve (coordinators per Verbund)."""
    projects = network.projects_visible(request.user, request.organisation)
    return _coverage_page(request, kreise=network.kreise_of(projects))


def _coverage_page(request: HttpRequest, kreise: set[str] | None) -> HttpResponse:
    computed = compute()
    result, labels = computed.result, computed.labels
    dimension = request.GET.get("nach", "theme")
    dimension = dimension if dimension in labels else "theme"
    keys = labels[dimension]
    key = request.GET.get("wert")
    key = key if key in keys else next(iter(keys), "")
    land = request.GET.get("land", "06")
    land = land if land in {"06", "alle"} else "06"
    if kreise is not None:
        land = "alle" if any(not k.startswith("06") for k in kreise) else "06"
    sort = request.GET.get("sortierung", "je100000")
    sort = sort if sort in SORTS else "je100000"
    column, descending = SORTS[sort]
    cells = result.cells.filter((pl.col("dimension") == dimension) & (pl.col("key") == key))
    gaps = computed.gaps
    if kreise is not None:
        cells = cells.filter(pl.col("ags").is_in(sorted(kreise)))
        gaps = gaps.filter(pl.col("ags").is_in(sorted(kreise)))
    elif land == "06":
        cells = cells.filter(pl.col("ags").str.starts_with("06"))
        gaps = gaps.filter(pl.col("ags").str.starts_with("06"))
    cells = cells.sort([column, "name"], descending=[descending, False])
    rows = cells.to_dicts()
    regions = dict(Region.objects.values_list("ags", "label"))
    names = dict(zip(result.kreise["ags"], result.kreise["name"], strict=True))
    for row in rows:
        row["label"] = regions.get(row["ags"], row["name"])
        if dimension == "language":
            row["requests"] = shown_count(computed.demand.get((row["ags"], key), 0))
    language_labels = labels["language"]
    gap_rows = [
        {
            "label": regions.get(g["ags"], names.get(g["ags"], g["ags"])),
            "language": language_labels.get(g["language"], g["language"]),
            "requests": shown_count(g["requests"]),
        }
        for g in gaps.iter_rows(named=True)
    ]
    restricted = kreise is not None
    return render(
        request,
        "funding/coverage.html",
        {
            "restricted": restricted,
            "csv_url": reverse(
                "funding:network-coverage-csv" if restricted else "funding:coverage-csv"
            ),
            "gaps": gap_rows,
            # requests in the Kreise shown (else: "no requests yet")
            "any_demand": any(
                (ags in kreise) if kreise is not None else (land != "06" or ags.startswith("06"))
                for ags, _language in computed.demand
            ),
            "dimension": dimension,
            "dimensions": [
                ("theme", _("Thema")),
                ("language", _("Sprache")),
                ("programme", _("Programm")),
            ],
            "keys": keys,
            "key": key,
            "key_label": keys.get(key, ""),
            "land": land,
            "sort": sort,
            "rows": rows,
            "without": [r["label"] for r in rows if r["offers"] == 0],
            "single": [r["label"] for r in rows if r["providers"] == 1],
            "attribution": cov.ATTRIBUTION,
            "map": map_settings(),
            "map_max": number_format(max((r["per_100k"] for r in rows), default=0), 2),
            "map_values": {
                r["ags"]: {
                    "value": r["per_100k"],
                    "text": _("%(offers)s Angebote, %(per)s je 100.000 Einwohner")
                    % {"offers": r["offers"], "per": number_format(r["per_100k"], 2)},
                }
                for r in rows
            },
        },
    )


def coverage_csv(request: HttpRequest) -> HttpResponse:
    """Every Kreis × every theme, language and programme, with the attribution in the header."""
    return _csv(None)


@requires("funding.network")
def network_coverage_csv(request: HttpRequest) -> HttpResponse:
    """The same for the Kreise of the user's networks."""
    projects = network.projects_visible(request.user, request.organisation)
    return _csv(network.kreise_of(projects))


def _csv(kreise: set[str] | None) -> HttpResponse:
    computed = compute()
    result, labels = computed.result, computed.labels
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = "abdeckung-verbund.csv" if kreise is not None else "abdeckung-kreise.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow([f"# {cov.ATTRIBUTION}"])
    writer.writerow(
        [
            "dimension",
            "key",
            "label",
            "ags",
            "kreis",
            "population",
            "offers",
            "providers",
            "per_100k",
            "interpreting_requests",
        ]
    )
    cells = result.cells
    if kreise is not None:
        cells = cells.filter(pl.col("ags").is_in(sorted(kreise)))
    for row in cells.iter_rows(named=True):
        requests = ""
        if row["dimension"] == "language":
            requests = _csv_count(computed.demand.get((row["ags"], row["key"]), 0))
        writer.writerow(
            [
                row["dimension"],
                row["key"],
                labels[row["dimension"]].get(row["key"], row["key"]),
                row["ags"],
                row["name"],
                row["population"],
                row["offers"],
                row["providers"],
                row["per_100k"],
                requests,
            ]
        )
    return response
