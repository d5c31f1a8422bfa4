"""Choosing the organisation one acts for (users who work for several)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from wegweiser.accounts.context import organisation_select


@login_required
@require_POST
def organisation_switch(request: HttpRequest) -> HttpResponse:
    """Make another of the user's organisations current; any other id answers 403.

    Goes to the start page: the page one came from belongs to the previous organisation.
    """
    organisation_select(request, request.POST.get("organisation", ""))
    return redirect("cases:start")
