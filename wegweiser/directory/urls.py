from django.urls import path

from wegweiser.core.access import public
from wegweiser.directory import views

app_name = "directory"

urlpatterns = [
    # the directory is public; its maintenance pages need a login and a role
    *public(
        [
            path("angebote/", views.offer_search, name="search"),
            path("angebote/<uuid:offer_id>/", views.offer_detail, name="offer"),
            path("organisationen/<uuid:org_id>/", views.organisation_detail, name="organisation"),
            path("projekte/<uuid:project_id>/", views.project_detail, name="project"),
        ]
    ),
    path("pflege/angebote/", views.manage_offers, name="manage"),
    path("pflege/angebote/neu/", views.manage_offer_edit, name="manage-new"),
    path("pflege/angebote/<uuid:offer_id>/", views.manage_offer_edit, name="manage-edit"),
    path(
        "pflege/angebote/<uuid:offer_id>/<slug:action>/",
        views.manage_offer_action,
        name="manage-action",
    ),
]
