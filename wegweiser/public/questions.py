"""The questions of the public self-check: one per input key of the eligibility engine.

Which keys are asked, in which order, and the values a choice offers come from the engine's fact
registry (``registry.ASKED_KEYS``, the facts' values); this module says how each is asked: a
text, a plain-language reason why it is asked, a kind of input and the labels of the values.
Answers are kept as pieces of the engine's profile JSON (``birth_date`` as ISO text,
``residence`` as ``{"title", "section"}``, ``kreis`` from the postcode); :func:`profile_data`
joins them. German source text, marked for translation.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wegweiser.core.i18n import join_list
from wegweiser.core.labels import country_name, section_label
from wegweiser.eligibility.registry import ASKED_KEYS, BOOL_KEYS, FACTS_BY_INPUT_KEY
from wegweiser.eligibility.values import (
    ABSCHNITT_5_SECTIONS,
    COUNTRY_CODES,
    DULDUNG_SECTIONS,
    GERMAN_LEVELS,
    SECTIONS_BY_TITLE,
    TITLES_WITH_SECTION,
)

YES_NO = (("yes", _("Ja")), ("no", _("Nein")))


@dataclass(frozen=True)
class Question:
    key: str  # the engine's input key
    slug: str  # the key in the URL
    text: str
    why: str
    kind: str  # date, choice, country, postcode, section, residence (title + section)
    choices: tuple = ()
    hint: str = ""


@dataclass(frozen=True)
class _Asked:
    """How the self-check asks an input key; ``labels`` name the values of a choice."""

    slug: str
    text: str
    why: str
    kind: str
    labels: dict | None = None
    hint: str = ""


_ASKED: dict[str, _Asked] = {
    "birth_date": _Asked(
        "geburtsdatum",
        _("Wann sind Sie geboren?"),
        _("Viele Programme sind für ein bestimmtes Alter, zum Beispiel bis 27 oder bis 35 Jahre."),
        "date",
        hint=_("Zum Beispiel 31.12.1999"),
    ),
    "gender": _Asked(
        "geschlecht",
        _("Welches Geschlecht haben Sie?"),
        _("Manche Programme sind nur für Frauen oder nur für Männer."),
        "choice",
        {"female": _("weiblich"), "male": _("männlich"), "diverse": _("divers")},
    ),
    "residence": _Asked(
        "aufenthalt",
        _("Welches Aufenthaltspapier haben Sie?"),
        _("Ob Sie ein Programm nutzen können, hängt oft von Ihrem Aufenthaltsstatus ab."),
        "residence",  # the title, and on the same page the paragraph (``residence.section``)
        {
            "german_citizen": _("Ich bin Deutsche oder Deutscher."),
            "free_movement": _("Ich komme aus der EU, dem EWR oder der Schweiz."),
            "aufenthaltserlaubnis": _("Aufenthaltserlaubnis"),
            "niederlassungserlaubnis": _("Niederlassungserlaubnis (unbefristet)"),
            "daueraufenthalt_eu": _("Erlaubnis zum Daueraufenthalt – EU"),
            "blaue_karte": _("Blaue Karte EU"),
            "aufenthaltsgestattung": _("Aufenthaltsgestattung (mein Asylverfahren läuft)"),
            "duldung": _("Duldung"),
            "visum": _("Visum"),
            "none": _("Ich habe kein Aufenthaltspapier."),
        },
    ),
    "residence.section": _Asked(
        "paragraf",
        _("Nach welchem Paragrafen wurde Ihr Papier erteilt?"),
        _(
            "Einige Programme sind für Menschen mit einem Aufenthalt aus humanitären Gründen. "
            "Das erkennt man am Paragrafen."
        ),
        "section",
        hint=_(
            "Der Paragraf steht auf dem Papier, oft unter „Anmerkungen“, "
            "z. B. „§ 25 Abs. 2 AufenthG“."
        ),
    ),
    "citizenships": _Asked(
        "staatsangehoerigkeit",
        _("Welche Staatsangehörigkeit haben Sie?"),
        _("Manche Programme sind nur für Menschen aus Staaten außerhalb der EU."),
        "country",
        hint=_("Wenn Sie zwei Staatsangehörigkeiten haben, wählen Sie auch die zweite aus."),
    ),
    "work_ban": _Asked(
        "arbeitsverbot",
        _("Dürfen Sie in Deutschland arbeiten?"),
        _(
            "Programme für Arbeit und Ausbildung sind nur möglich, "
            "wenn Arbeit nicht ganz verboten ist."
        ),
        "choice",
        {
            "none": _("Ja, ich darf arbeiten."),
            "temporary": _("Noch nicht: Ich habe ein befristetes Arbeitsverbot."),
            "absolute": _("Nein: Ich habe ein Arbeitsverbot ohne Ende."),
        },
    ),
    "jobcentre_contact": _Asked(
        "jobcenter",
        _("Werden Sie vom Jobcenter oder von der Agentur für Arbeit unterstützt?"),
        _("Einige Programme sind für Menschen, die das Jobcenter noch nicht erreicht."),
        "choice",
        {
            "supported": _("Ja, ich werde dort unterstützt."),
            "not_reached": _("Nein, ich habe dort keine Unterstützung."),
            "refuses": _("Ich möchte dort keine Unterstützung."),
        },
    ),
    "kreis": _Asked(
        "postleitzahl",
        _("Wie ist die Postleitzahl Ihres Wohnorts?"),
        _(
            "Manche Programme gibt es nur in einem Bundesland. Mit der Postleitzahl finden wir "
            "auch Angebote in Ihrer Nähe."
        ),
        "postcode",
        hint=_("Fünf Ziffern, zum Beispiel 60311"),
    ),
    "migration_background": _Asked(
        "migrationsgeschichte",
        _("Sind Sie selbst oder ist ein Elternteil nach Deutschland eingewandert?"),
        _("Manche Programme sind für Menschen mit Einwanderungsgeschichte."),
        "choice",
    ),
    "foreign_qualification": _Asked(
        "abschluss",
        _("Haben Sie einen Berufs- oder Studienabschluss aus dem Ausland?"),
        _("Es gibt Beratung, damit ausländische Abschlüsse in Deutschland anerkannt werden."),
        "choice",
    ),
    "german_level": _Asked(
        "deutsch",
        _("Wie gut sprechen Sie Deutsch?"),
        _("Manche Angebote setzen bestimmte Deutschkenntnisse voraus oder helfen beim Lernen."),
        "choice",
        {"none": _("noch gar nicht")} | {lvl: lvl for lvl in GERMAN_LEVELS if lvl != "none"},
        hint=_("A1 ist der Anfang, C2 ist sehr gut."),
    ),
    "municipality_has_wir_or_amif_project": _Asked(
        "projekt-vor-ort",
        _("Gibt es in Ihrer Stadt oder Gemeinde ein WIR- oder AMIF-Projekt?"),
        _("Ein Programm gibt es nur dort, wo es ein solches Projekt schon gibt."),
        "choice",
    ),
    "attending_integration_course": _Asked(
        "integrationskurs",
        _("Besuchen Sie gerade einen Integrationskurs?"),
        _("Ein Angebot ist für Eltern, die einen Integrationskurs besuchen."),
        "choice",
    ),
    "child_without_childcare": _Asked(
        "kinderbetreuung",
        _("Haben Sie ein Kind unter sechs Jahren ohne Platz in Kita oder Tagespflege?"),
        _("Ein Angebot bietet Kinderbetreuung während des Kurses."),
        "choice",
    ),
}
assert set(_ASKED) == set(ASKED_KEYS), set(_ASKED) ^ set(ASKED_KEYS)


def _question(key: str, asked: _Asked) -> Question:
    """The question of ``key``: yes/no for a true-or-false fact, else a choice among the values
    of the fact (each needs its label)."""
    fact = FACTS_BY_INPUT_KEY[key][0]  # the birth date (the age is its alternative)
    choices: tuple = ()
    if fact.kind == "bool":
        choices = YES_NO
    elif asked.labels is not None:
        assert set(asked.labels) == set(fact.values), (key, set(asked.labels) ^ set(fact.values))
        choices = tuple((value, asked.labels[value]) for value in fact.values)
    return Question(key, asked.slug, asked.text, asked.why, asked.kind, choices, asked.hint)


#: In the engine's question order.
QUESTIONS: dict[str, Question] = {key: _question(key, _ASKED[key]) for key in ASKED_KEYS}
BY_SLUG = {q.slug: q for q in QUESTIONS.values()}


# --- sections and countries ----------------------------------------------------------------------


_SECTION = re.compile(r"(\d+)([a-z]*)(?:\((\d+)([a-z]*)\))?")


def _section_sort(section: str) -> tuple:
    """The order of the law: § 23 Abs. 1, § 23 Abs. 2, § 23a, § 24, § 25 Abs. 1 … § 25a ("25(2)"
    was read as 252 and came after § 25b)."""
    m = _SECTION.fullmatch(section)
    if m is None:
        return (10**6, "", 0, "", section)
    number, letter, subsection, sub_letter = m.groups()
    return (int(number), letter, int(subsection or 0), sub_letter or "", section)


def grouped_section_choices() -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """The paragraphs of every title that has one, grouped by title (for the residence page)."""
    titles = dict(QUESTIONS["residence"].choices)
    return tuple((titles[t], section_choices(t)) for t in TITLES_WITH_SECTION)


def section_choices(title: str | None) -> tuple[tuple[str, str], ...]:
    sections = SECTIONS_BY_TITLE.get(title or "", frozenset())
    if title == "duldung":
        ordered = sorted(DULDUNG_SECTIONS, key=_section_sort)
        return tuple((s, f"{section_label(s)} AufenthG") for s in ordered)
    humanitarian = sorted(ABSCHNITT_5_SECTIONS, key=_section_sort)
    others = sorted(sections - ABSCHNITT_5_SECTIONS, key=_section_sort)
    return tuple((s, f"{section_label(s)} AufenthG") for s in humanitarian + others)


def country_choices(lang: str | None = None) -> list[tuple[str, str]]:
    lang = lang or get_language() or "de"
    return sorted(
        ((c, country_name(c, lang)) for c in COUNTRY_CODES), key=lambda c: c[1].casefold()
    )


# --- answers ↔ profile ---------------------------------------------------------------------------


def profile_data(answers: dict) -> dict:
    """The engine's profile JSON from the stored answers (unknown facts left out)."""
    data: dict = {}
    for key, value in answers.items():
        if key == "residence.section":
            continue
        if key in BOOL_KEYS:
            data[key] = value == "yes"
        elif key == "residence":
            data["residence"] = {"title": value}
            section = answers.get("residence.section")
            if section and value in SECTIONS_BY_TITLE:
                data["residence"]["section"] = section
        elif key in QUESTIONS or key in ("birth_date",):
            data[key] = value
    return data


def answer_label(key: str, value, lang: str | None = None) -> str:
    """The stored answer as the person chose it."""
    question = QUESTIONS[key]
    if question.kind == "country":
        return join_list((country_name(c, lang) for c in value), lang)  # "سوريا، العراق"
    if question.kind == "section":
        return f"{section_label(value)} AufenthG"
    if question.kind == "date":  # in the page's language: "1. Januar 1995", "1 يناير 1995"
        return date_format(dt.date.fromisoformat(value), "DATE_FORMAT")
    if question.kind == "postcode":
        return value
    return str(dict(question.choices).get(value, value))
