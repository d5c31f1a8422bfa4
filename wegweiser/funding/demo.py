"""Demo data of the funding administration for ``wegweiser demo`` (step 60).

The authority is "Regierungspräsidium Darmstadt (Demo)"; the applicants are the synthetic
WIR-Fallmanagement offices of the demo directory (Kreise and cities, kind ``kommune``). A year of
calls (WIR-Fallmanagement of this and last year, Integrationslotsen, MitSprache) and
applications in every state, with payments and Verwendungsnachweise, all made through the
services (so the audit log and the directory's projects follow). Logins: ``demo-antrag``
(Antragstellung at the first Kreis office) and ``demo-rp`` (Prüfung and Bewilligung at the
authority), new random passwords printed on every run like the other demo logins. Idempotent:
the calls and applications are created once.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from wegweiser.accounts.models import Membership, Role
from wegweiser.core.demo import DemoRun, demo_login
from wegweiser.funding import services
from wegweiser.funding.models import Application, Call
from wegweiser.organisations.models import Organisation
from wegweiser.programmes.models import FundingRound, Project

AUTHORITY = "Regierungspräsidium Darmstadt (Demo)"
APPLICANT_LOGIN = "demo-antrag"
AUTHORITY_LOGIN = "demo-rp"
#: applies for the other demo Kreise (no password: nobody logs in with it)
OTHER_APPLICANTS = "weitere-antragsteller-demo"
RULES = (
    "Gefördert wird eine Personalstelle WIR-Fallmanagement je Landkreis, kreisfreier Stadt und "
    "Sonderstatusstadt mit bis zu 50.000 € im Jahr; die Mittel dürfen an einen gemeinnützigen "
    "Träger weitergeleitet werden. (Demo)"
)


@dataclass
class DemoFunding:
    authority: Organisation
    applicant_org: Organisation
    passwords: dict[str, str]
    created: int


def _kreis_offices() -> list[Organisation]:
    """The demo directory's WIR-Fallmanagement offices (carriers of a hessen-wir-fm project)."""
    ids = Project.objects.filter(
        carrier__is_synthetic=True, carrier__kind="kommune", funding_round__key="hessen-wir-fm"
    ).values("carrier_id")
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def _login(username: str, memberships: list[tuple[Organisation, Role]], usable=True) -> str:
    user = demo_login(username)
    password = secrets.token_urlsafe(12) if usable else ""
    if usable:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    for org, role in memberships:
        Membership.objects.get_or_create(user=user, organisation=org, role=role)
    return password


def _calls(authority: Organisation, year: int) -> dict[str, Call]:
    rounds = {r.key: r for r in FundingRound.objects.filter(key__startswith="hessen-")}
    specs = {
        "fm-last": ("hessen-wir-fm", "WIR-Fallmanagement", year - 1, 1_650_000, 50_000),
        "fm": ("hessen-wir-fm", "WIR-Fallmanagement", year, 1_650_000, 50_000),
        "lotsen": ("hessen-lotsen", "WIR-Integrationslotsen", year, 500_000, 15_000),
        "mitsprache": ("hessen-mitsprache", "MitSprache – Deutsch4U", year, 1_500_000, 30_000),
    }
    calls = {}
    for key, (round_key, title, y, budget, cap) in specs.items():
        calls[key] = Call.objects.create(
            funding_round=rounds[round_key],
            authority=authority,
            title=f"{title} (Demo)",
            year=y,
            budget_eur=Decimal(budget),
            cap_eur=Decimal(cap),
            rules=RULES if round_key == "hessen-wir-fm" else "",
            opens=dt.date(y - 1, 10, 1),
            closes=dt.date(y, 12, 31),
        )
    return calls


def _application(call, org, by, title, amount, regions, *, year=None, today):
    year = year or call.year
    amount = Decimal(amount)
    staff = (amount * Decimal("0.9")).quantize(Decimal("1"))
    return services.application_create(
        by=by,
        organisation=org,
        call=call,
        title=title,
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        regions=regions,
        total_eur=amount,
        lines=[("staff", staff), ("material", amount - staff)],
    )


def _review(application, rp, approver_amount=None, *, reject=None):
    services.review_start(application, by=rp)
    services.review_record(
        application,
        by=rp,
        complete_budget=True,
        complete_period=True,
        complete_regions=True,
        complete_eligible=True,
        notes="Plausibel, Stelle besetzt. (Demo)",
        score=8,
    )
    if reject:
        services.reject(application, by=rp, reason=reject)
    elif approver_amount is not None:
        services.approve(
            application,
            by=rp,
            amount_eur=Decimal(approver_amount),
            conditions="Es gelten die ANBest-P. (Demo)",
        )


def _proof(application, applicant, submitted_on):
    actuals = {line.pk: line.planned_eur for line in application.budget_lines.all()}
    return services.proof_submit(
        application,
        by=applicant,
        narrative="Die Stelle war das ganze Jahr besetzt; 140 Personen wurden begleitet. (Demo)",
        actuals=actuals,
        receipts=[
            {
                "date": f"{submitted_on.year - 1}-03-31",
                "text": "Gehalt Q1 (Demo)",
                "amount": "11000",
            },
            {"date": f"{submitted_on.year - 1}-06-30", "text": "Miete (Demo)", "amount": "1200"},
        ],
        submitted_on=submitted_on,
    )


@transaction.atomic
def setup(today: dt.date | None = None) -> DemoFunding | None:
    today = today or timezone.localdate()
    offices = _kreis_offices()
    if len(offices) < 7:
        return None
    authority, _created = Organisation.objects.get_or_create(
        name=AUTHORITY, defaults={"kind": "sonstige", "is_synthetic": True}
    )
    own = offices[0]
    others = offices[1:7]
    passwords = {
        APPLICANT_LOGIN: _login(APPLICANT_LOGIN, [(own, Role.FUNDING_APPLICANT)]),
        AUTHORITY_LOGIN: _login(
            AUTHORITY_LOGIN,
            [(authority, Role.FUNDING_REVIEWER), (authority, Role.FUNDING_APPROVER)],
        ),
    }
    if Call.objects.filter(authority=authority).exists():
        return DemoFunding(authority, own, passwords, 0)
    _login(OTHER_APPLICANTS, [(o, Role.FUNDING_APPLICANT) for o in others], usable=False)
    User = get_user_model()
    applicant = User.objects.get(username=APPLICANT_LOGIN)
    helper = User.objects.get(username=OTHER_APPLICANTS)
    rp = User.objects.get(username=AUTHORITY_LOGIN)
    year = today.year
    calls = _calls(authority, year)

    def region_of(org):
        project = org.projects.filter(funding_round__key="hessen-wir-fm").first()
        return list(project.regions.all())

    def make(call, org, by, amount, title="WIR-Fallmanagement"):
        app = _application(
            call, org, by, f"{title} {org.name}", amount, region_of(org), today=today
        )
        services.application_submit(app, by=by, today=min(today, call.closes))
        return app

    # last year: the demo Kreis's application is closed (paid, proof accepted) ...
    closed = make(calls["fm-last"], own, applicant, 50_000)
    _review(closed, rp, 50_000)
    services.pay(closed, by=rp, amount_eur=Decimal(25_000), paid_on=dt.date(year - 1, 2, 15))
    services.pay(closed, by=rp, amount_eur=Decimal(25_000), paid_on=dt.date(year - 1, 8, 15))
    _proof(closed, applicant, dt.date(year, 3, 20))
    services.proof_accept(closed, by=rp, note="Anerkannt. (Demo)")
    # ... another's proof waits for the check
    waiting = make(calls["fm-last"], others[0], helper, 48_000)
    _review(waiting, rp, 48_000)
    services.pay(waiting, by=rp, amount_eur=Decimal(48_000), paid_on=dt.date(year - 1, 3, 1))
    _proof(waiting, helper, dt.date(year, 5, 2))
    # this year: a draft of the demo Kreis, and one application in every other state
    _application(
        calls["fm"],
        own,
        applicant,
        f"WIR-Fallmanagement {own.name}",
        50_000,
        region_of(own),
        today=today,
    )
    make(calls["fm"], others[1], helper, 50_000)  # submitted
    _review(make(calls["fm"], others[2], helper, 45_000), rp)  # in review
    approved = make(calls["fm"], others[3], helper, 50_000)
    _review(approved, rp, 50_000)
    services.pay(approved, by=rp, amount_eur=Decimal(25_000), paid_on=dt.date(year, 2, 1))
    _review(
        make(calls["lotsen"], others[4], helper, 12_000, "Integrationslotsen"),
        rp,
        reject="Der Finanzierungsplan sieht keine Qualifizierung der Lotsen vor. (Demo)",
    )
    _review(make(calls["mitsprache"], others[5], helper, 30_000, "MitSprache-Kurse"), rp, 28_000)
    return DemoFunding(authority, own, passwords, Application.objects.count())


def demo_step(run: DemoRun) -> None:
    result = setup()
    if result is None:
        run.stdout.write("demo funding: no demo Kreis offices found (run the directory step)")
        return
    run.stdout.write(
        f"demo funding at {result.authority.name}: "
        + (f"{result.created} applications created" if result.created else "already present")
    )
    run.stdout.write(
        f"demo login ({Role.FUNDING_APPLICANT.label}, {result.applicant_org.name}): "
        f"{APPLICANT_LOGIN} / {result.passwords[APPLICANT_LOGIN]}"
    )
    run.stdout.write(
        f"demo login ({Role.FUNDING_REVIEWER.label}, {Role.FUNDING_APPROVER.label}, "
        f"{result.authority.name}): {AUTHORITY_LOGIN} / {result.passwords[AUTHORITY_LOGIN]}"
    )
