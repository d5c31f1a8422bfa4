"""The search page's filter form and result list, written in Python (issue 16; docs/directory.md,
"Speed"). They were most of what Django's template engine did for the page: ~90 nodes, each
variable resolved, localised and escaped by the engine, each text translated per request. The
HTML is byte for byte what the templates wrote (``tests/directory/test_search_page.py`` holds
the templates as the reference and renders both over many searches in the six languages); the
texts are ``gettext`` calls, so ``makemessages`` finds them.

The view hands both to ``directory/search.html`` as safe text; the result list alone is the
answer to htmx's requests. Every value is escaped here (``conditional_escape``) or by the
helpers of ``templatetags/directory.py`` that write single fields, choices and offers.
"""

from __future__ import annotations

from functools import lru_cache

from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import floatformat
from django.urls import get_script_prefix, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from wegweiser.core.templatetags.fast import input_field
from wegweiser.directory.templatetags.directory import (
    checkbox_choices,
    offer_list_item,
    search_field,
)

#: What the engine's variables are written with outside a template: escaped, localised as the
#: settings say (read only).
_CONTEXT = Context(autoescape=True)


def _out(value) -> str:
    """A value as ``{{ value }}`` writes it: localised, escaped."""
    return render_value_in_context(value, _CONTEXT)


# --- the filter form ---------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _form_texts(lang: str | None, prefix: str) -> dict[str, str]:
    """The form's fixed texts and address in the active language (kept per language and
    script prefix: they change only with the code)."""
    return {
        "action": conditional_escape(reverse("directory:search")),
        "more": conditional_escape(gettext("Weitere Filter")),
        "languages": conditional_escape(gettext("Beratung in der Sprache")),
        "submit": conditional_escape(gettext("Suchen")),
        "reset": conditional_escape(gettext("Filter zurücksetzen")),
    }


def _choices(bound, classes: str, legend: str, indent: str) -> str:
    return (
        f'{indent}<fieldset class="{classes}" id="{_out(bound.auto_id)}" tabindex="-1">\n'
        f"{indent}  <legend>{legend}</legend>\n"
        f"{indent}  {checkbox_choices(bound)}\n"
        f"{indent}</fieldset>\n"
    )


def form_html(form) -> SafeString:
    """The search page's ``<form>`` with its fields, values and errors."""
    texts = _form_texts(get_language(), get_script_prefix())
    field = {name: form[name] for name in form.fields}
    opened = any(field[name].value() for name in ("programme", "language", "mode", "free"))
    free = field["free"]
    parts = [
        f'<form class="search-form" method="get" action="{texts["action"]}" role="search"\n'
        f'        hx-get="{texts["action"]}" hx-trigger="submit, change" hx-target="#results"'
        ' hx-swap="outerHTML" hx-push-url="true">\n    ',
        search_field(_CONTEXT, field["q"], type="search"),
        '\n    <div class="field-row">\n      ',
        search_field(_CONTEXT, field["postcode"], inputmode="numeric", autocomplete="postal-code"),
        "\n      ",
        search_field(_CONTEXT, field["radius"], type="number"),
        "\n    </div>\n    ",
        search_field(_CONTEXT, field["region"]),
        "\n",
        _choices(field["theme"], "choices", _out(field["theme"].label), "    "),
        f'    <details class="more-filters"{" open" if opened else ""}>\n'
        f"      <summary>{texts['more']}</summary>\n",
        _choices(field["programme"], "choices", _out(field["programme"].label), "      "),
        _choices(field["language"], "choices columns", texts["languages"], "      "),
        _choices(field["mode"], "choices", _out(field["mode"].label), "      "),
        f'      <label class="checkbox">{input_field(free)} {_out(free.label)}</label>\n'
        "    </details>\n    ",
        search_field(_CONTEXT, field["sort"]),
        f"\n    {input_field(field['profile'])}\n"
        f'    <button type="submit" class="primary">{texts["submit"]}</button>\n'
        f'    <a class="reset" href="{texts["action"]}">{texts["reset"]}</a>\n'
        "  </form>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped here or by the helpers)


# --- the result list ---------------------------------------------------------------------------


def _errors(form) -> str:
    fields = "".join(
        f'<li><a href="#{_out(bound.auto_id)}">{_out(bound.label)}: {_out(error)}</a></li>'
        for bound in form
        for error in bound.errors
    )
    others = "".join(f"<li>{_out(error)}</li>" for error in form.non_field_errors())
    heading = conditional_escape(gettext("Bitte prüfen Sie Ihre Angaben"))
    return (
        '\n  <div class="error-summary" role="alert" tabindex="-1">\n'
        f'    <h2 id="results-heading">{heading}</h2>\n'
        f"    <ul>\n      {fields}\n      {others}\n    </ul>\n  </div>\n  "
    )


def _page_link(rel: str, querystring: str, page: int, label: str) -> str:
    href = f"?{querystring}{'&amp;' if querystring else ''}page={page}"
    return (
        f'<a rel="{rel}" href="{href}" hx-get="{href}" hx-target="#results" hx-swap="outerHTML"'
        f' hx-push-url="true">{label}</a>'
    )


def _hits(form, result) -> str:
    items = "".join(offer_list_item(hit) for hit in result.hits)
    if items:
        return items
    hints = "".join(f"<br>{_out(hint)}" for hint in form.empty_hints())
    text = conditional_escape(
        gettext(
            "Keine Angebote gefunden. Versuchen Sie einen größeren Umkreis oder weniger Filter."
        )
    )
    return f'\n    <li class="empty">{text}{hints}</li>\n    '


def _found(form, result, querystring: str) -> str:
    total = result.total
    heading = ngettext("%(counter)s Angebot gefunden", "%(counter)s Angebote gefunden", total) % {
        "counter": _out(total)
    }
    query = result.query
    if query.place:
        heading += " " + gettext("im Umkreis von %(radius)s km um %(place)s") % {
            "radius": _out(floatformat(query.radius_km, "0")),
            "place": _out(query.place),
        }
    notice = ""
    if result.fits_profile:
        text = conditional_escape(gettext("Nur Angebote, die nach Ihren Angaben zu Ihnen passen."))
        notice = f'<p class="notice">{text}</p>'
    parts = [
        f'\n  <h2 id="results-heading">\n    {heading}\n  </h2>\n'
        f"  {notice}\n"
        f'  <ol class="offer-list">\n    {_hits(form, result)}\n  </ol>\n  '
    ]
    if result.pages > 1:
        prev = nxt = ""
        if result.page > 1:
            label = conditional_escape(gettext("Vorherige Seite"))
            prev = _page_link("prev", querystring, result.page - 1, label)
        if result.page < result.pages:
            label = conditional_escape(gettext("Nächste Seite"))
            nxt = _page_link("next", querystring, result.page + 1, label)
        pages = gettext("Seite %(page)s von %(pages)s") % {
            "page": _out(result.page),
            "pages": _out(result.pages),
        }
        aria = conditional_escape(gettext("Seiten"))
        parts.append(
            f'\n  <nav class="pagination" aria-label="{aria}">\n'
            f"    {prev}\n    <span>{pages}</span>\n    {nxt}\n  </nav>\n  "
        )
    parts.append("\n  ")
    return "".join(parts)


def results_html(form, result, querystring: str, geojson_url: str, regions_url: str) -> SafeString:
    """The result list (``<section id="results">``): the errors of the form, or the offers found
    with their count and the pages' links; nothing inside for a form without result."""
    if form.errors:
        inner = _errors(form)
    elif result:
        inner = _found(form, result, conditional_escape(querystring))
    else:
        inner = "\n  "
    return mark_safe(  # noqa: S308 (every value escaped here or by the helpers)
        '<section id="results" class="results" aria-labelledby="results-heading"\n'
        f'         data-geojson-url="{_out(geojson_url)}"'
        f' data-regions-url="{_out(regions_url)}">\n  {inner}\n</section>\n'
    )
