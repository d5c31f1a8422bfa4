from django.urls import path

from wegweiser.core.access import public
from wegweiser.public import info_views, views

app_name = "public"
urlpatterns = public(
    [
        path("selbstcheck/", views.start, name="start"),
        path("selbstcheck/weiter/", views.next_step, name="next"),
        path("selbstcheck/frage/<slug:slug>/", views.question, name="question"),
        path("selbstcheck/antworten/", views.answers, name="answers"),
        path("selbstcheck/loeschen/", views.clear, name="clear"),
        path("selbstcheck/ergebnis/", views.result, name="result"),
        path("selbstcheck/kontakt/<uuid:offer_id>/", views.contact, name="contact"),
        path("selbstcheck/gesendet/", views.sent, name="sent"),
        path("barrierefreiheit/", info_views.accessibility, name="accessibility"),
        path("leichte-sprache/", info_views.easy_language, name="easy-language"),
        path("datenschutz/", info_views.privacy, name="privacy"),
    ]
)
