"""core.i18n.pick: the one function that picks a stored text in the request's language."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from wegweiser.core.i18n import join_list, language, pick, pick_language


def test_the_own_text_first_then_german_through_the_catalogue():
    texts = {"de": "Deutsch", "en": "German (own text)"}
    assert pick(texts, "en") == "German (own text)"
    assert pick(texts, "de") == "Deutsch"
    arabic = pick(texts, "ar")  # no Arabic text stored: the German one through gettext
    assert arabic not in ("", "Deutsch")
    assert pick({"de": "Kein Eintrag im Katalog Qz"}, "uk") == "Kein Eintrag im Katalog Qz"
    assert pick({}, "en") == pick(None) == ""


def test_the_active_language_by_default_also_in_templates():
    with translation.override("en"):
        assert language() == "en"
        assert pick({"de": "Ja", "en": "Yes"}) == "Yes"
        rendered = Template("{% load wegweiser %}{{ t|tr }}").render(
            Context({"t": {"de": "Ja", "en": "Yes"}})
        )
        assert rendered == "Yes"
    assert language("de-at") == "de"


@pytest.mark.parametrize(
    "texts, lang, expected",
    [
        ({"de": "Deutsch", "ar": "ألمانية"}, "ar", "ar"),  # stored in the page's language
        ({"de": "Deutsch"}, "ar", "ar"),  # the German text is a message id with a translation
        ({"de": "Nur auf Deutsch beschrieben Qz"}, "ar", "de"),  # shown in German
        ({"de": "Nur auf Deutsch beschrieben Qz"}, "de", "de"),
        ({"de": "Nur auf Deutsch beschrieben Qz", "en": "Own English"}, "en", "en"),
        ({"de": "Nur auf Deutsch beschrieben Qz", "en": ""}, "tr", "de"),
    ],
)
def test_the_language_of_the_picked_text(texts, lang, expected):
    assert pick_language(texts, lang) == expected
    if expected == "de" and lang != "de":
        assert pick(texts, lang) == texts["de"]


@pytest.mark.parametrize(
    "page, value, marked",
    [
        ("ar", {"de": "Nur auf Deutsch beschrieben Qz"}, True),
        ("ar", {"de": "Deutsch", "ar": "ألمانية"}, False),
        ("de", {"de": "Nur auf Deutsch beschrieben Qz"}, False),
        ("fa", "Termine nach Vereinbarung", True),  # an organisation's own note: German
        ("de", "Termine nach Vereinbarung", False),
        ("uk", "", False),
    ],
)
def test_german_parts_of_a_page_in_another_language_say_so(page, value, marked):
    """WCAG 3.1.2: a German text on an Arabic page carries lang="de" (a German voice)."""
    with translation.override(page):
        rendered = Template("{% load wegweiser %}<p{{ t|lang_attr }}>x</p>").render(
            Context({"t": value})
        )
    assert rendered == ('<p lang="de">x</p>' if marked else "<p>x</p>")


@pytest.mark.parametrize(
    "lang, items, joined",
    [
        ("de", ["Deutsch", "Arabisch"], "Deutsch, Arabisch"),
        ("ar", ["الألمانية", "العربية"], "الألمانية، العربية"),
        ("fa", ["آلمانی", "عربی"], "آلمانی، عربی"),
        ("tr", ["Almanca", "Arapça"], "Almanca, Arapça"),
        ("uk", [], ""),
    ],
)
def test_a_list_is_written_as_the_language_writes_it(lang, items, joined):
    assert join_list(items, lang) == joined


@pytest.mark.parametrize(
    "lang, codes, shown",
    [
        ("uk", ["de", "ar", "en"], "Німецька, арабська, англійська"),
        ("ar", ["de", "ar"], "الألمانية، العربية"),
        ("de", ["de", "ar"], "Deutsch, Arabisch"),
        ("tr", ["de", "ar"], "Almanca, Arapça"),
    ],
)
def test_languages_as_a_list_in_the_pages_language(lang, codes, shown):
    with translation.override(lang):
        rendered = Template("{% load wegweiser %}{{ codes|language_names }}").render(
            Context({"codes": codes})
        )
    assert rendered == shown
