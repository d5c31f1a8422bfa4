from django.urls import path
from django.views.decorators.cache import never_cache

from wegweiser.accounts import views

app_name = "accounts"

urlpatterns = [
    path("organisation/", views.organisation_switch, name="organisation-switch"),
]

for _pattern in urlpatterns:
    _pattern.callback = never_cache(_pattern.callback)
