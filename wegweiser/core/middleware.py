"""Middleware of the site as a whole."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render


class PermissionsPolicy:
    """The ``Permissions-Policy`` header of ``settings.PERMISSIONS_POLICY`` on every answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response


class MethodNotAllowedPage:
    """A page instead of the empty body of Django's 405 (``require_POST`` and friends).

    Someone reaches a form's address by GET after a reload or from the history; they get a
    page in the site's layout and language that says what to do. Responses with a body (the
    JSON API's) are left alone. Goes after the authentication and locale middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 405
            and not response.content
            and not request.path_info.startswith("/api/")  # the API answers in JSON (ApiGuard)
        ):
            page = render(request, "405.html", status=405)
            # the view's own headers stay (Allow, Cache-Control of personal-data pages, ...)
            for header, value in response.headers.items():
                if header.lower() not in ("content-type", "content-length"):
                    page[header] = value
            page.cookies = response.cookies
            return page
        return response
