"""The result page's content, written in Python (issue 16; docs/public.md, "Speed"): the rows,
cards and fields were Python tags already, and what the template engine still did around them
(~120 nodes: each variable resolved, localised and escaped, each text translated per request,
three includes) was a third of the page's time. The HTML is byte for byte what
``public/result.html`` with ``public/_nearby.html`` wrote (``tests/public/test_result_content.py``
holds the templates as the reference and compares both for each persona, with and without a
postcode, with a wrong one, in the six languages); the texts are ``gettext`` calls, so
``makemessages`` finds them. ``result.html`` keeps the head and the title.
"""

from __future__ import annotations

from django.utils.html import json_script
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from wegweiser.core.templatetags.fast import kept_url, map_data
from wegweiser.public.templatetags.public_tags import (
    _translated,
    _v,
    answers_summary,
    card_where,
    error_summary,
    fitting_reasons,
    not_fitting_rounds,
    offer_card,
    open_reasons,
    open_rounds,
    public_field,
)


def _counts(fitting: list, groups: dict) -> str:
    fit = _translated(gettext("Passen zu Ihnen: %(count)s")) % {"count": _v(len(fitting))}
    no = _translated(gettext("Passen nicht: %(count)s")) % {"count": _v(len(groups["no"]))}
    still = ""
    if groups["open"]:
        text = _translated(gettext("Noch offen: %(count)s")) % {"count": _v(len(groups["open"]))}
        still = f'<li><a href="#open-heading">{text}</a></li>'
    return (
        '<ul class="result-counts">\n'
        f'  <li><a href="#fit-heading">{fit}</a></li>\n'
        f"  {still}\n"
        f'  <li><a href="#no-heading">{no}</a></li>\n'
        "</ul>\n"
    )


def _fitting(c: dict, where: tuple) -> str:
    fitting = c["fitting"]
    heading = _translated(gettext("Diese Programme passen zu Ihnen"))
    parts = [
        '<section aria-labelledby="fit-heading" class="result-group result-fit">\n'
        f'  <h2 id="fit-heading">{heading} ({_v(len(fitting))})</h2>\n  '
    ]
    if fitting:
        none = ""
        if c["place"]:
            none = _translated(gettext("Kein passendes Angebot bis %(radius)s km.")) % {
                "radius": _v(c["radius"])
            }
        items = []
        for programme in fitting:
            if programme["offer"]:
                offer = offer_card(programme["offer"], compact=True, where=where)
                inner = f'\n      <ul class="offer-list fit-offer">{offer}</ul>\n      '
            elif c["place"]:
                inner = f'\n      <p class="no-offer">{none}</p>\n      '
            else:
                inner = ""
            items.append(
                f'\n    <li class="programme-result" data-programme="{_v(programme["key"])}">\n'
                f"      <h3><bdi{_v(programme['attrs'])}>{_v(programme['name'])}</bdi></h3>\n"
                f"      {inner}\n    </li>\n    "
            )
        why = _translated(gettext("Warum es passt: die Gründe und Quellen"))
        parts.append(
            f'\n  <ul class="result-list">\n    {"".join(items)}\n  </ul>\n'
            f'  <p><a href="#gruende">{why}</a></p>\n  '
        )
    else:
        text = _translated(
            gettext("Nach Ihren bisherigen Antworten passt noch kein Programm sicher.")
        )
        parts.append(f"\n  <p>{text}</p>\n  ")
    parts.append("\n</section>\n\n")
    return "".join(parts)


def _open(c: dict) -> str:
    rows = c["groups"]["open"]
    out = ""
    if rows:
        heading = _translated(gettext("Noch offen"))
        out = (
            '\n<section aria-labelledby="open-heading" class="result-group result-open">\n'
            f'  <h2 id="open-heading">{heading} ({_v(len(rows))})</h2>\n'
            f'  <ul class="result-list">\n    {open_rounds(rows)}\n  </ul>\n</section>\n'
        )
    more = ""
    if c["more_questions"]:
        text = _translated(gettext("Weitere Fragen beantworten, um offene Programme zu klären"))
        more = f'<p><a class="button" href="{kept_url("public:next")}">{text}</a></p>'
    return f"{out}\n{more}\n\n"


def _nearby(c: dict, where: tuple) -> str:
    """``public/_nearby.html`` before: the nearest fitting offers, their map, the postcode form."""
    heading = _translated(gettext("Angebote in Ihrer Nähe"))
    parts = [
        '\n<section aria-labelledby="angebote" class="result-group nearby">\n'
        f'  <h2 id="angebote" tabindex="-1">{heading}</h2>\n'
        f"  {error_summary(c['form'])}\n  "
    ]
    nearest = c["nearest"]
    if nearest:
        around = _translated(
            gettext("Die nächsten passenden Angebote um %(place)s (bis %(radius)s km):")
        ) % {
            "place": _v(c["place_label"]),
            "radius": _v(c["radius"]),
        }
        parts.append(f"\n  <p>{around}</p>\n  ")
        hits = nearest.hits
        if hits:
            count = len(hits)
            summary = _translated(
                ngettext(
                    "Das nächste Angebot als Liste",
                    "Die %(counter)s nächsten Angebote als Liste",
                    count,
                )
            ) % {"counter": _v(count)}
            cards = "".join(offer_card(hit, where=where) for hit in hits)
            parts.append(
                '\n  <details class="result-details nearest-details">\n'
                f"    <summary>{summary}</summary>\n"
                f'    <ol class="offer-list nearest">\n      {cards}\n    </ol>\n  </details>\n  '
            )
        else:
            none = _translated(gettext("In der Nähe haben wir kein passendes Angebot gefunden."))
            search = _translated(gettext("Alle Angebote durchsuchen"))
            parts.append(
                f'\n  <p class="empty">{none} <a href="{kept_url("directory:search")}">'
                f"{search}</a></p>\n  "
            )
        parts.append("\n  ")
        if c["points"]:
            label = _translated(gettext("Karte mit den nächsten passenden Angeboten"))
            parts.append(
                f"\n  \n  {json_script(c['points'], 'nearest-points')}\n"
                f'  <div id="map" class="map map-small" role="region" aria-label="{label}"\n'
                f'       data-points-id="nearest-points" {map_data(c["map"])}></div>\n  '
            )
        parts.append("\n  ")
    hint = _translated(gettext("Fünf Ziffern, zum Beispiel 60311"))
    field = public_field(
        c["form"]["postcode"],
        hint=hint,
        autocomplete="postal-code",
        inputmode="numeric",
        dir="ltr",
    )
    search = _translated(gettext("Angebote suchen"))
    parts.append(
        '\n  <form method="post" class="inline-form postcode-form" novalidate>\n'
        f'    <input type="hidden" name="token" value="{_v(c["token"])}">\n'
        f"    \n    {field}\n"
        f'    <button type="submit">{search}</button>\n'
        "  </form>\n</section>\n"
    )
    return "".join(parts)


def _not_fitting(c: dict) -> str:
    rows = c["groups"]["no"]
    heading = _translated(gettext("Diese Programme passen nicht"))
    if rows:
        which = _translated(gettext("Welche, und warum nicht"))
        inner = (
            '\n  <details class="result-details">\n'
            f"    <summary>{which}</summary>\n"
            f"    {not_fitting_rounds(rows)}\n  </details>\n  "
        )
    else:
        none = _translated(gettext("Keines."))
        inner = f"<p>{none}</p>"
    return (
        '<section aria-labelledby="no-heading" class="result-group result-no">\n'
        f'  <h2 id="no-heading">{heading} ({_v(len(rows))})</h2>\n'
        f"  {inner}\n</section>\n\n"
    )


def _reasons(c: dict) -> str:
    groups = c["groups"]
    if not (groups["fit"] or groups["open"]):
        return ""
    heading = _translated(gettext("Gründe und Quellen"))
    return (
        "\n"
        '<section aria-labelledby="gruende-heading" class="result-group result-reasons"'
        ' id="gruende">\n'
        f'  <h2 id="gruende-heading">{heading}</h2>\n'
        f"  {fitting_reasons(groups['fit'])}\n"
        f"  {open_reasons(groups['open'])}\n"
        "</section>\n"
    )


def _answers(c: dict) -> str:
    heading = _translated(gettext("Ihre Antworten"))
    see = _translated(gettext("Ansehen und ändern"))
    clear = _translated(gettext("Alle Antworten löschen"))
    return (
        '<section aria-labelledby="answers-heading" class="result-group">\n'
        f'  <h2 id="answers-heading">{heading}</h2>\n'
        '  <details class="result-details">\n'
        f"    <summary>{see}</summary>\n"
        f"    {answers_summary(c['summary'])}\n"
        "  </details>\n"
        f'  <form method="post" action="{kept_url("public:clear")}">\n'
        f'    <input type="hidden" name="token" value="{_v(c["token"])}">\n'
        f'    <button type="submit">{clear}</button>\n'
        "  </form>\n"
        "</section>\n"
    )


def content_html(c: dict) -> SafeString:
    """The result page's content from what the view found (the keys ``result.html`` read)."""
    where = card_where()  # read once for every card
    nearby = _nearby(c, where)
    place = c["place"]
    heading = _translated(gettext("Ihr Ergebnis"))
    notice = _translated(
        gettext(
            "Das Ergebnis ist eine erste Einschätzung nach Ihren Antworten. Ob Sie teilnehmen "
            "können, klärt die Beratungsstelle mit Ihnen."
        )
    )
    return mark_safe(  # noqa: S308 (every value escaped by _v or the tags)
        f"\n\n<h1>{heading}</h1>\n"
        + _counts(c["fitting"], c["groups"])
        + _fitting(c, where)
        + _open(c)
        + f'<p class="notice result-note">{notice}</p>\n\n'
        + ("" if place else nearby)
        + "\n\n\n"
        + _not_fitting(c)
        + (nearby if place else "")
        + "\n\n"
        + _reasons(c)
        + "\n\n"
        + _answers(c)
    )
