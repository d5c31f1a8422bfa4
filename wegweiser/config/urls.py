from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from wegweiser.config.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", RedirectView.as_view(pattern_name="directory:search", permanent=False)),
]
urlpatterns += i18n_patterns(
    path("programme/", include("wegweiser.programmes.urls")),
    path("konto/benachrichtigungen/", include("wegweiser.notifications.urls")),
    path("konto/", include("wegweiser.accounts.urls")),
    path("konto/", include("wegweiser.accounts.auth_urls")),
    path("fall/", include("wegweiser.cases.urls")),
    path("", include("wegweiser.public.urls")),
    path("", include("wegweiser.directory.urls")),
    prefix_default_language=True,
)
