"""URLs of the benchmark server: every production URL plus ``/bench/bare/``, the ceiling.

The bare view does no work of its own: it answers through the same server, middleware stack and
settings as the public pages, so its throughput is what Django itself allows on this machine.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from wegweiser.config.urls import urlpatterns as production_urlpatterns
from wegweiser.core.access import public

BARE_PATH = "bench/bare/"


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


#: Open without a login like the public pages (the login middleware would redirect it).
urlpatterns = [*public([path(BARE_PATH, bare, name="bench-bare")]), *production_urlpatterns]
