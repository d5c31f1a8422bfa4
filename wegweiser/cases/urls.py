"""Case-management URLs, under ``/<lang>/fall/``. Every id is a UUID."""

from django.urls import path
from django.views.decorators.cache import never_cache

from wegweiser.cases import views
from wegweiser.core.access import public

app_name = "cases"

urlpatterns = [
    path("", views.start, name="start"),
    path("protokoll/", views.audit_log, name="audit-log"),
    # participants
    path("personen/neu/", views.participant_new, name="participant-new"),
    path("personen/<uuid:participant_id>/", views.participant_detail, name="participant"),
    path(
        "personen/<uuid:participant_id>/bearbeiten/",
        views.participant_edit,
        name="participant-edit",
    ),
    path("personen/<uuid:participant_id>/aufenthalt/", views.residence_add, name="residence-add"),
    path("personen/<uuid:participant_id>/haushalt/", views.household_link, name="household"),
    path("personen/<uuid:participant_id>/einwilligungen/", views.consent_add, name="consent-add"),
    path(
        "personen/<uuid:participant_id>/einwilligungen/<uuid:consent_id>/widerrufen/",
        views.consent_withdraw,
        name="consent-withdraw",
    ),
    path("personen/<uuid:participant_id>/fall-eroeffnen/", views.case_open, name="case-open"),
    path(
        "personen/<uuid:participant_id>/export.json",
        views.participant_export_json,
        name="export-json",
    ),
    path(
        "personen/<uuid:participant_id>/auskunft/",
        views.participant_export_html,
        name="export-html",
    ),
    path(
        "personen/<uuid:participant_id>/loeschen/",
        views.participant_erase,
        name="participant-erase",
    ),
    # cases
    path("faelle/<uuid:case_id>/", views.case_detail, name="case"),
    path("faelle/<uuid:case_id>/clearing/", views.case_clearing, name="case-clearing"),
    path("faelle/<uuid:case_id>/aufnahme/", views.case_enrol, name="case-enrol"),
    path("faelle/<uuid:case_id>/nachbetreuung/", views.case_followup, name="case-followup"),
    path("faelle/<uuid:case_id>/abschluss/", views.case_close, name="case-close"),
    path("faelle/<uuid:case_id>/abbruch/", views.case_drop_out, name="case-dropout"),
    path("faelle/<uuid:case_id>/uebernehmen/", views.case_assign, name="case-assign"),
    path("faelle/<uuid:case_id>/esf/", views.esf_entry, name="esf-entry"),
    path("faelle/<uuid:case_id>/esf-austritt/", views.esf_exit, name="esf-exit"),
    path("faelle/<uuid:case_id>/ziele/", views.goal_add, name="goal-add"),
    path(
        "faelle/<uuid:case_id>/ziele/<uuid:goal_id>/status/",
        views.goal_status,
        name="goal-status",
    ),
    path("faelle/<uuid:case_id>/kontakte/", views.contact_add, name="contact-add"),
    path("faelle/<uuid:case_id>/aufgaben/", views.task_add, name="task-add"),
    path(
        "faelle/<uuid:case_id>/aufgaben/<uuid:task_id>/erledigt/",
        views.task_done,
        name="task-done",
    ),
    path(
        "faelle/<uuid:case_id>/nachbetreuung/<uuid:followup_id>/",
        views.followup_record,
        name="followup-record",
    ),
    path("faelle/<uuid:case_id>/ueberweisung/", views.referral_new, name="referral-new"),
    # referrals: sending organisation
    path("ueberweisungen/<uuid:referral_id>/senden/", views.referral_send, name="referral-send"),
    path(
        "ueberweisungen/<uuid:referral_id>/zurueckziehen/",
        views.referral_withdraw,
        name="referral-withdraw",
    ),
    path(
        "ueberweisungen/<uuid:referral_id>/antwort-link/",
        views.referral_link,
        name="referral-link",
    ),
    # referrals: receiving organisation
    path("eingang/", views.inbox, name="inbox"),
    path("eingang/<uuid:referral_id>/", views.received_detail, name="received"),
    path("eingang/<uuid:referral_id>/annehmen/", views.received_accept, name="received-accept"),
    path("eingang/<uuid:referral_id>/ablehnen/", views.received_refuse, name="received-refuse"),
    path(
        "eingang/<uuid:referral_id>/fall-eroeffnen/",
        views.received_open_case,
        name="received-open-case",
    ),
    path(
        "eingang/<uuid:referral_id>/abschliessen/",
        views.received_complete,
        name="received-complete",
    ),
    # public: a partner without an account answers through the single-use link
    *public([path("antwort/<str:token>/", views.link_answer, name="link-answer")]),
]

# Every case page, form answer and export holds personal data: no browser or proxy may keep it
# (``Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private``).
for _pattern in urlpatterns:
    _pattern.callback = never_cache(_pattern.callback)
