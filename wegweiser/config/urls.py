"""Every page needs a login (``LoginRequiredMiddleware``) except the ones marked public here or
in their app (``core.access.public``, ``login_not_required``); ``tests/test_access.py`` lists
them."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from wegweiser.config.api import api
from wegweiser.core.access import public

api_patterns, api_app, api_namespace = api.urls

urlpatterns = [
    path("api/v1/", (public(api_patterns), api_app, api_namespace)),
    path("admin/", admin.site.urls),  # the admin asks for its own login
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path(
        "",
        login_not_required(RedirectView.as_view(pattern_name="directory:search", permanent=False)),
    ),
]
urlpatterns += i18n_patterns(
    path("programme/", include("wegweiser.programmes.urls")),
    path("konto/benachrichtigungen/", include("wegweiser.notifications.urls")),
    path("konto/", include("wegweiser.accounts.urls")),
    path("konto/", include("wegweiser.accounts.auth_urls")),
    path("fall/", include("wegweiser.cases.urls")),
    path("ehrenamt/", include("wegweiser.volunteers.urls")),
    path("foerderung/", include("wegweiser.funding.urls")),
    path("berichte/", include("wegweiser.reporting.urls")),
    path("", include("wegweiser.public.urls")),
    path("", include("wegweiser.directory.urls")),
    # /ar/, /uk/, ...: the directory in that language, as / leads to the German one
    path(
        "",
        login_not_required(RedirectView.as_view(pattern_name="directory:search", permanent=False)),
        name="language-home",
    ),
    prefix_default_language=True,
)
