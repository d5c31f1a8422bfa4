from django.urls import path

from wegweiser.volunteers.views import coordinator, direct, money, own, public, requests

app_name = "volunteers"
urlpatterns = [
    path("", coordinator.dashboard, name="dashboard"),
    path("planen/", coordinator.week, name="week"),
    path("ehrenamtliche/", coordinator.volunteer_list, name="list"),
    path("ehrenamtliche/neu/", coordinator.volunteer_new, name="volunteer-new"),
    path("ehrenamtliche/<uuid:volunteer_id>/", coordinator.volunteer_detail, name="volunteer"),
    path(
        "ehrenamtliche/<uuid:volunteer_id>/daten/",
        coordinator.volunteer_export,
        name="volunteer-export",
    ),
    path(
        "ehrenamtliche/<uuid:volunteer_id>/loeschen/",
        coordinator.volunteer_erase,
        name="volunteer-erase",
    ),
    path("pool/<uuid:pool_id>/", coordinator.pool_edit, name="pool"),
    path("einsatz/<uuid:booking_id>/", coordinator.booking_detail, name="booking"),
    path(
        "einsatz/<uuid:booking_id>/vorschlag/", coordinator.booking_propose, name="booking-propose"
    ),
    path("einsatz/<uuid:booking_id>/schritt/", coordinator.booking_step, name="booking-step"),
    path("einsatz/<uuid:booking_id>/stunden/", coordinator.booking_hours, name="booking-hours"),
    path("tandem/<uuid:tandem_id>/", coordinator.tandem_detail, name="tandem"),
    path("anfrage/dolmetschen/", direct.interpreting_new, name="direct-request-new"),
    path("anfrage/tandem/", direct.tandem_new, name="direct-tandem-new"),
    path(
        "einsatz/<uuid:booking_id>/stattgefunden/",
        direct.booking_done,
        name="direct-booking-done",
    ),
    path("fall/<uuid:case_id>/dolmetschen/", requests.request_new, name="request-new"),
    path("fall/<uuid:case_id>/tandem/", requests.tandem_new, name="tandem-new"),
    path("anfragen/", requests.request_list, name="requests"),
    path("anfragen/<uuid:booking_id>/", requests.booking_done, name="booking-done"),
    path("antwort/<str:answer_token>/", public.answer, name="answer"),
    path("abrechnung/<uuid:pool_id>/", money.reimbursement, name="reimbursement"),
    path("abrechnung/<uuid:pool_id>/csv/", money.export_csv, name="export-csv"),
    path("abrechnung/<uuid:pool_id>/xlsx/", money.export_xlsx, name="export-xlsx"),
    path("ich/", own.me, name="me"),
]
