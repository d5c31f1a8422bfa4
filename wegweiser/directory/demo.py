"""A deterministic, clearly synthetic directory for Hessen.

Every organisation name ends in "(Demo)" and carries ``is_synthetic``; e-mail addresses use the
reserved domain ``example.org``; streets are invented. Places are real postcodes of the unit they
belong to, moved by a few hundred metres. The same seed always gives the same directory.

The base set follows the structure the seeds describe: a WIR-Fallmanagement office in each of the
33 Hessian units, a federal WIR network with its Jobcenter partner per unit, about 40
Integrationslotsen projects, IQ recognition counselling points and Faire Integration, JMD offices
and MitSprache courses. With ``offers=N`` the generator adds further offers of the same kinds
until there are N, for benchmarks.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from wegweiser.core import geo, shared
from wegweiser.core.demo import DemoRun, demo_login
from wegweiser.core.i18n import pick
from wegweiser.directory import search, services
from wegweiser.directory.models import Location, Offer, OfferLocation, OpeningHours
from wegweiser.organisations.models import Organisation, Region
from wegweiser.programmes.models import FundingRound, Project, ProjectPartner

SEED = 20260101
BATCH = 2000

STREETS = [
    "Musterstraße",
    "Beispielweg",
    "Am Demoplatz",
    "Fiktivgasse",
    "Platzhalterallee",
    "Probeweg",
    "Testgasse",
    "Übungsstraße",
]
CARRIER_WORDS = ["Brücke", "Kompass", "Horizont", "Miteinander", "Aufbruch", "Perspektive", "Anker"]
LANGUAGE_POOL = ["en", "ar", "uk", "ru", "fa", "prs", "tr", "ku", "ti", "so", "fr", "pl", "ro"]


@dataclass(frozen=True)
class Template:
    programme: str
    round: str
    name_de: str
    name_en: str
    text_de: str
    text_en: str
    themes: tuple[str, ...]
    kind: str
    carrier: str
    modes: tuple[str, ...] = ("in_person",)


TEMPLATES = {
    "fallmanagement": Template(
        "hessen-wir-fallmanagement",
        "hessen-wir-fm",
        "WIR-Fallmanagement",
        "WIR case management",
        "Persönliche Begleitung für Geflüchtete und Zugewanderte: Wir verschaffen Ihnen einen "
        "Überblick über die Angebote im Kreis und vermitteln Sie an die passende Stelle.",
        "Personal support for refugees and migrants: an overview of the offers in the district "
        "and referral to the right place.",
        ("counselling", "everyday-life", "employment"),
        "kommune",
        "Fachdienst Migration und Teilhabe",
        ("in_person", "phone"),
    ),
    "wir-netzwerk": Template(
        "wir",
        "wir-2026",
        "WIR-Beratung für Arbeit und Ausbildung",
        "WIR counselling for work and training",
        "Die WIR-Beratenden im Netzwerk begleiten Sie auf dem Weg in Arbeit oder Ausbildung, auch "
        "nach dem Start im Betrieb. Familienangehörige können mitkommen.",
        "WIR counsellors in the network support you on the way into work or training, also after "
        "you start. Family members may join.",
        ("employment", "vocational-training", "counselling"),
        "bildungstraeger",
        "Netzwerk Arbeit",
        ("in_person", "online", "phone"),
    ),
    "lotsen": Template(
        "hessen-lotsen",
        "hessen-lotsen",
        "Integrationslotsen",
        "Integration guides",
        "Ehrenamtliche Integrationslotsinnen und -lotsen begleiten Sie zu Behörden, Ärzten und "
        "Schulen und helfen im Alltag, auch als Sprachmittler.",
        "Volunteer integration guides go with you to authorities, doctors and schools and help "
        "in everyday life, also as lay interpreters.",
        ("mentoring", "everyday-life", "interpreting"),
        "verein",
        "Lotsenverein",
    ),
    "iq": Template(
        "iq-anerkennung",
        "iq-2026",
        "IQ Beratung zur Anerkennung ausländischer Berufsabschlüsse",
        "IQ counselling on the recognition of foreign qualifications",
        "Wir beraten Sie kostenlos zur Anerkennung Ihres Berufs- oder Studienabschlusses aus dem "
        "Ausland und zu passenden Qualifizierungen.",
        "Free counselling on the recognition of your vocational or academic qualification from "
        "abroad and on suitable qualification courses.",
        ("recognition", "qualification"),
        "beratungsstelle",
        "IQ Anlaufstelle",
        ("in_person", "online", "phone"),
    ),
    "faire-integration": Template(
        "iq-faire-integration",
        "iq-2026",
        "Faire Integration: Beratung zu Rechten bei der Arbeit",
        "Fair Integration: advice on your rights at work",
        "Sie haben Fragen zu Lohn, Arbeitsvertrag, Kündigung oder Arbeitszeit? Wir beraten "
        "vertraulich und in mehreren Sprachen.",
        "Questions about pay, contract, dismissal or working time? Confidential advice in several "
        "languages.",
        ("labour-rights", "employment"),
        "beratungsstelle",
        "Beratungsbüro Faire Arbeit",
        ("in_person", "phone"),
    ),
    "jmd": Template(
        "jmd",
        "jmd",
        "Jugendmigrationsdienst",
        "Youth migration service",
        "Beratung und Begleitung für junge Menschen von 12 bis 27 Jahren: Schule, Ausbildung, "
        "Sprache und Zukunftspläne.",
        "Counselling for young people aged 12 to 27: school, training, language and plans for the "
        "future.",
        ("youth", "vocational-training", "counselling"),
        "wohlfahrtsverband",
        "Jugendwerk",
        ("in_person", "online"),
    ),
    "mitsprache": Template(
        "hessen-mitsprache",
        "hessen-mitsprache",
        "MitSprache – Deutsch4U Sprachkurs",
        "MitSprache – Deutsch4U language course",
        "Deutsch lernen im Kurs vor Ort, für Menschen, die (noch) keinen Integrationskurs besuchen "
        "können.",
        "Learn German in a local course, for people who cannot (yet) attend an integration course.",
        ("german-language",),
        "bildungstraeger",
        "Sprachschule",
    ),
}

IQ_CITIES = ["06412", "06414", "06611", "06411", "06531005", "06631009", "06534014", "06413"]
FAIRE_CITIES = ["06412", "06611", "06411"]


@dataclass
class _Units:
    regions: list[Region]
    postcodes: dict[str, list[geo.Postcode]]
    #: The name a demo organisation, project or offer takes from its region: the short name,
    #: "Landkreis Kassel" where a Landkreis shares it with its city (Kassel, Gießen, Fulda), so
    #: that no two demo organisations have the same name.
    names: dict[str, str]


def _units() -> _Units:
    regions = list(
        Region.objects.filter(land_ags=geo.HESSEN).select_related("parent").order_by("ags")
    )
    by_kreis: dict[str, list[geo.Postcode]] = {}
    for pc in geo.postcodes().values():
        by_kreis.setdefault(pc.kreis_ags, []).append(pc)
    result: dict[str, list[geo.Postcode]] = {}
    for r in regions:
        if r.kind == "sonderstatusstadt":
            pcs = [
                p
                for p in by_kreis.get(r.parent_id, [])
                if geo.sonderstatusstadt_for(p.place, r.parent_id) == r.ags
            ]
        else:
            pcs = by_kreis.get(r.ags, [])
        result[r.ags] = sorted(pcs, key=lambda p: p.plz)
    shared = Counter(r.name for r in regions)
    names = {
        r.ags: f"Landkreis {r.name}" if shared[r.name] > 1 and r.kind == "landkreis" else r.name
        for r in regions
    }
    return _Units(regions, result, names)


class _Builder:
    def __init__(self, rng: random.Random, today: dt.date):
        self.rng = rng
        self.today = today
        self.units = _units()
        self.rounds = {
            (r.programme.key, r.key): r for r in FundingRound.objects.select_related("programme")
        }
        self.orgs: list[Organisation] = []
        self.projects: list[Project] = []
        self.partners: list[ProjectPartner] = []
        self.project_regions: list[tuple[uuid.UUID, str]] = []
        self.locations: list[Location] = []
        self.offers: list[Offer] = []
        self.placements: list[OfferLocation] = []
        self.hours: list[OpeningHours] = []
        self.counter = 0

    def where(self, unit: Region) -> str:
        """The region's name in demo names (:attr:`_Units.names`)."""
        return self.units.names[unit.ags]

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def org(self, name: str, kind: str, parent: Organisation | None = None) -> Organisation:
        self.counter += 1
        slug = f"org{self.counter}"
        org = Organisation(
            id=self.uuid(),
            name=f"{name} (Demo)",
            kind=kind,
            description={
                "de": "Erfundener Träger der Demo-Daten. Keine echte Organisation.",
                "en": "Invented organisation of the demo data. Not a real organisation.",
            },
            email=f"kontakt@{slug}.example.org",
            website=f"https://{slug}.example.org/",
            parent=parent,
            is_synthetic=True,
        )
        self.orgs.append(org)
        return org

    def place(self, org: Organisation, unit: Region) -> Location:
        pcs = self.units.postcodes[unit.ags]
        pc = self.rng.choice(pcs)
        loc = Location(
            id=self.uuid(),
            organisation=org,
            name="",
            street=f"{self.rng.choice(STREETS)} {self.rng.randint(1, 120)}",
            postcode=pc.plz,
            city=pc.place,
            lat=round(pc.lat + self.rng.uniform(-0.004, 0.004), 5),
            lon=round(pc.lon + self.rng.uniform(-0.006, 0.006), 5),
            accessibility=sorted(
                self.rng.sample(["step_free", "lift", "accessible_toilet", "hearing_loop"], 2)
            )
            if self.rng.random() < 0.7
            else [],
            transportation="",
        )
        self.locations.append(loc)
        return loc

    def project(
        self, t: Template, carrier: Organisation, units: list[Region], name: str
    ) -> Project:
        rnd = self.rounds[(t.programme, t.round)]
        programme = pick(rnd.programme.name, "de")
        proj = Project(
            id=self.uuid(),
            name=f"{name} (Demo)",
            description={"de": f"Erfundenes Projekt der Demo-Daten im Programm {programme}."},
            funding_round=rnd,
            carrier=carrier,
            start=max(rnd.start, dt.date(2024, 1, 1)) if rnd.start else dt.date(2024, 1, 1),
            end=rnd.end,
            budget_eur=Decimal(self.rng.randrange(80, 900) * 1000),
        )
        self.projects.append(proj)
        self.partners.append(ProjectPartner(project=proj, organisation=carrier, role="lead"))
        for u in units:
            self.project_regions.append((proj.id, u.ags))
        return proj

    def offer(
        self,
        t: Template,
        org: Organisation,
        loc: Location | None,
        project: Project | None,
        unit: Region,
    ) -> Offer:
        rnd = self.rounds[(t.programme, t.round)]
        langs = ["de", *sorted(self.rng.sample(LANGUAGE_POOL, self.rng.randint(1, 4)))]
        verified = self.today - dt.timedelta(days=self.rng.randint(0, 500))
        offer = Offer(
            id=self.uuid(),
            organisation=org,
            project=project,
            funding_round=rnd,
            name={
                "de": f"{t.name_de} {self.where(unit)}",
                "en": f"{t.name_en} {self.where(unit)}",
            },
            description={"de": t.text_de, "en": t.text_en},
            themes=list(t.themes),
            languages=langs,
            modes=list(t.modes),
            is_free=True,
            email=org.email,
            appointment_only=self.rng.random() < 0.4,
            status=Offer.PUBLISHED if self.rng.random() < 0.97 else Offer.DRAFT,
            last_verified=verified,
        )
        services.refresh_derived(
            offer,
            organisation_name=org.name,
            programme_name=pick(rnd.programme.name, "de"),
            location=loc,
        )
        self.offers.append(offer)
        if loc is not None:
            self.placements.append(OfferLocation(offer=offer, location=loc, position=0))
        for day in sorted(self.rng.sample(range(1, 6), self.rng.randint(2, 4))):
            start = self.rng.choice([8, 9, 10, 13])
            self.hours.append(
                OpeningHours(
                    offer=offer,
                    weekday=day,
                    opens=dt.time(start, 0),
                    closes=dt.time(start + self.rng.choice([3, 4]), 0),
                )
            )
        return offer

    # --- the base directory --------------------------------------------------------------------

    def base(self) -> None:
        regions = self.units.regions
        by_ags = {r.ags: r for r in regions}
        kreise = [r for r in regions if r.kind != "sonderstatusstadt"]
        for unit in regions:
            t = TEMPLATES["fallmanagement"]
            org = self.org(f"{t.carrier} {self.where(unit)}", t.kind)
            loc = self.place(org, unit)
            proj = self.project(t, org, [unit], f"WIR-Vielfaltszentrum {self.where(unit)}")
            self.offer(t, org, loc, proj, unit)
        for unit in kreise:
            t = TEMPLATES["wir-netzwerk"]
            word = self.rng.choice(CARRIER_WORDS)
            carrier = self.org(f"{word} {t.carrier} {self.where(unit)} gGmbH", t.kind)
            jobcenter = self.org(f"Jobcenter {self.where(unit)}", "jobcenter")
            proj = self.project(t, carrier, [unit], f"WIR-Netzwerk {self.where(unit)}")
            self.partners.append(
                ProjectPartner(project=proj, organisation=jobcenter, role="jobcenter")
            )
            self.offer(t, carrier, self.place(carrier, unit), proj, unit)
        for i in range(40):
            unit = regions[i % len(regions)] if i < len(regions) else self.rng.choice(regions)
            t = TEMPLATES["lotsen"]
            org = self.org(
                f"{self.rng.choice(CARRIER_WORDS)}-{t.carrier} {self.where(unit)} e. V.",
                t.kind,
            )
            proj = self.project(t, org, [unit], f"Integrationslotsen {self.where(unit)} {i + 1}")
            self.offer(t, org, self.place(org, unit), proj, unit)
        iq_network = self.org("IQ Netzwerk Hessen Musterverbund", "bildungstraeger")
        t = TEMPLATES["iq"]
        proj = self.project(t, iq_network, kreise, "IQ Landesnetzwerk Hessen")
        for ags in IQ_CITIES:
            unit = by_ags[ags]
            branch = self.org(f"{t.carrier} {self.where(unit)}", t.kind, parent=iq_network)
            self.partners.append(ProjectPartner(project=proj, organisation=branch, role="partner"))
            self.offer(t, branch, self.place(branch, unit), proj, unit)
        t = TEMPLATES["faire-integration"]
        for ags in FAIRE_CITIES:
            unit = by_ags[ags]
            org = self.org(f"{t.carrier} {self.where(unit)}", t.kind, parent=iq_network)
            self.offer(t, org, self.place(org, unit), None, unit)
        t = TEMPLATES["jmd"]
        for unit in kreise[::2]:
            org = self.org(
                f"{self.rng.choice(CARRIER_WORDS)}-{t.carrier} {self.where(unit)}", t.kind
            )
            self.offer(t, org, self.place(org, unit), None, unit)
        t = TEMPLATES["mitsprache"]
        for i in range(30):
            unit = self.rng.choice(regions)
            org = self.org(
                f"{t.carrier} {self.rng.choice(CARRIER_WORDS)} {self.where(unit)} {i + 1}",
                t.kind,
            )
            proj = self.project(t, org, [unit], f"MitSprache-Kurs {self.where(unit)} {i + 1}")
            self.offer(t, org, self.place(org, unit), proj, unit)

    def more(self, total: int) -> None:
        """Further offers of every kind (one organisation per ten offers) until ``total``."""
        kinds = list(TEMPLATES)
        org = None
        unit = None
        while len(self.offers) < total:
            if org is None or len(self.offers) % 10 == 0:
                unit = self.rng.choice(self.units.regions)
                t = TEMPLATES[self.rng.choice(kinds)]
                word = self.rng.choice(CARRIER_WORDS)
                org = self.org(f"{word} {t.carrier} {self.where(unit)} {self.counter}", t.kind)
            t = TEMPLATES[self.rng.choice(kinds)]
            self.offer(t, org, self.place(org, unit), None, unit)


def clear_synthetic() -> int:
    """Remove every synthetic organisation with its projects, places and offers."""
    with transaction.atomic():
        offer_ids = list(
            Offer.objects.filter(organisation__is_synthetic=True).values_list("id", flat=True)
        )
        search.unindex_offers(offer_ids)
        Offer.objects.filter(id__in=offer_ids).delete()
        Project.objects.filter(carrier__is_synthetic=True).delete()
        ProjectPartner.objects.filter(organisation__is_synthetic=True).delete()
        Location.objects.filter(organisation__is_synthetic=True).delete()
        orgs = Organisation.objects.filter(is_synthetic=True)
        count = orgs.count()
        orgs.filter(parent__isnull=False).delete()
        orgs.delete()
        shared.forget_all()  # the searches' raw deletes send no signals (core/shared.py)
    return count


def generate(
    *,
    offers: int | None = None,
    seed: int = SEED,
    today: dt.date | None = None,
    progress: Callable[[str], None] = lambda _msg: None,
) -> dict[str, int]:
    """Build the synthetic directory (all or nothing) and return what was created."""
    today = today or dt.date(2026, 11, 1)
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    b = _Builder(rng, today)
    b.base()
    if offers:
        b.more(offers)
    progress(f"generated {len(b.offers)} offers at {len(b.locations)} places; locating …")
    services.locate_many(b.locations)
    for placement in b.placements:
        loc, offer = placement.location, placement.offer
        offer.region_id, offer.city_region_id = loc.region_id, loc.city_region_id
    with transaction.atomic():
        Organisation.objects.bulk_create([o for o in b.orgs if o.parent is None], batch_size=BATCH)
        Organisation.objects.bulk_create(
            [o for o in b.orgs if o.parent is not None], batch_size=BATCH
        )
        Project.objects.bulk_create(b.projects, batch_size=BATCH)
        ProjectPartner.objects.bulk_create(b.partners, batch_size=BATCH)
        through = Project.regions.through
        through.objects.bulk_create(
            [through(project_id=p, region_id=r) for p, r in b.project_regions], batch_size=BATCH
        )
        Location.objects.bulk_create(b.locations, batch_size=BATCH)
        for start in range(0, len(b.offers), BATCH):
            chunk = b.offers[start : start + BATCH]
            Offer.objects.bulk_create(chunk)
            search.index_offers((o.id, o.search_document) for o in chunk)
            progress(f"offers {min(start + BATCH, len(b.offers))}/{len(b.offers)}")
        OfferLocation.objects.bulk_create(b.placements, batch_size=BATCH)
        OpeningHours.objects.bulk_create(b.hours, batch_size=BATCH)
        shared.forget_all()  # bulk writes send no signals (core/shared.py)
    return {
        "organisations": len(b.orgs),
        "projects": len(b.projects),
        "locations": len(b.locations),
        "offers": len(b.offers),
    }


# --- the directory's step of `wegweiser demo` (registered in apps.py) --------------------------


def demo_arguments(parser) -> None:
    parser.add_argument(
        "--offers",
        type=int,
        default=None,
        help="generate this many offers in all (for benchmarks, e.g. 100000)",
    )
    parser.add_argument("--reset", action="store_true", help="replace the demo directory")
    parser.add_argument("--seed", type=int, default=SEED)


def demo_step(run: DemoRun) -> None:
    """The synthetic directory (kept unless ``--reset`` or ``--offers``), then the login of its
    offer maintainer."""
    offers, reset, seed = run.options["offers"], run.options["reset"], run.options["seed"]
    if offers is not None and offers < 0:
        run.fail("--offers must not be negative")
    if Organisation.objects.filter(is_synthetic=True).exists():
        if not (reset or offers is not None):
            run.stdout.write("demo directory: already present (use --reset to rebuild)")
            demo_editor(run)
            return
        if reason := run.rebuild_refusal():
            run.fail(reason)
        removed = clear_synthetic()
        run.stdout.write(f"demo directory: removed {removed} synthetic organisations")
    started = time.monotonic()
    counts = generate(offers=offers, seed=seed, progress=run.stdout.write)
    run.stdout.write(
        "demo directory (synthetic, every name ends in '(Demo)'): "
        + ", ".join(f"{v} {k}" for k, v in counts.items())
        + f" in {time.monotonic() - started:.1f} s"
    )
    demo_editor(run)


def demo_editor(run: DemoRun) -> None:
    """A user who maintains the offers of one demo organisation (new password each run).

    Role "Angebotspflege": the maintenance pages only, no case management.
    """
    from wegweiser.accounts.models import Membership, Role

    org = Organisation.objects.filter(is_synthetic=True, kind="kommune").order_by("name").first()
    if org is None:
        return
    user = demo_login("demo-pflege")
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.save()
    # exactly this one membership (earlier versions made demo-pflege a counsellor)
    Membership.objects.filter(user=user).exclude(organisation=org, role=Role.OFFER_EDITOR).delete()
    Membership.objects.get_or_create(user=user, organisation=org, role=Role.OFFER_EDITOR)
    run.stdout.write(
        f"demo login ({Role.OFFER_EDITOR.label}, {org.name}): demo-pflege / {password} "
        f"(maintains the offers of {org.name})"
    )
