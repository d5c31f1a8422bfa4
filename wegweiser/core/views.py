"""Error views of our own where Django's default would answer in bare English."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form's CSRF check failed (an old page, blocked cookies): say so, in the site's layout.

    ``reason`` (Django's technical explanation) is not shown; nothing was saved.
    """
    return render(request, "403_csrf.html", status=403)
