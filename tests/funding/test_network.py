"""The network of a funded project: who sees which projects, the referral counts between the
Verbund partners (hand counts, suppression), the page, and the coverage per Verbund."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.cases.conftest import new_participant
from wegweiser.accounts.models import Role
from wegweiser.cases import services as case_services
from wegweiser.cases.models import Referral
from wegweiser.directory.models import Offer
from wegweiser.funding import coverage as cov
from wegweiser.funding import network
from wegweiser.organisations.models import Organisation, Region
from wegweiser.programmes.models import FundingRound, Project, ProjectPartner
from wegweiser.reporting.suppression import recoverable
from wegweiser.volunteers.models import InterpretingRequest, Pool

START = dt.date(2025, 1, 1)


@pytest.fixture
def verbund(db, catalogue_loaded, regions_loaded, make_user):
    """Carrier A with partners B (Teilprojekt) and J (Jobcenter) in a WIR project serving
    Gießen; C carries a second WIR project (Marburg-Biedenkopf); D a Win-Win project; E is
    outside every Verbund."""
    orgs = {
        k: Organisation.objects.create(name=f"Organisation {k}", kind="beratungsstelle")
        for k in "ABJCDE"
    }
    wir = FundingRound.objects.get(key="wir-2026")
    winwin = FundingRound.objects.get(key="win-win-1")
    p1 = Project.objects.create(name="WIR A", funding_round=wir, carrier=orgs["A"], start=START)
    p1.regions.set([Region.objects.get(ags="06531")])
    ProjectPartner.objects.create(project=p1, organisation=orgs["A"], role="lead")
    ProjectPartner.objects.create(project=p1, organisation=orgs["B"], role="partner")
    ProjectPartner.objects.create(project=p1, organisation=orgs["J"], role="jobcenter")
    p2 = Project.objects.create(name="WIR C", funding_round=wir, carrier=orgs["C"], start=START)
    p2.regions.set([Region.objects.get(ags="06534")])
    p3 = Project.objects.create(
        name="Win-Win D", funding_round=winwin, carrier=orgs["D"], start=START
    )
    offers = {}
    for k in "ABE":
        offers[k] = Offer.objects.create(
            organisation=orgs[k],
            name={"de": f"Beratung {k}"},
            status=Offer.PUBLISHED,
            lat=50.58,
            lon=8.67,
        )
    return {"orgs": orgs, "projects": {"P1": p1, "P2": p2, "P3": p3}, "offers": offers}


# --- who sees which projects ---------------------------------------------------------------------

VISIBLE = [
    # (role, at organisation, projects seen)
    (Role.NETWORK_COORDINATOR, "A", {"WIR A"}),  # the carrier
    (Role.NETWORK_COORDINATOR, "B", {"WIR A"}),  # a partner
    (Role.NETWORK_COORDINATOR, "C", {"WIR C"}),
    (Role.NETWORK_COORDINATOR, "E", set()),  # in no Verbund
    (Role.PROGRAMME_ADMIN, "B", {"WIR A", "WIR C"}),  # the whole WIR programme
    (Role.FUNDER, "D", {"Win-Win D"}),
    (Role.COUNSELLOR, "A", set()),  # no right to the network
    (Role.TEAM_LEAD, "A", set()),
    (Role.FUNDING_APPLICANT, "A", set()),
]


@pytest.mark.parametrize(("role", "at", "expected"), VISIBLE)
def test_projects_visible(verbund, make_user, role, at, expected):
    user = make_user(verbund["orgs"][at], role)
    seen = network.projects_visible(user, verbund["orgs"][at])
    assert {p.name for p in seen} == expected


def test_the_authority_sees_the_projects_of_its_decisions(approved, reviewer, rp, make_user):
    elsewhere = Organisation.objects.create(name="Anderes RP", kind="sonstige")
    other = make_user(elsewhere, Role.FUNDING_APPROVER)
    assert list(network.projects_visible(reviewer, rp)) == [approved.project]
    assert not network.projects_visible(other, elsewhere).exists()


# --- referral counts -----------------------------------------------------------------------------


def _referrals(verbund, make_user, rows):
    """rows: (sender, receiver, status, n, sent on)."""
    orgs = verbund["orgs"]
    cases = {}
    for sender, receiver, status, n, sent_on in rows:
        if sender not in cases:
            user = make_user(orgs[sender], Role.COUNSELLOR)
            person = new_participant(orgs[sender], user)
            cases[sender] = (case_services.case_open(person, by=user), user)
        case, user = cases[sender]
        at = timezone.make_aware(dt.datetime.combine(sent_on, dt.time(10))) if sent_on else None
        offer = verbund["offers"].get(receiver) or verbund["offers"]["A"]
        Referral.objects.bulk_create(
            Referral(
                case=case,
                offer=offer,
                sending_organisation=orgs[sender],
                receiving_organisation=orgs[receiver],
                status=status,
                created_by=user,
                sent_at=at,
            )
            for _ in range(n)
        )


IN = dt.date(2025, 6, 1)
BEFORE = dt.date(2024, 12, 31)
REFERRALS = [
    ("A", "B", "accepted", 4, IN),
    ("A", "B", "completed", 2, IN),
    ("A", "B", "refused", 1, IN),
    ("A", "B", "sent", 3, IN),
    ("A", "B", "withdrawn", 1, IN),
    ("A", "B", "draft", 3, None),  # never sent: not counted
    ("A", "B", "accepted", 2, BEFORE),  # before the project began: not counted
    ("B", "A", "accepted", 5, IN),
    ("B", "A", "expired", 1, IN),
    ("A", "J", "refused", 2, IN),
    ("A", "E", "accepted", 7, IN),  # E is no partner: not counted
    ("E", "B", "accepted", 6, IN),
]
# by hand: sent = every status but draft; accepted = accepted + completed; open = sent;
# ended = withdrawn + expired
EXPECTED = {
    ("A", "B"): {"sent": 11, "accepted": 6, "refused": 1, "open": 3, "ended": 1},
    ("B", "A"): {"sent": 6, "accepted": 5, "refused": 0, "open": 0, "ended": 1},
    ("A", "J"): {"sent": 2, "accepted": 0, "refused": 2, "open": 0, "ended": 0},
}


def test_referral_counts_between_the_partners(verbund, make_user):
    _referrals(verbund, make_user, REFERRALS)
    orgs = verbund["orgs"]
    counts = network.referral_counts(verbund["projects"]["P1"])
    assert counts == {(orgs[s].pk, orgs[r].pk): v for (s, r), v in EXPECTED.items()}
    # the other project has no referrals between its partners
    assert network.referral_counts(verbund["projects"]["P2"]) == {}


def test_referrals_after_the_end_do_not_count(verbund, make_user):
    project = verbund["projects"]["P1"]
    project.end = dt.date(2025, 5, 31)
    project.save()
    _referrals(verbund, make_user, [("A", "B", "accepted", 5, IN), ("A", "B", "sent", 5, START)])
    orgs = verbund["orgs"]
    assert network.referral_counts(project) == {
        (orgs["A"].pk, orgs["B"].pk): {
            "sent": 5,
            "accepted": 0,
            "refused": 0,
            "open": 5,
            "ended": 0,
        }
    }


def _cell(sent, accepted, refused, open_, ended):
    return {"sent": sent, "accepted": accepted, "refused": refused, "open": open_, "ended": ended}


SUPPRESSED = [
    # nothing below 5 (zeros are shown): nothing hidden
    (
        {("a", "b"): _cell(11, 5, 6, 0, 0), ("b", "a"): _cell(7, 0, 0, 7, 0)},
        {("a", "b"): [11, 5, 6, 0, 0], ("b", "a"): [7, 0, 0, 7, 0]},
        [18, 5, 6, 7, 0],
    ),
    # the demo: one pair with 1 accepted, 1 refused, 1 open: every non-zero count hidden, in
    # the pair's row and in the total row (which equals it); the zero stays
    (
        {("a", "b"): _cell(3, 1, 1, 1, 0)},
        {("a", "b"): [None, None, None, None, 0]},
        [None, None, None, None, 0],
    ),
    # one small cell in a row of large ones: a second cell of the row and of its column go too
    (
        {("a", "b"): _cell(12, 6, 6, 0, 0), ("b", "a"): _cell(9, 5, 0, 0, 4)},
        None,
        None,
    ),
]


@pytest.mark.parametrize(("counts", "rows", "total"), SUPPRESSED)
def test_suppressed(counts, rows, total):
    shown, shown_total, hidden = network.suppressed(counts, 5)
    if rows is not None:
        assert shown == rows
        assert shown_total == total
    _check_suppression(counts, shown, shown_total, hidden, 5)


def _check_suppression(counts, shown, shown_total, hidden, limit):
    columns = ("sent", *network.REFERRAL_COLUMNS)
    totals = [sum(c[col] for c in counts.values()) for col in columns]
    for key, raw in [*((p, [counts[p][c] for c in columns]) for p in counts), (None, totals)]:
        row = shown[key] if key is not None else shown_total
        for value, real in zip(row, raw, strict=True):
            assert value is None or value == real  # what is shown is true
            assert not (0 < real < limit) or value is None  # every small count hidden
    assert not recoverable(hidden, network.referral_equations(list(counts)))


counts_strategy = st.dictionaries(
    st.tuples(st.sampled_from("abcd"), st.sampled_from("abcd")).filter(lambda p: p[0] != p[1]),
    st.tuples(*[st.integers(0, 9)] * 4),
    min_size=1,
    max_size=5,
)


@settings(max_examples=60, deadline=None)
@given(counts_strategy)
def test_suppressed_property(raw):
    """Random tables: what is shown is true, every count from 1 to 4 is hidden, and no hidden
    count follows from the shown ones through the rows and the totals."""
    counts = {
        pair: _cell(sum(v), *v) for pair, v in raw.items()
    }  # sent = accepted + refused + open + ended
    shown, total, hidden = network.suppressed(counts, 5)
    _check_suppression(counts, shown, total, hidden, 5)


# --- the page ------------------------------------------------------------------------------------


def test_network_page(client, verbund, make_user):
    _referrals(verbund, make_user, REFERRALS)
    orgs = verbund["orgs"]
    client.force_login(make_user(orgs["B"], Role.NETWORK_COORDINATOR))
    project = verbund["projects"]["P1"]
    response = client.get(reverse("funding:network", args=[project.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    partners = re.search(r'id="partners-table".*?</table>', page, re.S).group(0)
    # the carrier first, then by role: Teilprojekt, Jobcenter-Partner
    assert [m for m in re.findall(r"Organisation [A-Z]", partners)] == [
        "Organisation A",
        "Organisation B",
        "Organisation J",
    ]
    assert "Verbundkoordination" in partners and "Jobcenter-Partner" in partners
    points = json.loads(
        re.search(r'<script id="network-offers"[^>]*>(.*?)</script>', page, re.S)[1]
    )
    assert sorted(o["organisation"] for o in points["offers"]) == [
        "Organisation A",
        "Organisation B",
    ]
    referrals = re.search(r'id="referrals-table".*?</table>', page, re.S).group(0)
    cells = [
        re.sub(r"<[^>]+>", "", c).strip()
        for c in re.findall(r"<td[^>]*>(.*?)</td>", referrals, re.S)
    ]
    rows = [cells[i : i + 7] for i in range(0, len(cells) - 6, 7)]
    assert rows[0][:2] == ["Organisation A", "Organisation B"]
    assert rows[0][2:4] == ["11", "6"]  # large enough to show
    assert "•nicht gezeigt" in cells  # the small ones hidden
    assert "Organisation E" not in referrals
    assert "Amina" not in page and "Haddad" not in page  # no person


def test_another_projects_network_is_a_404(client, verbund, make_user):
    client.force_login(make_user(verbund["orgs"]["A"], Role.NETWORK_COORDINATOR))
    other = verbund["projects"]["P2"]
    assert client.get(reverse("funding:network", args=[other.pk])).status_code == 404
    page = client.get(reverse("funding:networks")).content.decode()
    assert "WIR A" in page and "WIR C" not in page


# --- coverage per Verbund, languages asked for ---------------------------------------------------


def test_network_coverage_shows_only_the_kreise_of_the_networks(client, verbund, make_user):
    client.force_login(make_user(verbund["orgs"]["A"], Role.NETWORK_COORDINATOR))
    page = client.get(reverse("funding:network-coverage")).content.decode()
    table = re.search(r'id="coverage-table".*?</table>', page, re.S).group(0)
    assert table.count("<tr>") == 2  # the header and Gießen
    assert "Gießen" in table and "Marburg" not in table
    text = client.get(reverse("funding:network-coverage-csv")).content.decode()
    kreise = {row[3] for row in list(csv.reader(io.StringIO(text)))[2:]}
    assert kreise == {"06531"}


def test_language_gaps_by_hand():
    offers = cov.offers_frame(
        [
            ("06531", "o1", ["beratung"], ["de", "ar"], None),
            ("06531", "o2", [], ["uk"], None),
            ("06534", "o3", [], ["ar"], None),
        ]
    )
    demand = cov.demand_frame(
        [
            ("06531", "ar", 3),  # offered in Gießen
            ("06531", "ti", 2),
            ("06531", "fa", 7),
            ("06534", "ar", 1),  # offered in Marburg-Biedenkopf
            ("06534", "uk", 4),  # offered in Gießen only
            ("06535", "ar", 0),  # no request
        ]
    )
    gaps = cov.language_gaps(offers, demand)
    assert gaps.rows() == [("06531", "fa", 7), ("06531", "ti", 2), ("06534", "uk", 4)]


def _requests(org, user, kreis, language, n):
    pool, _ = Pool.objects.get_or_create(organisation=org, name=f"Pool {kreis}", kreis=kreis)
    InterpretingRequest.objects.bulk_create(
        InterpretingRequest(
            pool=pool,
            requesting_organisation=org,
            requested_by=user,
            institution="Ausländerbehörde",
            starts_at=timezone.now(),
            duration_minutes=60,
            address="Amt",
            language=language,
            topic="authority",
            setting="counselling",
        )
        for _ in range(n)
    )


def test_languages_asked_for_but_not_offered_on_the_coverage_page(client, verbund, make_user):
    orgs = verbund["orgs"]
    user = make_user(orgs["E"], Role.VOLUNTEER_COORDINATOR)
    Offer.objects.filter(pk=verbund["offers"]["A"].pk).update(region_id="06531", languages=["ar"])
    _requests(orgs["E"], user, "06531", "ar", 9)  # offered in Gießen
    _requests(orgs["E"], user, "06531", "ti", 6)
    _requests(orgs["E"], user, "06531005", "fa", 2)  # the city of Gießen's pool: in its Kreis
    _requests(orgs["E"], user, "09162", "ti", 8)  # Munich: outside Hessen
    assert network.language_demand() == [
        ("06531", "ar", 9),
        ("06531", "fa", 2),
        ("06531", "ti", 6),
        ("09162", "ti", 8),
    ]
    page = client.get(reverse("funding:coverage")).content.decode()
    table = re.search(r'id="language-gaps-table".*?</table>', page, re.S).group(0)
    rows = [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(<td>.*?)</tr>", table)
    ]
    assert rows == [
        ["Landkreis Gießen", "Tigrinya", "6"],
        ["Landkreis Gießen", "Persisch (Farsi)", "unter 5"],
    ]
    page = client.get(reverse("funding:coverage"), {"land": "alle"}).content.decode()
    assert "Tigrinya</td><td>8" in page
    # the table by language carries the requests; the CSV too (small counts as "<5")
    page = client.get(reverse("funding:coverage"), {"nach": "language", "wert": "ti"})
    assert "Dolmetschanfragen" in page.content.decode()
    text = client.get(reverse("funding:coverage-csv")).content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][-1] == "interpreting_requests"
    by_key = {(r[0], r[1], r[3]): r[-1] for r in rows[2:]}
    assert by_key[("language", "ti", "06531")] == "6"
    assert by_key[("language", "fa", "06531")] == "<5"
    assert by_key[("language", "ar", "06531")] == "9"
    assert by_key[("language", "ti", "06532")] == "0"
    assert by_key[("theme", "employment", "06531")] == ""


def test_network_coverage_without_a_network(client, verbund, make_user):
    client.force_login(make_user(verbund["orgs"]["E"], Role.NETWORK_COORDINATOR))
    response = client.get(reverse("funding:network-coverage"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "nennen kein Einsatzgebiet" in page
    assert re.search(r'id="coverage-table".*?<tbody></tbody>', page, re.S)


def test_no_requests_in_the_kreise_shown(client, verbund, make_user):
    """Requests elsewhere only: the Verbund's page says there are none here."""
    orgs = verbund["orgs"]
    _requests(orgs["E"], make_user(orgs["E"], Role.VOLUNTEER_COORDINATOR), "09162", "ti", 3)
    client.force_login(make_user(orgs["A"], Role.NETWORK_COORDINATOR))
    page = client.get(reverse("funding:network-coverage")).content.decode()
    assert "Es liegen hier noch keine Dolmetschanfragen vor." in page
    assert "language-gaps-table" not in page
    assert "Tigrinya</td>" not in page
