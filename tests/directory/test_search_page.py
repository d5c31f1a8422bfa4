"""The search page's form and result list written in Python (``directory/search_page.py``) give
exactly the HTML of the templates they replaced (``reference/search_form.html``, the form of
``directory/search.html`` before; ``reference/search_results.html``, ``directory/_results.html``
before), over many searches (values, errors, paging, nothing found, a profile) in the six
languages and under a script prefix."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.http import QueryDict
from django.template import engines
from django.test import override_settings
from django.urls import reverse, set_script_prefix
from django.utils import translation

from wegweiser.directory import search_page, selectors
from wegweiser.directory.forms import PAGE_SIZE, OfferSearchForm

REFERENCE = Path(__file__).parent / "reference"
LOADS = "{% load i18n fast directory %}"

QUERIES = [
    "",
    "theme=recognition",
    "theme=recognition&theme=youth&language=ar&language=uk&mode=online&free=on",
    "programme=jmd&programme=wir&region=06412&sort=name",
    "region=06531005&sort=distance&postcode=60311",
    "theme=no-such-theme&region=99999&sort=nonsense&language=<b>",
    "q=Anerkennung&postcode=60311&radius=25&sort=relevance",
    "q=Beratung&postcode=34117&radius=100&page=2",
    "postcode=1234&radius=abc",  # errors on two fields
    "postcode=99999&radius=5000&q=%3Cscript%3E",  # an unknown postcode, a radius out of range
    "radius=12.5&postcode=%2060311%20&q=%22Sprach%22%20%26%20Kurs",
    "lat=50.1&q=Beratung",  # an error that is no field's
    "q=zzzzqqqq",  # nothing found
    "q=%D8%B9%D8%B1%D8%A8%D9%8A",  # nothing found, with a hint (Arabic letters)
    "page=2",
    "page=3&sort=name",
    "page=99",  # beyond the last page
    "theme=recognition&theme=bogus&mode=online&mode=x",
    "free=maybe",
    "profile=" + quote('{"citizenships": ["SY"], "residence": {"title": "duldung"}}'),
    "profile=%7Bnot%20json",
]


def _template(name: str):
    """A reference template; ``{% search_field form.x args %}`` in it is the include of
    ``search_field.html`` (``directory/_field.html`` before) with ``field=form.x args``."""
    code = (REFERENCE / name).read_text(encoding="utf-8")
    field = (REFERENCE / "search_field.html").read_text(encoding="utf-8")
    code = re.sub(
        r"\{% search_field (\S+) ?(.*?) %\}",
        lambda m: "{% with field=" + m[1] + " " + m[2] + " %}" + field + "{% endwith %}",
        code,
    )
    return engines["django"].from_string(LOADS + code)


def _page(query: str) -> dict:
    """What the view hands its templates for ``?query`` (``views.offer_search``)."""
    data = QueryDict(query)
    form = OfferSearchForm(data) if query else OfferSearchForm()
    result = None
    if not query:
        result = selectors.search_offers(selectors.OfferQuery(page_size=PAGE_SIZE))
    elif form.is_valid():
        result = selectors.search_offers(form.to_query())
    shown = data.copy()
    shown.pop("page", None)
    querystring = shown.urlencode()
    urls = ("", "")
    if result is not None:
        urls = (f"/api/v1/offers.geojson?{querystring}", f"/api/v1/regions?a=1&{querystring}")
    return {
        "form": form,
        "result": result,
        "querystring": querystring,
        "geojson_url": urls[0],
        "regions_url": urls[1],
    }


@pytest.mark.parametrize("lang", ["de", "en", "ar", "fa", "uk", "tr"])
def test_same_html_as_the_templates(demo_directory, lang):
    form_template, results_template = (
        _template("search_form.html"),
        _template("search_results.html"),
    )
    seen = {"errors": 0, "pages": 0, "empty": 0, "profile": 0, "open": 0, "hits": 0}
    with translation.override(lang):
        for query in QUERIES:
            context = _page(query)
            # the Python first: it renders (and keeps) offers the reference has not seen
            got_form = search_page.form_html(context["form"])
            got = search_page.results_html(
                context["form"],
                context["result"],
                context["querystring"],
                context["geojson_url"],
                context["regions_url"],
            )
            assert got_form == form_template.render(context), query
            assert got == results_template.render(context), query
            seen["errors"] += "error-summary" in got
            seen["pages"] += 'class="pagination"' in got
            seen["empty"] += 'class="empty"' in got
            seen["profile"] += 'class="notice"' in got
            seen["open"] += 'more-filters" open' in got_form
            seen["hits"] += got.count('class="offer-card"')
    # every branch of the templates was compared
    assert all(seen.values()), seen


@pytest.mark.parametrize("prefix", ["/", "/wegweiser/"])
def test_the_form_posts_to_the_search_under_any_prefix(demo_directory, prefix):
    set_script_prefix(prefix)
    try:
        with override_settings(FORCE_SCRIPT_NAME=prefix), translation.override("uk"):
            html = search_page.form_html(OfferSearchForm())
            assert f'action="{reverse("directory:search")}"' in html
            assert reverse("directory:search").startswith(prefix)
            assert _template("search_form.html").render({"form": OfferSearchForm()}) == html
    finally:
        set_script_prefix("/")


def test_the_view_answers_htmx_with_the_list_alone(client, demo_directory):
    url = "/de/angebote/?q=Beratung&postcode=60311&radius=50"
    response = client.get(url)
    page = response.content.decode()
    # the view's list is the one the test compares, and the map asks for the same filters
    # (the address escaped once)
    query = "q=Beratung&amp;postcode=60311&amp;radius=50"
    assert f'data-geojson-url="{reverse("api-v1:offers_geojson")}?{query}"' in page
    assert f'data-regions-url="{reverse("api-v1:regions")}?geometry=true&amp;{query}"' in page
    assert search_page.form_html(response.context["form"]) in page
    part = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert part.startswith('<section id="results"') and part.endswith("</section>\n")
    assert part in page
    assert "<form" not in part and '<form class="search-form"' in page


@pytest.mark.parametrize("lang", ["de", "fa"])
def test_a_form_with_initial_values_is_the_template(demo_directory, lang):
    with translation.override(lang):
        for initial in (
            {"radius": 12.5, "postcode": "60311", "q": "a<b"},
            {"theme": "youth", "region": "06412", "free": True, "sort": "name"},
        ):
            form = OfferSearchForm(initial=initial)
            html = search_page.form_html(form)
            assert html == _template("search_form.html").render({"form": form})
            assert ' value="a&lt;b"' in html or " selected>" in html


def test_a_new_frame_for_changed_regions(demo_directory):
    """The form's kept frame goes with the fields it was made from: renamed regions show."""
    from wegweiser.organisations.models import Region
    from wegweiser.organisations.selectors import clear_region_choices

    region = Region.objects.get(ags="06412")
    label = region.label
    with translation.override("de"):
        form = OfferSearchForm()
        before = search_page.form_html(form)
        frames = form.base_fields.rendered
        assert frames and search_page.form_html(OfferSearchForm()) == before
        assert OfferSearchForm().base_fields.rendered is frames  # kept
        region.label = "Frankfurt (umbenannt, Test)"
        region.save()
        clear_region_choices()
        try:
            form = OfferSearchForm()
            after = search_page.form_html(form)
            assert "Frankfurt (umbenannt, Test)" in after and after != before
            assert form.base_fields.rendered is not frames and form.base_fields.rendered
        finally:
            region.label = label
            region.save()
            clear_region_choices()
