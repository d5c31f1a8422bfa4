"""Directory writes take ``by`` and are audit-logged like the case writes: the maintenance page,
the status actions, both imports. A refused write (bad data, no permission) writes no entry."""

from __future__ import annotations

import copy
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from wegweiser.accounts.models import Membership, Role
from wegweiser.audit.detail import check_detail
from wegweiser.audit.models import AuditEntry
from wegweiser.audit.services import audit
from wegweiser.directory import hsds, services
from wegweiser.directory.csv_import import CSVImportError, import_offers_csv
from wegweiser.directory.models import Location, Offer, Organisation, Project

pytestmark = pytest.mark.django_db

CSV = (
    "name_de,themes,modes,street,postcode,city\n"
    "Beratung,counselling,in_person,Zeil 1,60311,Frankfurt am Main\n"
    "Telefonberatung,counselling,phone,,,\n"
)


@pytest.fixture
def organisation(catalogue_loaded, regions_loaded):
    return Organisation.objects.create(name="Beratung Test e. V.", kind="verein")


def user(organisation, role=Role.OFFER_EDITOR, name="pflege"):
    person = get_user_model().objects.create_user(name, password="pw-not-used")
    if role is not None:
        Membership.objects.create(user=person, organisation=organisation, role=role)
    return person


def entries() -> list[tuple]:
    return list(
        AuditEntry.objects.order_by("id").values_list(
            "actor__username", "organisation_id", "action", "object_type", "object_id", "detail"
        )
    )


def test_the_maintenance_page_logs_who_created_and_changed_an_offer(client, organisation):
    editor = user(organisation)
    client.force_login(editor)
    data = {
        "organisation": str(organisation.pk),
        "name_de": "Sprachcafé",
        "themes": ["german-language"],
        "modes": ["in_person"],
        "street": "Zeil 1",
        "postcode": "60311",
        "city": "Frankfurt am Main",
    }
    assert client.post("/de/pflege/angebote/neu/", data).status_code == 302
    offer = Offer.objects.get()
    place = Location.objects.get()
    assert entries() == [
        ("pflege", organisation.pk, "create", "location", str(place.pk), {}),
        ("pflege", organisation.pk, "create", "offer", str(offer.pk), {}),
    ]

    data |= {"name_de": "Sprachcafé am Abend", "opening_hours": "Mi 18:00-20:00"}
    assert client.post(f"/de/pflege/angebote/{offer.pk}/", data).status_code == 302
    assert entries()[2:] == [
        (
            "pflege",
            organisation.pk,
            "update",
            "offer",
            str(offer.pk),
            {"fields": ["name", "opening_hours"]},
        )
    ]

    for action in ("publish", "verify", "unpublish"):
        client.post(f"/de/pflege/angebote/{offer.pk}/{action}/")
    assert [(e[2], e[5]) for e in entries()[3:]] == [
        ("transition", {"offer_status": "published"}),
        ("update", {"fields": ["last_verified"]}),
        ("transition", {"offer_status": "draft"}),
    ]


def test_a_refused_edit_writes_no_entry(client, organisation):
    client.force_login(user(organisation))
    data = {"organisation": str(organisation.pk), "name_de": "", "themes": ["counselling"]}
    assert client.post("/de/pflege/angebote/neu/", data).status_code == 200
    assert entries() == [] and not Offer.objects.exists()


def test_services_ask_the_permissions_table_and_log_nothing_when_they_refuse(organisation):
    offer = Offer.objects.create(organisation=organisation, name={"de": "Angebot"})
    outsider = user(organisation, role=Role.DATA_PROTECTION_OFFICER, name="dsb")
    for write in (services.offer_publish, services.offer_verify, services.offer_delete):
        with pytest.raises(PermissionDenied):
            write(offer, by=outsider)
    offer.name = {"de": "Fremd geändert"}
    with pytest.raises(PermissionDenied):
        services.offer_save(offer, by=outsider)
    assert entries() == []
    assert Offer.objects.get().name == {"de": "Angebot"}


def test_the_system_may_write_and_is_logged_as_an_empty_actor(organisation):
    offer = Offer.objects.create(organisation=organisation, name={"de": "Angebot"})
    services.offer_publish(offer, by=services.SYSTEM)
    services.offer_delete(offer, by=services.SYSTEM)
    assert [(e[0], e[2], e[3]) for e in entries()] == [
        (None, "transition", "offer"),
        (None, "erase", "offer"),
    ]


def test_the_csv_import_logs_every_place_and_offer(organisation):
    import_offers_csv(io.StringIO(CSV), organisation, by=services.SYSTEM)
    logged = entries()
    assert sorted((e[2], e[3], e[4]) for e in logged) == sorted(
        [("create", "location", str(loc.pk)) for loc in Location.objects.all()]
        + [("create", "offer", str(o.pk)) for o in Offer.objects.all()]
    )
    assert {(e[0], e[1]) for e in logged} == {(None, organisation.pk)}
    assert {e[5]["imported_from"] for e in logged} == {"csv"}


def test_a_refused_import_writes_no_entry(organisation):
    with pytest.raises(CSVImportError):
        import_offers_csv(io.StringIO(CSV + "Kaputt,astrology,phone,,,\n"), organisation, by=None)
    import_offers_csv(io.StringIO(CSV), organisation, by=services.SYSTEM)
    doc = hsds.export_document()
    before = entries()
    broken = copy.deepcopy(doc)
    broken["organizations"][0]["services"][0]["name"] = ""
    with pytest.raises(hsds.HSDSImportError):
        hsds.import_document(broken, by=services.SYSTEM)
    assert entries() == before


def test_an_import_by_a_person_needs_the_right(organisation):
    editor = user(organisation)
    elsewhere = user(Organisation.objects.create(name="Andere", kind="verein"), name="fremd")
    with pytest.raises(PermissionDenied):
        import_offers_csv(io.StringIO(CSV), organisation, by=elsewhere)
    import_offers_csv(io.StringIO(CSV), organisation, by=editor)
    assert {e[0] for e in entries()} == {"pflege"}
    doc = hsds.export_document()
    count = len(entries())
    with pytest.raises(PermissionDenied):
        hsds.import_document(doc, by=editor)  # organisations and projects: platform administrators
    admin = user(organisation, role=Role.PLATFORM_ADMIN, name="admin")
    hsds.import_document(doc, by=admin)
    assert len(entries()) > count and {e[0] for e in entries()[count:]} == {"admin"}


def test_the_hsds_import_logs_created_and_then_updated_records(demo_directory):
    doc = hsds.export_document()
    first_org = doc["organizations"][0]
    first_org["id"] = "00000000-0000-4000-8000-000000000001"  # a new organisation ...
    for record in first_org["programs"] + first_org["locations"] + first_org["services"]:
        record["organization_id"] = first_org["id"]
    hsds.import_document({"organizations": [first_org]}, by=services.SYSTEM)
    created = entries()
    written = (
        [("organisation", first_org["id"])]
        + [("project", p["id"]) for p in first_org["programs"]]
        + [("location", loc["id"]) for loc in first_org["locations"]]
        + [("offer", s["id"]) for s in first_org["services"]]
    )
    assert sorted((e[3], e[4]) for e in created) == sorted(written)
    assert {e[2] for e in created if e[3] == "organisation"} == {"create"}
    assert {e[2] for e in created if e[3] != "organisation"} == {"update"}  # moved to it
    assert {e[1] for e in created} == {Organisation.objects.get(pk=first_org["id"]).pk}
    assert {e[5]["imported_from"] for e in created} == {"hsds"}
    assert Project.objects.filter(carrier_id=first_org["id"]).count() == len(first_org["programs"])

    hsds.import_document({"organizations": [first_org]}, by=services.SYSTEM)
    assert {e[2] for e in entries()[len(created) :]} == {"update"}


def test_the_audit_detail_takes_only_our_statuses_and_imports():
    for status in dict(Offer.STATUS_CHOICES):
        check_detail({"offer_status": status})  # raises for a value not allowed
    for detail in ({"offer_status": "Angebot für Frau X"}, {"imported_from": "Datei von Frau X"}):
        with pytest.raises(ValueError):
            audit(actor=None, organisation=None, action="update", detail=detail)
