"""HSDS 3.0 export and import: lossless round trip, schema validity, foreign data, errors."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from wegweiser.directory import demo, hsds, search
from wegweiser.directory.models import Location, Offer, OpeningHours
from wegweiser.organisations.models import Organisation
from wegweiser.programmes.models import Project, ProjectPartner

pytestmark = pytest.mark.django_db

#: The HSDS 3.0 schemas and official examples, copied into the tests (see its README).
HSDS_DIR = Path(__file__).resolve().parent / "hsds-3.0"
EXAMPLE_ORG = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
EXAMPLE_SERVICE = "ac148810-d857-441c-9679-408f346de14b"
EXAMPLE_LOCATION = "3a19ff88-4620-4d17-9830-ac1d859eb5d5"
DERIVED = ("search_document", "sort_name", "facets", "lat", "lon", "region_id", "city_region_id")


@pytest.fixture
def regions(db):
    call_command("load_regions", stdout=io.StringIO())


@pytest.fixture
def directory(catalogue_loaded, regions):
    """The synthetic Hessen demo directory (155 offers)."""
    return demo.generate()


@pytest.fixture
def hsds_dir():
    return HSDS_DIR


def example(hsds_dir: Path, name: str):
    return json.loads((hsds_dir / "examples" / name).read_text(encoding="utf-8"))


@pytest.fixture
def validators(hsds_dir):
    """JSON Schema validators for the HSDS objects; the relative ``$ref``s between the schema
    files resolve against the schema folder."""
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    folder = (hsds_dir / "schema").resolve()
    base = folder.as_uri() + "/"
    registry = Registry().with_resources(
        (
            base + path.name,
            Resource.from_contents(
                json.loads(path.read_text(encoding="utf-8")), default_specification=DRAFT202012
            ),
        )
        for path in sorted(folder.glob("*.json"))
        if path.name != "openapi.json"
    )

    def validator(name: str):
        return Draft202012Validator(
            {"$ref": base + f"{name}.json"}, registry=registry, format_checker=FormatChecker()
        )

    return {name: validator(name) for name in ("organization", "service", "location", "program")}


def clear_directory() -> None:
    """Delete every organisation, project, place and offer (catalogue and regions stay)."""
    search.unindex_offers(list(Offer.objects.values_list("id", flat=True)))
    Offer.objects.all().delete()
    ProjectPartner.objects.all().delete()
    Project.objects.all().delete()
    Location.objects.all().delete()
    while Organisation.objects.exists():
        Organisation.objects.filter(branches__isnull=True).delete()


def derived_columns() -> list[tuple]:
    return list(Offer.objects.order_by("id").values_list("id", *DERIVED))


def dumps(doc: dict) -> str:
    return json.dumps(doc, sort_keys=True, ensure_ascii=False)


def services_of(doc: dict) -> list[dict]:
    return [s for org in doc["organizations"] for s in org["services"]]


def locations_of(doc: dict) -> list[dict]:
    return [loc for org in doc["organizations"] for loc in org["locations"]]


# --- export ------------------------------------------------------------------------------------


def test_export_is_complete_and_byte_identical(directory):
    first = hsds.export_document()
    assert dumps(first) == dumps(hsds.export_document())
    assert first["hsds_version"] == "3.0" and first["profile"] == hsds.PROFILE
    assert len(first["organizations"]) == directory["organisations"]
    assert len(services_of(first)) == directory["offers"] == 155
    assert len(locations_of(first)) == directory["locations"]
    assert sum(len(o["programs"]) for o in first["organizations"]) == directory["projects"]
    ids = [o["id"] for o in first["organizations"]]
    assert ids == sorted(ids)
    # Every id in the document is unique, child records included.
    all_ids = []

    def collect(node):
        if isinstance(node, dict):
            if isinstance(node.get("id"), str) and "taxonomy" not in node:
                all_ids.append(node["id"])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(first)
    assert len(all_ids) == len(set(all_ids))


def test_export_maps_offer_fields(directory):
    offer = Offer.objects.filter(status=Offer.DRAFT).prefetch_related("opening_hours").first()
    doc = hsds.export_document([offer.organisation])
    (service,) = [s for s in services_of(doc) if s["id"] == str(offer.id)]
    assert service["status"] == "inactive" and service["x_wegweiser"]["status"] == "draft"
    assert service["name"] == offer.name["de"]
    assert service["x_wegweiser"]["name"] == offer.name
    assert [lang["code"] for lang in service["languages"]] == offer.languages
    assert [a["taxonomy_term"]["code"] for a in service["attributes"]] == offer.themes
    assert {a["taxonomy_term"]["taxonomy"] for a in service["attributes"]} == {"wegweiser-themes"}
    assert service["assured_date"] == offer.last_verified.isoformat()
    hours = list(offer.opening_hours.all())
    assert [
        (s["freq"], s["byday"], s["opens_at"], s["closes_at"]) for s in service["schedules"]
    ] == [
        (
            "WEEKLY",
            ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][h.weekday - 1],
            f"{h.opens:%H:%M}",
            f"{h.closes:%H:%M}",
        )
        for h in hours
    ]
    (location,) = locations_of(doc)[:1]
    address = location["addresses"][0]
    assert address["country"] == "DE" and address["state_province"] == "Hessen"
    assert address["address_type"] == "physical"


def test_export_validates_against_the_hsds_schemas(directory, validators, hsds_dir):
    # The validators do check: the official example passes, a broken service does not.
    validators["organization"].validate(example(hsds_dir, "organization_full.json"))
    broken = example(hsds_dir, "service_full.json") | {"status": "open"}
    assert not validators["service"].is_valid(broken)

    doc = hsds.export_document()
    for org in doc["organizations"]:
        validators["organization"].validate(org)
        for program in org["programs"]:
            validators["program"].validate(program)
        for service in org["services"]:
            validators["service"].validate(service)
        for location in org["locations"]:
            validators["location"].validate(location)


# --- round trip ----------------------------------------------------------------------------------


def test_export_import_export_is_lossless(directory):
    before = hsds.export_document()
    derived = derived_columns()
    found_before = set(
        search.filter_text(Offer.objects.all(), "Anerkennung")[0].values_list("id", flat=True)
    )
    hours = OpeningHours.objects.count()
    clear_directory()
    assert not Offer.objects.exists() and not Organisation.objects.exists()

    summary = hsds.import_document(copy.deepcopy(before), by=None)

    assert summary["offers"] == 155 and summary["updated"] == 0
    assert summary["opening_hours"] == hours
    assert summary.warnings == []
    after = hsds.export_document()
    assert after == before
    assert dumps(after) == dumps(before)
    # Kreis, coordinates and the text index are derived again, the same as before.
    assert derived_columns() == derived
    found, _scores = search.filter_text(Offer.objects.all(), "Anerkennung")
    assert set(found.values_list("id", flat=True)) == found_before
    assert len(found_before) >= Offer.objects.filter(facets__contains="|t:recognition|").count() > 0


def test_import_again_updates_in_place(directory):
    doc = hsds.export_document()
    service = services_of(doc)[0]
    service["name"] = "Neuer Name"
    service["schedules"] = service["schedules"][:1]
    summary = hsds.import_document(doc, by=None)
    assert summary["updated"] == summary["organisations"] + summary["projects"] + (
        summary["locations"] + summary["offers"]
    )
    assert Offer.objects.count() == 155
    offer = Offer.objects.get(pk=service["id"])
    assert offer.name["de"] == "Neuer Name" and offer.name["en"]  # English kept
    assert offer.opening_hours.count() == 1
    assert "neu" in offer.search_document.casefold()
    # The edited HSDS text wins over the German text in the extension.
    service["x_wegweiser"]["name"]["de"] = "Neuer Name"
    assert hsds.export_document() == doc


@given(
    st.dictionaries(
        st.sampled_from(["de", "en", "ar", "uk", "tr"]), st.text(max_size=20), max_size=4
    )
)
def test_texts_survive_the_split_into_hsds_field_and_extension(texts):
    assert hsds._Reader.merge_texts(hsds._primary(texts), texts) == texts


# --- foreign data --------------------------------------------------------------------------------


def test_import_official_organization_example(regions, hsds_dir):
    summary = hsds.import_document(example(hsds_dir, "organization_full.json"), by=None)

    # The example's only place lies at latitude 100: it is reported and not taken over.
    assert summary["organisations"] == 1 and summary["offers"] == 1 and summary["locations"] == 0
    assert summary["projects"] == 0  # a program without a funding round is no project here
    paths = dict(summary.warnings)
    assert summary["warnings"] == len(summary.warnings) > 10
    assert "organization.programs[0]" in paths
    assert "organization.services[0].cost_options[0]" in paths
    assert "organization.services[0].minimum_age" in paths
    assert "organization.locations[0]" in paths  # latitude 100 is no place on earth
    assert "Der Ort wird nicht übernommen" in paths["organization.locations[0]"]
    assert "organization.parent_organization_id" in paths
    assert "Förderrunde" in paths["organization.programs[0]"]

    offer = Offer.objects.get(pk=EXAMPLE_SERVICE)
    assert offer.name == {"de": "Community Counselling"}
    assert offer.status == Offer.PUBLISHED and offer.is_free is False
    assert offer.languages == ["ur"] and offer.modes == []  # its place was not taken over
    assert offer.contact_name == "Ann Persona"
    assert offer.last_verified.isoformat() == "2005-01-01"
    assert [
        (h.weekday, f"{h.opens:%H:%M}", f"{h.closes:%H:%M}") for h in offer.opening_hours.all()
    ] == [
        (4, "10:00", "18:00"),
        (5, "10:00", "18:00"),
    ]
    assert not Location.objects.filter(pk=EXAMPLE_LOCATION).exists()

    doc = hsds.export_document()
    (org,) = doc["organizations"]
    assert org["id"] == EXAMPLE_ORG
    assert [s["id"] for s in org["services"]] == [EXAMPLE_SERVICE]
    assert org.get("locations", []) == []
    assert org["services"][0].get("service_at_locations", []) == []

    # A second import of the same file changes nothing but counts the updates.
    again = hsds.import_document(example(hsds_dir, "organization_full.json"), by=None)
    assert again["updated"] == 2 and hsds.export_document() == doc  # organisation and offer


def test_reimported_foreign_data_is_valid_hsds(regions, hsds_dir, validators):
    hsds.import_document(example(hsds_dir, "organization_full.json"), by=None)
    (org,) = hsds.export_document()["organizations"]
    validators["organization"].validate(org)
    validators["service"].validate(org["services"][0])


@pytest.mark.parametrize(
    "wrap",
    [
        pytest.param(lambda org, svc: org, id="single organization"),
        pytest.param(lambda org, svc: [org], id="list"),
        pytest.param(lambda org, svc: {"contents": [org]}, id="api page"),
        pytest.param(
            lambda org, svc: {"hsds_version": "3.0", "organizations": [org]}, id="document"
        ),
        pytest.param(lambda org, svc: svc, id="service with organization"),
    ],
)
def test_import_accepts_the_usual_shapes(regions, hsds_dir, wrap):
    doc = wrap(example(hsds_dir, "organization_full.json"), example(hsds_dir, "service_full.json"))
    summary = hsds.import_document(doc, by=None)
    assert summary["organisations"] == 1 and summary["offers"] == 1
    assert Offer.objects.get(pk=EXAMPLE_SERVICE).organisation_id.hex == EXAMPLE_ORG.replace("-", "")


def test_foreign_ids_that_are_no_uuids_are_mapped(regions):
    doc = [
        {
            "id": "org-1",
            "name": "Beratung e. V.",
            "description": "",
            "locations": [
                {
                    "id": "loc-1",
                    "location_type": "physical",
                    "addresses": [
                        {
                            "address_1": "Zeil 1",
                            "city": "Frankfurt am Main",
                            "postal_code": "60311",
                            "country": "DE",
                            "address_type": "physical",
                        }
                    ],
                }
            ],
            "services": [
                {
                    "id": 7,
                    "name": "Beratung",
                    "status": "active",
                    "service_at_locations": [{"location_id": "loc-1"}],
                    "languages": [{"name": "Arabic"}],
                    "schedules": [
                        {
                            "freq": "WEEKLY",
                            "byday": "MO,WE",
                            "opens_at": "09:00",
                            "closes_at": "12:00",
                        }
                    ],
                }
            ],
        }
    ]
    summary = hsds.import_document(doc, by=None)
    assert summary["offers"] == 1
    offer = Offer.objects.get()
    assert offer.languages == ["ar"] and offer.region_id == "06412"  # postcode centre, Frankfurt
    assert offer.opening_hours.count() == 2
    assert any("keine UUID" in msg for _path, msg in summary.warnings)
    assert any("Mitte der Postleitzahl" in msg for _path, msg in summary.warnings)


# --- errors ----------------------------------------------------------------------------------------


def first_service_path(doc: dict) -> tuple[int, int]:
    for i, org in enumerate(doc["organizations"]):
        if org["services"] and org["locations"]:
            return i, 0
    raise AssertionError("no organisation with a service")


def set_language(doc, i, j):
    doc["organizations"][i]["services"][j]["languages"][1]["code"] = "xx"
    return f"organizations[{i}].services[{j}].languages[1].code"


def set_theme(doc, i, j):
    doc["organizations"][i]["services"][j]["attributes"][0]["taxonomy_term"]["code"] = "nope"
    return f"organizations[{i}].services[{j}].attributes[0].taxonomy_term.code"


def set_round(doc, i, j):
    doc["organizations"][i]["services"][j]["x_wegweiser"]["funding_round"] = "nope/nope"
    return f"organizations[{i}].services[{j}].x_wegweiser.funding_round"


def drop_name(doc, i, j):
    del doc["organizations"][i]["services"][j]["name"]
    return f"organizations[{i}].services[{j}].name"


def bad_latitude(doc, i, j):
    doc["organizations"][i]["locations"][0]["latitude"] = 95.0
    return f"organizations[{i}].locations[0]"


def text_latitude(doc, i, j):
    doc["organizations"][i]["locations"][0]["latitude"] = "50,1"
    return f"organizations[{i}].locations[0].latitude"


def bad_hours(doc, i, j):
    doc["organizations"][i]["services"][j]["schedules"][0]["closes_at"] = "25:00"
    return f"organizations[{i}].services[{j}].schedules[0].closes_at"


def bad_status(doc, i, j):
    doc["organizations"][i]["services"][j]["status"] = "open"
    return f"organizations[{i}].services[{j}].status"


def unknown_location(doc, i, j):
    sal = doc["organizations"][i]["services"][j]["service_at_locations"][0]
    sal["location_id"] = "00000000-0000-4000-8000-000000000000"
    return f"organizations[{i}].services[{j}].service_at_locations[0].location_id"


def bad_region(doc, i, j):
    for k, org in enumerate(doc["organizations"]):
        if org["programs"]:
            org["programs"][0]["x_wegweiser"]["regions"] = ["99999"]
            return f"organizations[{k}].programs[0].x_wegweiser.regions[0]"
    raise AssertionError("no program")


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (set_language, "kein Sprachcode"),
        (set_theme, "Unbekanntes Thema"),
        (set_round, "Unbekannte Förderrunde"),
        (drop_name, "Pflichtfeld"),
        (bad_latitude, "außerhalb des gültigen Bereichs"),
        (text_latitude, "Zahl"),
        (bad_hours, "Uhrzeit"),
        (bad_status, "Unbekannter Status"),
        (unknown_location, "gibt es weder im Dokument noch im Verzeichnis"),
        (bad_region, "Unbekannte Region"),
    ],
)
def test_one_bad_record_writes_nothing_and_names_the_path(directory, spoil, message):
    doc = hsds.export_document()
    clear_directory()
    i, j = first_service_path(doc)
    path = spoil(doc, i, j)
    with pytest.raises(hsds.HSDSImportError) as caught:
        hsds.import_document(doc, by=None)
    assert [p for p, _msg in caught.value.errors] == [path]
    assert message in caught.value.errors[0][1]
    assert not Organisation.objects.exists() and not Offer.objects.exists()
    assert not Location.objects.exists() and not Project.objects.exists()


def test_all_errors_are_collected(directory):
    doc = hsds.export_document()
    clear_directory()
    expected = {set_language(doc, 0, 0), set_theme(doc, 1, 0), drop_name(doc, 2, 0)}
    with pytest.raises(hsds.HSDSImportError) as caught:
        hsds.import_document(doc, by=None)
    assert {p for p, _msg in caught.value.errors} == expected
    assert not Offer.objects.exists()


def test_unknown_shape_is_an_error(regions):
    with pytest.raises(hsds.HSDSImportError) as caught:
        hsds.import_document("organizations", by=None)
    assert caught.value.errors[0][0] == ""


# --- commands ------------------------------------------------------------------------------------


def test_commands_export_and_import(directory, tmp_path):
    out = tmp_path / "directory.json"
    stdout = io.StringIO()
    call_command("export_hsds", output=str(out), stdout=stdout)
    assert "155 services" in stdout.getvalue()
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert (
        out.read_text(encoding="utf-8")
        == json.dumps(doc, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
    )
    clear_directory()
    stdout = io.StringIO()
    call_command("import_hsds", str(out), stdout=stdout, stderr=io.StringIO())
    assert "155 offers" in stdout.getvalue()
    assert hsds.export_document() == doc


def test_import_command_reports_errors_with_status_2(directory, tmp_path):
    doc = hsds.export_document()
    path = set_theme(doc, 0, 0)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    stderr = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_hsds", str(bad), stdout=io.StringIO(), stderr=stderr)
    assert caught.value.returncode == 2
    assert f"{path}: Unbekanntes Thema „nope“" in stderr.getvalue()

    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import_hsds", str(broken), stdout=io.StringIO(), stderr=io.StringIO())
    assert caught.value.returncode == 2
