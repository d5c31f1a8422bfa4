"""The search form's choices written in Python (templatetags ``checkbox_choices``,
``select_options``) give exactly the HTML of the Django templates they replace."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.template import engines
from django.utils import translation

from wegweiser.directory.forms import OfferSearchForm

#: The template code the tags replace (search.html, _field.html before).
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
