import html
from functools import lru_cache

from django import template
from django.template.defaultfilters import join
from django.template.loader import get_template
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from wegweiser.core.formats import one_decimal
from wegweiser.core.i18n import join_list
from wegweiser.core.shared import rendered
from wegweiser.core.templatetags.fast import page_in_languages
from wegweiser.core.templatetags.wegweiser import lang_attr, text_attrs

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> tuple[dict, ...]:
    """The current page in every language: plain links, no form, no cookie."""
    return page_in_languages(context.get("request"))


# --- the offer cards of the result page ---------------------------------------------------------


def _contact_html(offer, compact: bool, lang: str, prefix: str) -> str:
    """How to reach an offer (``public/_offer_contact.html``) as rendered, kept with the kept
    offer (``core.shared.rendered``) per language, form and whether its organisation answers
    requests: the same for every visitor, and never older than the offer it was rendered from."""
    receives = bool(getattr(offer, "receives_requests", False))
    key = ("contact", lang, prefix, compact, receives)
    return rendered(
        offer,
        key,
        lambda: get_template("public/_offer_contact.html").render(
            {"offer": offer, "compact": compact}
        ),
    )


@lru_cache(maxsize=64)
def _distance_html(lang: str | None) -> str:
    """The distance's HTML with a place for the number (``%(km)s``), in ``lang`` (the active
    language: a translation does not change while the process runs)."""
    return ' · <span class="distance">' + gettext("%(km)s km entfernt") + "</span>"


def _distance(hit, lang: str | None) -> str:
    if hit.distance_km is None:
        return ""
    km = conditional_escape(one_decimal(hit.distance_km, lang))
    return _distance_html(lang) % {"km": km}


def card_where() -> tuple:
    """What a card depends on besides its offer and distance: the language, the day and the
    script prefix; read once by a page that shows many cards (each read costs a few µs)."""
    return get_language(), timezone.localdate(), get_script_prefix()


@register.simple_tag
def offer_card(hit, compact=False, where=None):
    """One offer of the result page (``hit``: a search hit with its distance); ``compact``: the
    nearest offer of a fitting programme, in one line; ``where``: :func:`card_where`, read once
    by the caller. The HTML of the template it replaced (tested byte for byte in six
    languages, ``tests/public/test_offer_card.py``), written in Python with the contact part
    kept: the cards were half of the page's rendering. German names and addresses are
    isolated from the page's direction (bdi, dir="auto"). The card around the distance and the
    contact part is kept with the kept offer, per form, language and day: the same for every
    visitor it is shown to."""
    lang, day, prefix = where or card_where()
    offer = hit.offer
    compact = bool(compact)
    key = ("card", compact, lang, day, prefix)
    head, middle = rendered(offer, key, lambda: _card_parts(offer, compact))
    contact = _contact_html(offer, compact, lang, prefix)
    return mark_safe(f"{head}{_distance(hit, lang)}{middle}{contact}{_CARD_END[compact]}")  # noqa: S308


_CARD_END = {True: "</p>\n</li>\n", False: "\n</li>\n"}


def _card_parts(offer, compact: bool) -> tuple[str, str]:
    """The card of ``offer`` before its distance, and between its distance and contact part."""
    esc = conditional_escape
    head = (
        f'\n<li class="offer-card{" compact" if compact else ""}" data-offer-id="{esc(offer.id)}">'
    )
    lang = lang_attr(offer.name)
    link = f'<a href="{esc(offer.get_absolute_url())}" dir="auto"{lang}>{esc(offer.title)}</a>'
    if compact:
        nearest = esc(gettext("Nächstes Angebot:"))  # not inside the f-string: xgettext skips those
        return f"{head}\n  <p>{nearest} {link}", " · "
    rnd = offer.funding_round
    programme = f" · <bdi{text_attrs(rnd.programme.name)}>{esc(rnd.programme)}</bdi>" if rnd else ""
    places = list(offer.placements.all())
    loc = places[0].location if places else None
    place = f"<bdi>{esc(loc.postcode)} {esc(loc.city)}</bdi>" if loc else ""
    return (
        f"{head}\n  <h3>{link}</h3>"
        f'\n  <p class="org"><bdi>{esc(offer.organisation.name)}</bdi>{programme}</p>'
        f'\n  <p class="meta">{place}',
        "</p>\n  ",
    )


@register.simple_tag
def citations(found):
    """``programmes/_citations.html`` for a list of citations: rendered once per list and
    language (they come from the catalogue, which does not change while the process runs)."""
    return _citations_html(tuple(found), get_language())


@lru_cache(maxsize=2048)
def _citations_html(found: tuple, lang: str) -> str:
    return get_template("programmes/_citations.html").render({"citations": list(found)})


# --- the rounds and the answers of the result page ----------------------------------------------
# The loops of result.html and _summary.html written in Python, each the HTML of the template
# loop it replaced, byte for byte (tests/public/test_result_rows.py): with the offer cards they
# were most of the page's rendering (docs/public.md, "Speed").


def _v(value) -> str:
    """``{{ value }}``: localised and escaped, as the template engine renders a variable (plain
    text straight to ``html.escape``, which is what ``escape`` calls for it)."""
    if type(value) is str:
        return SafeString(html.escape(value))
    value = localize(value)
    return conditional_escape(value if isinstance(value, str) else str(value))


def _translated(text: str) -> str:
    """``{% translate "…" %}`` does not escape the translation (our own .po files)."""
    return mark_safe(text)  # noqa: S308 (our own translations, as in a template)


@lru_cache(maxsize=256)
def _question_href(slug: str, lang: str, prefix: str) -> str:
    """A question's address, escaped: the same for every visitor of a language and script
    prefix (the result page links up to ~40 times to questions; ``reverse`` each time was a
    quarter of its rendering)."""
    return _v(reverse("public:question", args=[slug]))


#: ``<a href="…">question</a>`` by (slug, language, script prefix); a few dozen in all.
_QUESTION_LINKS: dict[tuple[str, str, str], str] = {}


def _question_link(question, where: tuple[str, str] | None = None) -> str:
    """A link to a question with its text, kept per language and script prefix (``where``:
    the two, read once by a caller that writes many links)."""
    lang, prefix = where or (get_language(), get_script_prefix())
    key = (question.slug, lang, prefix)
    link = _QUESTION_LINKS.get(key)
    if link is None:
        if len(_QUESTION_LINKS) > 1000:  # bounded, whatever the prefixes
            _QUESTION_LINKS.clear()
        link = f'<a href="{_question_href(*key)}">{_question_text(question, lang)}</a>'
        _QUESTION_LINKS[key] = link
    return link


#: A question's text, escaped, by (slug, language): the same for every visitor.
_QUESTION_TEXTS: dict[tuple[str, str], str] = {}


def _question_text(question, lang: str) -> str:
    """``{{ question.text }}`` in ``lang`` (the active language), kept per slug and language."""
    key = (question.slug, lang)
    text = _QUESTION_TEXTS.get(key)
    if text is None:
        if len(_QUESTION_TEXTS) > 1000:  # bounded, whatever the languages
            _QUESTION_TEXTS.clear()
        text = _QUESTION_TEXTS[key] = _v(question.text)
    return text


def _reasons(row) -> str:
    return "".join(f"<li>{_v(text)}</li>" for text in row["reasons"])


def _heading(row) -> str:
    return f"<bdi{row['programme_attrs']}>{_v(row['programme'])}</bdi>"


def _heading_and_round(row) -> str:
    """ "Programme, round" as the page's language writes it (Arabic and Persian with "،")."""
    return join_list([_heading(row), _v(row["round"])])


@register.simple_tag
def open_rounds(rows):
    """The rounds still open, each with the question that would decide it."""
    clarify = _translated(gettext("Das würde es klären:"))
    where = (get_language(), get_script_prefix())
    out = []
    for row in rows:
        decide = ""
        if row["decide"]:
            decide = f"<p>{clarify} {_question_link(row['decide'], where)}</p>"
        out.append(
            f'\n    <li class="programme-result" data-round="{_v(row["key"])}">'
            f"\n      <h3>{_heading(row)} <small>{_v(row['round'])}</small></h3>"
            f"\n      {decide}\n    </li>\n    "
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped by _v)


@register.simple_tag
def not_fitting_rounds(rows):
    """The rounds that do not fit, each with the reason and its sources."""
    told = _translated(gettext("Diese Voraussetzung erfüllen Sie nach Ihren Antworten nicht:"))
    return mark_safe(  # noqa: S308 (every value escaped by _v, the sources rendered)
        "".join(
            f'\n    <article class="programme-result" data-round="{_v(row["key"])}">'
            f"\n      <h3>{_heading(row)} <small>{_v(row['round'])}</small></h3>"
            f"\n      <p>{told}</p>"
            f'\n      <ul class="reasons">{_reasons(row)}</ul>'
            f"\n      {citations(row['sources'])}\n    </article>\n    "
            for row in rows
        )
    )


@register.simple_tag
def fitting_reasons(rows):
    """Why each fitting round fits, with the sources."""
    why = _translated(gettext("Warum es passt – diese Voraussetzungen erfüllen Sie:"))
    return mark_safe(  # noqa: S308 (every value escaped by _v, the sources rendered)
        "".join(
            f'\n  <details class="programme-result result-fit" data-round="{_v(row["key"])}">'
            f"\n    <summary>{_heading_and_round(row)}</summary>"
            f"\n    <p>{_v(row['summary'])}</p>"
            f"\n    <p>{why}</p>"
            f'\n    <ul class="reasons">{_reasons(row)}</ul>'
            f"\n    {citations(row['sources'])}\n  </details>\n  "
            for row in rows
        )
    )


@register.simple_tag
def open_reasons(rows):
    """What is not yet clear about each open round, and the questions that would decide it."""
    still_open, unclear = (
        _translated(gettext("noch offen")),
        _translated(gettext("Noch nicht geklärt:")),
    )
    clarify = _translated(gettext("Das würde es klären:"))
    where = (get_language(), get_script_prefix())
    out = []
    for row in rows:
        missing = ""
        if row["missing"]:
            links = " · ".join(_question_link(q, where) for q in row["missing"])
            missing = f"<p>{clarify}\n      {links}</p>"
        out.append(
            f'\n  <details class="programme-result result-open" data-round="{_v(row["key"])}">'
            f"\n    <summary>{_heading_and_round(row)} – {still_open}</summary>"
            f"\n    <p>{unclear}</p>"
            f'\n    <ul class="reasons">{_reasons(row)}</ul>'
            f"\n    {missing}\n    {citations(row['sources'])}\n  </details>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped by _v, the sources rendered)


@register.simple_tag
def answer_rows(summary):
    """The person's answers, each with a link to change it."""
    change = _translated(gettext("ändern"))
    lang, prefix = get_language(), get_script_prefix()  # read once for every row
    out = []
    for row in summary:
        q = row["question"]
        text = _question_text(q, lang)
        answer = _v(row["answer"])
        if row.get("german"):  # "§ 25 Abs. 2 AufenthG", "64291 Darmstadt": left to right
            answer = f'<bdi dir="ltr" lang="de">{answer}</bdi>'
        out.append(
            f'\n  <div class="answer-row">\n    <dt>{text}</dt>'
            f'\n    <dd>{answer} <a href="{_question_href(q.slug, lang, prefix)}">{change}'
            f'<span class="visually-hidden">: {text}</span></a></dd>\n  </div>\n  '
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped by _v)


# --- a field of the public forms (public/_field.html before) ----------------------------------


@register.simple_tag
def public_field(  # noqa: PLR0913 (the include's arguments, each optional)
    field,
    label="",
    hint="",
    hint_dir="",
    type="",  # noqa: A002 (the template's name)
    autocomplete="",
    inputmode="",
    dir="",  # noqa: A002 (the template's name)
):
    """A text input or select with its label, hint and error, linked by aria-describedby: the
    HTML ``{% include "public/_field.html" with … %}`` wrote (byte for byte,
    ``tests/public/test_public_field.py``), in Python. Only the arguments given count: the
    include also read its page's variables, so a label set for one field labelled the next."""
    errors = field.errors
    auto_id = _v(field.auto_id)
    described = ""
    if hint or errors:
        ids = (f"{auto_id}-hint" if hint else "") + (f" {auto_id}-error" if errors else "")
        described = f' aria-describedby="{ids}"'
    invalid = ' aria-invalid="true"' if errors else ""
    complete = f' autocomplete="{_v(autocomplete)}"' if autocomplete else ""
    parts = [
        f'\n<div class="field{" has-error" if errors else ""}">\n'
        f'  <label for="{auto_id}">{_v(label or field.label)}</label>\n  '
    ]
    if hint:
        direction = f' dir="{_v(hint_dir)}"' if hint_dir else ""
        parts.append(f'<p class="hint" id="{auto_id}-hint"{direction}>{_v(hint)}</p>')
    parts.append("\n  ")
    if errors:
        mark = _translated(gettext("Fehler:"))  # not inside the f-string: xgettext skips those
        parts.append(
            f'<p class="field-error" id="{auto_id}-error"><span class="visually-hidden">'
            f"{mark} </span>{join(errors, ' ', autoescape=True)}</p>"
        )
    parts.append("\n  ")
    name = _v(field.html_name)
    value = field.value()
    if getattr(field.field, "choices", None):
        current = f"{value}"
        options = "".join(
            f'<option value="{_v(key)}"{" selected" if f"{key}" == current else ""}>'
            f"{_v(text)}</option>"
            for key, text in field.field.choices
        )
        parts.append(
            f'\n  <select name="{name}" id="{auto_id}"{invalid}{described}{complete}>\n'
            f"    {options}\n  </select>\n  "
        )
    else:
        mode = f' inputmode="{_v(inputmode)}"' if inputmode else ""
        direction = f' dir="{_v(dir)}"' if dir else ""
        shown = _v("" if value is None else value)
        parts.append(
            f'\n  <input type="{_v(type or "text")}" name="{name}" id="{auto_id}"'
            f' value="{shown}"{mode}{complete}{direction}{invalid}{described}>\n  '
        )
    parts.append("\n</div>\n")
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped by _v or join)


@register.simple_tag
def error_summary(form):
    """The public pages' error summary (``public/_errors.html`` before, byte for byte): each
    error linked to its field (a radio group to its first option), then the form's own."""
    if not form.errors:
        return mark_safe("\n")  # noqa: S308 (a constant)
    links = []
    for bound in form:
        for error in bound.errors:
            suffix = "_0" if getattr(bound.field.widget, "input_type", None) == "radio" else ""
            links.append(f'<li><a href="#{_v(bound.auto_id)}{suffix}">{_v(error)}</a></li>')
    others = "".join(f"<li>{_v(error)}</li>" for error in form.non_field_errors())
    heading = _translated(gettext("Bitte prüfen Sie Ihre Angaben"))
    return mark_safe(  # noqa: S308 (every value escaped by _v)
        '\n<div class="error-summary" role="alert" tabindex="-1" id="error-summary"'
        ' aria-labelledby="error-summary-heading">\n'
        f'  <h2 id="error-summary-heading">{heading}</h2>\n'
        f"  <ul>\n    {''.join(links)}\n    {others}\n  </ul>\n</div>\n\n"
    )


@register.simple_tag
def answers_summary(summary):
    """The person's answers with their links to change them, or that there are none yet
    (``public/_summary.html`` before, byte for byte)."""
    if not summary:
        none = _translated(gettext("Sie haben noch keine Frage beantwortet."))
        return mark_safe(f"<p>{none}</p>\n")  # noqa: S308 (our own translation)
    return mark_safe(f'\n<dl class="answers">\n  {answer_rows(summary)}\n</dl>\n\n')  # noqa: S308
