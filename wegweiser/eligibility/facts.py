"""The person's facts: the profile schema, its validation and the derived facts.

Pure Python, no Django. See docs/eligibility.md and ``shared/domain/eligibility.md`` section 1.

Every fact is optional: an absent (or ``null``) fact is *unknown*, never a default -- except
``participations``, where absence means "no participation known".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import pycountry

from wegweiser.eligibility.i18n import message

# --- value sets -------------------------------------------------------------------------------

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


# --- the fact registry -------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """A fact a condition can test.

    ``kind`` is one of ``bool``, ``int``, ``enum``, ``str``, ``list``; ``values`` lists the
    allowed values of an enum (or of the elements of a list). ``inputs`` are the profile keys the
    fact is computed from: when a rule on this fact is unknown, the absent ones are *missing*.
    """

    name: str
    kind: str
    values: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()
    derived: bool = False
    label_de: str = ""
    label_en: str = ""


def _f(name, kind, values=(), inputs=None, derived=False, de="", en=""):
    return Fact(name, kind, tuple(values), tuple(inputs or (name,)), derived, de, en)


#: Profile keys in the order questions are asked when they are otherwise equally useful.
INPUT_KEYS = (
    "birth_date",
    "gender",
    "residence",
    "residence.section",
    "citizenships",
    "work_ban",
    "jobcentre_contact",
    "kreis",
    "migration_background",
    "foreign_qualification",
    "german_level",
    "municipality_has_wir_or_amif_project",
    "attending_integration_course",
    "child_without_childcare",
    "participations",
)

FACTS: dict[str, Fact] = {
    f.name: f
    for f in (
        _f("age", "int", inputs=["birth_date"], derived=True, de="Alter", en="age"),
        _f("gender", "enum", GENDERS, de="Geschlecht", en="gender"),
        _f(
            "citizenships",
            "list",
            sorted(COUNTRY_CODES) + [STATELESS],
            de="Staatsangehörigkeit(en)",
            en="citizenship(s)",
        ),
        _f(
            "residence_title",
            "enum",
            RESIDENCE_TITLES,
            inputs=["residence"],
            de="Aufenthaltsstatus",
            en="residence status",
        ),
        _f(
            "residence_section",
            "str",
            inputs=["residence", "residence.section"],
            de="Paragraf des Aufenthaltstitels",
            en="section of the residence title",
        ),
        _f("work_ban", "enum", WORK_BANS, de="Arbeitsverbot", en="work ban"),
        _f("migration_background", "bool", de="Migrationshintergrund", en="migration background"),
        _f(
            "jobcentre_contact",
            "enum",
            JOBCENTRE_CONTACTS,
            de="Kontakt zu Jobcenter/Agentur für Arbeit",
            en="contact with job centre",
        ),
        _f("kreis", "str", de="Kreis", en="district (Kreis)"),
        _f(
            "foreign_qualification",
            "bool",
            de="ausländischer Berufs- oder Studienabschluss",
            en="foreign vocational or academic qualification",
        ),
        _f("german_level", "enum", GERMAN_LEVELS, de="Deutschkenntnisse", en="German level"),
        _f(
            "attending_integration_course",
            "bool",
            de="besucht einen Integrationskurs",
            en="attends an integration course",
        ),
        _f(
            "child_without_childcare",
            "bool",
            de="Kind im Vorschulalter ohne Betreuungsplatz",
            en="child below school age without a childcare place",
        ),
        _f(
            "municipality_has_wir_or_amif_project",
            "bool",
            de="WIR- oder AMIF-Projekt in der Kommune",
            en="WIR or AMIF project in the municipality",
        ),
        _f("participations", "list", (), de="laufende Teilnahmen", en="current participations"),
        # derived
        _f(
            "humanitarian_residence",
            "bool",
            inputs=["residence", "residence.section"],
            derived=True,
            de="humanitärer Aufenthalt (Kap. 2 Abschn. 5 AufenthG)",
            en="humanitarian residence (Chapter 2 Part 5 AufenthG)",
        ),
        _f(
            "refugee",
            "bool",
            inputs=["residence", "residence.section"],
            derived=True,
            de="geflüchtet im aufenthaltsrechtlichen Sinn",
            en="refugee (residence law)",
        ),
        _f(
            "eu_citizen",
            "bool",
            inputs=["citizenships", "residence"],
            derived=True,
            de="Unionsbürger/in",
            en="EU citizen",
        ),
        _f(
            "third_country_national",
            "bool",
            inputs=["citizenships", "residence"],
            derived=True,
            de="Drittstaatsangehörige/r",
            en="third-country national",
        ),
        _f(
            "absolute_work_ban",
            "bool",
            inputs=["residence", "residence.section", "work_ban"],
            derived=True,
            de="absolutes Arbeitsverbot",
            en="absolute work ban",
        ),
        _f(
            "lives_in_hessen",
            "bool",
            inputs=["kreis"],
            derived=True,
            de="wohnt in Hessen",
            en="lives in Hessen",
        ),
        _f(
            "lawful_stay_or_duldung",
            "bool",
            inputs=["residence"],
            derived=True,
            de="rechtmäßiger Aufenthalt oder Duldung",
            en="lawful stay or Duldung",
        ),
    )
}

#: The keys a profile may contain (``age`` is the alternative to ``birth_date``).
PROFILE_KEYS = (
    "birth_date",
    "age",
    "gender",
    "citizenships",
    "residence",
    "work_ban",
    "migration_background",
    "jobcentre_contact",
    "kreis",
    "municipality",
    "foreign_qualification",
    "german_level",
    "attending_integration_course",
    "child_without_childcare",
    "municipality_has_wir_or_amif_project",
    "participations",
    "disability",
)
BOOL_KEYS = (
    "migration_background",
    "foreign_qualification",
    "attending_integration_course",
    "child_without_childcare",
    "municipality_has_wir_or_amif_project",
)
ENUM_KEYS = {
    "gender": GENDERS,
    "work_ban": WORK_BANS,
    "jobcentre_contact": JOBCENTRE_CONTACTS,
    "german_level": GERMAN_LEVELS,
    "disability": DISABILITY_ANSWERS,
}


# --- the profile -------------------------------------------------------------------------------


class ProfileError(ValueError):
    """Invalid input: names the offending key; ``text(lang)`` gives the message."""

    def __init__(self, key: str, code: str, **params: Any) -> None:
        self.key = key
        self.code = code
        self.params = params
        super().__init__(self.text("en"))

    def text(self, lang: str = "de") -> str:
        return f"{self.key}: {message(self.code, lang, **self.params)}"


@dataclass(frozen=True)
class Profile:
    """A validated profile. ``None`` means unknown."""

    birth_date: dt.date | None = None
    age: int | None = None
    gender: str | None = None
    citizenships: tuple[str, ...] | None = None
    residence_title: str | None = None
    residence_section: str | None = None
    work_ban: str | None = None
    migration_background: bool | None = None
    jobcentre_contact: str | None = None
    kreis: str | None = None
    municipality: str | None = None
    foreign_qualification: bool | None = None
    german_level: str | None = None
    attending_integration_course: bool | None = None
    child_without_childcare: bool | None = None
    municipality_has_wir_or_amif_project: bool | None = None
    participations: tuple[str, ...] = field(default_factory=tuple)
    disability: str | None = None

    def absent(self, key: str) -> bool:
        """Is the input ``key`` (an entry of ``INPUT_KEYS``) unknown in this profile?"""
        if key == "birth_date":
            return self.birth_date is None and self.age is None
        if key == "residence":
            return self.residence_title is None
        if key == "residence.section":
            return self.residence_title in TITLES_WITH_SECTION and self.residence_section is None
        if key == "participations":
            return False
        return getattr(self, key) is None

    def to_json(self) -> dict[str, Any]:
        """The profile as the JSON object it was parsed from (unknown facts left out)."""
        out: dict[str, Any] = {}
        if self.birth_date is not None:
            out["birth_date"] = self.birth_date.isoformat()
        if self.age is not None:
            out["age"] = self.age
        if self.residence_title is not None:
            out["residence"] = {"title": self.residence_title}
            if self.residence_section is not None:
                out["residence"]["section"] = self.residence_section
        for key in PROFILE_KEYS:
            if key in ("birth_date", "age", "residence"):
                continue
            value = getattr(self, key)
            if value is None or (key == "participations" and not value):
                continue
            out[key] = list(value) if isinstance(value, tuple) else value
        return out


def _parse_date(key: str, value: Any) -> dt.date:
    if not isinstance(value, str):
        raise ProfileError(key, "not_a_date", value=value)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ProfileError(key, "not_a_date", value=value) from None


def _parse_bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ProfileError(key, "not_a_bool", value=value)
    return value


def _parse_enum(key: str, value: Any, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ProfileError(key, "not_allowed", value=value, allowed=", ".join(allowed))
    return value


def parse_profile(
    data: Any,
    *,
    reference_date: dt.date,
    known_rounds: frozenset[str] | set[str] | None = None,
) -> Profile:
    """Validate a JSON object into a :class:`Profile` or raise :class:`ProfileError`."""
    if not isinstance(data, dict):
        raise ProfileError("profile", "not_an_object")
    for key in data:
        if key not in PROFILE_KEYS:
            raise ProfileError(key, "unknown_key", allowed=", ".join(PROFILE_KEYS))
    values: dict[str, Any] = {}
    get = {k: v for k, v in data.items() if v is not None}

    if "birth_date" in get:
        birth_date = _parse_date("birth_date", get["birth_date"])
        if birth_date > reference_date:
            raise ProfileError(
                "birth_date",
                "birth_after_reference",
                value=birth_date.isoformat(),
                date=reference_date.isoformat(),
            )
        values["birth_date"] = birth_date
    if "age" in get:
        age = get["age"]
        if not isinstance(age, int) or isinstance(age, bool) or not 0 <= age <= MAX_AGE:
            raise ProfileError("age", "not_an_age", value=age, max=MAX_AGE)
        if "birth_date" in values and age_on(values["birth_date"], reference_date) != age:
            raise ProfileError("age", "age_contradicts_birth_date", value=age)
        values["age"] = age
    for key in BOOL_KEYS:
        if key in get:
            values[key] = _parse_bool(key, get[key])
    for key, allowed in ENUM_KEYS.items():
        if key in get:
            values[key] = _parse_enum(key, get[key], allowed)

    if "citizenships" in get:
        cits = get["citizenships"]
        if not isinstance(cits, list) or not cits:
            raise ProfileError("citizenships", "not_a_country_list")
        for code in cits:
            if code != STATELESS and (not isinstance(code, str) or code not in COUNTRY_CODES):
                raise ProfileError("citizenships", "unknown_country", value=code)
        if STATELESS in cits and len(cits) > 1:
            raise ProfileError("citizenships", "stateless_alone")
        if len(set(cits)) != len(cits):
            raise ProfileError("citizenships", "duplicate", value=cits)
        values["citizenships"] = tuple(cits)

    if "residence" in get:
        res = get["residence"]
        if not isinstance(res, dict):
            raise ProfileError("residence", "not_an_object")
        for key in res:
            if key not in ("title", "section"):
                raise ProfileError(f"residence.{key}", "unknown_key", allowed="title, section")
        if res.get("title") is None:
            raise ProfileError("residence.title", "required")
        title = _parse_enum("residence.title", res["title"], RESIDENCE_TITLES)
        section = res.get("section")
        if section is not None:
            if title not in TITLES_WITH_SECTION:
                raise ProfileError("residence.section", "section_not_for_title", title=title)
            if not isinstance(section, str) or section not in SECTIONS_BY_TITLE[title]:
                raise ProfileError(
                    "residence.section",
                    "not_allowed",
                    value=section,
                    allowed=", ".join(sorted(SECTIONS_BY_TITLE[title])),
                )
        values["residence_title"] = title
        values["residence_section"] = section

    if "kreis" in get:
        kreis = get["kreis"]
        if not isinstance(kreis, str) or not KREIS_RE.match(kreis):
            raise ProfileError("kreis", "not_a_kreis", value=kreis)
        values["kreis"] = kreis
    if "municipality" in get:
        ags = get["municipality"]
        if not isinstance(ags, str) or not AGS_RE.match(ags):
            raise ProfileError("municipality", "not_an_ags", value=ags)
        if "kreis" in values and not ags.startswith(values["kreis"]):
            raise ProfileError("municipality", "ags_not_in_kreis", value=ags)
        values["municipality"] = ags

    if "participations" in get:
        parts = get["participations"]
        if not isinstance(parts, list) or not all(isinstance(p, str) for p in parts):
            raise ProfileError("participations", "not_a_round_list")
        for p in parts:
            if known_rounds is not None and p not in known_rounds:
                raise ProfileError("participations", "unknown_round", value=p)
        values["participations"] = tuple(dict.fromkeys(parts))

    _check_consistency(values)
    return Profile(**values)


def _check_consistency(v: dict[str, Any]) -> None:
    title, section, cits = (
        v.get("residence_title"),
        v.get("residence_section"),
        v.get("citizenships"),
    )
    if (
        v.get("work_ban") == "absolute"
        and title is not None
        and title not in TITLES_WITH_POSSIBLE_ABSOLUTE_BAN
    ):
        raise ProfileError("work_ban", "absolute_ban_needs_duldung", title=title)
    if title == "duldung" and section == "60b" and v.get("work_ban") in ("none", "temporary"):
        raise ProfileError("work_ban", "duldung_60b_means_absolute_ban")
    if cits is not None and title is not None:
        if title == "german_citizen" and "DE" not in cits:
            raise ProfileError("citizenships", "german_citizen_without_de")
        if title != "german_citizen" and "DE" in cits:
            raise ProfileError("residence.title", "de_citizen_needs_german_title")
        if title == "free_movement" and not set(cits) & FREE_MOVEMENT_STATES:
            raise ProfileError("citizenships", "free_movement_needs_eea")


# --- derived facts -----------------------------------------------------------------------------


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Whole years completed on ``day``; the birthday itself counts (§ 187(2) BGB).

    Born on 29 February: in other years the new year of life starts on 1 March
    (§ 188(2), (3) BGB), which the tuple comparison gives.
    """
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def derive(profile: Profile, reference_date: dt.date) -> dict[str, Any]:
    """All facts a condition may test, ``None`` where unknown."""
    p = profile
    age = age_on(p.birth_date, reference_date) if p.birth_date is not None else p.age
    title, section = p.residence_title, p.residence_section

    humanitarian: bool | None
    refugee: bool | None
    if title is None:
        humanitarian = refugee = None
    elif title == "aufenthaltserlaubnis":
        if section is None:
            humanitarian = refugee = None
        else:
            humanitarian = section in ABSCHNITT_5_SECTIONS
            refugee = humanitarian or section == "104c"
    else:
        humanitarian = False
        refugee = title in ("aufenthaltsgestattung", "duldung")

    if p.citizenships is not None:
        eu_citizen: bool | None = any(c in EU_MEMBER_STATES for c in p.citizenships)
    elif title == "german_citizen":
        eu_citizen = True
    else:
        eu_citizen = None

    absolute_ban: bool | None
    if p.work_ban == "absolute" or (title == "duldung" and section == "60b"):
        absolute_ban = True
    elif (
        title is not None
        and title not in TITLES_WITH_POSSIBLE_ABSOLUTE_BAN
        or p.work_ban is not None
    ):
        absolute_ban = False
    else:
        absolute_ban = None

    return {
        "age": age,
        "gender": p.gender,
        "citizenships": p.citizenships,
        "residence_title": title,
        "residence_section": section,
        "work_ban": p.work_ban,
        "migration_background": p.migration_background,
        "jobcentre_contact": p.jobcentre_contact,
        "kreis": p.kreis,
        "foreign_qualification": p.foreign_qualification,
        "german_level": p.german_level,
        "attending_integration_course": p.attending_integration_course,
        "child_without_childcare": p.child_without_childcare,
        "municipality_has_wir_or_amif_project": p.municipality_has_wir_or_amif_project,
        "participations": p.participations,
        "humanitarian_residence": humanitarian,
        "refugee": refugee,
        "eu_citizen": eu_citizen,
        "third_country_national": None if eu_citizen is None else not eu_citizen,
        "absolute_work_ban": absolute_ban,
        "lives_in_hessen": None if p.kreis is None else p.kreis.startswith("06"),
        "lawful_stay_or_duldung": None if title is None else title != "none",
    }
