from django import template

from wegweiser.programmes.models import translated

register = template.Library()


@register.filter
def tr(texts):
    """Pick the active language from a ``{"de": ..., "en": ...}`` text, falling back to German."""
    return translated(texts)


@register.filter
def language_label(code):
    from wegweiser.directory.languages import language_label as label

    return label(code)


@register.filter
def accessibility_label(key):
    from wegweiser.directory.vocabulary import ACCESSIBILITY

    return ACCESSIBILITY.get(key, key)


@register.filter
def minutes(duration):
    """Whole minutes of a ``timedelta`` (e.g. the lock-out time after failed logins)."""
    return int(duration.total_seconds() // 60) if duration else 0


@register.filter
def may(roles, action):
    """``request.roles|may:"offer.edit"``: the permissions table for templates (deny by
    default; no roles, e.g. on a page rendered before the middleware ran, grant nothing)."""
    from wegweiser.accounts.permissions import can

    return bool(roles) and can(roles, action)
