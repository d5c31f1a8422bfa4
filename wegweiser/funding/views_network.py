"""The networks of the funded projects (issue 15, point 4): the list of the projects the user
may see and, per project, its Verbund partners with their roles, their offers on the map and
the referral counts between them (suppressed, no person). Scope: :mod:`wegweiser.funding.network`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from wegweiser.core.access import requires
from wegweiser.directory.maps import map_settings
from wegweiser.funding import network
from wegweiser.programmes.models import Project


@requires("funding.network")
def networks(request: HttpRequest) -> HttpResponse:
    projects = network.projects_visible(request.user, request.organisation).prefetch_related(
        "regions"
    )
    return render(request, "funding/networks.html", {"projects": projects})


@requires("funding.network")
def network_view(request: HttpRequest, project_id) -> HttpResponse:
    try:
        project = (
            network.projects_visible(request.user, request.organisation)
            .prefetch_related("regions")
            .get(pk=project_id)
        )
    except (Project.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    partners = network.partners(project)
    return render(
        request,
        "funding/network.html",
        {
            "project": project,
            "partners": partners,
            "points": {"offers": network.offer_points(p.organisation for p in partners)},
            "referrals": network.referral_table(project),
            "limit": network.threshold(),
            "map": map_settings(),
        },
    )
