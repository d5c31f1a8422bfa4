"""The ESF Plus exit questionnaire (facts.md A.4): situations with dates, "keine Angabe"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.cases.conftest import ENTRY
from wegweiser.audit.models import AuditAction, AuditEntry
from wegweiser.cases import services
from wegweiser.cases.errors import ConcurrentEdit, InvalidData, MissingData, NotAllowed
from wegweiser.cases.models import EsfExitData

EXIT = ENTRY + dt.timedelta(days=90)
ANSWERS = {
    "job_searching": "yes",
    "job_searching_on": EXIT,
    "in_education": "no",
    "qualification_gained": "no_answer",
    "employed": "yes",
    "employed_on": EXIT + dt.timedelta(days=20),
    "inactive": "no",
}


@pytest.fixture
def closed_case(active_case, counsellor):
    return services.case_close(active_case, by=counsellor, exit_date=EXIT)


def test_saved_with_dates_and_no_answer_kept(closed_case, counsellor):
    saved = services.esf_exit_save(closed_case, by=counsellor, version=0, **ANSWERS)
    saved.refresh_from_db()
    assert saved.job_searching == "yes" and saved.job_searching_on == EXIT
    assert saved.qualification_gained == "no_answer" and saved.qualification_gained_on is None
    assert saved.in_education == "no"
    entry = AuditEntry.objects.filter(object_id=str(saved.pk)).get()
    assert entry.action == AuditAction.CREATE and entry.actor == counsellor


def test_a_yes_needs_its_date(closed_case, counsellor):
    with pytest.raises(MissingData):
        services.esf_exit_save(closed_case, by=counsellor, **{**ANSWERS, "employed_on": None})
    assert not EsfExitData.objects.exists()


def test_every_situation_is_answered(closed_case, counsellor):
    with pytest.raises(MissingData):
        services.esf_exit_save(closed_case, by=counsellor, **{**ANSWERS, "inactive": ""})


def test_no_exit_no_questionnaire(active_case, counsellor):
    with pytest.raises(InvalidData):
        services.esf_exit_save(active_case, by=counsellor, **ANSWERS)


def test_date_before_entry_refused(closed_case, counsellor):
    early = {**ANSWERS, "job_searching_on": ENTRY - dt.timedelta(days=1)}
    with pytest.raises(InvalidData):
        services.esf_exit_save(closed_case, by=counsellor, **early)


def test_stale_version_refused(closed_case, counsellor):
    services.esf_exit_save(closed_case, by=counsellor, version=0, **ANSWERS)
    services.esf_exit_save(closed_case, by=counsellor, version=1, **ANSWERS)
    with pytest.raises(ConcurrentEdit):
        services.esf_exit_save(closed_case, by=counsellor, version=1, **ANSWERS)


def test_other_organisation_refused(closed_case, counsellor_b):
    with pytest.raises(NotAllowed):
        services.esf_exit_save(closed_case, by=counsellor_b, **ANSWERS)


def test_page_saves_and_links_from_case(client, closed_case, counsellor):
    client.force_login(counsellor)
    case_page = client.get(reverse("cases:case", kwargs={"case_id": closed_case.pk}))
    url = reverse("cases:esf-exit", kwargs={"case_id": closed_case.pk})
    assert url in case_page.content.decode()
    post = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in ANSWERS.items()}
    response = client.post(url, {**post, "collected_on": EXIT.isoformat(), "version": 0})
    assert response.status_code == 302
    assert EsfExitData.objects.get(case=closed_case).employed_on == ANSWERS["employed_on"]
