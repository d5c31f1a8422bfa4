from django.urls import path

from wegweiser.core.access import public
from wegweiser.funding import views, views_coverage, views_network

app_name = "funding"

urlpatterns = [
    path("", views.home, name="home"),
    path("antrag/neu/", views.application_new, name="application-new"),
    path("antrag/<uuid:application_id>/", views.application, name="application"),
    path("antrag/<uuid:application_id>/bescheid/", views.notice, name="notice"),
    path("antrag/<uuid:application_id>/einreichen/", views.submit, name="submit"),
    path("antrag/<uuid:application_id>/nachweis/", views.proof, name="proof"),
    path("eingang/", views.inbox, name="inbox"),
    path("antrag/<uuid:application_id>/pruefung/start/", views.review_start, name="review-start"),
    path("antrag/<uuid:application_id>/pruefung/", views.review, name="review"),
    path("antrag/<uuid:application_id>/entscheidung/", views.decide, name="decide"),
    path("antrag/<uuid:application_id>/auszahlung/", views.pay, name="pay"),
    path("antrag/<uuid:application_id>/nachweis/pruefen/", views.proof_check, name="proof-check"),
    path("budget/", views.budget, name="budget"),
    path("verbuende/", views_network.networks, name="networks"),
    path("verbuende/<uuid:project_id>/", views_network.network_view, name="network"),
    path("verbuende/abdeckung/", views_coverage.network_coverage, name="network-coverage"),
    path(
        "verbuende/abdeckung.csv",
        views_coverage.network_coverage_csv,
        name="network-coverage-csv",
    ),
    *public(
        [
            path("abdeckung/", views_coverage.coverage, name="coverage"),
            path("abdeckung.csv", views_coverage.coverage_csv, name="coverage-csv"),
        ]
    ),
]
