"""CSV import of offers: all rows or none, errors with row, column and a German message."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line
from hypothesis import given
from hypothesis import strategies as st

from wegweiser.directory import search
from wegweiser.directory.csv_import import (
    COLUMNS,
    CSVError,
    CSVImportError,
    format_opening_hours,
    import_offers_csv,
    parse_opening_hours,
)
from wegweiser.directory.models import Location, Offer
from wegweiser.organisations.models import Organisation

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 1)

GOOD = {
    "name_de": "Anerkennungsberatung Frankfurt",
    "name_en": "Recognition counselling Frankfurt",
    "description_de": "Wir beraten zur Anerkennung.",
    "themes": "recognition;counselling",
    "languages": "de;ar",
    "modes": "in_person;phone",
    "funding_round": "iq-anerkennung/iq-2026",
    "street": "Zeil 1",
    "postcode": "60311",
    "city": "Frankfurt am Main",
    "email": "beratung@example.org",
    "phone": "+49 69 123456",
    "website": "https://example.org/beratung",
    "is_free": "ja",
    "opening_hours": "Mo 09:00-12:00; Mi 14:00-17:00",
    "status": "published",
    "last_verified": "2026-10-01",
}


@pytest.fixture
def organisation(catalogue_loaded):
    call_command("load_regions", stdout=io.StringIO())
    return Organisation.objects.create(name="Beratung Test e. V.", kind="verein")


def write(tmp_path: Path, rows: list[dict], columns: list[str] | None = None) -> Path:
    columns = columns or list(COLUMNS)
    path = tmp_path / "offers.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def errors_of(source, organisation) -> list[CSVError]:
    with pytest.raises(CSVImportError) as caught:
        import_offers_csv(source, organisation, by=None, today=TODAY)
    assert not Offer.objects.exists() and not Location.objects.exists()
    return caught.value.errors


# --- good files ----------------------------------------------------------------------------------


def test_good_file_imports_every_row_with_derived_kreis(organisation, tmp_path):
    rows = [
        GOOD,
        GOOD
        | {
            "name_de": "Online-Beratung",
            "modes": "online",
            "street": "",
            "postcode": "",
            "city": "",
        },
        GOOD
        | {
            "name_de": "Beratung Marburg",
            "street": "Markt 1",
            "postcode": "35037",
            "city": "Marburg",
            "lat": "50,8089",
            "lon": "8,7711",
            "is_free": "nein",
            "cost_note": "5 Euro",
            "status": "",
        },
        GOOD
        | {"name_de": "Zweites Angebot am selben Ort", "opening_hours": "", "last_verified": ""},
    ]
    summary = import_offers_csv(write(tmp_path, rows), organisation, by=None, today=TODAY)

    assert summary == {"offers": 4, "locations": 2, "locations_reused": 0, "opening_hours": 6}
    frankfurt = Offer.objects.get(name__de="Anerkennungsberatung Frankfurt")
    assert frankfurt.region_id == "06412"
    assert frankfurt.name == {"de": GOOD["name_de"], "en": GOOD["name_en"]}
    assert frankfurt.themes == ["recognition", "counselling"] and frankfurt.languages == [
        "de",
        "ar",
    ]
    assert frankfurt.modes == ["in_person", "phone"] and frankfurt.is_free
    assert str(frankfurt.funding_round) == "iq-anerkennung/iq-2026"
    assert frankfurt.status == Offer.PUBLISHED and frankfurt.last_verified == dt.date(2026, 10, 1)
    assert [(h.weekday, h.opens, h.closes) for h in frankfurt.opening_hours.all()] == [
        (1, dt.time(9), dt.time(12)),
        (3, dt.time(14), dt.time(17)),
    ]
    assert "|t:recognition|" in frankfurt.facets and "Frankfurt" in frankfurt.search_document
    place = frankfurt.locations.get()
    assert (place.street, place.postcode, place.region_id) == ("Zeil 1", "60311", "06412")

    online = Offer.objects.get(name__de="Online-Beratung")
    assert online.region_id is None and not online.locations.exists()
    marburg = Offer.objects.get(name__de="Beratung Marburg")
    assert marburg.region_id == "06534" and (marburg.lat, marburg.lon) == (50.8089, 8.7711)
    assert not marburg.is_free and marburg.cost_note == "5 Euro" and marburg.status == Offer.DRAFT
    second = Offer.objects.get(name__de="Zweites Angebot am selben Ort")
    assert second.locations.get() == place  # one place for the same address

    found, _scores = search.filter_text(Offer.objects.all(), "Anerkennungsberatung")
    assert frankfurt.id in set(found.values_list("id", flat=True))


def test_existing_place_of_the_organisation_is_reused(organisation, tmp_path):
    import_offers_csv(write(tmp_path, [GOOD]), organisation, by=None, today=TODAY)
    again = GOOD | {"street": " zeil 1 ", "name_de": "Noch ein Angebot"}
    summary = import_offers_csv(write(tmp_path, [again]), organisation, by=None, today=TODAY)
    assert summary["locations"] == 0 and summary["locations_reused"] == 1
    assert Location.objects.count() == 1 and Offer.objects.count() == 2


def test_excel_style_file_with_bom_and_semicolons(organisation, tmp_path):
    text = (
        "name_de;themes;modes;street;postcode;city;opening_hours\r\n"
        '"Beratung; mit Semikolon";"recognition;counselling";in_person;Zeil 1;60311;Frankfurt;'
        '"Mo-Fr 09:00-12:00"\r\n'
    )
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    summary = import_offers_csv(path, organisation, by=None, today=TODAY)
    assert summary["offers"] == 1 and summary["opening_hours"] == 5
    offer = Offer.objects.get()
    assert offer.name == {"de": "Beratung; mit Semikolon"}
    assert offer.themes == ["recognition", "counselling"]


def test_reads_open_files_too(organisation):
    text = "name_de,themes,modes\nTelefonberatung,counselling,phone\n"
    assert import_offers_csv(io.StringIO(text), organisation, by=None, today=TODAY)["offers"] == 1
    assert (
        import_offers_csv(io.BytesIO(text.encode()), organisation, by=None, today=TODAY)["offers"]
        == 1
    )


# --- bad rows --------------------------------------------------------------------------------------


def test_one_bad_row_imports_nothing(organisation, tmp_path):
    rows = [GOOD, GOOD | {"themes": "recognition;astrology"}, GOOD]
    errors = errors_of(write(tmp_path, rows), organisation)
    assert errors == [
        CSVError(
            3,
            "themes",
            "Unbekanntes Thema „astrology“ (erlaubt: recognition, qualification, employment, "
            "vocational-training, german-language, counselling, labour-rights, youth, family, "
            "mentoring, interpreting, everyday-life).",
        )
    ]


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"name_de": ""}, "name_de", "Der Name fehlt"),
        ({"themes": ""}, "themes", "Mindestens ein Thema"),
        ({"languages": "de;xx"}, "languages", "„xx“ ist kein Sprachcode"),
        ({"modes": "online;teleport"}, "modes", "Unbekannte Form „teleport“"),
        ({"funding_round": "nope/nope"}, "funding_round", "Unbekannte Förderrunde"),
        ({"postcode": "6031"}, "postcode", "keine fünfstellige Postleitzahl"),
        ({"postcode": "00000"}, "postcode", "Die Postleitzahl 00000 kennen wir nicht"),
        ({"city": ""}, "city", "Die Adresse ist unvollständig"),
        ({"modes": "", "street": "", "postcode": "", "city": ""}, "modes", "Form angeben"),
        ({"lat": "abc", "lon": "8.68"}, "lat", "„abc“ ist keine Zahl"),
        ({"lat": "50.11"}, "lon", "beide angeben"),
        ({"lat": "8.68", "lon": "50.11"}, "lat", "nicht in Deutschland"),
        ({"lat": "91", "lon": "8.68"}, "lat", "außerhalb des gültigen Bereichs"),
        ({"email": "kein-mail"}, "email", "keine gültige E-Mail-Adresse"),
        ({"phone": "bitte anrufen"}, "phone", "keine Telefonnummer"),
        ({"website": "www.example.org"}, "website", "keine gültige Web-Adresse"),
        ({"is_free": "vielleicht"}, "is_free", "ja oder nein"),
        ({"cost_note": "x" * 301}, "cost_note", "länger als 300 Zeichen"),
        ({"opening_hours": "Mo 9-12"}, "opening_hours", "keine Zeitspanne"),
        ({"opening_hours": "Xy 09:00-12:00"}, "opening_hours", "unbekannter Wochentag „Xy“"),
        ({"opening_hours": "Mo 12:00-09:00"}, "opening_hours", "Ende liegt nicht nach dem Beginn"),
        ({"opening_hours": "Mo 09:00-24:00"}, "opening_hours", "keine gültige Uhrzeit"),
        ({"opening_hours": "Fr-Mo 09:00-12:00"}, "opening_hours", "läuft rückwärts"),
        ({"opening_hours": "09:00-12:00"}, "opening_hours", "erwartet wird z. B."),
        ({"status": "inactive"}, "status", "Unbekannter Status „inactive“"),
        ({"last_verified": "15.01.2026"}, "last_verified", "kein Datum der Form JJJJ-MM-TT"),
        ({"last_verified": "2026-02-30"}, "last_verified", "kein Datum der Form JJJJ-MM-TT"),
        ({"last_verified": "2026-11-02"}, "last_verified", "in der Zukunft"),
    ],
)
def test_bad_cell_is_reported_with_row_and_column(organisation, tmp_path, changes, column, message):
    errors = errors_of(write(tmp_path, [GOOD, GOOD | changes]), organisation)
    assert [(e.row, e.column) for e in errors] == [(3, column)]
    assert message in errors[0].message


def test_in_person_needs_the_address(organisation, tmp_path):
    rows = [GOOD | {"modes": "in_person", "street": "", "postcode": "", "city": ""}]
    errors = errors_of(write(tmp_path, rows), organisation)
    assert [(e.row, e.column) for e in errors] == [(2, "street"), (2, "postcode"), (2, "city")]
    assert all("vor Ort" in e.message for e in errors)


def test_every_error_of_every_row_is_collected(organisation, tmp_path):
    rows = [
        GOOD | {"themes": "nope", "email": "x"},
        GOOD,
        GOOD | {"last_verified": "gestern", "opening_hours": "Mo"},
    ]
    errors = errors_of(write(tmp_path, rows), organisation)
    assert [(e.row, e.column) for e in errors] == [
        (2, "themes"),
        (2, "email"),
        (4, "opening_hours"),
        (4, "last_verified"),
    ]


def test_row_numbers_count_like_a_spreadsheet(organisation, tmp_path):
    header = ",".join(COLUMNS)
    good = ",".join(f'"{GOOD.get(c, "")}"' for c in COLUMNS)
    multiline = good.replace('"Wir beraten zur Anerkennung."', '"Zwei\nZeilen"')
    bad = good.replace('"recognition;counselling"', '"nope"')
    path = tmp_path / "rows.csv"
    path.write_text("\n".join([header, multiline, "", bad]) + "\n", encoding="utf-8")
    errors = errors_of(path, organisation)
    assert [(e.row, e.column) for e in errors] == [(4, "themes")]


# --- bad files -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", [(None, "", "Die Datei ist leer.")]),
        (b"  \n\n", [(None, "", "Die Datei ist leer.")]),
        (b"name_de,themes\n", [(None, "", "Die Datei enthält keine Angebote.")]),
        (b"name_de,modes\nA,online\n", [(1, "themes", "Die Pflichtspalte fehlt.")]),
        (b"name_de,themes,thema\nA,youth,x\n", [(1, "thema", "Unbekannte Spalte")]),
        (
            b"name_de,themes,themes\nA,youth,youth\n",
            [(1, "themes", "Die Spalte kommt doppelt vor.")],
        ),
        (
            "name_de,themes,modes\nA,youth,online\nM\u00fcnchen,youth,online\n".encode("latin-1"),
            [(3, "", "nicht in UTF-8")],
        ),
        (
            b"name_de,themes,modes\nA,youth,online\nB,youth,online,extra\n",
            [(3, "", "hat 4 Felder, die Kopfzeile nur 3")],
        ),
    ],
)
def test_file_level_errors(organisation, tmp_path, content, expected):
    path = tmp_path / "file.csv"
    path.write_bytes(content)
    errors = errors_of(path, organisation)
    assert [(e.row, e.column) for e in errors] == [(r, c) for r, c, _m in expected]
    for error, (_r, _c, message) in zip(errors, expected, strict=True):
        assert message in error.message


# --- opening hours ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mo 09:00-12:00; Mi 14:00-17:00", [(1, "09:00", "12:00"), (3, "14:00", "17:00")]),
        ("Mo-Mi 9:00-12:00", [(1, "09:00", "12:00"), (2, "09:00", "12:00"), (3, "09:00", "12:00")]),
        ("Di, Do 14:00–16:00", [(2, "14:00", "16:00"), (4, "14:00", "16:00")]),
        ("mo. 09:00-12:00, 13:00-15:30", [(1, "09:00", "12:00"), (1, "13:00", "15:30")]),
        ("So 10:00-11:00; Mo 08:00-09:00;", [(1, "08:00", "09:00"), (7, "10:00", "11:00")]),
        ("", []),
    ],
)
def test_parse_opening_hours(text, expected):
    assert [(d, f"{a:%H:%M}", f"{b:%H:%M}") for d, a, b in parse_opening_hours(text)] == expected


minutes = st.integers(min_value=0, max_value=23 * 60 + 58)


@st.composite
def hours(draw):
    opens = draw(minutes)
    closes = draw(st.integers(min_value=opens + 1, max_value=23 * 60 + 59))
    return (
        draw(st.integers(min_value=1, max_value=7)),
        dt.time(opens // 60, opens % 60),
        dt.time(closes // 60, closes % 60),
    )


@given(st.lists(hours(), max_size=12))
def test_opening_hours_text_round_trip(entries):
    assert parse_opening_hours(format_opening_hours(entries)) == sorted(set(entries))


@given(st.text(max_size=40))
def test_opening_hours_parser_fails_only_with_a_message(text):
    try:
        parse_opening_hours(text)
    except ValueError as exc:
        assert str(exc)


# --- the command ------------------------------------------------------------------------------------


def test_import_offers_command(organisation, tmp_path):
    stdout = io.StringIO()
    call_command(
        "import_offers",
        str(write(tmp_path, [GOOD])),
        organisation=str(organisation.id),
        stdout=stdout,
    )
    assert "1 offers" in stdout.getvalue() and Offer.objects.count() == 1


def test_import_offers_command_reports_errors_with_status_2(organisation, tmp_path):
    path = write(tmp_path, [GOOD, GOOD | {"themes": "astrology"}])
    stderr = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(
            "import_offers",
            str(path),
            organisation=str(organisation.id),
            stdout=io.StringIO(),
            stderr=stderr,
        )
    assert caught.value.returncode == 2
    assert "Zeile 3, themes: Unbekanntes Thema „astrology“" in stderr.getvalue()
    assert not Offer.objects.exists()


def test_import_offers_from_the_command_line_exits_with_2(
    organisation, tmp_path, capsys, monkeypatch
):
    from django.db import connections

    # The command line closes the database connections at the end; keep the test's one.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    path = write(tmp_path, [GOOD | {"postcode": "00000"}])
    argv = ["wegweiser", "import_offers", str(path), "--organisation", str(organisation.id)]
    with pytest.raises(SystemExit) as caught:
        execute_from_command_line(argv)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "Zeile 2, postcode: Die Postleitzahl 00000 kennen wir nicht" in err
    assert "1 errors, nothing imported" in err

    with pytest.raises(SystemExit) as caught:
        execute_from_command_line([*argv[:3], "--organisation", "not-a-uuid"])
    assert caught.value.code == 2
