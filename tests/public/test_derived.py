"""What the self-check knows without asking (issue 16, item 2): Win-Win's third round takes
refugees only where no project of the federal WIR programme and no AMIF-funded project runs
(Förderaufruf Win-Win, 01.09.2025). Once the postcode is known, the directory answers that; the
question is asked only without a postcode, and the answers equal the full check's."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from tests.public.test_selfcheck import ANSWERS, answer_all
from wegweiser.eligibility.engine import ELIGIBLE, NOT_ELIGIBLE, evaluate
from wegweiser.eligibility.facts import parse_profile
from wegweiser.organisations.models import Organisation
from wegweiser.programmes.models import FundingRound, Project
from wegweiser.programmes.selectors import engine_catalogue
from wegweiser.public.derived import known_from_directory

QUESTION = "projekt-vor-ort"
DARMSTADT, KASSEL, FRANKFURT, GIESSEN_KREIS, GIESSEN_STADT = (
    "06411",
    "06611",
    "06412",
    "06531",
    "06531005",
)


@pytest.fixture
def projects(catalogue_loaded, regions_loaded):
    """WIR in Darmstadt; AMIF in Kassel; an ended WIR project in Frankfurt; in the Kreis Gießen a
    WIR project for the town of Gießen (a Sonderstatusstadt) only."""
    today = timezone.localdate()
    carrier = Organisation.objects.create(name="Träger (Test)", kind="bildungstraeger")
    wir = FundingRound.objects.get(programme__key="wir", key="wir-2026")
    lotsen = FundingRound.objects.get(programme__key="hessen-lotsen")

    def project(name, funding_round, region, *, amif=False, end=None):
        p = Project.objects.create(
            name=name,
            funding_round=funding_round,
            carrier=carrier,
            start=today - dt.timedelta(days=100),
            end=end,
            amif_funded=amif,
        )
        p.regions.set([region])

    project("WIR Darmstadt", wir, DARMSTADT)
    project("Lotsen Kassel (AMIF)", lotsen, KASSEL, amif=True)
    project("Lotsen Frankfurt", lotsen, FRANKFURT)  # neither WIR nor AMIF
    project("WIR Frankfurt, beendet", wir, FRANKFURT, end=today - dt.timedelta(days=1))
    project("WIR Stadt Gießen", wir, GIESSEN_STADT)


@pytest.mark.parametrize(
    "postcode, kreis, expected",
    [
        ("64283", DARMSTADT, True),  # an active WIR project serves the Kreis
        ("34117", KASSEL, True),  # an AMIF-funded project serves it
        ("60311", FRANKFURT, False),  # a project of neither, and a WIR project that has ended
        ("35390", GIESSEN_KREIS, True),  # the town of Gießen: its own WIR project
        ("35440", GIESSEN_KREIS, False),  # Linden, same Kreis: that project is not for it
    ],
)
def test_the_project_fact_comes_from_the_directory(projects, postcode, kreis, expected):
    known = known_from_directory({"kreis": kreis}, postcode, timezone.localdate())
    assert known == {"municipality_has_wir_or_amif_project": expected}


def test_nothing_is_derived_while_the_postcode_is_unknown(projects):
    assert known_from_directory({}, "", timezone.localdate()) == {}


def _rounds_on_result_page(client: Client) -> dict[str, str]:
    """Each round's outcome as the result page shows it: fitting and open rounds in "Gründe und
    Quellen", the others in their own section."""
    html = client.get("/de/selbstcheck/ergebnis/").content.decode()
    shown = {
        key: group
        for group, key in re.findall(
            r'class="programme-result result-(fit|open)" data-round="([^"]+)"', html
        )
    }
    for part in re.split(r"<section ", html)[1:]:
        if re.match(r'[^>]*class="result-group result-no"', part):
            shown |= {key: "no" for key in re.findall(r'data-round="([^"]+)"', part)}
    return shown


def _full_check(postcode: str, kreis: str, fact: bool) -> dict[str, str]:
    day = timezone.localdate()
    truth = parse_profile(
        {
            "birth_date": "1998-01-01",
            "gender": "male",
            "residence": {"title": "aufenthaltserlaubnis", "section": "25(2)"},
            "citizenships": ["SY"],
            "work_ban": "none",
            "jobcentre_contact": "not_reached",
            "kreis": kreis,
            "migration_background": True,
            "foreign_qualification": False,
            "german_level": "A2",
            "municipality_has_wir_or_amif_project": fact,
        },
        reference_date=day,
    )
    names = {ELIGIBLE: "fit", NOT_ELIGIBLE: "no"}
    return {
        r.round.key: names.get(r.status, "open") for r in evaluate(engine_catalogue(), truth, day)
    }


@pytest.mark.parametrize(
    "postcode, kreis, fact",
    [("64283", DARMSTADT, True), ("34117", KASSEL, True), ("60311", FRANKFURT, False)],
)
def test_with_a_postcode_the_question_is_never_asked_and_the_answers_are_the_full_checks(
    projects, postcode, kreis, fact
):
    client = Client()
    asked = answer_all(
        client, answers={**ANSWERS, "geburtsdatum": "01.01.1998", "postleitzahl": postcode}
    )
    assert "postleitzahl" in asked
    assert QUESTION not in asked
    shown = _rounds_on_result_page(client)
    assert shown == _full_check(postcode, kreis, fact)
    assert shown["win-win/win-win-3"] == ("no" if fact else "fit")


def test_without_a_postcode_the_question_is_asked(projects):
    client = Client()
    asked = answer_all(client, dont_know=("postleitzahl",))
    assert QUESTION in asked
