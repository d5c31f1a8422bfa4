"""A small network for the report pages: carrier A (counsellor, team lead) with a WIR project,
partner B in its Verbund (network coordinator, programme administrator, funder), and a third
organisation C outside it; twelve participations at A, some of them left."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cases.conftest import (  # noqa: F401 (fixtures used here)
    counsellor,
    lead,
    make_user,
    new_participant,
    org_a,
    org_b,
    org_c,
    wir_project,
    wir_round,
)
from wegweiser.accounts.models import Role
from wegweiser.cases import services
from wegweiser.programmes.models import ProjectPartner

ENTRY = dt.date(2025, 2, 3)
EXIT = dt.date(2025, 9, 1)
PEOPLE = (
    # gender, status at entry, ISCED, leaves with (situation, days after exit) or stays
    *[("female", "unemployed", 2, ("employed", 10))] * 5,
    *[("male", "unemployed", 3, ("job_searching", 0))] * 4,
    ("female", "inactive", 5, ("employed", 29)),
    ("diverse", "unemployed", 3, None),
    ("male", "employed", 6, None),
)


def exit_answers(situation, days):
    answers = dict.fromkeys(
        ("job_searching", "in_education", "qualification_gained", "employed", "inactive"), "no"
    )
    answers["job_searching"], answers["job_searching_on"] = "yes", EXIT
    answers[situation] = "yes"
    answers[f"{situation}_on"] = EXIT + dt.timedelta(days=days)
    return answers


@pytest.fixture
def network(org_a, org_b, org_c, make_user, counsellor, lead, wir_project, wir_round):  # noqa: F811
    ProjectPartner.objects.create(project=wir_project, organisation=org_b, role="partner")
    users = {
        "counsellor": counsellor,
        "team_lead": lead,
        "network_coordinator": make_user(org_b, Role.NETWORK_COORDINATOR, name="netz"),
        "programme_admin": make_user(org_b, Role.PROGRAMME_ADMIN, name="programm"),
        "funder": make_user(org_b, Role.FUNDER, name="geld"),
        "dpo": make_user(org_a, Role.DATA_PROTECTION_OFFICER, name="dsb"),
        "platform_admin": make_user(org_a, Role.PLATFORM_ADMIN, name="plattform"),
        "offer_editor": make_user(org_a, Role.OFFER_EDITOR, name="pflege"),
        "other_org": make_user(org_c, Role.TEAM_LEAD, name="fremd"),
    }
    cases = []
    for i, (gender, status, isced, leaves) in enumerate(PEOPLE):
        person = new_participant(
            org_a, counsellor, given_name=f"Person{i}", family_name="Geheimname", gender=gender
        )
        case = services.case_open(person, by=counsellor)
        services.case_start_clearing(case, by=counsellor)
        services.enrol(
            case, by=counsellor, project=wir_project, funding_round=wir_round, entry_date=ENTRY
        )
        services.esf_entry_save(
            case,
            by=counsellor,
            collected_on=ENTRY,
            employment_status=status,
            long_term_unemployed=False if status == "unemployed" else None,
            isced_level=isced,
            foreign_background="yes",
            homeless_or_housing_exclusion="no",
            rural_area="no",
            disability="no_answer",
            minority="no",
        )
        if leaves:
            services.case_close(case, by=counsellor, exit_date=EXIT)
            case.refresh_from_db()
            services.esf_exit_save(case, by=counsellor, **exit_answers(*leaves))
        cases.append(case)
    return {"users": users, "cases": cases}
