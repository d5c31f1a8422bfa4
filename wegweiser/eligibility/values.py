"""The values the law and the domain decisions give the person's facts.

Pure data, no Django: the allowed values of the profile's facts, the sections of the residence
titles and the groups of states (``shared/domain/eligibility.md`` section 1, facts.md). The facts
themselves are declared once in :mod:`wegweiser.eligibility.registry`.
"""

from __future__ import annotations

import re

import pycountry

GENDERS = ("female", "male", "diverse")
WORK_BANS = ("none", "temporary", "absolute")
JOBCENTRE_CONTACTS = ("supported", "not_reached", "refuses")
GERMAN_LEVELS = ("none", "A1", "A2", "B1", "B2", "C1", "C2")
DISABILITY_ANSWERS = ("yes", "no", "no_answer")
RESIDENCE_TITLES = (
    "german_citizen",
    "free_movement",
    "aufenthaltserlaubnis",
    "niederlassungserlaubnis",
    "daueraufenthalt_eu",
    "blaue_karte",
    "aufenthaltsgestattung",
    "duldung",
    "visum",
    "none",
)
TITLES_WITH_SECTION = ("aufenthaltserlaubnis", "duldung")

#: Sections of Kapitel 2 Abschnitt 5 AufenthG ("Aufenthalt aus völkerrechtlichen, humanitären oder
#: politischen Gründen", §§ 22-26). § 104c is a transitional provision, not part of it (facts B.1).
ABSCHNITT_5_SECTIONS = frozenset(
    {
        "22",
        "23(1)",
        "23(2)",
        "23(4)",
        "23a",
        "24",
        "25(1)",
        "25(2)",
        "25(3)",
        "25(4)",
        "25(5)",
        "25a",
        "25b",
    }
)
#: Sections an Aufenthaltserlaubnis can be issued under (Abschnitte 3-7 AufenthG and § 104c).
AUFENTHALTSERLAUBNIS_SECTIONS = ABSCHNITT_5_SECTIONS | frozenset(
    {
        "16a",
        "16b",
        "16d",
        "16e",
        "16f",
        "16g",
        "17",
        "18a",
        "18b",
        "18g",
        "19",
        "19b",
        "19c",
        "19d",
        "19e",
        "20",
        "20a",
        "20b",
        "21",
        "28",
        "30",
        "31",
        "32",
        "34",
        "36",
        "36a",
        "37",
        "38",
        "38a",
        "104c",
    }
)
DULDUNG_SECTIONS = frozenset({"60a", "60b", "60c", "60d"})
SECTIONS_BY_TITLE = {
    "aufenthaltserlaubnis": AUFENTHALTSERLAUBNIS_SECTIONS,
    "duldung": DULDUNG_SECTIONS,
}

#: Titles under which an absolute work ban can exist (§ 60a(6), § 60b AufenthG, § 61 AsylG).
TITLES_WITH_POSSIBLE_ABSOLUTE_BAN = ("duldung", "aufenthaltsgestattung")

EU_MEMBER_STATES = frozenset(
    {
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    }
)
#: EEA states outside the EU and Switzerland: free movement by agreement (facts B.4).
FREE_MOVEMENT_STATES = EU_MEMBER_STATES | {"IS", "LI", "NO", "CH"}
COUNTRY_CODES = frozenset(c.alpha_2 for c in pycountry.countries)
STATELESS = "stateless"

KREIS_RE = re.compile(r"^(0[1-9]|1[0-6])\d{3}$")
AGS_RE = re.compile(r"^(0[1-9]|1[0-6])\d{6}$")
MAX_AGE = 130
