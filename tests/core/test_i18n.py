"""core.i18n.pick: the one function that picks a stored text in the request's language."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from wegweiser.core.i18n import language, pick


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
