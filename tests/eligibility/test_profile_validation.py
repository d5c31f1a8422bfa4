"""Invalid profiles are refused with a message naming the key."""

from __future__ import annotations

import datetime as dt

import pytest

from wegweiser.eligibility.catalogue import load_catalogue
from wegweiser.eligibility.facts import ProfileError, age_on, parse_profile

DAY = dt.date(2025, 6, 1)
ROUNDS = load_catalogue().round_ids


@pytest.mark.parametrize(
    ("profile", "key", "fragment"),
    [
        ([], "profile", "JSON object"),
        ({"foo": 1}, "foo", "unknown key"),
        ({"gender": "m"}, "gender", "'m' is not allowed"),
        ({"birth_date": "2030-01-01"}, "birth_date", "after the reference date"),
        ({"birth_date": "01.01.2000"}, "birth_date", "not a date"),
        ({"age": -1}, "age", "not an age"),
        ({"age": True}, "age", "not an age"),
        ({"birth_date": "2000-01-01", "age": 30}, "age", "does not match"),
        ({"citizenships": "SY"}, "citizenships", "non-empty list"),
        ({"citizenships": ["XX"]}, "citizenships", "'XX' is not an ISO"),
        ({"citizenships": ["stateless", "SY"]}, "citizenships", "cannot be combined"),
        ({"residence": {"title": "asyl"}}, "residence.title", "'asyl' is not allowed"),
        ({"residence": {"section": "25(2)"}}, "residence.title", "is required"),
        (
            {"residence": {"title": "aufenthaltserlaubnis", "section": "99"}},
            "residence.section",
            "'99' is not allowed",
        ),
        (
            {"residence": {"title": "duldung", "section": "25(2)"}},
            "residence.section",
            "not allowed",
        ),
        (
            {"residence": {"title": "niederlassungserlaubnis", "section": "9"}},
            "residence.section",
            "only given for",
        ),
        ({"residence": {"title": "visum", "kind": "x"}}, "residence.kind", "unknown key"),
        (
            {"work_ban": "absolute", "residence": {"title": "aufenthaltserlaubnis"}},
            "work_ban",
            "only with a Duldung",
        ),
        (
            {"work_ban": "none", "residence": {"title": "duldung", "section": "60b"}},
            "work_ban",
            "§ 60b",
        ),
        (
            {"citizenships": ["SY"], "residence": {"title": "german_citizen"}},
            "citizenships",
            "requires the citizenship DE",
        ),
        (
            {"citizenships": ["DE"], "residence": {"title": "niederlassungserlaubnis"}},
            "residence.title",
            "German citizens",
        ),
        (
            {"citizenships": ["SY"], "residence": {"title": "free_movement"}},
            "citizenships",
            "free movement",
        ),
        (
            {"migration_background": False, "residence": {"title": "duldung"}},
            "migration_background",
            "foreign residence title has a migration background",
        ),
        ({"kreis": "6412"}, "kreis", "five-digit"),
        ({"kreis": "06412", "municipality": "09162000"}, "municipality", "not in the given"),
        ({"migration_background": "yes"}, "migration_background", "true or false"),
        ({"participations": ["wir-1999"]}, "participations", "not a known funding round"),
        ({"disability": "maybe"}, "disability", "not allowed"),
    ],
)
def test_invalid_profile(profile, key, fragment):
    with pytest.raises(ProfileError) as exc:
        parse_profile(profile, reference_date=DAY, known_rounds=ROUNDS)
    assert exc.value.key == key
    assert fragment in exc.value.text("en")
    assert exc.value.text("de").startswith(f"{key}: ")


def test_null_means_unknown():
    profile = parse_profile({"gender": None, "kreis": None}, reference_date=DAY)
    assert profile.gender is None and profile.absent("kreis")


def test_to_json_round_trips():
    data = {
        "birth_date": "2000-01-01",
        "gender": "male",
        "citizenships": ["SY"],
        "residence": {"title": "aufenthaltserlaubnis", "section": "25(2)"},
        "participations": ["wir-2022"],
        "disability": "no_answer",
    }
    profile = parse_profile(data, reference_date=DAY, known_rounds=ROUNDS)
    assert profile.to_json() == data


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        ("2000-06-01", "2025-06-01", 25),
        ("2000-06-02", "2025-06-01", 24),
        ("2008-02-29", "2026-02-28", 17),
        ("2008-02-29", "2026-03-01", 18),
        ("2008-02-29", "2028-02-29", 20),
    ],
)
def test_age_on(born, day, age):
    assert age_on(dt.date.fromisoformat(born), dt.date.fromisoformat(day)) == age
