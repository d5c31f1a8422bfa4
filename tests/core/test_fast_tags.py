"""``{% input_field %}`` writes what ``{{ field }}`` renders through Django's widget templates,
byte for byte, whatever the data; ``{% asset %}`` gives what ``{% static %}`` gives, per
script prefix and after a change of settings (``core/templatetags/fast.py``, issue 16)."""

from __future__ import annotations

import pytest
from django import forms
from django.template import engines
from django.test import override_settings
from django.urls import get_script_prefix, set_script_prefix
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from wegweiser.core.templatetags.fast import asset, forget_kept, input_field, map_data
from wegweiser.directory.forms import OfferSearchForm
from wegweiser.directory.maps import map_settings


class _Inputs(forms.Form):
    """Every kind of plain input and attribute the widget templates write."""

    text = forms.CharField(max_length=5, help_text="Hilfe <b>")
    number = forms.IntegerField(required=False, min_value=1, max_value=9)
    email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"data-x": "a\"b'"}))
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    agree = forms.BooleanField()
    free = forms.BooleanField(required=False)
    fixed = forms.CharField(disabled=True, initial="fest & fix", required=False)
    search = forms.CharField(required=False, widget=forms.TextInput(attrs={"autofocus": True}))
    choose = forms.ChoiceField(choices=[("a", "A & B"), ("b", "<B>")], required=False)


NAMES = list(_Inputs.base_fields)
values = st.one_of(st.sampled_from(["", "on", "true", "false", "3", "0", "x@y.de"]), st.text())


def _same(form: forms.Form) -> None:
    for name in form.fields:
        bound = form[name]
        assert input_field(bound) == str(bound), name


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(NAMES), values))
def test_input_field_writes_what_the_widget_templates_write(data):
    _same(_Inputs())  # unbound, with initial values
    form = _Inputs(data)
    form.is_valid()  # with errors: aria-invalid, aria-describedby
    _same(form)


@pytest.mark.parametrize(
    "data",
    [{}, {"free": "true"}, {"free": "vielleicht"}, {"profile": '{"a": "<b>&\'"}'}, {"q": "x"}],
)
def test_the_search_forms_inputs(db, data):
    form = OfferSearchForm(data) if data else OfferSearchForm()
    form.is_valid() if data else None
    for name in ("free", "profile"):
        assert input_field(form[name]) == str(form[name])


def test_the_search_page_template_uses_it(db):
    """Rendered through the template engine the tag gives the same as ``{{ field }}``."""
    form = OfferSearchForm({"free": "true", "profile": "<x>"})
    form.is_valid()
    engine = engines["django"]
    now = engine.from_string(
        "{% load fast %}{% input_field form.free %}{% input_field form.profile %}"
    )
    before = engine.from_string("{{ form.free }}{{ form.profile }}")
    assert now.render({"form": form}) == before.render({"form": form})
    assert " checked" in now.render({"form": form})


def test_asset_is_static_per_script_prefix_and_setting():
    engine = engines["django"]
    static = engine.from_string("{% load static %}{% static 'wegweiser/site.css' %}")
    kept = engine.from_string("{% load fast %}{% asset 'wegweiser/site.css' %}")
    before = get_script_prefix()
    try:
        for prefix in ("/", "/wegweiser/", "/"):
            set_script_prefix(prefix)
            assert kept.render({}) == static.render({})
        with override_settings(STATIC_URL="/assets/"):
            assert kept.render({}) == static.render({}) == asset("wegweiser/site.css")
            assert kept.render({}).startswith("/assets/")
    finally:
        set_script_prefix(before)
    assert kept.render({}) == static.render({})


#: The include ``directory/_map_data.html`` the tag replaced (issue 16), without its comment.
MAP_DATA_BEFORE = 'data-tiles="{{ map.tiles }}" data-tiles-attribution="{{ map.tiles_attribution }}" data-attribution="{{ map.attribution|force_escape }}" data-background="{{ map.background }}" data-background-attribution="{{ map.background_attribution|force_escape }}" data-label-sources="{{ map.label_sources }}" data-label-sources-long="{{ map.label_sources_long }}" data-label-zoom-in="{{ map.label_zoom_in }}" data-label-zoom-out="{{ map.label_zoom_out }}" data-label-cluster="{{ map.label_cluster }}"'


@pytest.mark.parametrize("lang", ["de", "ar", "fa"])
@pytest.mark.parametrize(
    "tiles",
    [
        {},
        {
            "MAP_TILE_URL": "https://t.example/{z}/{x}/{y}.png?a=1&b=2",
            "MAP_TILE_ATTRIBUTION": '© <a href="https://x.example/?a&b">"Karten"</a>',
        },
    ],
    ids=["own background", "tile server"],
)
def test_map_data_writes_what_the_include_wrote(lang, tiles):
    engine = engines["django"]
    before = engine.from_string(MAP_DATA_BEFORE)
    with override_settings(**tiles), translation.override(lang):
        settings = map_settings()
        assert map_data(settings) == before.render({"map": settings})
        assert "&lt;a " in map_data(settings)  # HTML sources escaped into the attribute
        assert map_data(None) == before.render({})  # a page without a map: empty values


def test_map_data_is_kept_apart_for_text_and_html_of_the_same_letters():
    """The tag keeps its output per values; a value marked safe is written as it is, the same
    letters as plain text escaped, whichever came first."""
    from django.utils.safestring import mark_safe

    for first, second in ((str, mark_safe), (mark_safe, str)):
        forget_kept()  # each order from nothing kept
        plain, marked = (
            map_data({"label_cluster": make("A & <b>B</b>")}) for make in (first, second)
        )
        assert plain != marked
        for make, written in ((first, plain), (second, marked)):
            value = "A & <b>B</b>" if make is mark_safe else "A &amp; &lt;b&gt;B&lt;/b&gt;"
            assert f'data-label-cluster="{value}"' in written


LANGS = ["de", "en", "ar", "uk", "fa", "tr"]


def _links(page: str) -> dict[str, str]:
    """The language links of a page: language → address."""
    import html
    import re

    found = re.findall(r'<li><a href="([^"]*)" lang="(\w+)" hreflang="\2"', page)
    return {code: html.unescape(href) for href, code in found}


@pytest.mark.parametrize("path", ["/de/angebote/", "/de/datenschutz/", "/de/programme/"])
def test_language_links_lead_to_the_page_in_each_language_under_a_script_prefix(
    client, demo_directory, path
):
    """Behind a script prefix each link still leads to the page in its own language (the
    prefix is not part of what is translated), on the staff and on the public layout."""
    before = get_script_prefix()
    try:
        for prefix in ("", "/wegweiser", ""):
            # as the WSGI handler does (the test client leaves the prefix alone)
            set_script_prefix(prefix + "/")
            response = client.get(path, SCRIPT_NAME=prefix)
            assert response.status_code == 200
            assert response.wsgi_request.path == prefix + path
            links = _links(response.content.decode())
            assert list(links) == LANGS
            for code, href in links.items():
                assert href == f"{prefix}/{code}/{path.split('/', 2)[2]}", (prefix, code, href)
    finally:
        set_script_prefix(before)


@pytest.mark.parametrize("path", ["/de/gibt-es-nicht/", "//evil.example/x", "/de/" + "x" * 5000])
def test_a_page_that_is_not_ours_links_each_languages_start_page(client, db, path):
    """A 404's language links lead to each language's start page: never to the unknown address
    itself (which may name another site), never to a page in another language than named."""
    response = client.get(path)
    assert response.status_code == 404
    page = response.content.decode()
    assert _links(page) == {code: f"/{code}/" for code in LANGS}
    assert "evil.example" not in page.split("<main", 1)[0]


@pytest.mark.parametrize("lang", LANGS)
def test_the_query_follows_each_link_to_the_same_page_only(client, db, lang):
    """The language links are kept per page and split where the page's query goes: each link
    to the same page carries this request's query once (escaped), a 404's links (each
    language's start page) none."""
    query = "q=A%26B&postcode=60311&x=<y>"
    page = client.get(f"/{lang}/angebote/?{query}").content.decode()
    escaped = "?q=A%26B&amp;postcode=60311&amp;x=&lt;y&gt;"
    assert _links(page) == {code: f"/{code}/angebote/?{query}" for code in LANGS}
    assert page.count(escaped) == len(LANGS)
    again = client.get(f"/{lang}/angebote/").content.decode()  # the same page, no query
    assert _links(again) == {code: f"/{code}/angebote/" for code in LANGS}
    missing = client.get(f"/{lang}/gibt-es-nicht/?{query}")
    assert missing.status_code == 404
    assert _links(missing.content.decode()) == {code: f"/{code}/" for code in LANGS}


# --- {% kept %} and {% kept_url %} ---------------------------------------------------------------


def _page(code: str, context: dict) -> str:
    from django.template import engines

    return engines["django"].from_string("{% load fast %}" + code).render(context)


def test_a_kept_part_is_rendered_once_per_values_and_kept():
    from wegweiser.core.templatetags import fast

    fast.forget_kept()
    code = "{% kept part lang role %}{{ lang }}/{{ role }}/{{ extra }}{% endkept %}"
    assert _page(code, {"lang": "de", "role": "a", "extra": 1}) == "de/a/1"
    # the same values: the kept text, even where an unlisted value changed
    assert _page(code, {"lang": "de", "role": "a", "extra": 2}) == "de/a/1"
    # another value of a listed variable: rendered anew
    assert _page(code, {"lang": "ar", "role": "a", "extra": 3}) == "ar/a/3"
    assert _page(code, {"lang": "de", "role": "b", "extra": 4}) == "de/b/4"
    fast.forget_kept()
    assert _page(code, {"lang": "de", "role": "a", "extra": 5}) == "de/a/5"


def test_kept_parts_are_bounded_and_each_name_its_own(monkeypatch):
    from wegweiser.core.templatetags import fast

    fast.forget_kept()
    monkeypatch.setattr(fast, "KEPT_LIMIT", 3)
    for n in range(10):
        assert _page("{% kept p n %}{{ n }}{% endkept %}", {"n": n}) == str(n)
        assert len(fast._KEPT) <= 3
    assert _page("{% kept other n %}x{{ n }}{% endkept %}", {"n": 9}) == "x9"


def test_a_kept_part_behind_a_script_prefix_is_its_own():
    from django.urls import set_script_prefix

    from wegweiser.core.templatetags import fast

    fast.forget_kept()
    code = "{% kept p %}{% url 'directory:search' %}{% endkept %}"
    with translation.override("de"):
        plain = _page(code, {})
        set_script_prefix("/sub/")
        try:
            prefixed = _page(code, {})
        finally:
            set_script_prefix("/")
    assert prefixed == "/sub" + plain


@pytest.mark.parametrize("lang", ["de", "en", "ar", "fa", "uk", "tr"])
def test_kept_url_is_url(lang):
    from django.urls import set_script_prefix

    with translation.override(lang):
        for name in ("directory:search", "public:next", "public:clear", "programmes:list"):
            expected = _page("{% url '" + name + "' %}", {})
            assert _page("{% kept_url '" + name + "' %}", {}) == expected
            set_script_prefix("/sub/")
            try:
                assert _page("{% kept_url '" + name + "' %}", {}) == "/sub" + expected
            finally:
                set_script_prefix("/")
