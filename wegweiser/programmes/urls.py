from django.urls import path

from wegweiser.core.access import public
from wegweiser.programmes import views

app_name = "programmes"
urlpatterns = public(
    [
        path("", views.programme_list_view, name="list"),
        path("<slug:key>/", views.programme_detail_view, name="detail"),
    ]
)
