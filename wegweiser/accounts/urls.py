from django.urls import path

from wegweiser.accounts import views

app_name = "accounts"

urlpatterns = [
    path("organisation/", views.organisation_switch, name="organisation-switch"),
]
