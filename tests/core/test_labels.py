"""Country names as the person reads them (``core.labels.country_name``): in the page's
language, never left in English where the language has a name of its own."""

from __future__ import annotations

import pycountry
import pytest
from babel import Locale
from django.utils import translation

from wegweiser.core.labels import country_name
from wegweiser.public.questions import answer_label

# the citizenships the programmes' texts name most (seeds: Syria, Afghanistan, Iraq, Iran,
# Türkiye, Ukraine, Eritrea), in the self-check's languages
NAMES = [
    ("SY", "de", "Syrien"),
    ("SY", "ar", "سوريا"),
    ("SY", "fa", "سوریه"),
    ("IR", "ar", "إيران"),
    ("IR", "fa", "ایران"),
    ("TR", "ar", "تركيا"),
    ("TR", "fa", "ترکیه"),
    ("TR", "de", "Türkei"),
    ("UA", "uk", "Україна"),
    ("AF", "fa", "افغانستان"),
    ("SY", "en", "Syria"),
]


@pytest.mark.parametrize(("code", "lang", "name"), NAMES)
def test_the_name_in_the_language(code, lang, name):
    assert country_name(code, lang) == name


@pytest.mark.parametrize("lang", ["de", "ar", "fa", "uk", "tr"])
def test_no_country_stays_in_english_where_the_language_names_it(lang):
    cldr = Locale.parse(lang).territories
    english = []
    for country in pycountry.countries:
        en = getattr(country, "common_name", None) or country.name
        name = country_name(country.alpha_2, lang)
        if name == en and cldr.get(country.alpha_2, en) != en:
            english.append(en)
    assert english == []


@pytest.mark.parametrize(
    ("lang", "text"), [("de", "Syrien, Irak"), ("ar", "سوريا، العراق"), ("fa", "سوریه، عراق")]
)
def test_the_answered_citizenships_are_a_list_in_the_language(lang, text):
    with translation.override(lang):
        assert answer_label("citizenships", ["SY", "IQ"], lang) == text
