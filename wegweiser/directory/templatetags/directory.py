from functools import lru_cache

from django import template
from django.template.defaultfilters import join
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from wegweiser.core.formats import one_decimal
from wegweiser.core.i18n import join_list
from wegweiser.core.shared import rendered
from wegweiser.core.templatetags.wegweiser import lang_attr, text_attrs
from wegweiser.directory.forms import FixedChoices
from wegweiser.directory.vocabulary import ACCESSIBILITY

register = template.Library()


@register.filter
def accessibility_label(key):
    """A place's accessibility feature (``step_free``) in plain words."""
    return ACCESSIBILITY.get(key, key)


@register.filter
def accessibility_labels(keys):
    """A place's accessibility features as a list in the page's language."""
    return join_list(ACCESSIBILITY.get(k, k) for k in keys or [])


# The search form's choices, written in Python: the same HTML as Django's widget templates
# (``{% for choice in field %}<label>{{ choice.tag }} {{ choice.choice_label }}</label>``), at a
# fraction of the cost: those templates were half the search page's rendering time (47
# template renders per page; docs/directory.md, "Speed"). Tested against the templates.

_CHECKBOX = '<label><input type="checkbox" name="{}" value="{}" id="{}_{}"{}{}> {}</label>'
_OPTION = '<option value="{}"{}>{}</option>'


@register.simple_tag
def checkbox_choices(field):
    """Each choice of a multiple-choice field as a labelled checkbox."""
    value = field.value()  # as CheckboxSelectMultiple.format_value reads it
    if value is None:
        value = []
    elif not isinstance(value, list | tuple):
        value = [value]
    selected = {"" if v is None else str(v) for v in value}
    choices = _choices(field)
    invalid = bool(field.errors)  # as BoundField.build_widget_attrs marks it
    pieces = _checkboxes(field.html_name, field.auto_id, invalid, choices)
    return mark_safe(  # noqa: S308 (every part escaped by format_html)
        "".join(
            checked if key in selected else plain
            for (key, _label), (plain, checked) in zip(choices, pieces, strict=True)
        )
    )


@register.simple_tag
def select_options(field):
    """The options of a choice field, the field's value selected (compared as text)."""
    current = str(field.value())
    choices = _choices(field)
    return mark_safe(  # noqa: S308 (every part escaped by format_html)
        "".join(
            chosen if key == current else plain
            for (key, _label), (plain, chosen) in zip(choices, _options(choices), strict=True)
        )
    )


def _choices(field) -> tuple[tuple[str, str], ...]:
    """The field's choices as text, the labels escaped: the key of the rendered pieces below (the
    labels are in the active language, so each language has its own)."""
    choices = field.field.choices
    if isinstance(choices, FixedChoices):  # the search form's: given so
        return choices.items
    return tuple((str(key), conditional_escape(label)) for key, label in choices)


# Each choice rendered once, unchecked and checked, per field and language: only the marks
# depend on the request (docs/directory.md, "Speed").
@lru_cache(maxsize=512)
def _checkboxes(name: str, auto_id: str, invalid: bool, choices: tuple) -> tuple:
    mark = _INVALID if invalid else ""
    return tuple(
        (
            format_html(_CHECKBOX, name, key, auto_id, i, mark, "", label),
            format_html(_CHECKBOX, name, key, auto_id, i, mark, _CHECKED, label),
        )
        for i, (key, label) in enumerate(choices)
    )


@lru_cache(maxsize=512)
def _options(choices: tuple) -> tuple:
    return tuple(
        (format_html(_OPTION, key, "", label), format_html(_OPTION, key, _SELECTED, label))
        for key, label in choices
    )


_CHECKED = mark_safe(" checked")  # noqa: S308 (a constant)
_SELECTED = mark_safe(" selected")  # noqa: S308 (a constant)
_INVALID = mark_safe(' aria-invalid="true"')  # noqa: S308 (a constant)


_OFFER_ITEM = (
    '\n    <li class="offer-card" data-offer-id="{id}">\n'
    '      <h3><a href="{url}" dir="auto"{lang}>{title}</a></h3>\n'
    '      <p class="org"><bdi>{org}</bdi>{programme}</p>\n'
    '      <p class="meta">\n'
    "        {place}\n"
    "        "
)
_OFFER_ITEM_END = (
    '\n        {outdated}\n      </p>\n      <p class="themes">{themes}</p>\n    </li>\n    '
)


@register.simple_tag
def offer_list_item(hit):
    """One offer of the search page's result list (``directory/_results.html`` before), the HTML
    its template loop wrote, in Python: the list was most of the page's rendering left (tested
    against the template, byte for byte, in six languages). German names and the place are
    isolated from the page's direction (``<bdi>``, ``dir="auto"``), as on the result page.
    All but the distance is kept with the kept offer, per language and day (the outdated mark
    turns on the date): the same for every search that lists it."""
    return offer_list_items([hit])


def offer_list_items(hits) -> str:
    """:func:`offer_list_item` of each hit, the language, day and address prefix read once."""
    key = ("list-item", get_language(), timezone.localdate(), get_script_prefix())
    away = None
    parts = []
    for hit in hits:
        offer = hit.offer
        head, tail = rendered(offer, key, lambda offer=offer: _offer_item_parts(offer))
        distance = ""
        if hit.distance_km is not None:
            away = away or gettext("%(km)s km entfernt")
            text = away % {"km": conditional_escape(one_decimal(hit.distance_km))}
            distance = f' · <span class="distance">{text}</span>'
        parts += (head, distance, tail)
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped here or there)


def _programme(rnd) -> str:
    """The programme of an offer's round after the organisation (" · WIR – …"), isolated from
    the page's direction as its language asks (``text_attrs``)."""
    if rnd is None:
        return ""
    name = conditional_escape(rnd.programme)
    return f" · <bdi{text_attrs(rnd.programme.name)}>{name}</bdi>"


def _offer_item_parts(offer) -> tuple[str, str]:
    """The list item of ``offer`` before and after its distance."""
    rnd = offer.funding_round
    placements = list(offer.placements.all())
    loc = placements[0].location if placements else None
    outdated = ""
    if offer.is_outdated():
        label = conditional_escape(gettext("möglicherweise veraltet"))
        outdated = f' · <span class="badge badge-outdated">{label}</span>'
    head = _OFFER_ITEM.format(
        id=conditional_escape(offer.id),
        url=conditional_escape(offer.get_absolute_url()),
        title=conditional_escape(offer.title),
        lang=lang_attr(offer.name),
        org=conditional_escape(offer.organisation.name),
        programme=_programme(rnd),
        place=f"<bdi>{conditional_escape(loc.postcode)} {conditional_escape(loc.city)}</bdi>"
        if loc
        else "",
    )
    tail = _OFFER_ITEM_END.format(
        outdated=outdated, themes=join(offer.theme_labels(), " · ", autoescape=True)
    )
    return head, tail
