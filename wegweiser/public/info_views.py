"""The information pages of the public site: accessibility statement, easy language, privacy."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


def _operator() -> dict[str, str]:
    """The operator's contacts (settings ``OPERATOR_*``, ``*_EMAIL``); empty until set up."""
    return {
        "name": settings.OPERATOR_NAME,
        "address": settings.OPERATOR_ADDRESS,
        "accessibility_email": settings.ACCESSIBILITY_EMAIL,
        "privacy_email": settings.PRIVACY_EMAIL,
    }


#: When the accessibility statement was last checked against the pages (BITV 2.0 § 7).
STATEMENT_DATE = dt.date(2026, 11, 22)


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    context = {"operator": _operator(), "statement_date": STATEMENT_DATE}
    return render(request, "public/accessibility.html", context)


@require_safe
def easy_language(request: HttpRequest) -> HttpResponse:
    return render(request, "public/easy_language.html")


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "public/privacy.html", {"operator": _operator()})
