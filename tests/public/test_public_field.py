"""A field of the public forms written in Python (templatetag ``public_field``) gives exactly
the HTML of the template it replaced (``reference/field.html``, ``public/_field.html`` before),
for every kind of question, the contact form and the result page's postcode, with values and
errors, in the six languages; and each field has its own label (the include read a label its
page had set for the field before it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.http import QueryDict
from django.template import engines
from django.utils import translation
from django.utils.safestring import mark_safe

from wegweiser.public.forms import AnswerForm, ContactForm, PostcodeForm
from wegweiser.public.questions import QUESTIONS

REFERENCE = (Path(__file__).parent / "reference" / "field.html").read_text(encoding="utf-8")
ARGS = ("label", "hint", "hint_dir", "type", "autocomplete", "inputmode", "dir")


def _both(field, **args) -> tuple[str, str]:
    """The field through the reference template, given only ``args``, and through the tag."""
    engine = engines["django"]
    context = {"field": field, **{f"a_{k}": v for k, v in args.items()}}
    given = " ".join(f"{k}=a_{k}" for k in args)
    include = engine.from_string(
        "{% with " + f"field=field {given}" + " %}" + REFERENCE + "{% endwith %}"
    )
    tag = engine.from_string("{% load public_tags %}{% public_field field " + given + " %}")
    return include.render(context), tag.render(context)


def _forms():
    """(form, field name, the include's arguments) for every field the pages show."""
    kinds = {}
    for question in QUESTIONS.values():
        kinds.setdefault(question.kind, question)
    assert {"date", "postcode", "country"} <= set(kinds)
    for kind, question in kinds.items():
        for data in (
            None,
            {},
            {"answer": "<b>x</b>", "answer2": "zz"},
            {"answer": "SY", "answer2": "SY"},
        ):
            form = AnswerForm(question, data) if data is not None else AnswerForm(question)
            form.is_valid()
            if "answer" not in form.fields or form.fields["answer"].__class__.__name__ in (
                "TypedChoiceField",
            ):
                continue
            # a label and hint with markup: escaped, unless marked safe (as the template did)
            args = {"label": "Etikett <i>", "hint": question.hint or mark_safe("<b>Hinweis</b>")}
            if kind in ("date", "postcode"):
                args.update(autocomplete="bday", inputmode="numeric", dir="ltr")
            yield form, "answer", args
            if "answer2" in form.fields:
                yield form, "answer2", {}
    for data in (None, {"phone": "abc", "email": "x@", "name": "A & B"}, {"phone": "0151 2345678"}):
        form = ContactForm(data) if data is not None else ContactForm()
        form.is_valid()
        yield form, "name", {"autocomplete": "name"}
        yield (
            form,
            "phone",
            {
                "type": "tel",
                "autocomplete": "tel",
                "dir": "ltr",
                "hint": "0151 2345678",
                "hint_dir": "ltr",
            },
        )
        yield form, "email", {"type": "email", "autocomplete": "email", "dir": "ltr"}
    for query in ("", "postcode=1234", "postcode=60311"):
        form = PostcodeForm(QueryDict(query)) if query else PostcodeForm()
        form.is_valid()
        yield (
            form,
            "postcode",
            {
                "hint": "Fünf Ziffern",
                "autocomplete": "postal-code",
                "inputmode": "numeric",
                "dir": "ltr",
            },
        )


@pytest.mark.parametrize("lang", ["de", "en", "ar", "fa", "uk", "tr"])
def test_same_html_as_the_template(catalogue_loaded, regions_loaded, lang):
    seen = {"errors": 0, "select": 0, "hint": 0, "input": 0, "escaped": 0, "safe": 0}
    with translation.override(lang):
        for form, name, args in _forms():
            expected, got = _both(form[name], **args)
            assert got == expected, (name, args, form.data)
            seen["errors"] += "field-error" in got
            seen["select"] += "<select" in got
            seen["hint"] += 'class="hint"' in got
            seen["input"] += "<input" in got
            seen["escaped"] += "Etikett &lt;i&gt;" in got
            seen["safe"] += "<b>Hinweis</b>" in got
    assert all(seen.values()), seen


def test_the_second_citizenship_has_its_own_label(client, catalogue_loaded):
    html = client.get("/de/selbstcheck/frage/staatsangehoerigkeit/").content.decode()
    labels = dict(re.findall(r'<label for="(id_answer2?)">([^<]*)</label>', html))
    assert labels["id_answer"] == "Staatsangehörigkeit"
    assert labels["id_answer2"] == "Zweite Staatsangehörigkeit (wenn vorhanden)"
