"""Demo step 50: enough invented participations for the reports to show figures.

Twelve invented people at the demo organisation, enrolled in the demo project over the last
months (women, men, one non-binary person; several Kreise), some of them left with an exit
questionnaire; the closed participation of the case-management demo gets its exit questionnaire
too. Written through the case services like everything else; run once (idempotent).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from wegweiser.cases import services
from wegweiser.cases.demo import _person, demo_organisations
from wegweiser.cases.models import Case, EsfExitData, Participant
from wegweiser.core.demo import DemoRun

#: given name, gender, year of birth, Kreis, status at entry, ISCED, days in, exit situation
PEOPLE = (
    ("Amal", "female", 1990, "06412", "unemployed", 2, 120, "employed"),
    ("Bilal", "male", 1985, "06412", "unemployed", 3, 100, "job_searching"),
    ("Chiara", "female", 2000, "06414", "inactive", 3, 90, "in_education"),
    ("Dawit", "male", 1999, "06411", "unemployed", 1, 150, "employed"),
    ("Elif", "female", 1968, "06412", "inactive", 2, None, None),
    ("Farid", "male", 1993, "06413", "employed", 5, 80, "employed"),
    ("Goli", "female", 1996, "06414", "unemployed", 6, None, None),
    ("Hamid", "male", 1980, "06412", "unemployed", 2, 60, "job_searching"),
    ("Iryna", "female", 1988, "06411", "unemployed", 7, None, None),
    ("Jawad", "male", 2004, "06413", "inactive", 2, 110, "in_education"),
    ("Kim", "diverse", 1997, "06412", "unemployed", 3, None, None),
    ("Leyla", "female", 1991, "06440", "unemployed", 4, 70, "employed"),
)
MARKER = "Bericht"


def _exit_answers(situation: str | None, exit_date: dt.date, today: dt.date) -> dict:
    answers = {
        s: "no"
        for s in ("job_searching", "in_education", "qualification_gained", "employed", "inactive")
    }
    answers["qualification_gained"] = "no_answer"
    if situation:
        answers[situation] = "yes"
        answers[f"{situation}_on"] = min(exit_date + dt.timedelta(days=5), today)
    return answers


def setup(today: dt.date | None = None) -> int:
    """Create the invented participations (once); returns how many were created."""
    found = demo_organisations()
    if found is None:
        return 0
    org, project, _partner, _offer = found
    if Participant.objects.filter(organisation=org, family_name__startswith=MARKER).exists():
        return 0
    today = today or timezone.localdate()
    User = get_user_model()
    by = User.objects.get(username="demo-beratung")
    rnd = project.funding_round
    first = max(project.start, rnd.start)
    if first > today:
        return 0
    created = 0
    for i, (given, gender, born, kreis, status, isced, days, situation) in enumerate(PEOPLE):
        entry = max(first, today - dt.timedelta(days=250 - 15 * i))
        on = entry
        person = _person(
            org,
            by,
            given,
            MARKER,  # _person adds " (Demo)"
            dt.date(born, 6, 1),
            on,
            gender=gender,
            kreis=kreis,
            citizenships=["UA"] if given == "Iryna" else ["SY"],
        )
        case = services.case_open(person, by=by)
        services.case_start_clearing(case, by=by)
        services.enrol(case, by=by, project=project, funding_round=rnd, entry_date=entry)
        services.esf_entry_save(
            case,
            by=by,
            collected_on=entry,
            employment_status=status,
            long_term_unemployed=(i % 3 == 0) if status == "unemployed" else None,
            isced_level=isced,
            foreign_background="yes",
            homeless_or_housing_exclusion="yes" if i == 7 else "no",
            rural_area="yes" if kreis == "06440" else "no",
            disability="no_answer" if i % 4 == 0 else "no",
            minority="no_answer",
        )
        created += 1
        if days is None:
            continue
        exit_date = entry + dt.timedelta(days=days)
        if exit_date > today:
            continue
        services.case_close(case, by=by, exit_date=exit_date)
        services.esf_exit_save(
            Case.objects.get(pk=case.pk), by=by, **_exit_answers(situation, exit_date, today)
        )
    _closed_exit(org, by, today)
    return created


def _closed_exit(org, by, today: dt.date) -> None:
    """The exit questionnaire of the case-management demo's closed participation (Karim)."""
    case = (
        Case.objects.filter(
            organisation=org,
            participant__family_name__startswith="Vorlage",
            exit_date__isnull=False,
        )
        .exclude(esf_exit__isnull=False)
        .first()
    )
    if case is None:
        return
    answers = _exit_answers("employed", case.exit_date, today)
    answers["employed_on"] = case.work_start_date or case.exit_date
    if EsfExitData.objects.filter(case=case).exists():
        return
    services.esf_exit_save(case, by=by, **answers)


def demo_step(run: DemoRun) -> None:
    created = setup()
    run.stdout.write(
        f"demo reports: {created} invented participations"
        if created
        else "demo reports: participations already present (or no demo project)"
    )
