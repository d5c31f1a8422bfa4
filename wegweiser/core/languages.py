"""Languages a person speaks or an offer is given in (the search filter, a participant's languages,
the volunteers' to come): ISO 639-1 codes (639-3 where there is none, e.g. Dari)."""

from __future__ import annotations

import pycountry
from django.utils.translation import gettext_lazy as _

#: Offered in the search filter, in this order (the languages of the largest groups first).
LANGUAGES = {
    "de": _("Deutsch"),
    "en": _("Englisch"),
    "ar": _("Arabisch"),
    "uk": _("Ukrainisch"),
    "ru": _("Russisch"),
    "fa": _("Persisch (Farsi)"),
    "prs": _("Dari"),
    "tr": _("Türkisch"),
    "ku": _("Kurdisch"),
    "ps": _("Paschtu"),
    "ti": _("Tigrinya"),
    "so": _("Somali"),
    "fr": _("Französisch"),
    "es": _("Spanisch"),
    "pl": _("Polnisch"),
    "ro": _("Rumänisch"),
    "bg": _("Bulgarisch"),
    "sq": _("Albanisch"),
    "sr": _("Serbisch"),
    "it": _("Italienisch"),
    "vi": _("Vietnamesisch"),
}
LANGUAGE_CHOICES = list(LANGUAGES.items())


def is_language_code(code: str) -> bool:
    """A two-letter ISO 639-1 or three-letter ISO 639-3 code."""
    if code in LANGUAGES:
        return True
    if len(code) == 2:
        return pycountry.languages.get(alpha_2=code) is not None
    if len(code) == 3:
        return pycountry.languages.get(alpha_3=code) is not None
    return False


def language_label(code: str) -> str:
    if code in LANGUAGES:
        return str(LANGUAGES[code])
    lang = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    lang = lang or pycountry.languages.get(alpha_3=code)
    return lang.name if lang else code


def short_language_code(code: str) -> str:
    """ISO 639-1 where there is one (``deu`` -> ``de``), as the search filter uses them."""
    if len(code) == 3:
        lang = pycountry.languages.get(alpha_3=code)
        if lang is not None and getattr(lang, "alpha_2", None):
            return lang.alpha_2
    return code
