"""Demo logins (one per role) and a few clearly synthetic cases for ``wegweiser demo``.

Everything is invented: the organisations are the synthetic ones of the demo directory (their
names end in "(Demo)"), the people's family names end in "(Demo)" too. Passwords are new random
ones on every run, printed by the command, never stored in settings. Idempotent: users and
memberships are reused, the cases are created once.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from wegweiser.accounts.models import Membership, Role
from wegweiser.cases import services
from wegweiser.cases.models import ConsentPurpose, Participant, SharedField
from wegweiser.core.demo import DemoRun, demo_login
from wegweiser.directory.models import Offer
from wegweiser.organisations.models import Organisation
from wegweiser.programmes.models import Project

#: username -> (role, at the partner organisation?)
DEMO_USERS = {
    "demo-beratung": (Role.COUNSELLOR, False),
    "demo-teamleitung": (Role.TEAM_LEAD, False),
    "demo-netzwerk": (Role.NETWORK_COORDINATOR, False),
    "demo-programm": (Role.PROGRAMME_ADMIN, False),
    "demo-datenschutz": (Role.DATA_PROTECTION_OFFICER, False),
    "demo-plattform": (Role.PLATFORM_ADMIN, False),
    "demo-partner": (Role.COUNSELLOR, True),
    "demo-mittelgeber": (Role.FUNDER, False),
}
DEMO_SUFFIX = "(Demo)"


@dataclass
class DemoSetup:
    organisation: Organisation
    partner: Organisation
    project: Project
    partner_offer: Offer
    passwords: dict[str, str]
    cases_created: int


def demo_organisations() -> tuple[Organisation, Project, Organisation, Offer] | None:
    """The WIR network carrier whose counsellors use the demo, and a partner with an offer."""
    project = (
        Project.objects.filter(carrier__is_synthetic=True, funding_round__key="wir-2026")
        .select_related("carrier", "funding_round__programme")
        .order_by("name")
        .first()
    )
    if project is None:
        return None
    offer = (
        Offer.objects.filter(
            organisation__is_synthetic=True,
            organisation__kind="beratungsstelle",
            status=Offer.PUBLISHED,
        )
        .exclude(organisation=project.carrier)
        .select_related("organisation")
        .order_by("organisation__name", "sort_name")
        .first()
    )
    if offer is None:
        return None
    return project.carrier, project, offer.organisation, offer


def _users(organisation, partner) -> dict[str, str]:
    passwords = {}
    for username, (role, at_partner) in DEMO_USERS.items():
        user = demo_login(username)
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save()
        Membership.objects.get_or_create(
            user=user, organisation=partner if at_partner else organisation, role=role
        )
        passwords[username] = password
    return passwords


def _person(org, by, given, family, born, consent_on, **extra) -> Participant:
    person = services.participant_create(
        by=by,
        organisation=org,
        given_name=given,
        family_name=f"{family} {DEMO_SUFFIX}",
        date_of_birth=born,
        gender=extra.pop("gender", "female"),
        phone="0000 000000",
        email=f"{given.lower()}@example.org",
        languages=extra.pop("languages", ["ar", "de"]),
        citizenships=extra.pop("citizenships", ["SY"]),
        kreis=extra.pop("kreis", "06412"),
    )
    services.residence_status_record(
        person,
        by=by,
        title="aufenthaltserlaubnis",
        section="25(2)",
        valid_from=dt.date(2023, 1, 1),
        work_ban="none",
    )
    services.consent_record(
        person,
        by=by,
        purpose=ConsentPurpose.COUNSELLING,
        given_on=consent_on,
        text_version="demo-1",
        channel="written",
    )
    return person


def demo_entry_date(project, today: dt.date) -> dt.date:
    """Forty days ago, clamped into the period in which both the project and its round run.

    So the demo works on any day: before the round begins the entry is its first day, after the
    project or the round ended it is their last day.
    """
    rnd = project.funding_round
    first = max(project.start, rnd.start)
    ends = [d for d in (project.end, rnd.end) if d is not None]
    last = min(ends) if ends else dt.date.max
    return min(max(today - dt.timedelta(days=40), first), last)


def _cases(org, project, partner, offer, today: dt.date) -> int:
    User = get_user_model()
    by = User.objects.get(username="demo-beratung")
    if Participant.objects.filter(organisation=org, family_name__endswith=DEMO_SUFFIX).exists():
        return 0
    rnd = project.funding_round
    entry = demo_entry_date(project, today)
    # consents and contacts cannot lie in the future (if the round has not begun yet)
    on = min(entry, today)

    # first contact
    mira = _person(org, by, "Mira", "Beispiel", dt.date(1998, 3, 14), on)
    services.case_open(mira, by=by)
    # clearing
    samir = _person(org, by, "Samir", "Muster", dt.date(1989, 7, 2), on, gender="male")
    case = services.case_open(samir, by=by)
    services.case_start_clearing(case, by=by)
    # active, with a plan, ESF entry data and a referral in the partner's inbox
    lina = _person(org, by, "Lina", "Probe", dt.date(2001, 11, 30), on, citizenships=["AF"])
    _sharing_consent(lina, by, partner, on)
    case = services.case_open(lina, by=by)
    services.case_start_clearing(case, by=by)
    services.enrol(case, by=by, project=project, funding_round=rnd, entry_date=entry)
    _esf_entry(case, by, on, isced_level=3)
    services.goal_create(
        case, by=by, title="Ausbildungsplatz finden", target_date=today + dt.timedelta(days=90)
    )
    services.contact_create(
        case, by=by, date=on, duration_minutes=45, channel="in_person", topics=["Ausbildung"]
    )
    services.task_create(case, by=by, title="Zeugnisse übersetzen lassen", due_date=today)
    referral = services.referral_create(
        case, by=by, offer=offer, message="Erfundene Demo-Überweisung."
    )
    services.referral_send(referral, by=by)
    # in follow-up: the four-week check-in is due today (when the round has run long enough)
    jonas = _person(org, by, "Jonas", "Fiktiv", dt.date(1995, 5, 5), on, gender="male")
    case = services.case_open(jonas, by=by)
    services.case_start_clearing(case, by=by)
    services.enrol(case, by=by, project=project, funding_round=rnd, entry_date=entry)
    start = max(entry, today - dt.timedelta(days=28))
    services.case_start_followup(case, by=by, start_date=start, situation="work")
    # dropped out during clearing
    ada = _person(org, by, "Ada", "Erfunden", dt.date(1979, 1, 9), on)
    case = services.case_open(ada, by=by)
    services.case_start_clearing(case, by=by)
    services.case_drop_out(case, by=by, reason="moved")
    # the partner answered two referrals: accepted one (Jonas), refused one (Samir)
    partner_user = User.objects.get(username="demo-partner")
    for person, accept in ((jonas, True), (samir, False)):
        _sharing_consent(person, by, partner, on)
        sent = services.referral_create(
            person.cases.get(), by=by, offer=offer, message="Erfundene Demo-Überweisung."
        )
        services.referral_send(sent, by=by)
        if accept:  # accepted, and a case of its own opened at the partner from it
            services.referral_case_open(sent, by=partner_user, accept=True)
        else:
            services.referral_refuse(sent, by=partner_user, reason="no_capacity")
    # closed and anonymised: whole participations in the previous round (their follow-up and
    # the ESF Plus survey six months after exit lie in the past)
    previous = predecessor_project(project)
    if previous is not None:
        lead = User.objects.get(username="demo-teamleitung")
        for given, family, born, erase in (
            ("Karim", "Vorlage", dt.date(1990, 2, 20), False),
            ("Yusuf", "Platzhalter", dt.date(1986, 8, 8), True),
        ):
            person = _person(org, by, given, family, born, on, gender="male")
            _closed_participation(person, by, previous, today)
            if erase:
                services.participant_erase(person, by=lead, today=today)
    # the self-check's contact request nobody has taken over yet: public/demo.py (step 45)
    return Participant.objects.filter(organisation=org).count()


def _esf_entry(case, by, on, *, isced_level: int) -> None:
    """The ESF Plus entry questionnaire of an unemployed person with a foreign background."""
    services.esf_entry_save(
        case,
        by=by,
        collected_on=on,
        employment_status="unemployed",
        long_term_unemployed=False,
        isced_level=isced_level,
        foreign_background="yes",
        homeless_or_housing_exclusion="no",
        rural_area="no",
        disability="no_answer",
        minority="no_answer",
    )


def _sharing_consent(person, by, partner, on) -> None:
    services.consent_record(
        person,
        by=by,
        purpose=ConsentPurpose.REFERRAL_SHARING,
        recipient=partner,
        shared_fields=[SharedField.NAME, SharedField.PHONE, SharedField.LANGUAGES],
        given_on=on,
        text_version="demo-1",
        channel="written",
    )


def _closed_participation(person, by, project, today: dt.date) -> None:
    """Enrolled about a year before the project ended (or today), work from two months later,
    exit eight months after entry: closed, with its follow-ups due in the past."""
    rnd = project.funding_round
    last = min(d for d in (project.end, rnd.end, today) if d is not None)
    entry = max(last - dt.timedelta(days=360), project.start, rnd.start)
    case = services.case_open(person, by=by)
    services.case_start_clearing(case, by=by)
    services.enrol(case, by=by, project=project, funding_round=rnd, entry_date=entry)
    _esf_entry(case, by, entry, isced_level=2)
    services.case_start_followup(
        case, by=by, start_date=entry + dt.timedelta(days=60), situation="work"
    )
    services.case_close(case, by=by, exit_date=min(entry + dt.timedelta(days=240), last))
    # the check-ins after the job start were kept; the ESF Plus survey after exit is still due
    now = timezone.localdate()
    for followup in case.followups.filter(is_esf_long_term=False, due_date__lte=now):
        services.followup_record(
            followup, by=by, still_in_work_or_training=True, dropout_risk="low"
        )


@transaction.atomic
def predecessor_project(project: Project) -> Project | None:
    """The same network's project in the previous WIR round (wir-2022, until 2026-09-30).

    Networks usually carried on from one funding period to the next; with it, the demo (and the
    browser test) can show a person whose whole follow-up, up to the ESF Plus survey six months
    after exit, lies in the past. Idempotent.
    """
    from wegweiser.programmes.models import FundingRound, ProjectPartner

    rnd = FundingRound.objects.filter(programme__key="wir", key="wir-2022").first()
    if rnd is None:
        return None
    name = project.name.removesuffix(" (Demo)") + " 2022–2026 (Demo)"
    previous, created = Project.objects.get_or_create(
        carrier=project.carrier,
        funding_round=rnd,
        name=name,
        defaults={
            "description": {"de": "Erfundenes Vorgängerprojekt der Demo-Daten (Förderrunde 2022)."},
            "start": rnd.start,
            "end": rnd.end,
        },
    )
    if created:
        ProjectPartner.objects.create(project=previous, organisation=project.carrier, role="lead")
        previous.regions.set(project.regions.all())
    return previous


def setup(today: dt.date | None = None) -> DemoSetup | None:
    """Create the demo users (new passwords) and, once, the demo cases."""
    found = demo_organisations()
    if found is None:
        return None
    organisation, project, partner, offer = found
    predecessor_project(project)
    passwords = _users(organisation, partner)
    created = _cases(organisation, project, partner, offer, today or timezone.localdate())
    return DemoSetup(organisation, partner, project, offer, passwords, created)


def has_case_data() -> bool:
    """Case data at synthetic organisations (the audit log keeps them: no directory reset)."""
    from wegweiser.audit.models import AuditEntry

    return (
        Participant.objects.filter(organisation__is_synthetic=True).exists()
        or AuditEntry.objects.filter(organisation__is_synthetic=True).exists()
    )


# --- the case management's step of `wegweiser demo` (registered in apps.py) -------------------


def demo_step(run: DemoRun) -> None:
    """One login per role (new passwords each run) and a few invented cases (once)."""
    result = setup()
    if result is None:
        run.stdout.write("demo case management: no suitable demo organisation found")
        return
    run.stdout.write(
        f"demo case management at {result.organisation.name} "
        f"(referral partner: {result.partner.name}); "
        + (
            f"{result.cases_created} invented cases created"
            if result.cases_created
            else "demo cases already present"
        )
    )
    for username, password in result.passwords.items():
        role, at_partner = DEMO_USERS[username]
        where = result.partner.name if at_partner else result.organisation.name
        run.stdout.write(f"demo login ({role.label}, {where}): {username} / {password}")


def rebuild_refusal() -> str | None:
    """The demo directory cannot be rebuilt while its organisations hold case data."""
    if not has_case_data():
        return None
    return (
        "The demo organisations hold case data, and the audit log is append-only: "
        "to rebuild the demo directory start from a new database (e.g. delete "
        "db.sqlite3)."
    )
