"""The search form's choices written in Python (templatetags ``checkbox_choices``,
``select_options``) give exactly the HTML of the Django templates they replace; the form's
fields are prepared once per language. (The whole form against its template:
``test_search_page.py``.)"""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.template import engines
from django.utils import translation

from wegweiser.directory.forms import OfferSearchForm

#: The template code the tags replace (search.html before).
CHECKBOXES = (
    "{% for choice in field %}<label>{{ choice.tag }} {{ choice.choice_label }}</label>{% endfor %}"
)
OPTIONS = (
    '{% for value, label in field.field.choices %}<option value="{{ value }}"{% if '
    'field.value|stringformat:"s" == value|stringformat:"s" %} selected{% endif %}>{{ label }}'
    "</option>{% endfor %}"
)
QUERIES = [
    "",
    "theme=recognition",
    "theme=recognition&theme=youth&language=ar&language=uk&mode=online&free=on",
    "programme=jmd&programme=wir&region=06412&sort=name",
    "region=06531005&sort=distance&postcode=60311",
    "theme=no-such-theme&region=99999&sort=nonsense&language=<b>",
    "theme=recognition&theme=bogus&mode=online&mode=x",
    "q=Anerkennung&postcode=60311&radius=25&sort=relevance",
    "postcode=1234&radius=abc",  # errors on postcode and radius
    "postcode=99999&radius=5000&q=%3Cscript%3E",  # unknown postcode, radius out of range
    "radius=12.5&postcode=%2060311%20&q=%22Sprach%22%20%26%20Kurs",
    "lat=50.1&q=Beratung",  # a form error that is no field's
]


def _render(code: str, field) -> str:
    return engines["django"].from_string("{% load directory %}" + code).render({"field": field})


@pytest.mark.parametrize("lang", ["de", "ar"])
@pytest.mark.parametrize("query", QUERIES)
def test_same_html_as_the_templates(demo_directory, query, lang):
    with translation.override(lang):
        form = OfferSearchForm(QueryDict(query)) if query else OfferSearchForm()
        form.is_valid()
        for name in ("theme", "programme", "language", "mode"):
            expected = _render(CHECKBOXES, form[name])
            assert _render("{% checkbox_choices field %}", form[name]) == expected, name
            assert expected.count("<label>") == len(form.fields[name].choices)
        for name in ("region", "sort"):
            expected = _render(OPTIONS, form[name])
            assert _render("{% select_options field %}", form[name]) == expected, name
        initial = OfferSearchForm(initial={"theme": "youth", "region": "06412"})
        assert _render("{% checkbox_choices field %}", initial["theme"]) == _render(
            CHECKBOXES, initial["theme"]
        )
        assert _render("{% select_options field %}", initial["region"]) == _render(
            OPTIONS, initial["region"]
        )


# --- the fields shared by every search form of one language ------------------------------------


def _labels(form, name: str) -> list[str]:
    return [str(label) for _key, label in form.fields[name].choices]


def test_forms_of_one_language_share_their_fields_and_each_language_has_its_own(demo_directory):
    """A search form's fields are prepared once per language (no deep copy per form): two forms
    of one language hold the same field objects; a form in another language gets its own,
    and preparing it changes nothing of the first language's."""
    with translation.override("de"):
        german = OfferSearchForm(QueryDict("theme=youth"))
        again = OfferSearchForm()
        german_themes = _labels(german, "theme")
    assert german.fields is not again.fields  # each form its own dict (order_fields etc.)
    assert german.fields["theme"] is again.fields["theme"]
    with translation.override("ar"):
        arabic = OfferSearchForm(QueryDict("theme=youth"))
        assert arabic.fields["theme"] is not german.fields["theme"]
        assert _labels(arabic, "theme") != german_themes  # translated labels
        arabic.is_valid()
    with translation.override("de"):
        assert _labels(OfferSearchForm(), "theme") == german_themes
        assert german.is_valid() and german.cleaned_data["theme"] == ["youth"]
    # the API's form (every Land) has its own regions
    with translation.override("de"):
        every_land = OfferSearchForm(land=None)
        assert every_land.fields["region"] is not german.fields["region"]
        assert len(every_land.fields["region"].choices) >= len(german.fields["region"].choices)


def test_shared_fields_follow_changed_regions(demo_directory):
    """When the regions are loaded again (other labels), the next form shows them."""
    from wegweiser.organisations.models import Region
    from wegweiser.organisations.selectors import clear_region_choices

    with translation.override("de"):
        before = OfferSearchForm()
        region = Region.objects.get(ags="06412")
        region.label = "Frankfurt am Main (umbenannt, Test)"
        region.save()
        clear_region_choices()
        try:
            after = OfferSearchForm()
        finally:
            clear_region_choices()  # the process's regions: not the renamed one for other tests
    assert dict(after.fields["region"].choices)["06412"] == "Frankfurt am Main (umbenannt, Test)"
    assert after.fields["region"] is not before.fields["region"]
    assert "umbenannt" not in dict(before.fields["region"].choices)["06412"]
