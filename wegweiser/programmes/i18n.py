"""Catalogue texts and engine messages in every language of the site.

The catalogue files carry German and English; the eligibility engine (pure Python, no Django)
carries its messages in German and English too. For the other languages (ar, uk, fa, tr) the
German text is the gettext message id: ``catalogue_strings.py`` (generated from the catalogue by
``wegweiser catalogue_strings``) lists every such text for ``makemessages``, and the functions
here look the German text up in the language's catalogue at render time. A text without a
translation stays German.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from wegweiser.core.i18n import LIST_SEPARATORS, SEMICOLONS, language, pick
from wegweiser.eligibility import i18n as engine_i18n
from wegweiser.eligibility import registry as engine_registry
from wegweiser.eligibility.catalogue import Catalogue, Rule, excluded_text, load_catalogue
from wegweiser.eligibility.parsing import ProfileError

#: The generated module, next to this file.
STRINGS_MODULE = Path(__file__).resolve().parent / "catalogue_strings.py"


def engine_message(code: str, lang: str | None = None, **params: Any) -> str:
    """A message of the eligibility engine (``wegweiser.eligibility.i18n``) in ``lang``."""
    return pick(engine_i18n.MESSAGES[code], lang).format(**params)


def profile_error_text(error: ProfileError, lang: str | None = None) -> str:
    """The message of an invalid profile in ``lang`` (without the key in front)."""
    return engine_message(error.code, lang, **error.params)


def fact_label(name: str, lang: str | None = None) -> str:
    """The label of an engine fact (``age``, ``residence_title`` ...) in ``lang``."""
    fact = engine_registry.FACTS[name]
    return pick({"de": fact.label_de, "en": fact.label_en}, lang)


def reason_text(
    rule: Rule, lang: str | None = None, facts: dict[str, Any] | None = None, outcome=None
) -> str:
    """:meth:`Rule.reason_text` in any language of the site.

    The double-funding rule names the excluded programmes (and, for a conflict, the rounds the
    person takes part in) by their names in ``lang``, never by their ids.
    """
    lang = language(lang)
    if rule.excluded:

        def name(texts):
            return pick(texts, lang)

        marks = {"comma": LIST_SEPARATORS.get(lang, ", "), "semicolon": SEMICOLONS.get(lang, "; ")}
        if outcome is False and facts is not None:
            conflicts = {p for p in facts["participations"] if p in rule.excluded_rounds}
            names = excluded_text(rule.excluded, name, only=conflicts, **marks)
            return engine_message("double_funding", lang, conflicts=names)
        names = excluded_text(rule.excluded, name, **marks)
        return engine_message("double_funding_rule", lang, excluded=names)
    return pick(rule.text, lang)


def result_json(result, lang: str | None = None) -> dict[str, Any]:
    """``RoundResult.to_json`` with the reasons in any language of the site."""
    doc = result.to_json("de")
    for reason, (rule, outcome) in zip(doc["reasons"], result.decided_by, strict=True):
        reason["text"] = reason_text(rule, lang, result.facts, outcome)
    return doc


# --- the generated module ---------------------------------------------------------------------


def collect_strings(catalogue: Catalogue | None = None) -> list[tuple[str, str, list[str]]]:
    """Every German text to translate: ``(german, english, [where, ...])``, first place first."""
    catalogue = catalogue or load_catalogue()
    found: dict[str, tuple[str, list[str]]] = {}

    def add(texts: dict[str, str] | None, where: str) -> None:
        if not texts or not texts.get("de"):
            return
        german = texts["de"]
        if german not in found:
            found[german] = (texts.get("en", ""), [])
        if where not in found[german][1]:
            found[german][1].append(where)

    for line in catalogue.funding_lines.values():
        add(line.name, f"funding-lines.yaml: {line.id}, name")
    for prog in catalogue.programmes:
        f = prog.file
        add(prog.name, f"{f}: name")
        add(prog.family, f"{f}: family")
        add(prog.summary, f"{f}: summary")
        add(prog.target_group, f"{f}: target_group")
        for rnd in prog.rounds:
            for rule in rnd.rules:
                if rule.excluded:  # generated from the engine's message and the names
                    continue
                name = rule.id.split(".", 1)[1]
                add(rule.text, f"{f}: rule {name}")
        for rnd in prog.rounds:
            add(rnd.name, f"{f}: round {rnd.id}, name")
            add(rnd.budget_note, f"{f}: round {rnd.id}, budget note")
            add(rnd.note, f"{f}: round {rnd.id}, note")
    for fact in engine_registry.FACTS.values():
        labels = {"de": fact.label_de, "en": fact.label_en}
        add(labels, f"eligibility/registry.py: fact {fact.name}")
    for code, texts in engine_i18n.MESSAGES.items():
        add(texts, f"eligibility/i18n.py: message {code}")
    return [(de, en, where) for de, (en, where) in found.items()]


HEADER = '''\
# ruff: noqa: E501
"""GENERATED by ``wegweiser catalogue_strings`` -- do not edit; edit the catalogue and rerun.

The German texts of the programme catalogue (``wegweiser/catalogue/*.yaml``), the engine's fact
labels and messages, marked for ``makemessages``. At render time ``wegweiser.programmes.i18n``
passes the German text through gettext. ``tests/test_translations.py`` fails when this file is
out of date with the catalogue.
"""

from django.utils.translation import gettext_noop

STRINGS = (
'''


def _literal(text: str) -> str:
    body = text.replace("\\", "\\\\").replace("\n", "\\n")
    if '"' in text and "'" not in text:
        return "'" + body + "'"
    return '"' + body.replace('"', '\\"') + '"'


def render_module(strings: list[tuple[str, str, list[str]]] | None = None) -> str:
    """The source of ``catalogue_strings.py``."""
    out = [HEADER]
    for german, _english, where in strings if strings is not None else collect_strings():
        comment = "Translators: " + "; ".join(where)
        lines = textwrap.wrap(comment, 90, break_on_hyphens=False)
        if "%" in german:  # a per cent sign, not a placeholder
            lines.append("xgettext:no-python-format")
        comments = "".join(f"        # {line}\n" for line in lines)
        out.append(f"    gettext_noop(\n{comments}        {_literal(german)}\n    ),\n")
    out.append(")\n")
    return "".join(out)
