"""What the self-check knows without asking: facts the platform's own data answer.

A refugee cannot know whether a project of the federal WIR programme or an AMIF-funded project
runs in her town, and Win-Win's third round asks exactly that (Förderaufruf Win-Win,
01.09.2025). The directory knows: its funded projects carry their round and the Kreise and
towns they serve. Once the postcode is known, the fact comes from there and the question is not
asked; it is asked only when the person does not give a postcode.
"""

from __future__ import annotations

import datetime as dt

from wegweiser.core import geo
from wegweiser.eligibility.questioning import DIRECTORY_ANSWERS
from wegweiser.programmes.selectors import refugee_project_serves

PROJECT_FACT = "municipality_has_wir_or_amif_project"
#: Keys the self-check answers itself once another is known (``next_question(implies=...)``):
#: the engine then asks the postcode early where the project fact decides a round.
IMPLIES = DIRECTORY_ANSWERS
assert DIRECTORY_ANSWERS == {"kreis": (PROJECT_FACT,)}


def regions_of(kreis: str | None, postcode: str | None) -> list[str]:
    """The AGS keys a person lives in: her Kreis and, if her town is one, her Sonderstatusstadt."""
    if not kreis:
        return []
    found = geo.postcode(postcode) if postcode else None
    town = geo.sonderstatusstadt_for(found.place, kreis) if found else None
    return [kreis, town] if town else [kreis]


def known_from_directory(answers: dict, postcode: str | None, day: dt.date) -> dict:
    """Profile data the directory answers for these answers (empty while the Kreis is unknown).

    The directory's answer replaces one the person may have given before her postcode was known:
    it is what the project data say, not a guess."""
    regions = regions_of(answers.get("kreis"), postcode)
    if not regions:
        return {}
    return {PROJECT_FACT: refugee_project_serves(regions, day)}
