"""``text_attrs``: how a stored name is isolated from the page around it. On a right-to-left
page a translated name is laid out right to left even when it begins with a Latin word
("WIR – شبكات …"); a name shown in German is marked German; nothing else is added."""

from __future__ import annotations

import pytest
from django.utils import translation

from wegweiser.core.templatetags.wegweiser import text_attrs
from wegweiser.eligibility.catalogue import load_catalogue

UNTRANSLATED = {"de": "Ein Name nur auf Deutsch (Test)"}


def _wir():
    return next(p for p in load_catalogue().programmes if p.id == "wir").name


@pytest.mark.parametrize(
    ("lang", "texts", "expected"),
    [
        ("de", "wir", ""),
        ("en", "wir", ""),
        ("uk", "wir", ""),
        ("tr", "wir", ""),
        ("ar", "wir", ' dir="rtl"'),
        ("fa", "wir", ' dir="rtl"'),
        ("ar", "untranslated", ' lang="de"'),
        ("fa", "untranslated", ' lang="de"'),
        ("uk", "untranslated", ' lang="de"'),
        ("de", "untranslated", ""),
        ("ar", "plain", ' lang="de"'),  # a text an organisation wrote is German
        ("ar", "empty", ""),
    ],
)
def test_attributes(lang, texts, expected):
    value = {"wir": _wir, "untranslated": lambda: UNTRANSLATED, "plain": lambda: "Träger"}.get(
        texts, lambda: {}
    )()
    with translation.override(lang):
        assert text_attrs(value) == expected


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_the_wir_name_is_translated_and_begins_latin(lang):
    """The case the attribute is for: the translated name starts with a Latin word."""
    from wegweiser.core.i18n import pick

    with translation.override(lang):
        name = pick(_wir(), lang)
    assert name.startswith("WIR") and name != _wir()["de"]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_search_page_lays_translated_programmes_out_right_to_left(demo_directory, client, lang):
    from wegweiser.core.i18n import pick

    page = client.get(f"/{lang}/angebote/?programme=wir").content.decode()
    assert page.count('<bdi dir="rtl">WIR') >= 1
    assert "<bdi>WIR" not in page
    with translation.override(lang):
        name = pick(_wir(), lang)
    # the programme filter names the programmes in the page's language too (it was German)
    assert f'name="programme" value="wir" id="id_programme_0" checked> {name}</label>' in page
