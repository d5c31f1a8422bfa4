"""Reason texts in every language of the site: the double-funding rule names the excluded
programmes and rounds as the language writes a list (Arabic and Persian "،" and "؛")."""

from __future__ import annotations

import pytest
from django.conf import settings

from wegweiser.core.i18n import pick
from wegweiser.eligibility.catalogue import load_catalogue
from wegweiser.programmes.i18n import reason_text

LANGUAGES = [code for code, _name in settings.LANGUAGES]
#: (comma, semicolon) as each language writes them; written out here, not taken from the code
MARKS = {"ar": ("، ", "؛ "), "fa": ("، ", "؛ ")}


def _double_funding_rules():
    """Every double-funding rule of the catalogue that excludes two rounds or more."""
    return [
        rule
        for rnd in load_catalogue().rounds
        for rule in rnd.rules
        if rule.excluded and len(rule.excluded_rounds) >= 2
    ]


def test_the_catalogue_has_such_rules():
    assert _double_funding_rules()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_conflicting_rounds_are_listed_as_the_language_writes_a_list(lang):
    comma, semicolon = MARKS.get(lang, (", ", "; "))
    for rule in _double_funding_rules():
        first, second = rule.excluded[:2]
        facts = {"participations": {first.round_id, second.round_id}}
        text = reason_text(rule, lang, facts, False)
        expected = semicolon.join(
            f"{pick(item.programme_name, lang)}{comma}{pick(item.round_name, lang)}"
            for item in (first, second)
        )
        assert expected in text, (rule.id, lang, text)


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_no_latin_list_marks_in_right_to_left_reasons(lang):
    for rule in _double_funding_rules():
        facts = {"participations": set(rule.excluded_rounds)}
        for text in (reason_text(rule, lang), reason_text(rule, lang, facts, False)):
            assert ", " not in text and "; " not in text, (rule.id, text)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_german_and_english_reasons_are_the_engines(lang):
    """The engine's own texts (German and English) are unchanged by the site's languages."""
    for rule in _double_funding_rules():
        facts = {"participations": set(rule.excluded_rounds)}
        assert reason_text(rule, lang, facts, False) == rule.reason_text(lang, facts, False)
