"""The public coverage page (aggregates only: counts per Kreis, no person, no single offer) and
its CSV export. The numbers come from :func:`wegweiser.funding.coverage.coverage`."""

from __future__ import annotations

import csv

import polars as pl
from django.db import connection
from django.db.models import CharField, TextField
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from wegweiser.core.i18n import pick
from wegweiser.core.languages import language_label
from wegweiser.directory.maps import map_settings
from wegweiser.directory.models import Offer
from wegweiser.directory.vocabulary import THEMES
from wegweiser.funding import coverage as cov
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


def compute() -> tuple[cov.Coverage, dict[str, dict[str, str]]]:
    frame = offer_frame()
    languages = sorted(frame["languages"].explode().drop_nulls().unique().to_list())
    programmes = {p.key: pick(p.name) for p in Programme.objects.order_by("position")}
    labels = {
        "theme": {k: str(v) for k, v in THEMES.items()},
        "language": {code: language_label(code) for code in languages},
        "programme": programmes,
    }
    result = cov.coverage(frame, cov.population(), {d: list(v) for d, v in labels.items()})
    return result, labels


def coverage(request: HttpRequest) -> HttpResponse:
    result, labels = compute()
    dimension = request.GET.get("nach", "theme")
    dimension = dimension if dimension in labels else "theme"
    keys = labels[dimension]
    key = request.GET.get("wert")
    key = key if key in keys else next(iter(keys), "")
    land = request.GET.get("land", "06")
    land = land if land in {"06", "alle"} else "06"
    sort = request.GET.get("sortierung", "je100000")
    sort = sort if sort in SORTS else "je100000"
    column, descending = SORTS[sort]
    cells = result.cells.filter((pl.col("dimension") == dimension) & (pl.col("key") == key))
    if land == "06":
        cells = cells.filter(pl.col("ags").str.starts_with("06"))
    cells = cells.sort([column, "name"], descending=[descending, False])
    rows = cells.to_dicts()
    regions = dict(Region.objects.values_list("ags", "label"))
    for row in rows:
        row["label"] = regions.get(row["ags"], row["name"])
    return render(
        request,
        "funding/coverage.html",
        {
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
    result, labels = compute()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="abdeckung-kreise.csv"'
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
        ]
    )
    for row in result.cells.iter_rows(named=True):
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
            ]
        )
    return response
