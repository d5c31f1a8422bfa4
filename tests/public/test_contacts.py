"""Issue 11, "Contacts reach a person": who can be asked, what lands in the record, one request
sent twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from tests.public.conftest import send_contact, token_of
from wegweiser.accounts.models import Membership, Role
from wegweiser.audit.models import AuditEntry
from wegweiser.cases.models import Case, Participant, ResidenceStatus
from wegweiser.public import services
from wegweiser.public.models import ContactRequest


def row_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.managed}


# --- only offers whose organisation can answer -------------------------------------------------


def test_an_offer_without_anybody_on_the_platform_shows_its_own_contacts(client, unreachable):
    offer = unreachable["offer"]
    response = client.get(f"/de/selbstcheck/kontakt/{offer.pk}/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Bitte direkt Kontakt aufnehmen" in html
    for shown in ("069 222222", "cafe@sued.example", "Frau Beispiel", "Hauptstraße 1", "60311"):
        assert shown in html, shown
    assert 'name="consent"' not in html


def test_a_post_to_such_an_offer_writes_nothing(client, unreachable, reachable):
    # a token from another contact page: the refusal must not depend on the form
    page = client.get(f"/de/selbstcheck/kontakt/{reachable['offer'].pk}/")
    before = row_counts()
    response = client.post(
        f"/de/selbstcheck/kontakt/{unreachable['offer'].pk}/",
        {"token": token_of(page), "phone": "0151 2345678", "consent": "on"},
    )
    assert response.status_code == 404
    assert row_counts() == before


def test_the_service_refuses_it_too(unreachable):
    with pytest.raises(services.NotReachable):
        services.contact_request_create(offer=unreachable["offer"], phone="0151 2345678")
    assert not Participant.objects.exists()


@pytest.mark.parametrize("how", ["inactive", "dpo", "maintainer-of-another-org"])
def test_only_an_active_caseworker_of_the_organisation_makes_it_reachable(
    client, unreachable, reachable, how
):
    from django.contrib.auth import get_user_model

    org = unreachable["org"]
    user = get_user_model().objects.create_user("jemand", email="j@example.org")
    if how == "inactive":
        user.is_active = False
        user.save()
        Membership.objects.create(user=user, organisation=org, role=Role.COUNSELLOR)
    elif how == "dpo":
        Membership.objects.create(user=user, organisation=org, role=Role.DATA_PROTECTION_OFFICER)
    else:
        Membership.objects.create(
            user=user, organisation=reachable["org"], role=Role.NETWORK_COORDINATOR
        )
    assert client.get(f"/de/selbstcheck/kontakt/{unreachable['offer'].pk}/").status_code == 404
    Membership.objects.create(user=reachable["counsellor"], organisation=org, role=Role.TEAM_LEAD)
    assert client.get(f"/de/selbstcheck/kontakt/{unreachable['offer'].pk}/").status_code == 200


def test_the_offer_page_links_the_contact_request_only_where_someone_answers(
    client, reachable, unreachable
):
    html = client.get(f"/de/angebote/{reachable['offer'].pk}/").content.decode()
    assert f'href="/de/selbstcheck/kontakt/{reachable["offer"].pk}/"' in html
    html = client.get(f"/de/angebote/{unreachable['offer'].pk}/").content.decode()
    assert "/selbstcheck/kontakt/" not in html
    assert "Bitte nehmen Sie direkt Kontakt auf" in html and "069 222222" in html


def test_the_result_page_offers_the_request_or_the_direct_contacts(demo_directory):
    """With the demo directory (no accounts): every nearest offer shows its own contacts; once
    one organisation has a counsellor, its offer gets the button."""
    import re

    from django.contrib.auth import get_user_model

    from tests.public.test_selfcheck import answer_all
    from wegweiser.directory.models import Offer

    visitor = Client()
    answer_all(visitor)
    html = visitor.get("/de/selbstcheck/ergebnis/").content.decode()
    ids = re.findall(r'<li class="offer-card" data-offer-id="([0-9a-f-]+)"', html)
    compact = re.findall(r'<li class="offer-card compact" data-offer-id="([0-9a-f-]+)"', html)
    assert ids and compact and "/selbstcheck/kontakt/" not in html
    # the full list: each offer's own contacts; the line under a fitting programme: a link to them
    assert html.count("Bitte nehmen Sie direkt Kontakt auf") == len(ids)
    assert html.count("#contact-heading") == len(compact)
    offer = Offer.objects.get(pk=ids[0])
    user = get_user_model().objects.create_user("nah", password="x")
    Membership.objects.create(user=user, organisation=offer.organisation, role=Role.COUNSELLOR)
    html = visitor.get("/de/selbstcheck/ergebnis/").content.decode()
    assert f'href="/de/selbstcheck/kontakt/{offer.pk}/"' in html


# --- what lands in the record --------------------------------------------------------------------


def _answer(client: Client, slug: str, **data) -> None:
    page = client.get(f"/de/selbstcheck/frage/{slug}/")
    response = client.post(f"/de/selbstcheck/frage/{slug}/", {"token": token_of(page), **data})
    assert response.status_code == 302, response.content.decode()[:500]


def test_the_answers_the_person_shares_land_in_her_record(catalogue_loaded, reachable):
    visitor = Client()
    _answer(visitor, "geburtsdatum", answer="01.02.1990")
    _answer(visitor, "geschlecht", answer="female")
    _answer(visitor, "aufenthalt", answer="aufenthaltserlaubnis", section="25(2)")
    _answer(visitor, "staatsangehoerigkeit", answer="AF", answer2="IR")
    _answer(visitor, "arbeitsverbot", answer="none")
    _answer(visitor, "postleitzahl", answer="64283")
    page = visitor.get(f"/ar/selbstcheck/kontakt/{reachable['offer'].pk}/").content.decode()
    assert 'id="shareable-answers"' in page  # she sees what would be sent
    response = send_contact(
        visitor, reachable["offer"], "ar", name="Zahra Ahmadi Karimi", share_answers="on"
    )
    assert response.status_code == 302
    person = Participant.objects.get()
    assert (person.given_name, person.family_name) == ("Zahra Ahmadi", "Karimi")
    assert str(person) == "Zahra Ahmadi Karimi"
    assert person.date_of_birth == dt.date(1990, 2, 1)
    assert (person.gender, person.citizenships, person.kreis) == ("female", ["AF", "IR"], "06411")
    assert person.languages == ["ar"]
    status = ResidenceStatus.objects.get(participant=person)
    assert (status.title, status.section, status.work_ban) == (
        "aufenthaltserlaubnis",
        "25(2)",
        "none",
    )
    assert status.valid_from == timezone.localdate() and status.valid_to is None
    assert status.recorded_by.username == services.SYSTEM_USERNAME
    entry = AuditEntry.objects.get(object_type="participant", participant_id=person.pk)
    assert entry.detail["fields"] == sorted(
        ["citizenships", "date_of_birth", "gender", "kreis", "residence", "work_ban"]
    )
    assert AuditEntry.objects.filter(object_type="residencestatus", actor=None).count() == 1


def test_without_sharing_only_the_contact_and_the_language_are_stored(catalogue_loaded, reachable):
    visitor = Client()
    _answer(visitor, "aufenthalt", answer="duldung", section="60a")
    send_contact(visitor, reachable["offer"], "fa", name="")
    person = Participant.objects.get()
    assert (person.given_name, person.family_name, person.languages) == ("", "", ["fa"])
    assert not ResidenceStatus.objects.exists()
    assert str(person) == person.pseudonym


@pytest.mark.parametrize(
    ("typed", "given", "family"),
    [
        ("Amal", "Amal", ""),
        ("  Amal   Haddad ", "Amal", "Haddad"),
        ("Amal Bint Ahmad Haddad", "Amal Bint Ahmad", "Haddad"),
        ("Hana Vorlage (Demo)", "Hana", "Vorlage (Demo)"),
        ("(Demo)", "(Demo)", ""),
        ("", "", ""),
        ("محمد أحمد علي", "محمد أحمد", "علي"),
    ],
)
def test_the_name_is_kept_as_typed(typed, given, family):
    assert services.split_name(typed) == (given, family)
    assert " ".join(p for p in services.split_name(typed) if p) == " ".join(typed.split())


def test_the_counsellor_corrects_the_name_on_the_edit_form(client, reachable):
    request = services.contact_request_create(
        offer=reachable["offer"], name="Nur Einname", phone="0151 2345678", language="uk"
    )
    person = request.participant
    staff = Client()
    staff.force_login(reachable["counsellor"])
    edit = f"/de/fall/personen/{person.pk}/bearbeiten/"
    html = staff.get(edit).content.decode()
    assert 'value="Nur"' in html and 'value="Einname"' in html
    # she has one name only: the family name stays empty, and saving works
    response = staff.post(
        edit,
        {
            "given_name": "Nur Einname",
            "family_name": "",
            "phone": "0151 2345678",
            "languages": "uk, de",
            "version": person.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    person.refresh_from_db()
    assert (person.given_name, person.family_name, person.languages) == (
        "Nur Einname",
        "",
        ["uk", "de"],
    )
    assert "Nur Einname" in staff.get(f"/de/fall/personen/{person.pk}/").content.decode()


def test_invalid_shared_data_is_refused_and_writes_nothing(reachable):
    before = row_counts()
    with pytest.raises(services.ContactRefused):
        services.contact_request_create(
            offer=reachable["offer"],
            phone="0151 2345678",
            shared={"residence": {"title": "duldung", "section": "25(2)"}},
        )
    with pytest.raises(services.ContactRefused):
        services.contact_request_create(
            offer=reachable["offer"], phone="0151 2345678", shared={"gender": "unknown"}
        )
    assert row_counts() == before


# --- the same request twice ----------------------------------------------------------------------


def test_the_same_request_sent_twice_is_one_request(client, reachable):
    first = send_contact(client, reachable["offer"], name="Amal Haddad")
    reference = ContactRequest.objects.get().reference
    again = send_contact(client, reachable["offer"], name="amal  haddad", phone="0151-2345678")
    assert first.status_code == again.status_code == 302
    assert (
        ContactRequest.objects.count() == Participant.objects.count() == Case.objects.count() == 1
    )
    page = client.get(again["Location"]).content.decode()
    assert reference in page and "schon gesendet" in page
    # from another browser, too (the marker is on the server, not in the session)
    other = Client()
    send_contact(other, reachable["offer"], name="Amal Haddad")
    assert ContactRequest.objects.count() == 1
    assert reference in other.get("/de/selbstcheck/gesendet/").content.decode()


def test_a_different_request_is_a_new_one(client, reachable):
    send_contact(client, reachable["offer"], name="Amal Haddad")
    send_contact(client, reachable["offer"], name="Amal Haddad", phone="0151 9999999")
    send_contact(client, reachable["offer"], name="Rana Haddad")
    assert ContactRequest.objects.count() == 3
    assert len(set(ContactRequest.objects.values_list("reference", flat=True))) == 3


def test_after_the_duplicate_window_the_same_request_counts_again(reachable, settings):
    settings.WEGWEISER_CONTACT_DUPLICATE_MINUTES = 0  # the marker expires at once
    kwargs = {"offer": reachable["offer"], "name": "Amal", "phone": "0151 2345678"}
    assert services.contact_request_create(**kwargs).created_now
    assert services.contact_request_create(**kwargs).created_now
    assert ContactRequest.objects.count() == 2


def with_answers(reachable, answers: dict, postcode: str = "") -> Client:
    """A visitor whose self-check answers are ``answers`` (kept in the session; a logged-in
    staff member's session lives in the database, where the test can write it)."""
    visitor = Client()
    visitor.force_login(reachable["lead"])
    session = visitor.session
    session["selbstcheck"] = {
        "answers": answers,
        "unknown": [],
        "postcode": postcode,
        "token": "t0ken",
    }
    session.save()
    return visitor


def test_answers_that_no_longer_fit_are_refused_on_the_form(reachable):
    """Answers kept in a session from before a rule changed: the request is not sent, the form
    says why, and it can be sent without them."""
    visitor = with_answers(reachable, {"residence": "duldung", "residence.section": "25(2)"})
    url = f"/de/selbstcheck/kontakt/{reachable['offer'].pk}/"
    data = {"token": "t0ken", "phone": "0151 2345678", "consent": "on", "share_answers": "on"}
    before = row_counts()
    response = visitor.post(url, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_share_answers"' in html and "passen so nicht zusammen" in html
    assert row_counts() == before
    data.pop("share_answers")
    assert visitor.post(url, data).status_code == 302
    assert ContactRequest.objects.count() == 1


def test_a_phone_number_in_arabic_digits_is_stored_as_0_to_9(catalogue_loaded, reachable):
    response = send_contact(Client(), reachable["offer"], "ar", phone="٠١٥١ ٢٣٤٥٦٧٨")
    assert response.status_code == 302
    assert Participant.objects.get().phone == "0151 2345678"


def test_the_contact_form_shows_no_internal_key(catalogue_loaded, reachable):
    """The consent text's version is recorded with the consent (for the organisation), not
    shown to the person as a key."""
    from wegweiser.public.services import CONSENT_TEXT_VERSION

    for lang in ("de", "ar"):
        page = Client().get(f"/{lang}/selbstcheck/kontakt/{reachable['offer'].pk}/")
        assert page.status_code == 200
        assert CONSENT_TEXT_VERSION not in page.content.decode()


def test_the_offer_to_send_answers_names_only_those_given(reachable):
    """Someone who answered the residence and the postcode only: the box offers to send
    "my answers", and the list under it holds those two, not nationality or date of birth."""
    answers = {"residence": "aufenthaltserlaubnis", "kreis": "06411"}
    visitor = with_answers(reachable, answers, postcode="64283")
    html = visitor.get(f"/de/selbstcheck/kontakt/{reachable['offer'].pk}/").content.decode()
    shared = html[html.index('id="shareable-answers"') :]
    shared = shared[: shared.index("</dl>")]
    assert "Meine Antworten mitschicken (freiwillig)" in html
    assert "Aufenthalt" in shared and "64283" in shared
    assert "Staatsangehörigkeit" not in html and "Geburtsdatum" not in html
