"""Plain words for codes: what a person reads instead of a country code, a Kreis key, a language
code, a paragraph, a follow-up offset.

Every function takes the stored code and answers the label in the active language (or ``lang``);
an unknown code comes back unchanged, so nothing is lost. The template filters of the same names
are in ``core/templatetags/wegweiser.py``.
"""

from __future__ import annotations

import gettext as pygettext
import re
from functools import lru_cache

import pycountry
from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from wegweiser.eligibility.facts import STATELESS


@lru_cache(maxsize=8)
def _country_translation(lang: str):
    try:
        return pygettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        return pygettext.NullTranslations()


@lru_cache(maxsize=8)
def _cldr_countries(lang: str) -> dict[str, str]:
    """CLDR's short country names in ``lang`` (Babel), by ISO code."""
    try:
        return dict(Locale.parse(lang.replace("-", "_")).territories)
    except (ValueError, UnknownLocaleError):
        return {}


def country_name(code: str, lang: str | None = None) -> str:
    """``SY`` → ``Syrien`` (``Syria``, ``سوريا`` …), from pycountry's ISO 3166 translations,
    CLDR's (Babel) where those lack the name."""
    if code == STATELESS:
        return _("staatenlos")
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    lang = lang or get_language() or "de"
    name = getattr(country, "common_name", None) or country.name
    translated = _country_translation(lang).gettext(name)
    if translated == name and not lang.startswith("en"):
        # pycountry's catalogues lack some short names: Arabic and Persian had "Syria", "Iran"
        # and "Türkiye" in English. CLDR has them ("سوريا", "ایران", "تركيا").
        translated = _cldr_countries(lang).get(code, translated)
    return translated


def section_label(section: str) -> str:
    """``25(2)`` → ``§ 25 Abs. 2``; ``60a`` → ``§ 60a`` (the paragraph of the AufenthG)."""
    if "(" in section:
        number, rest = section.split("(", 1)
        return f"§ {number} Abs. {rest.rstrip(')')}"
    return f"§ {section}"


def residence_section(section: str) -> str:
    """``25(2)`` → ``§ 25 Abs. 2 AufenthG``: as it stands on the person's papers."""
    return f"{section_label(section)} AufenthG" if section else ""


@lru_cache(maxsize=1)
def _region_labels() -> dict[str, str]:
    from wegweiser.core.geo import region_records

    return {r.ags: r.label for r in region_records()}


def kreis_name(ags: str) -> str:
    """``06431`` → ``Landkreis Bergstraße`` (official key of a Kreis or a Sonderstatusstadt)."""
    return _region_labels().get(ags, ags) if ags else ""


def language_name(code: str) -> str:
    """``ar`` → ``Arabisch`` in the active language (our list, else pycountry's English name)."""
    from wegweiser.core.languages import language_label

    return language_label(code)


_OFFSET = re.compile(r"^(\d+)([dwm])$")


def offset_label(offset: str) -> str:
    """A follow-up's ``4w`` → ``nach 4 Wochen`` (``Nd`` days, ``Nw`` weeks, ``Nm`` months)."""
    found = _OFFSET.match(offset or "")
    if not found:
        return offset
    n, unit = int(found.group(1)), found.group(2)
    if unit == "d":
        return ngettext("nach %(n)d Tag", "nach %(n)d Tagen", n) % {"n": n}
    if unit == "w":
        return ngettext("nach %(n)d Woche", "nach %(n)d Wochen", n) % {"n": n}
    return ngettext("nach %(n)d Monat", "nach %(n)d Monaten", n) % {"n": n}
