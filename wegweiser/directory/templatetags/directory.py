from django import template

from wegweiser.directory.vocabulary import ACCESSIBILITY

register = template.Library()


@register.filter
def accessibility_label(key):
    """A place's accessibility feature (``step_free``) in plain words."""
    return ACCESSIBILITY.get(key, key)
