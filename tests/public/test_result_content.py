"""The result page's content written in Python (``public/result_page.py``, with the tags
``error_summary`` and ``answers_summary``) gives exactly the HTML of the templates it replaced
(``reference/result_content.html`` with ``nearby.html``, ``errors.html`` and ``summary.html``:
``public/result.html`` and its includes before), for each persona, without answers, with a
postcode, with a wrong one and far from any offer, in the six languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.test import Client
from django.utils import translation

from tests.public.test_result_page import PERSONAS
from tests.public.test_selfcheck import answer_all
from wegweiser.public.forms import AnswerForm, ContactForm
from wegweiser.public.questions import QUESTIONS
from wegweiser.public.templatetags.public_tags import answers_summary, error_summary

REFERENCE = Path(__file__).parent / "reference"
LANGS = [code for code, _name in settings.LANGUAGES]
#: What the view hands ``result_page.content_html`` (and ``result.html``).
KEYS = (
    "groups", "fitting", "form", "nearest", "points", "map", "place", "place_label", "radius",
    "token", "more_questions", "summary",
)  # fmt: skip


def _read(name: str) -> str:
    return (REFERENCE / name).read_text(encoding="utf-8")


def _reference():
    """result.html's content with its includes written out (their own reference files)."""
    code = _read("result_content.html")
    for include, name in (
        ("public/_nearby.html", "nearby.html"),
        ("public/_errors.html", "errors.html"),
        ("public/_summary.html", "summary.html"),
    ):
        code = code.replace('{% include "' + include + '" %}', _read(name))
    assert "{% include" not in code
    return engines["django"].from_string("{% load i18n fast public_tags %}" + code)


def _compare(response, lang: str, seen: dict) -> None:
    context = {key: response.context[key] for key in KEYS}
    with translation.override(lang):
        expected = _reference().render(context)
    got = response.context["content"]
    assert got == expected
    assert got in response.content.decode()
    seen["errors"] += "error-summary" in got
    seen["place"] += bool(context["place"])
    seen["no place"] += not context["place"]
    seen["none near"] += 'class="empty"' in got
    seen["map"] += 'id="nearest-points"' in got
    seen["open"] += 'id="open-heading"' in got
    seen["nothing fits"] += 'class="programme-result" data-programme' not in got
    seen["fit offer"] += "fit-offer" in got
    seen["all may fit"] += not context["groups"]["no"]
    seen["more questions"] += bool(context["more_questions"])
    seen["no more questions"] += not context["more_questions"]
    seen["no fitting offer"] += 'class="no-offer"' in got


@pytest.mark.parametrize("lang", LANGS)
def test_same_html_as_the_templates(demo_directory, lang):
    seen = dict.fromkeys(
        [
            "errors",
            "place",
            "no place",
            "none near",
            "map",
            "open",
            "nothing fits",
            "fit offer",
            "all may fit",
            "more questions",
            "no more questions",
            "no fitting offer",
        ],
        0,
    )
    url = f"/{lang}/selbstcheck/ergebnis/"
    fresh = Client()
    fresh.get(f"/{lang}/selbstcheck/")
    _compare(fresh.get(url), lang, seen)  # no answer yet
    for answers in PERSONAS.values():
        client = Client()
        answer_all(client, lang, answers=answers)
        _compare(client.get(url), lang, seen)
        token = client.get(url).context["token"]
        wrong = client.post(url, {"postcode": "1234", "token": token})
        assert wrong.status_code == 400
        _compare(wrong, lang, seen)
        client.post(url, {"postcode": "34117", "token": token})
        _compare(client.get(url), lang, seen)
    assert all(seen.values()), seen


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_the_error_summary_and_the_answers_are_their_templates(catalogue_loaded, lang):
    errors = engines["django"].from_string(_read("errors.html"))
    summary = engines["django"].from_string(_read("summary.html"))
    with translation.override(lang):
        forms = [ContactForm({"phone": "abc"}), ContactForm()]
        for question in QUESTIONS.values():
            forms.append(AnswerForm(question, {"answer": "<zz>"}))
        radios = 0
        for form in forms:
            form.is_valid()
            html = error_summary(form)
            assert html == errors.render({"form": form})
            radios += bool(re.search(r'href="#id_answer_0"', html))
        assert radios
        rows = [
            {"question": q, "answer": "<b>", "german": i % 2}
            for i, q in enumerate(QUESTIONS.values())
        ]
        for shown in (rows, []):
            assert answers_summary(shown) == summary.render({"summary": shown})
