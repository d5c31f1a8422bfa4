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

import html

from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import floatformat, join
from django.urls import get_script_prefix, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from wegweiser.core.templatetags.fast import input_field
from wegweiser.directory.templatetags.directory import (
    checkbox_choices,
    offer_list_items,
    select_options,
)

#: What the engine's variables are written with outside a template: escaped, localised as the
#: settings say (read only).
_CONTEXT = Context(autoescape=True)


def _translated(text: str) -> str:
    """A translation as ``{% translate %}`` writes it: not escaped (our own catalogues)."""
    return mark_safe(text)  # noqa: S308 (our own translations, as in a template)


def _out(value) -> str:
    """A value as ``{{ value }}`` writes it: localised, escaped (plain text straight to
    ``html.escape``, which is what the engine's ``escape`` calls for it)."""
    if type(value) is str:
        return SafeString(html.escape(value))
    return render_value_in_context(value, _CONTEXT)


# --- the filter form ---------------------------------------------------------------------------

#: The form's fields with a label above them: (input type, inputmode, autocomplete) as
#: ``directory/search.html`` gave them to ``directory/_field.html`` before; region and sort are
#: selects.
_SINGLE = {
    "q": ("search", "", ""),
    "postcode": ("", "numeric", "postal-code"),
    "radius": ("number", "", ""),
    "region": ("", "", ""),
    "sort": ("", "", ""),
}
_CHOICES = ("theme", "programme", "language", "mode")


def _frame(form) -> dict:
    """What the form's HTML takes from its fields and the language, not from the request: the
    labels, ids and names, the fixed texts, the address. Rendered once per language, script
    prefix and form layout and kept with the shared fields (``forms._SharedFields``): fields
    prepared anew (changed regions) start a new frame."""
    key = (get_language(), get_script_prefix(), form.auto_id, form.prefix)
    kept = getattr(form.base_fields, "rendered", {})
    frame = kept.get(("search-form", *key))
    if frame is None:
        frame = _new_frame(form)
        kept[("search-form", *key)] = frame
    return frame


def _new_frame(form) -> dict:
    frame = {
        "action": conditional_escape(reverse("directory:search")),
        "more": _translated(gettext("Weitere Filter")),
        "languages": _translated(gettext("Beratung in der Sprache")),
        "submit": _translated(gettext("Suchen")),
        "reset": _translated(gettext("Filter zurücksetzen")),
        "free": _out(form["free"].label),
    }
    for name, (kind, inputmode, autocomplete) in _SINGLE.items():
        bound = form[name]
        widget = bound.field.widget
        select = getattr(widget, "input_type", None) == "select" or bool(
            getattr(bound.field, "choices", None)
        )
        mode = f'inputmode="{_out(inputmode)}"' if inputmode else ""
        complete = f'autocomplete="{_out(autocomplete)}"' if autocomplete else ""
        step = 'step="any"' if kind == "number" else ""
        frame[name] = {
            "label": f'  <label for="{_out(bound.id_for_label)}">{_out(bound.label)}</label>\n',
            "id": _out(bound.auto_id),
            "name": _out(bound.html_name),
            "select": select,
            "type": _out(kind or "text"),
            "attrs": f"    {mode} {complete}\n    {step}\n    ",
        }
    for name in _CHOICES:
        bound = form[name]
        frame[name] = {"id": _out(bound.auto_id), "legend": _out(bound.label)}
    frame["language"]["legend"] = frame["languages"]
    return frame


def _single(entry: dict, bound, errors) -> str:
    """One field with its label and error (``directory/_field.html`` before)."""
    auto_id = entry["id"]
    if errors:
        described = f'aria-invalid="true" aria-describedby="{auto_id}-error"'
        message = join(errors, " ", autoescape=True)
        head = (
            f'<div class="field has-error">\n{entry["label"]}'
            f'  <p class="field-error" id="{auto_id}-error">{message}</p>\n  '
        )
    else:
        described = ""
        head = f'<div class="field">\n{entry["label"]}  \n  '
    if entry["select"]:
        invalid = " " + described if errors else ""
        body = (
            f'\n  <select name="{entry["name"]}" id="{auto_id}"{invalid}>\n'
            f"    {select_options(bound)}\n  </select>\n  "
        )
    else:
        value = bound.value()
        body = (
            f'\n  <input type="{entry["type"]}" name="{entry["name"]}" id="{auto_id}"'
            f' value="{_out("" if value is None else value)}"\n{entry["attrs"]}{described}>\n  '
        )
    return f"{head}{body}\n</div>\n"


def _choices(entry: dict, bound, classes: str, indent: str) -> str:
    return (
        f'{indent}<fieldset class="{classes}" id="{entry["id"]}" tabindex="-1">\n'
        f"{indent}  <legend>{entry['legend']}</legend>\n"
        f"{indent}  {checkbox_choices(bound)}\n"
        f"{indent}</fieldset>\n"
    )


def form_html(form) -> SafeString:
    """The search page's ``<form>`` with its fields, values and errors."""
    frame = _frame(form)
    field = {name: form[name] for name in form.fields}
    errors = form.errors

    def single(name: str) -> str:
        return _single(frame[name], field[name], errors.get(name))

    opened = any(field[name].value() for name in ("programme", "language", "mode", "free"))
    parts = [
        f'<form class="search-form" method="get" action="{frame["action"]}" role="search"\n'
        f'        hx-get="{frame["action"]}" hx-trigger="submit, change" hx-target="#results"'
        ' hx-swap="outerHTML" hx-push-url="true">\n    ',
        single("q"),
        '\n    <div class="field-row">\n      ',
        single("postcode"),
        "\n      ",
        single("radius"),
        "\n    </div>\n    ",
        single("region"),
        "\n",
        _choices(frame["theme"], field["theme"], "choices", "    "),
        f'    <details class="more-filters"{" open" if opened else ""}>\n'
        f"      <summary>{frame['more']}</summary>\n",
        _choices(frame["programme"], field["programme"], "choices", "      "),
        _choices(frame["language"], field["language"], "choices columns", "      "),
        _choices(frame["mode"], field["mode"], "choices", "      "),
        f'      <label class="checkbox">{input_field(field["free"])} {frame["free"]}</label>\n'
        "    </details>\n    ",
        single("sort"),
        f"\n    {input_field(field['profile'])}\n"
        f'    <button type="submit" class="primary">{frame["submit"]}</button>\n'
        f'    <a class="reset" href="{frame["action"]}">{frame["reset"]}</a>\n'
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
    heading = _translated(gettext("Bitte prüfen Sie Ihre Angaben"))
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
    items = offer_list_items(result.hits)
    if items:
        return items
    hints = "".join(f"<br>{_out(hint)}" for hint in form.empty_hints())
    text = _translated(
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
        text = _translated(gettext("Nur Angebote, die nach Ihren Angaben zu Ihnen passen."))
        notice = f'<p class="notice">{text}</p>'
    parts = [
        f'\n  <h2 id="results-heading">\n    {heading}\n  </h2>\n'
        f"  {notice}\n"
        f'  <ol class="offer-list">\n    {_hits(form, result)}\n  </ol>\n  '
    ]
    if result.pages > 1:
        prev = nxt = ""
        if result.page > 1:
            label = _translated(gettext("Vorherige Seite"))
            prev = _page_link("prev", querystring, result.page - 1, label)
        if result.page < result.pages:
            label = _translated(gettext("Nächste Seite"))
            nxt = _page_link("next", querystring, result.page + 1, label)
        pages = gettext("Seite %(page)s von %(pages)s") % {
            "page": _out(result.page),
            "pages": _out(result.pages),
        }
        aria = _translated(gettext("Seiten"))
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
