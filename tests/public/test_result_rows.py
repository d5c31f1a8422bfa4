"""The result page's rounds and the answers written in Python (templatetags ``open_rounds``,
``not_fitting_rounds``, ``fitting_reasons``, ``open_reasons``, ``answer_rows``) give exactly the
HTML of the template loops they replaced: for the 120 eligibility personas' rounds and for
walked visitors' answers, in the six languages."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.template import engines
from django.test import Client
from django.utils import translation

from tests.eligibility.casefiles import load_cases
from tests.public.test_result_page import PERSONAS
from tests.public.test_selfcheck import ANSWERS, answer_all
from wegweiser.eligibility.engine import evaluate
from wegweiser.eligibility.facts import parse_profile
from wegweiser.programmes.selectors import engine_catalogue
from wegweiser.public.views import _round_rows

LANGS = [code for code, _ in settings.LANGUAGES]

#: The loops of result.html and _summary.html before (issue 16), and the tags now.
BEFORE = {
    "open": """    {% for row in groups.open %}
    <li class="programme-result" data-round="{{ row.key }}">
      <h3><bdi{{ row.programme_attrs }}>{{ row.programme }}</bdi> <small>{{ row.round }}</small></h3>
      {% if row.decide %}<p>{% translate "Das würde es klären:" %} <a href="{% url 'public:question' row.decide.slug %}">{{ row.decide.text }}</a></p>{% endif %}
    </li>
    {% endfor %}""",
    "no": """    {% for row in groups.no %}
    <article class="programme-result" data-round="{{ row.key }}">
      <h3><bdi{{ row.programme_attrs }}>{{ row.programme }}</bdi> <small>{{ row.round }}</small></h3>
      <p>{% translate "Diese Voraussetzung erfüllen Sie nach Ihren Antworten nicht:" %}</p>
      <ul class="reasons">{% for text in row.reasons %}<li>{{ text }}</li>{% endfor %}</ul>
      {% citations row.sources %}
    </article>
    {% endfor %}""",
    "reasons": """  {% for row in groups.fit %}
  <details class="programme-result result-fit" data-round="{{ row.key }}">
    <summary><bdi{{ row.programme_attrs }}>{{ row.programme }}</bdi>{% if LANGUAGE_BIDI %}، {% else %}, {% endif %}{{ row.round }}</summary>
    <p>{{ row.summary }}</p>
    <p>{% translate "Warum es passt – diese Voraussetzungen erfüllen Sie:" %}</p>
    <ul class="reasons">{% for text in row.reasons %}<li>{{ text }}</li>{% endfor %}</ul>
    {% citations row.sources %}
  </details>
  {% endfor %}
  {% for row in groups.open %}
  <details class="programme-result result-open" data-round="{{ row.key }}">
    <summary><bdi{{ row.programme_attrs }}>{{ row.programme }}</bdi>{% if LANGUAGE_BIDI %}، {% else %}, {% endif %}{{ row.round }} – {% translate "noch offen" %}</summary>
    <p>{% translate "Noch nicht geklärt:" %}</p>
    <ul class="reasons">{% for text in row.reasons %}<li>{{ text }}</li>{% endfor %}</ul>
    {% if row.missing %}<p>{% translate "Das würde es klären:" %}
      {% for q in row.missing %}<a href="{% url 'public:question' q.slug %}">{{ q.text }}</a>{% if not forloop.last %} · {% endif %}{% endfor %}</p>{% endif %}
    {% citations row.sources %}
  </details>
  {% endfor %}""",
    "answers": """  {% for row in summary %}
  <div class="answer-row">
    <dt>{{ row.question.text }}</dt>
    <dd>{% if row.german %}<bdi dir="ltr" lang="de">{{ row.answer }}</bdi>{% else %}{{ row.answer }}{% endif %} <a href="{% url 'public:question' row.question.slug %}">{% translate "ändern" %}<span class="visually-hidden">: {{ row.question.text }}</span></a></dd>
  </div>
  {% endfor %}""",
}
NOW = {
    "open": "    {% open_rounds groups.open %}",
    "no": "    {% not_fitting_rounds groups.no %}",
    "reasons": "  {% fitting_reasons groups.fit %}\n  {% open_reasons groups.open %}",
    "answers": "  {% answer_rows summary %}",
}


def _same(context: dict, parts=("open", "no", "reasons")) -> None:
    engine = engines["django"]
    for part in parts:
        bidi = "{% get_current_language_bidi as LANGUAGE_BIDI %}"  # Arabic and Persian: "،"
        before = engine.from_string("{% load i18n public_tags %}" + bidi + BEFORE[part])
        now = engine.from_string("{% load i18n public_tags %}" + NOW[part])
        assert now.render(context) == before.render(context), part


@pytest.mark.parametrize("lang", LANGS)
def test_the_rounds_of_the_eligibility_personas(catalogue_loaded, lang):
    catalogue = engine_catalogue()
    seen = {"fit": 0, "no": 0, "open": 0, "missing": 0}
    with translation.override(lang):
        for case in load_cases():
            profile = parse_profile(case.profile, reference_date=case.date)
            groups = _round_rows(evaluate(catalogue, profile, case.date), lang)
            _same({"groups": groups})
            for group, rows in groups.items():
                seen[group] += len(rows)
            seen["missing"] += sum(len(row["missing"]) > 1 for row in groups["open"])
    assert all(seen.values()), seen  # every kind of row was compared


@pytest.mark.parametrize("lang", LANGS)
def test_walked_visitors_answers_and_rounds(demo_directory, lang):
    for answers in [ANSWERS, *PERSONAS.values()]:
        client = Client()
        answer_all(client, lang, answers=answers)
        response = client.get(f"/{lang}/selbstcheck/ergebnis/")
        assert response.status_code == 200
        assert response.context["summary"]
        with translation.override(lang):
            _same(
                {"groups": response.context["groups"], "summary": response.context["summary"]},
                ("open", "no", "reasons", "answers"),
            )


def test_question_links_follow_language_and_script_prefix(catalogue_loaded):
    """The question links are kept per language and script prefix (issue 16): each pair its
    own address and text, as ``{% url %}`` gives it, whatever was rendered before."""
    from django.urls import get_script_prefix, reverse, set_script_prefix
    from django.utils.html import escape

    from wegweiser.public.questions import QUESTIONS
    from wegweiser.public.templatetags.public_tags import _question_link

    question = QUESTIONS["residence"]  # "Welchen Aufenthaltstitel …?": quoted, escaped
    before = get_script_prefix()
    try:
        for prefix in ("/", "/wegweiser/", "/"):
            set_script_prefix(prefix)
            for lang in ["de", "ar", "de", "en"]:
                with translation.override(lang):
                    url = reverse("public:question", args=[question.slug])
                    link = _question_link(question)
                    assert link == f'<a href="{escape(url)}">{escape(question.text)}</a>'
                    assert url.startswith(f"{prefix}{lang}/")
    finally:
        set_script_prefix(before)
