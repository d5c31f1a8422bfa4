from django import template

from wegweiser.programmes.models import translated

register = template.Library()


@register.filter
def tr(texts):
    """Pick the active language from a ``{"de": ..., "en": ...}`` text, falling back to German."""
    return translated(texts)
