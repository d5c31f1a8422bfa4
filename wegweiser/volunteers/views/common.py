"""What the volunteers' views share: objects of the URL through the scoped selectors (404 for
another organisation's as for a missing one) and the one way a form calls a service."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404

from wegweiser.volunteers.errors import VolunteerError


def one_or_404(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError):
        raise Http404 from None


def attempt(request, form, call, done: str | None = None) -> bool:
    """``call(**form.cleaned_data)`` if the form is valid; a refused write becomes the form's
    error. True when it was written."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        call(**form.cleaned_data)
    except VolunteerError as error:
        form.add_error(None, str(error))
        return False
    if done:
        messages.success(request, done)
    return True


def refused(request, error: VolunteerError) -> None:
    messages.error(request, str(error))
