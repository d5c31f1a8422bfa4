"""One validation of an offer: the maintenance form, the CSV import and the HSDS import refuse the
same bad offer with the same message (and accept the same good one), at their own place: a form
field, a CSV column, a path in the document."""

from __future__ import annotations

import csv
import io

import pytest

from wegweiser.directory import hsds, services
from wegweiser.directory.csv_import import COLUMNS, CSVImportError, import_offers_csv
from wegweiser.directory.forms import OfferEditForm
from wegweiser.directory.models import Location, Offer, Organisation

pytestmark = pytest.mark.django_db

GOOD = {
    "name_de": "Beratung zur Anerkennung",
    "description_de": "Wir beraten.",
    "themes": ["counselling"],
    "languages": ["de", "ar"],
    "modes": ["in_person", "phone"],
    "street": "Kaiserstraße 5",
    "postcode": "60311",
    "city": "Frankfurt am Main",
    "email": "kontakt@example.org",
    "phone": "069 987654",
    "website": "https://example.org/kontakt",
    "cost_note": "Für Mitglieder frei",
    "opening_hours": "Mo 09:00-12:00",
}


@pytest.fixture
def organisation(catalogue_loaded, regions_loaded):
    return Organisation.objects.create(name="Beratung Test e. V.", kind="verein")


def form_of(organisation, data: dict) -> OfferEditForm:
    return OfferEditForm(
        {"organisation": str(organisation.pk), **data},
        organisations=Organisation.objects.filter(pk=organisation.pk),
    )


def csv_file(data: dict) -> io.StringIO:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), extrasaction="ignore")
    writer.writeheader()
    writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in data.items()})
    out.seek(0)
    return out


def exported(organisation) -> tuple[dict, dict, dict]:
    """The organisation with one good offer (made through the form) as an HSDS document."""
    form = form_of(organisation, GOOD)
    assert form.is_valid(), form.errors
    services.offer_edit(
        by=services.SYSTEM,
        offer=None,
        organisation=organisation,
        funding_round=None,
        values=form.offer_input,
    )
    doc = hsds.export_document([organisation])
    (org,) = doc["organizations"]
    return doc, org["services"][0], org["locations"][0]


#: field -> (CSV column, where the value goes in the HSDS document and the path of its problem)
def _text(key):
    def put(service, location, value):
        service[key] = value
        return key

    return put


def _name(service, location, value):
    service["name"] = value
    service["x_wegweiser"]["name"]["de"] = value
    return "name"


def _phone(service, location, value):
    service["phones"][0]["number"] = value
    return "phones[0].number"


def _language(service, location, value):
    service["languages"][0]["code"] = value[0]
    return "languages[0].code"


def _theme(service, location, value):
    service["attributes"][0]["taxonomy_term"]["code"] = value[0]
    return "attributes[0].taxonomy_term.code"


def _mode(service, location, value):
    service["x_wegweiser"]["modes"] = value
    return "x_wegweiser.modes[0]"


def _address(key):
    def put(service, location, value):
        location["addresses"][0][key] = value
        return f"@location.addresses[0].{key}"

    return put


FIELDS = {
    "name_de": _name,
    "email": _text("email"),
    "phone": _phone,
    "website": _text("url"),
    "cost_note": _text("fees_description"),
    "languages": _language,
    "themes": _theme,
    "modes": _mode,
    "postcode": _address("postal_code"),
    "street": _address("address_1"),
    "city": _address("city"),
}

THEMES = (
    "recognition, qualification, employment, vocational-training, german-language, counselling, "
    "labour-rights, youth, family, mentoring, interpreting, everyday-life"
)
BAD = [
    pytest.param("name_de", "", "Der Name fehlt.", id="no name"),
    pytest.param("name_de", "x" * 251, "Der Text ist länger als 250 Zeichen.", id="long name"),
    pytest.param(
        "email", "kein-mail", "„kein-mail“ ist keine gültige E-Mail-Adresse.", id="e-mail"
    ),
    pytest.param(
        "phone",
        "bitte anrufen",
        "„bitte anrufen“ ist keine Telefonnummer (Ziffern, Leerzeichen, + ( ) / -; "
        "höchstens 40 Zeichen).",
        id="phone",
    ),
    pytest.param(
        "website",
        "https://example.org/" + "a" * 190,
        f"„https://example.org/{'a' * 190}“ ist keine gültige Web-Adresse (mit https://, "
        "höchstens 200 Zeichen).",
        id="long web address",
    ),
    pytest.param(
        "cost_note", "x" * 301, "Der Text ist länger als 300 Zeichen.", id="long cost note"
    ),
    pytest.param("languages", ["xx"], "„xx“ ist kein Sprachcode nach ISO 639.", id="language code"),
    pytest.param(
        "themes",
        ["astrology"],
        f"Unbekanntes Thema „astrology“ (erlaubt: {THEMES}).",
        id="theme",
    ),
    pytest.param(
        "modes",
        ["teleport"],
        "Unbekannte Form „teleport“ (erlaubt: in_person, online, phone).",
        id="form",
    ),
    pytest.param("postcode", "6031", "„6031“ ist keine fünfstellige Postleitzahl.", id="postcode"),
    pytest.param("street", "x" * 201, "Der Text ist länger als 200 Zeichen.", id="long street"),
    pytest.param("city", "x" * 121, "Der Text ist länger als 120 Zeichen.", id="long town"),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD)
def test_the_same_bad_offer_is_refused_with_the_same_message_everywhere(
    organisation, field, value, message
):
    form = form_of(organisation, GOOD | {field: value})
    assert not form.is_valid()
    assert form.errors[field] == [message]

    with pytest.raises(CSVImportError) as caught:
        import_offers_csv(csv_file(GOOD | {field: value}), organisation, by=services.SYSTEM)
    assert [(e.row, e.column, e.message) for e in caught.value.errors] == [(2, field, message)]

    doc, service, location = exported(organisation)
    where = FIELDS[field](service, location, value)
    path = "organization.locations[0]" if where.startswith("@") else "organization.services[0]"
    with pytest.raises(hsds.HSDSImportError) as caught:
        hsds.import_document(doc["organizations"][0], by=services.SYSTEM)
    assert caught.value.errors == [(f"{path}.{where.removeprefix('@location.')}", message)]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name_de", "x" * 250),
        ("street", "x" * 200),
        ("city", "x" * 120),
        ("cost_note", "x" * 300),
        ("website", "https://example.org/" + "a" * 180),
        ("languages", ["prs", "deu"]),
    ],
)
def test_the_same_limits_accept_the_same_offer_everywhere(organisation, field, value):
    form = form_of(organisation, GOOD | {field: value})
    assert form.is_valid(), form.errors
    summary = import_offers_csv(csv_file(GOOD | {field: value}), organisation, by=services.SYSTEM)
    assert summary["offers"] == 1
    doc, service, location = exported(organisation)
    FIELDS[field](service, location, value)
    assert hsds.import_document(doc, by=services.SYSTEM)["offers"] == 2
    assert Offer.objects.count() == 2 and Location.objects.count() == 2


def test_language_codes_are_stored_the_same_way(organisation):
    """Three-letter codes with a two-letter one are shortened by every way in (``deu`` → ``de``)."""
    data = GOOD | {"languages": ["deu", "prs", "AR"]}
    form = form_of(organisation, data)
    assert form.is_valid(), form.errors
    assert form.offer_input.languages == ["de", "prs", "ar"]
    import_offers_csv(csv_file(data), organisation, by=services.SYSTEM)
    assert Offer.objects.get().languages == ["de", "prs", "ar"]
