"""The case pages through the Django test client: the flow, refusals shown on the form, versions."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from tests.cases.conftest import ENTRY, new_participant
from tests.random_parts import without_random_parts
from wegweiser.accounts.context import SESSION_KEY
from wegweiser.accounts.models import Role
from wegweiser.audit.models import AuditAction, AuditEntry
from wegweiser.cases import services
from wegweiser.cases.models import Case, CaseStatus, Consent, FollowUp, Participant, Referral


def url(name, **kwargs):
    return reverse(f"cases:{name}", kwargs=kwargs)


@pytest.fixture
def signed_in(client, counsellor):
    client.force_login(counsellor)
    return client


def test_start_page_needs_a_login(client, db):
    response = client.get(url("start"))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_intake_creates_the_person_and_opens_the_file(signed_in, org_a):
    response = signed_in.post(
        url("participant-new"),
        {
            "given_name": "Rana",
            "family_name": "Beispiel",
            "date_of_birth": "1990-02-03",
            "gender": "female",
            "languages": "ar, de",
            "citizenships": "sy",
            "kreis": "06412",
        },
    )
    person = Participant.objects.get(family_name="Beispiel")
    assert response.status_code == 302 and response["Location"] == url(
        "participant", participant_id=person.pk
    )
    assert person.organisation == org_a and person.citizenships == ["SY"]
    page = signed_in.get(response["Location"])
    assert "Rana Beispiel" in page.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, object_id=str(person.pk)).exists()


def test_bad_intake_shows_linked_errors_and_writes_nothing(signed_in):
    response = signed_in.post(
        url("participant-new"),
        {"given_name": "", "family_name": "X", "citizenships": "XX", "email": "kein-at"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_citizenships"' in html and 'href="#id_email"' in html
    assert 'aria-describedby="id_citizenships_helptext id_citizenships_error"' in html
    assert "Unbekannte Ländercodes: XX" in html
    assert not Participant.objects.exists()


def test_whole_flow_through_the_pages(
    signed_in, client, participant, counsellor, counsellor_b, org_b, offer_b, wir_project
):
    # consent for the referral (name only)
    response = signed_in.post(
        url("consent-add", participant_id=participant.pk),
        {
            "consent-purpose": "referral_sharing",
            "consent-given_on": "2025-06-01",
            "consent-text_version": "2025-01",
            "consent-channel": "written",
            "consent-recipient": str(org_b.pk),
            "consent-shared_fields": ["name"],
        },
    )
    assert response.status_code == 302
    # open the case, clearing, enrol
    signed_in.post(url("case-open", participant_id=participant.pk))
    case = Case.objects.get(participant=participant)
    signed_in.post(url("case-clearing", case_id=case.pk), {"clearing-version": case.version})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLEARING
    response = signed_in.post(
        url("case-enrol", case_id=case.pk),
        {"project": str(wir_project.pk), "entry_date": ENTRY.isoformat(), "version": case.version},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    page = signed_in.get(url("case", case_id=case.pk)).content.decode()
    assert "förderfähig" in page
    # referral: draft, send
    signed_in.post(url("referral-new", case_id=case.pk), {"offer": str(offer_b.pk), "message": ""})
    referral = Referral.objects.get(case=case)
    signed_in.post(url("referral-send", referral_id=referral.pk))
    referral.refresh_from_db()
    assert referral.status == "sent"
    # the second organisation sees only the name
    client.force_login(counsellor_b)
    page = without_random_parts(
        client.get(url("received", referral_id=referral.pk)).content.decode()
    )
    assert "Amina Haddad" in page
    assert "0151" not in page and "1995" not in page and "25(2)" not in page
    client.post(url("received-accept", referral_id=referral.pk))
    referral.refresh_from_db()
    assert referral.status == "accepted"
    # back to the counsellor: job start, follow-ups, six-month check-in, closure
    client.force_login(counsellor)
    start = ENTRY + dt.timedelta(days=10)
    client.post(
        url("case-followup", case_id=case.pk),
        {
            "followup-start_date": start.isoformat(),
            "followup-situation": "work",
            "followup-version": case.version,
        },
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.FOLLOWUP
    page = client.get(url("start")).content.decode()
    assert "überfällig seit" in page
    for followup in FollowUp.objects.filter(case=case):
        data = {"still_in_work_or_training": "yes", "dropout_risk": "low", "note": ""}
        if followup.is_esf_long_term:
            data["long_term_result"] = "employed"
        response = client.post(
            url("followup-record", case_id=case.pk, followup_id=followup.pk), data
        )
        assert response.status_code == 302
    assert not FollowUp.objects.filter(case=case, done_at__isnull=True).exists()
    assert FollowUp.objects.get(case=case, offset="6m").long_term_result == "employed"
    client.post(
        url("case-close", case_id=case.pk),
        {
            "close-exit_date": (start + dt.timedelta(days=200)).isoformat(),
            "close-version": case.version,
        },
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_send_without_consent_is_explained_and_refused(signed_in, participant, counsellor, offer_b):
    case = services.case_open(participant, by=counsellor)
    referral = services.referral_create(case, by=counsellor, offer=offer_b)
    page = signed_in.get(url("case", case_id=case.pk)).content.decode()
    assert "Senden ist erst möglich, wenn die Person in die Weitergabe an Partner B" in page
    signed_in.post(url("referral-send", referral_id=referral.pk))
    referral.refresh_from_db()
    assert referral.status == "draft"


def test_refused_enrolment_shows_the_engines_reasons(
    signed_in, participant, counsellor, wir_project
):
    services.residence_status_record(
        participant, by=counsellor, title="niederlassungserlaubnis", valid_from=dt.date(2025, 1, 1)
    )
    case = services.case_open(participant, by=counsellor)
    services.case_start_clearing(case, by=counsellor)
    response = signed_in.post(
        url("case-enrol", case_id=case.pk),
        {"project": str(wir_project.pk), "entry_date": ENTRY.isoformat(), "version": case.version},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Gründe der Förderprüfung" in html
    assert "override_reason" not in html  # a counsellor cannot override
    case.refresh_from_db()
    assert case.status == CaseStatus.CLEARING


def test_team_lead_overrides_with_a_written_reason(
    client, participant, counsellor, lead, wir_project
):
    services.residence_status_record(
        participant, by=counsellor, title="niederlassungserlaubnis", valid_from=dt.date(2025, 1, 1)
    )
    case = services.case_open(participant, by=counsellor)
    services.case_start_clearing(case, by=counsellor)
    client.force_login(lead)
    response = client.post(
        url("case-enrol", case_id=case.pk),
        {
            "project": str(wir_project.pk),
            "entry_date": ENTRY.isoformat(),
            "version": case.version,
            "override_reason": "Härtefall nach Rücksprache mit dem Jobcenter",
        },
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action=AuditAction.OVERRIDE, actor=lead).exists()


def test_stale_version_gets_the_clear_message_and_changes_nothing(
    signed_in, participant, counsellor
):
    case = services.case_open(participant, by=counsellor)
    seen = case.version
    services.case_assign(case, by=counsellor, counsellor=counsellor)  # someone else saved
    response = signed_in.post(url("case-clearing", case_id=case.pk), {"clearing-version": seen})
    assert response.status_code == 400
    assert "Jemand anderes hat diesen Datensatz inzwischen geändert" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.FIRST_CONTACT


def test_stale_participant_edit_is_refused(signed_in, participant, counsellor):
    seen = participant.version
    services.participant_update(participant, by=counsellor, phone="0170 1")
    data = Participant.objects.values().get(pk=participant.pk)
    response = signed_in.post(
        url("participant-edit", participant_id=participant.pk),
        {"given_name": "Neu", "family_name": "Name", "version": seen},
    )
    assert response.status_code == 400
    assert "Jemand anderes" in response.content.decode()
    assert Participant.objects.values().get(pk=participant.pk) == data


def test_export_json_and_html(signed_in, participant):
    response = signed_in.get(url("export-json", participant_id=participant.pk))
    assert response["Content-Disposition"].startswith("attachment")
    document = json.loads(response.content)
    assert document["person"]["family_name"] == "Haddad"
    page = signed_in.get(url("export-html", participant_id=participant.pk)).content.decode()
    assert "Auskunft über die gespeicherten Angaben" in page and "Haddad" in page
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == 2


def test_team_lead_erases(client, participant, lead):
    client.force_login(lead)
    response = client.post(url("participant-erase", participant_id=participant.pk))
    assert response.status_code == 302
    assert not Participant.objects.filter(pk=participant.pk).exists()


def test_answer_link_shows_consented_fields_and_is_single_use(
    client, participant, counsellor, sharing_consent, offer_b
):
    case = services.case_open(participant, by=counsellor)
    referral = services.referral_create(case, by=counsellor, offer=offer_b)
    services.referral_send(referral, by=counsellor)
    _link, token = services.referral_link_create(referral, by=counsellor)
    page = without_random_parts(client.get(url("link-answer", token=token)).content.decode())
    assert "Amina Haddad" in page and "0151 000000" in page and "1995" not in page
    response = client.post(url("link-answer", token=token), {"decision": "accept"})
    assert response.status_code == 200 and "Danke" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "accepted"
    again = client.get(url("link-answer", token=token))
    assert again.status_code == 404
    assert "ungültig" in again.content.decode()


def test_organisation_switch(client, org_a, org_b, make_user):
    user = make_user(org_a, Role.COUNSELLOR)
    from wegweiser.accounts.models import Membership

    Membership.objects.create(user=user, organisation=org_b, role=Role.DATA_PROTECTION_OFFICER)
    client.force_login(user)
    page = client.get(url("start")).content.decode()
    assert 'id="organisation-select"' in page
    response = client.post(reverse("accounts:organisation-switch"), {"organisation": str(org_b.pk)})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(org_b.pk)
    page = client.get(url("start")).content.decode()
    assert "Protokoll der Zugriffe" in page
    other = make_user(org_b, Role.COUNSELLOR)  # noqa: F841
    response = client.post(
        reverse("accounts:organisation-switch"),
        {"organisation": "00000000-0000-0000-0000-000000000000"},
    )
    assert response.status_code == 403


def test_consent_withdraw_page(signed_in, participant, sharing_consent):
    signed_in.post(
        url("consent-withdraw", participant_id=participant.pk, consent_id=sharing_consent.pk)
    )
    assert Consent.objects.get(pk=sharing_consent.pk).withdrawn_at is not None


def test_new_participant_helper_is_usable(org_a, counsellor):
    assert new_participant(org_a, counsellor, family_name="Zwei").family_name == "Zwei"


def test_household_link_and_residence_errors(signed_in, participant, org_a, counsellor):
    other = new_participant(org_a, counsellor, given_name="Omar", family_name="Haddad")
    response = signed_in.post(
        url("household", participant_id=participant.pk),
        {"household-relation": "main_person", "household-version": participant.version},
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    response = signed_in.post(
        url("household", participant_id=other.pk),
        {
            "household-relation": "child",
            "household-household": str(participant.household_id),
            "household-version": other.version,
        },
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.household_id == participant.household_id
    page = signed_in.get(url("participant", participant_id=participant.pk)).content.decode()
    assert "Omar Haddad" in page
    # a residence entry the engine refuses: the message is on the form, nothing written
    count = participant.residence_statuses.count()
    response = signed_in.post(
        url("residence-add", participant_id=participant.pk),
        {
            "residence-title": "niederlassungserlaubnis",
            "residence-section": "25(2)",
            "residence-valid_from": "2025-01-01",
        },
    )
    assert response.status_code == 400
    assert "Ungültige Angabe" in response.content.decode()
    assert participant.residence_statuses.count() == count


def test_participant_edit_without_version_is_refused(signed_in, participant):
    data = Participant.objects.values().get(pk=participant.pk)
    response = signed_in.post(
        url("participant-edit", participant_id=participant.pk),
        {"given_name": "Neu", "family_name": "Name"},
    )
    assert response.status_code == 400
    assert Participant.objects.values().get(pk=participant.pk) == data


def _esf_post(version, **changes):
    data = {
        "collected_on": ENTRY.isoformat(),
        "employment_status": "unemployed",
        "long_term_unemployed": "yes",
        "isced_level": "3",
        "foreign_background": "yes",
        "homeless_or_housing_exclusion": "no",
        "rural_area": "no",
        "disability": "no_answer",
        "minority": "no_answer",
        **changes,
    }
    if version is not None:
        data["version"] = version
    return data


def test_esf_questionnaire_is_saved_with_a_version_check(signed_in, active_case, counsellor):
    from wegweiser.cases.models import EsfEntryData

    esf_url = url("esf-entry", case_id=active_case.pk)
    assert signed_in.post(esf_url, _esf_post(0)).status_code == 302
    entry = EsfEntryData.objects.get(case=active_case)
    assert entry.version == 1
    # a second "new" questionnaire (version 0) does not overwrite the first
    response = signed_in.post(esf_url, _esf_post(0, isced_level="5"))
    assert response.status_code == 400 and "Jemand anderes" in response.content.decode()
    # without a version: refused, nothing changes
    assert signed_in.post(esf_url, _esf_post(None, isced_level="5")).status_code == 400
    # the version seen: saved
    response = signed_in.post(
        esf_url, _esf_post(1, employment_status="inactive", long_term_unemployed="")
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.version, entry.employment_status, entry.long_term_unemployed) == (
        2,
        "inactive",
        None,
    )
    # a stale version: refused, nothing changes
    response = signed_in.post(esf_url, _esf_post(1, isced_level="6"))
    assert response.status_code == 400 and "Jemand anderes" in response.content.decode()
    entry.refresh_from_db()
    assert entry.isced_level == 3 and entry.version == 2


def test_esf_service_compares_and_swaps(active_case, counsellor):
    from tests.cases.test_data_rights import ESF_ANSWERS
    from wegweiser.cases.errors import ConcurrentEdit

    services.esf_entry_save(active_case, by=counsellor, version=0, **ESF_ANSWERS)
    with pytest.raises(ConcurrentEdit):
        services.esf_entry_save(active_case, by=counsellor, version=0, **ESF_ANSWERS)
    services.esf_entry_save(active_case, by=counsellor, version=1, **ESF_ANSWERS)
    with pytest.raises(ConcurrentEdit):
        services.esf_entry_save(
            active_case, by=counsellor, version=1, **{**ESF_ANSWERS, "isced_level": 6}
        )
    assert active_case.esf_entry.__class__.objects.get(case=active_case).isced_level == 3


def test_active_case_page_offers_the_regular_exit(signed_in, active_case):
    page = signed_in.get(url("case", case_id=active_case.pk)).content.decode()
    assert "Abschließen" in page
    response = signed_in.post(
        url("case-close", case_id=active_case.pk),
        {"close-exit_date": "2025-09-30", "close-version": active_case.version},
    )
    assert response.status_code == 302
    active_case.refresh_from_db()
    assert active_case.status == CaseStatus.CLOSED


def test_first_contact_page_offers_the_drop_out(signed_in, case):
    page = signed_in.get(url("case", case_id=case.pk)).content.decode()
    assert "Abbruch eintragen" in page
    response = signed_in.post(
        url("case-dropout", case_id=case.pk),
        {"dropout-reason": "no_contact", "dropout-version": case.version},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.DROPPED_OUT


@pytest.mark.parametrize(
    ("site_url", "expected"),
    [
        ("https://wegweiser.example.org", "https://wegweiser.example.org/de/fall/antwort/"),
        ("", "http://intern.local/de/fall/antwort/"),
    ],
)
def test_answer_link_uses_the_site_url(
    signed_in, settings, participant, counsellor, sharing_consent, offer_b, site_url, expected
):
    settings.SITE_URL = site_url
    settings.ALLOWED_HOSTS = ["intern.local", "testserver"]
    case = services.case_open(participant, by=counsellor)
    referral = services.referral_create(case, by=counsellor, offer=offer_b)
    services.referral_send(referral, by=counsellor)
    response = signed_in.post(
        url("referral-link", referral_id=referral.pk), HTTP_HOST="intern.local"
    )
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_proxy_ssl_header_from_the_environment(tmp_path):
    import os
    import subprocess
    import sys

    code = (
        "import wegweiser.config.settings as s;print(getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
    )
    env = {**os.environ, "DEBUG": "1", "WEGWEISER_PROXY_SSL_HEADER": "X-Forwarded-Proto"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"
    env.pop("WEGWEISER_PROXY_SSL_HEADER")
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "None"
