"""What every map page hands to ``directory/map.js`` (through the template tag ``map_data``,
``core/templatetags/fast.py``): the optional tile server, our own background and the
translated sources of the data shown."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

BACKGROUND = "directory/map-background.geojson"
DL_DE_BY = "https://www.govdata.de/dl-de/by-2-0"


def attribution_html() -> str:
    """Sources of the boundaries (the search map's Kreise) and the postcode points: always shown."""
    return format_html(
        '{}: <bdi>&copy; <a href="https://www.bkg.bund.de">BKG</a> (2026) '
        '<a href="{}">dl-de/by-2-0</a></bdi> ({}), '
        '<a href="https://sgx.geodatenzentrum.de/web_public/gdz/datenquellen/datenquellen_vg_nuts.pdf">'
        "{}</a> &middot; {}: "
        '<bdi><a href="https://www.geonames.org/">GeoNames</a>, '
        '<a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a></bdi> ({})',
        _("Verwaltungsgrenzen"),
        DL_DE_BY,
        _("Daten verändert"),
        _("Datenquellen"),
        _("Postleitzahlen und Orte"),
        _("Daten verändert"),
    )


def background_attribution_html() -> str:
    """Sources used only by our own background (water; population to rank the place names).
    Names of publishers and licences stay as they are, isolated from right-to-left text."""
    return format_html(
        '{}: <bdi><a href="https://www.naturalearthdata.com/">Natural Earth</a></bdi> ({}) '
        "&middot; {}: <bdi>&copy; Statistische Ämter des Bundes und der Länder, "
        'Regionaldatenbank Deutschland, 12411-01-01-4, <a href="{}">dl-de/by-2-0</a></bdi> ({})',
        _("Gewässer"),
        _("gemeinfrei"),
        _("Einwohnerzahlen 2024"),
        DL_DE_BY,
        _("eigene Aufbereitung"),
    )


def map_settings() -> dict[str, str]:
    """The ``map`` context of a page with a map. With a tile server the tiles are the background
    (they show water, places and borders themselves); without one, our own file is. The same
    for every page of one language (and settings, address prefix): made once for each, a copy
    per page (13 translations and two format_html were ~0.1 ms of each search page)."""
    tiles = getattr(settings, "MAP_TILE_URL", "")
    attribution = getattr(settings, "MAP_TILE_ATTRIBUTION", "")
    return dict(
        _map_settings(tiles, attribution, get_language(), get_script_prefix(), settings.STATIC_URL)
    )


@lru_cache(maxsize=64)
def _map_settings(
    tiles: str, tiles_attribution: str, lang: str | None, prefix: str, static_url: str | None
) -> dict[str, str]:
    return {
        "tiles": tiles,
        "tiles_attribution": tiles_attribution,
        "attribution": attribution_html(),
        "background": "" if tiles else static(BACKGROUND),
        "background_attribution": "" if tiles else background_attribution_html(),
        "label_sources": _("Quellen"),
        "label_sources_long": _("Quellen der Karte"),
        "label_zoom_in": _("Vergrößern"),
        "label_zoom_out": _("Verkleinern"),
        "label_cluster": _("Angebote"),
    }
