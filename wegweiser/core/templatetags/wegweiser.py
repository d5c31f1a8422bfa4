from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_bidi

from wegweiser.core.i18n import join_list, language, language_list, pick, pick_language

register = template.Library()


@register.filter
def tr(texts):
    """Pick the active language from a ``{"de": ..., "en": ...}`` text, falling back to German."""
    return pick(texts)


_LANG_DE = mark_safe(' lang="de"')  # noqa: S308 (a constant)


@register.filter
def lang_attr(texts):
    """`` lang="de"`` where the text shown is German on a page in another language, so that a
    screen reader reads it with a German voice (WCAG 3.1.2, language of parts). ``texts``: a
    text stored per language (shown through :func:`pick`), or a plain text an organisation
    wrote, which is German (opening-hours and cost notes)."""
    page = language()
    if page == "de" or not texts:
        return ""
    shown = "de" if isinstance(texts, str) else pick_language(texts, page)
    return _LANG_DE if shown == "de" else ""


_RTL = mark_safe(' dir="rtl"')  # noqa: S308 (a constant)


@register.filter
def text_attrs(texts):
    """The attributes of the element that isolates a stored name (``<bdi>``): `` lang="de"``
    where it is shown in German on a page in another language (as :func:`lang_attr`), and
    `` dir="rtl"`` where it is shown translated on a right-to-left page. Isolated with the
    direction of its first letter, a translated name that begins with a Latin word ("WIR – شبكات
    …") was laid out left to right, its words out of order for the reader."""
    return lang_attr(texts) or (_RTL if texts and get_language_bidi() else "")


@register.filter
def language_label(code):
    from wegweiser.core.languages import language_label as label

    return label(code)


@register.filter
def minutes(duration):
    """Whole minutes of a ``timedelta`` (e.g. the lock-out time after failed logins)."""
    return int(duration.total_seconds() // 60) if duration else 0


# --- plain words for codes (wegweiser.core.labels) -----------------------------------------------


@register.filter
def country_names(codes):
    """``["SY", "AF"]`` → ``Syrien, Afghanistan`` (also one code as a string)."""
    from wegweiser.core.labels import country_name

    codes = [codes] if isinstance(codes, str) else list(codes or [])
    return join_list(country_name(c) for c in codes)


@register.filter
def language_names(codes):
    """``["ar", "de"]`` → ``Arabisch, Deutsch`` (``العربية، الألمانية``)."""
    from wegweiser.core.labels import language_name

    codes = [codes] if isinstance(codes, str) else list(codes or [])
    return language_list(language_name(c) for c in codes)


@register.filter
def kreis_name(ags):
    """``06431`` → ``Landkreis Bergstraße``."""
    from wegweiser.core.labels import kreis_name as label

    return label(ags or "")


@register.filter
def residence_section(section):
    """``25(2)`` → ``§ 25 Abs. 2 AufenthG``."""
    from wegweiser.core.labels import residence_section as label

    return label(section or "")


@register.filter
def offset_label(offset):
    """A follow-up's ``4w`` → ``nach 4 Wochen``."""
    from wegweiser.core.labels import offset_label as label

    return label(offset)


@register.filter
def choice_labels(values, choices):
    """Stored choice values → their labels, comma-separated (``choices``: a dict or pairs)."""
    labels = dict(choices or {})
    return join_list(labels.get(v, v) for v in (values or []))


@register.filter(name="join_list")
def join_list_filter(items):
    """A list in a sentence, separated as the page's language writes it (``core.i18n``)."""
    return join_list(items or [])


@register.filter
def iso_date(value):
    """An ISO date string (``2001-11-30``) in the page's short date format (``30.11.2001``)."""
    import datetime as dt

    from django.utils import formats

    if not value:
        return ""
    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return value
    return formats.date_format(day, "SHORT_DATE_FORMAT")


@register.filter
def may(roles, action):
    """``request.roles|may:"offer.edit"``: the permissions table for templates (deny by
    default; no roles, e.g. on a page rendered before the middleware ran, grant nothing)."""
    from wegweiser.core.access import can

    return can(roles, action)
