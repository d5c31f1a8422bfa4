"""URLs of the benchmark server: every production URL plus ``/bench/bare/``, the ceiling.

The bare view does no work of its own: it answers through the same server, middleware stack and
settings as the public pages, so its throughput is what Django itself allows on this machine.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from wegweiser.config.urls import urlpatterns as production_urlpatterns

BARE_PATH = "bench/bare/"


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path(BARE_PATH, bare, name="bench-bare"), *production_urlpatterns]
