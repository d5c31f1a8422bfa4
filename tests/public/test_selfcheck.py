"""The public self-check through the test client: flow, session-only storage, validation,
and the contact request that becomes a first contact in case management."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client

from wegweiser.audit.models import AuditEntry
from wegweiser.cases.models import Case, CaseStatus, Consent, Participant
from wegweiser.directory.models import Offer
from wegweiser.public.models import ContactRequest
from wegweiser.public.services import CONSENT_TEXT_VERSION

#: Answers of a young Syrian man with a humanitarian residence permit in Darmstadt.
ANSWERS = {
    "geburtsdatum": "01.01.2000",
    "geschlecht": "male",
    "aufenthalt": "aufenthaltserlaubnis",
    "paragraf": "25(2)",
    "staatsangehoerigkeit": "SY",
    "arbeitsverbot": "none",
    "jobcenter": "not_reached",
    "postleitzahl": "64283",
    "migrationsgeschichte": "yes",
    "abschluss": "no",
    "deutsch": "A2",
}


def row_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.managed}


def token(response) -> str:
    html = response if isinstance(response, str) else response.content.decode()
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def answer_all(client: Client, lang: str = "de", answers=ANSWERS, dont_know=()):
    """Follow the questions until the result; returns the slugs asked, in order."""
    asked = []
    response = client.get(f"/{lang}/selbstcheck/weiter/")
    for _ in range(20):
        location = response["Location"]
        if "/ergebnis/" in location:
            return asked
        page = client.get(location)
        assert page.status_code == 200, location
        slug = location.rstrip("/").rsplit("/", 1)[1]
        asked.append(slug)
        if slug in dont_know or slug not in answers:
            data = {"token": token(page), "dont_know": "1"}
        else:
            data = {"token": token(page), "answer": answers[slug]}
            if slug == "aufenthalt":  # the paragraph is asked on the same page
                data["section"] = answers.get("paragraf", "")
        response = client.post(location, data)
        assert response.status_code == 302, (slug, response.content.decode()[:2000])
    raise AssertionError("the self-check did not end")


@pytest.fixture
def directory(every_organisation_answers):
    return every_organisation_answers


def test_start_page_sets_no_cookie_and_links_every_language(client, directory):
    response = client.get("/de/selbstcheck/")
    assert response.status_code == 200
    assert response.cookies == {}
    html = response.content.decode()
    for lang in ("en", "ar", "uk", "fa", "tr"):
        assert f'href="/{lang}/selbstcheck/"' in html
    assert 'dir="ltr"' in html.split(">", 2)[1]


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_arabic_and_farsi_pages_are_right_to_left(client, directory, lang):
    html = client.get(f"/{lang}/selbstcheck/").content.decode()
    assert f'<html lang="{lang}" dir="rtl">' in html


def test_the_flow_writes_no_row_and_only_the_session_cookie(client, directory):
    before = row_counts()
    asked = answer_all(client)
    assert asked[0] == "geburtsdatum"
    assert set(client.cookies) == {settings.SESSION_COOKIE_NAME}
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["max-age"] and not cookie["expires"]  # gone when the browser closes
    result = client.get("/de/selbstcheck/ergebnis/")
    assert result.status_code == 200
    client.post("/de/selbstcheck/ergebnis/", {"token": token(result), "postcode": "64283"})
    client.get("/de/selbstcheck/antworten/")
    assert row_counts() == before  # django_session included: the session is a signed cookie


def test_every_active_round_is_decided_and_the_result_gives_reasons(client, directory):
    answer_all(client)
    html = client.get("/de/selbstcheck/ergebnis/").content.decode()
    assert "Diese Programme passen zu Ihnen" in html
    assert "Diese Programme passen nicht" in html
    assert "Noch offen" not in html or "Das würde es klären" in html
    fit = re.search(r'id="fit-heading">[^(]*\((\d+)\)', html).group(1)
    assert int(fit) >= 1
    assert "Warum es passt" in html


def test_dont_know_is_not_asked_again_and_shown_as_such(client, directory):
    asked = answer_all(client, dont_know=("geschlecht",))
    assert asked.count("geschlecht") == 1
    summary = client.get("/de/selbstcheck/antworten/").content.decode()
    assert "Ich weiß es nicht" in summary


def test_an_answer_can_be_changed_from_the_summary(client, directory):
    answer_all(client)
    summary = client.get("/de/selbstcheck/antworten/").content.decode()
    assert 'href="/de/selbstcheck/frage/geschlecht/"' in summary
    page = client.get("/de/selbstcheck/frage/geschlecht/")
    assert 'value="male" id="id_answer_1" checked' in page.content.decode()
    client.post("/de/selbstcheck/frage/geschlecht/", {"token": token(page), "answer": "female"})
    summary = client.get("/de/selbstcheck/antworten/").content.decode()
    assert "weiblich" in summary and "männlich" not in summary


def test_a_birth_date_in_the_future_is_refused_and_other_answers_kept(client, directory):
    answer_all(client)
    page = client.get("/de/selbstcheck/frage/geburtsdatum/")
    future = (dt.date.today() + dt.timedelta(days=3)).strftime("%d.%m.%Y")
    response = client.post(
        "/de/selbstcheck/frage/geburtsdatum/", {"token": token(page), "answer": future}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Das Geburtsdatum liegt in der Zukunft" in html
    assert 'href="#id_answer"' in html  # error summary links to the field
    assert 'aria-describedby="id_answer-hint id_answer-error"' in html
    assert 'aria-invalid="true"' in html
    summary = client.get("/de/selbstcheck/antworten/").content.decode()
    assert "1. Januar 2000" in summary and "männlich" in summary


@pytest.mark.parametrize(
    ("lang", "typed", "message"),
    [
        ("de", "31.02.1998", "Diesen Tag gibt es nicht. Bitte prüfen Sie Tag und Monat."),
        ("de", "30.13.1998", "Diesen Tag gibt es nicht. Bitte prüfen Sie Tag und Monat."),
        ("ar", "٣١.٠٢.١٩٩٨", "هذا اليوم غير موجود"),
        ("de", "1998-02-30", "Diesen Tag gibt es nicht."),
        ("de", "Februar 1998", "Bitte schreiben Sie das Datum so: Tag.Monat.Jahr"),
        ("fa", "۱۵.۰۳.۱۳۷۶", "لطفاً سال را به تقویم میلادی بنویسید"),
        ("de", "15.03.1376", "nach dem gregorianischen Kalender"),
        ("de", "15.03.1420", "nach dem gregorianischen Kalender"),
        ("de", "15.03.2060", "Das Geburtsdatum liegt in der Zukunft"),
    ],
)
def test_a_wrong_birth_date_says_what_is_wrong(client, directory, lang, typed, message):
    """A day that does not exist is not a wrong format; a year of the Persian calendar asks for
    the Gregorian one (a person from Afghanistan or Iran writes her birthday so)."""
    url = f"/{lang}/selbstcheck/frage/geburtsdatum/"
    response = client.post(url, {"token": token(client.get(url)), "answer": typed})
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "year"), [("15.03.60", 1960), ("01.01.99", 1999), ("31.12.05", 2005)]
)
def test_a_two_digit_year_is_one_of_the_last_hundred(client, directory, typed, year):
    url = "/de/selbstcheck/frage/geburtsdatum/"
    response = client.post(url, {"token": token(client.get(url)), "answer": typed})
    assert response.status_code == 302
    summary = client.get("/de/selbstcheck/antworten/").content.decode()
    assert str(year) in summary


def test_an_unknown_postcode_is_refused_with_a_message(client, directory):
    answer_all(client)
    result = client.get("/de/selbstcheck/ergebnis/")
    response = client.post(
        "/de/selbstcheck/ergebnis/", {"token": token(result), "postcode": "00000"}
    )
    assert response.status_code == 400
    assert "Die Postleitzahl 00000 kennen wir nicht" in response.content.decode()
    summary = client.get("/de/selbstcheck/antworten/").content.decode()
    assert "64283" in summary


def test_a_contradiction_is_explained_and_links_to_the_other_answer(client, directory):
    answer_all(client)
    page = client.get("/de/selbstcheck/frage/arbeitsverbot/")
    response = client.post(
        "/de/selbstcheck/frage/arbeitsverbot/", {"token": token(page), "answer": "absolute"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "passt nicht zu einer Ihrer früheren Antworten" in html
    assert 'href="/de/selbstcheck/frage/aufenthalt/"' in html


def test_a_post_without_the_session_token_changes_nothing(client, directory):
    answer_all(client)
    other = Client()
    response = other.post("/de/selbstcheck/frage/geschlecht/", {"answer": "female"})
    assert response.status_code == 302 and "sitzung=abgelaufen" in response["Location"]
    response = client.post("/de/selbstcheck/frage/geschlecht/", {"answer": "female", "token": "x"})
    assert "sitzung=abgelaufen" in response["Location"]
    assert "männlich" in client.get("/de/selbstcheck/antworten/").content.decode()


def test_clear_removes_the_answers_and_the_cookie(client, directory):
    answer_all(client)
    page = client.get("/de/selbstcheck/antworten/")
    response = client.post("/de/selbstcheck/loeschen/", {"token": token(page)})
    assert response.status_code == 302
    assert client.cookies[settings.SESSION_COOKIE_NAME].value == ""
    assert "noch keine Frage" in client.get("/de/selbstcheck/antworten/").content.decode()


def _nearest_offer_id(client) -> str:
    result = client.get("/de/selbstcheck/ergebnis/")
    html = result.content.decode()
    ids = re.findall(r'href="/de/selbstcheck/kontakt/([0-9a-f-]+)/"', html)
    assert ids, "no nearest offer listed"
    assert re.search(r'class="distance">[\d,.]+ km entfernt', html)
    return ids[0]


def test_nearest_offers_fit_the_profile_and_are_sorted_by_distance(client, directory):
    answer_all(client)
    html = client.get("/de/selbstcheck/ergebnis/").content.decode()
    listed = html[html.index('class="offer-list nearest"') :]
    distances = [
        float(d.replace(",", "."))
        for d in re.findall(r'class="distance">([\d,.]+) km entfernt', listed)
    ]
    assert distances and distances == sorted(distances)


def test_contact_request_creates_a_first_contact_at_the_offers_organisation(client, directory):
    answer_all(client)
    offer = Offer.objects.select_related("organisation").get(pk=_nearest_offer_id(client))
    page = client.get(f"/de/selbstcheck/kontakt/{offer.pk}/")
    assert page.status_code == 200
    assert set(client.cookies) == {settings.SESSION_COOKIE_NAME}
    response = client.post(
        f"/de/selbstcheck/kontakt/{offer.pk}/",
        {
            "token": token(page),
            "name": "Amal (Test)",
            "phone": "0151 2345678",
            "email": "",
            "consent": "on",
            "share_answers": "on",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("/selbstcheck/gesendet/")
    request = ContactRequest.objects.get()
    assert re.fullmatch(r"SC-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", request.reference)
    sent = client.get(response["Location"]).content.decode()
    assert request.reference in sent
    person = Participant.objects.get()
    assert person.organisation == offer.organisation
    assert (person.phone, person.given_name, person.languages) == (
        "0151 2345678",
        "Amal (Test)",
        ["de"],
    )
    assert (person.date_of_birth, person.gender) == (dt.date(2000, 1, 1), "male")
    assert person.kreis == "06411"  # Darmstadt, from the postcode
    case = Case.objects.get()
    assert (case.participant, case.organisation, case.status, case.counsellor) == (
        person,
        offer.organisation,
        CaseStatus.FIRST_CONTACT,
        None,
    )
    consent = Consent.objects.get()
    assert consent.participant == person and consent.purpose == "counselling"
    assert consent.text_version == CONSENT_TEXT_VERSION and consent.channel == "digital"
    assert not consent.recorded_by.is_active and not consent.recorded_by.has_usable_password()
    entries = AuditEntry.objects.filter(participant_id=person.pk)
    assert {e.action for e in entries} == {"create", "consent_given"}
    assert {e.object_type for e in entries} == {
        "participant",
        "residencestatus",
        "case",
        "consent",
        "contactrequest",
    }
    assert all(e.actor is None for e in entries)
    assert all(e.organisation == offer.organisation for e in entries)


def test_contact_without_sharing_keeps_the_answers_back(client, directory):
    answer_all(client)
    offer_id = _nearest_offer_id(client)
    page = client.get(f"/de/selbstcheck/kontakt/{offer_id}/")
    client.post(
        f"/de/selbstcheck/kontakt/{offer_id}/",
        {"token": token(page), "email": "amal@example.org", "consent": "on"},
    )
    person = Participant.objects.get()
    assert person.email == "amal@example.org"
    assert (person.date_of_birth, person.citizenships, person.gender, person.kreis) == (
        None,
        [],
        "",
        "",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"consent": "on"}, "Bitte geben Sie eine Telefonnummer oder eine E-Mail-Adresse an"),
        ({"phone": "0151 2345678"}, "Bitte bestätigen Sie"),
        ({"email": "kein-at", "consent": "on"}, "Die E-Mail-Adresse ist nicht gültig"),
        ({"phone": "abc", "consent": "on"}, "Die Telefonnummer darf nur Ziffern"),
    ],
)
def test_invalid_contact_writes_nothing_and_says_why(client, directory, data, message):
    answer_all(client)
    offer_id = _nearest_offer_id(client)
    page = client.get(f"/de/selbstcheck/kontakt/{offer_id}/")
    before = row_counts()
    response = client.post(f"/de/selbstcheck/kontakt/{offer_id}/", {"token": token(page), **data})
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert 'class="error-summary" role="alert"' in html
    assert row_counts() == before
    assert "1. Januar 2000" in client.get("/de/selbstcheck/antworten/").content.decode()


def test_a_draft_offer_cannot_be_contacted(client, directory):
    offer = Offer.objects.filter(status=Offer.PUBLISHED).first()
    Offer.objects.filter(pk=offer.pk).update(status=Offer.DRAFT)
    assert client.get(f"/de/selbstcheck/kontakt/{offer.pk}/").status_code == 404


def test_the_new_first_contact_shows_on_the_counsellors_start_page(client, directory):
    from django.contrib.auth import get_user_model

    from wegweiser.accounts.models import Membership, Role

    answer_all(client)
    offer = Offer.objects.get(pk=_nearest_offer_id(client))
    page = client.get(f"/de/selbstcheck/kontakt/{offer.pk}/")
    client.post(
        f"/de/selbstcheck/kontakt/{offer.pk}/",
        {"token": token(page), "name": "Amal (Test)", "phone": "0151 2345678", "consent": "on"},
    )
    user = get_user_model().objects.create_user("beraterin-test", password="x")
    Membership.objects.create(user=user, organisation=offer.organisation, role=Role.COUNSELLOR)
    staff = Client()
    staff.force_login(user)
    html = staff.get("/de/fall/").content.decode()
    new = html.split('id="unassigned-heading"')[1].split("</section>")[0]
    mine = html.split('id="my-cases-heading"')[1].split("</section>")[0]
    assert "Amal (Test)" in new and "Amal (Test)" not in mine
    case = Case.objects.get(participant__given_name__startswith="Amal")
    response = staff.post(
        f"/de/fall/faelle/{case.pk}/uebernehmen/", {"assign-version": case.version}
    )
    assert response.status_code == 302
    html = staff.get("/de/fall/").content.decode()
    new = html.split('id="unassigned-heading"')[1].split("</section>")[0]
    mine = html.split('id="my-cases-heading"')[1].split("</section>")[0]
    assert "Amal (Test)" in mine and "Amal (Test)" not in new


@pytest.mark.parametrize(
    "path",
    ["/de/barrierefreiheit/", "/de/leichte-sprache/", "/de/datenschutz/", "/ar/datenschutz/"],
)
def test_information_pages_set_no_cookie(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.cookies == {}


def _reasons(html: str) -> list[str]:
    items = re.findall(r'<ul class="reasons">(.*?)</ul>', html, re.S)
    texts = [
        re.sub(r"<small.*?</small>", "", li)
        for ul in items
        for li in re.findall(r"<li>(.*?)</li>", ul, re.S)
    ]
    return [t.strip() for t in texts if t.strip()]


@pytest.mark.parametrize("lang", ["ar", "uk", "fa", "tr", "en"])
def test_the_result_gives_reasons_in_the_chosen_language(directory, lang):
    """Not only the interface: the engine's reasons are translated too."""
    german, other = Client(), Client()
    answer_all(german, "de")
    answer_all(other, lang)
    de = _reasons(german.get("/de/selbstcheck/ergebnis/").content.decode())
    local = _reasons(other.get(f"/{lang}/selbstcheck/ergebnis/").content.decode())
    assert len(de) == len(local) > 0
    assert not set(de) & set(local), set(de) & set(local)


def test_the_start_page_kept_for_newcomers_never_hides_a_started_check(directory):
    newcomer, started = Client(), Client()
    fresh = newcomer.get("/de/selbstcheck/").content.decode()
    assert newcomer.get("/de/selbstcheck/").content.decode() == fresh
    assert "/ar/selbstcheck/" in newcomer.get("/ar/selbstcheck/").content.decode()
    response = started.get("/de/selbstcheck/weiter/")
    page = started.get(response["Location"])
    started.post(response["Location"], {"token": token(page), "dont_know": "1"})
    resumed = started.get("/de/selbstcheck/").content.decode()
    assert resumed != fresh
    assert 'href="/de/selbstcheck/antworten/"' in resumed


def test_the_question_pages_read_nothing_from_the_database(
    client, directory, django_assert_num_queries
):
    """A visitor's signed cookie is not looked up as a database session, and the questions run
    without a per-request transaction (accounts/sessions.py, public/state.py)."""
    first = client.get("/de/selbstcheck/weiter/")["Location"]
    page = client.get(first)
    client.post(first, {"token": token(page), "answer": ANSWERS["geburtsdatum"]})
    with django_assert_num_queries(0):
        for path in ("/de/selbstcheck/", "/de/selbstcheck/weiter/", "/de/selbstcheck/antworten/"):
            assert client.get(path).status_code in (200, 302)
        assert client.get("/de/selbstcheck/frage/aufenthalt/").status_code == 200
        assert client.get("/de/selbstcheck/ergebnis/").status_code == 200  # no postcode yet


def test_a_signed_cookie_is_never_taken_for_a_database_session_key():
    from django.contrib.sessions.backends import signed_cookies
    from django.contrib.sessions.backends.base import VALID_KEY_CHARS

    from wegweiser.accounts.sessions import SessionStore

    store = SessionStore()
    assert store._validate_session_key("a" * 32)
    assert store._validate_session_key("".join(sorted(VALID_KEY_CHARS))[:40])
    signed = signed_cookies.SessionStore()
    signed["selbstcheck"] = {"answers": {"birth_date": "2000-01-01"}, "unknown": []}
    signed.save()
    assert not store._validate_session_key(signed.session_key)
    assert SessionStore(signed.session_key).is_empty() is False  # left alone, not deleted
    visitor = SessionStore(signed.session_key)
    visitor.flush()
    assert visitor.is_empty()  # logging out deletes it
    assert not store._validate_session_key("ABCDEFGHIJKLMNOP")
    assert not store._validate_session_key("short")


OPERATOR = {
    "OPERATOR_NAME": "Beispiel-Träger e. V. (Test)",
    "OPERATOR_ADDRESS": "Teststraße 1, 64283 Darmstadt",
    "ACCESSIBILITY_EMAIL": "barrieren@traeger.test",
    "PRIVACY_EMAIL": "datenschutz@traeger.test",
}
NOT_SET_UP = "Diese Installation ist noch nicht eingerichtet"


@pytest.mark.parametrize("path", ["/de/barrierefreiheit/", "/de/datenschutz/"])
def test_information_pages_name_the_operators_contacts_once_set(client, db, settings, path):
    for name in OPERATOR:
        setattr(settings, name, "")
    html = client.get(path).content.decode()
    assert NOT_SET_UP in html
    assert "mailto:" not in html
    for name, value in OPERATOR.items():
        setattr(settings, name, value)
    html = client.get(path).content.decode()
    assert NOT_SET_UP not in html
    assert OPERATOR["OPERATOR_NAME"] in html and OPERATOR["OPERATOR_ADDRESS"] in html
    email = OPERATOR["ACCESSIBILITY_EMAIL" if "barriere" in path else "PRIVACY_EMAIL"]
    assert f'href="mailto:{email}"' in html


def test_the_deploy_check_warns_while_the_operators_contacts_are_missing(settings):
    from django.core.checks import run_checks

    for name, value in OPERATOR.items():
        setattr(settings, name, value)
    assert "public.W001" not in {m.id for m in run_checks(include_deployment_checks=True)}
    settings.PRIVACY_EMAIL = ""
    warnings = [m for m in run_checks(include_deployment_checks=True) if m.id == "public.W001"]
    assert len(warnings) == 1 and "WEGWEISER_PRIVACY_EMAIL" in warnings[0].msg
    assert "public.W001" not in {m.id for m in run_checks()}  # only with --deploy


def _first_question(client: Client) -> tuple[str, str]:
    location = client.get("/de/selbstcheck/weiter/")["Location"]
    return location, client.get(location).content.decode()


def test_a_kept_question_page_carries_each_visitors_own_token(directory):
    first, second = Client(), Client()
    location, page_one = _first_question(first)
    same, page_two = _first_question(second)
    assert same == location
    token_one, token_two = token(page_one), token(page_two)
    assert token_one != token_two and "@@" not in page_two
    assert page_one.replace(token_one, "") == page_two.replace(token_two, "")
    third = Client()
    kept = third.get(third.get("/de/selbstcheck/weiter/")["Location"])
    assert kept.status_code == 200 and kept.templates == []  # served as kept, not rendered
    # each visitor's token is the one its session expects
    answer = {"answer": ANSWERS["geburtsdatum"]}
    assert first.post(location, {**answer, "token": token_two})["Location"].endswith("abgelaufen")
    assert "/frage/" in second.post(location, {**answer, "token": token_two})["Location"]


def test_a_question_answered_before_shows_its_answer_not_the_kept_page(client, directory):
    pages = {}
    for birth_date in ("02.03.1990", "04.05.1985"):
        visitor = Client()
        location, page = _first_question(visitor)
        visitor.post(location, {"token": token(page), "answer": birth_date})
        pages[birth_date] = visitor.get(location).content.decode()  # to change the answer
    assert 'value="02.03.1990"' in pages["02.03.1990"]
    assert 'value="04.05.1985"' in pages["04.05.1985"]
    assert 'value="02.03.1990"' not in Client().get(location).content.decode()


@pytest.mark.parametrize(
    ("title", "section"), [("duldung", "60c"), ("aufenthaltserlaubnis", "25(2)")]
)
def test_the_paragraph_question_lists_the_sections_of_the_title_given(directory, title, section):
    pages = {}
    for given in ("duldung", "aufenthaltserlaubnis"):
        visitor = Client()
        location, page = _first_question(visitor)
        visitor.post(location, {"token": token(page), "answer": ANSWERS["geburtsdatum"]})
        residence = visitor.get("/de/selbstcheck/frage/aufenthalt/")
        visitor.post(
            "/de/selbstcheck/frage/aufenthalt/", {"token": token(residence), "answer": given}
        )
        pages[given] = visitor.get("/de/selbstcheck/frage/paragraf/").content.decode()
    assert f'value="{section}"' in pages[title]
    other = "aufenthaltserlaubnis" if title == "duldung" else "duldung"
    assert f'value="{section}"' not in pages[other]


# --- the residence page: title and paragraph together ---------------------------------------------


def _summary_rows(client: Client) -> str:
    return client.get("/de/selbstcheck/antworten/").content.decode()


def _answer_shown(client: Client, slug: str) -> str | None:
    """The answer the summary shows for the question ``slug`` (None: not listed)."""
    found = re.search(
        rf'<dd>(?:<bdi dir="ltr" lang="de">)?([^<]*)(?:</bdi>)? <a href="/de/selbstcheck/frage/{slug}/"',
        _summary_rows(client),
    )
    return found.group(1).strip() if found else None


def test_title_and_paragraph_are_asked_on_one_page(client, directory):
    asked = answer_all(client)
    assert "aufenthalt" in asked and "paragraf" not in asked
    summary = _summary_rows(client)
    assert "Aufenthaltserlaubnis" in summary and "§ 25 Abs. 2 AufenthG" in summary
    page = client.get("/de/selbstcheck/frage/aufenthalt/").content.decode()
    assert '<option value="25(2)" dir="ltr" selected>' in page  # shown again to be changed
    assert re.search(r'<optgroup label="Duldung"><option value="60a" dir="ltr">', page)
    # on an Arabic page the paragraph and the place read left to right, in German
    arabic = client.get("/ar/selbstcheck/antworten/").content.decode()
    assert '<dd><bdi dir="ltr" lang="de">§ 25 Abs. 2 AufenthG</bdi> <a' in arabic
    assert re.search(r'<dd><bdi dir="ltr" lang="de">\d{5} [^<]+</bdi> <a', arabic)


def test_paragraph_left_open_is_not_asked_again_but_can_be_given_later(client, directory):
    asked = answer_all(client, answers={**ANSWERS, "paragraf": ""})
    assert "paragraf" not in asked
    assert _answer_shown(client, "paragraf") == "Ich weiß es nicht"
    page = client.get("/de/selbstcheck/frage/paragraf/")
    client.post("/de/selbstcheck/frage/paragraf/", {"token": token(page), "answer": "25(2)"})
    assert _answer_shown(client, "paragraf") == "§ 25 Abs. 2 AufenthG"


@pytest.mark.parametrize(
    ("title", "section", "message"),
    [
        ("niederlassungserlaubnis", "25(2)", "Einen Paragrafen gibt es nur bei"),
        ("duldung", "25(2)", "Dieser Paragraf gehört nicht zu diesem Papier"),
        ("aufenthaltserlaubnis", "60a", "Dieser Paragraf gehört nicht zu diesem Papier"),
    ],
)
def test_a_paragraph_that_does_not_fit_the_title_is_refused(
    client, directory, title, section, message
):
    location, page = _first_question(client)
    client.post(location, {"token": token(page), "answer": ANSWERS["geburtsdatum"]})
    page = client.get("/de/selbstcheck/frage/aufenthalt/")
    before = _summary_rows(client)
    response = client.post(
        "/de/selbstcheck/frage/aufenthalt/",
        {"token": token(page), "answer": title, "section": section},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert 'href="#id_section"' in html  # the error summary links to the list
    assert 'aria-describedby="id_section-hint id_section-error" aria-invalid="true"' in html
    assert _summary_rows(client) == before  # nothing kept


@pytest.mark.parametrize(
    ("title", "shown", "paragraph"),
    [
        ("niederlassungserlaubnis", "Niederlassungserlaubnis (unbefristet)", None),
        ("duldung", "Duldung", "Ich weiß es nicht"),
    ],
)
def test_changing_the_title_drops_the_old_paragraph(client, directory, title, shown, paragraph):
    """The list still shows the old paragraph when the document is changed, and a browser sends
    it again: it is dropped, not refused."""
    answer_all(client)
    page = client.get("/de/selbstcheck/frage/aufenthalt/")
    assert '<option value="25(2)" dir="ltr" selected>' in page.content.decode()
    response = client.post(
        "/de/selbstcheck/frage/aufenthalt/",
        {"token": token(page), "answer": title, "section": "25(2)"},
    )
    assert response.status_code == 302
    assert _answer_shown(client, "aufenthalt") == shown
    assert _answer_shown(client, "paragraf") == paragraph


def test_the_same_title_keeps_a_paragraph_chosen_again(client, directory):
    answer_all(client, answers={**ANSWERS, "paragraf": "24"})
    page = client.get("/de/selbstcheck/frage/aufenthalt/")
    client.post(
        "/de/selbstcheck/frage/aufenthalt/",
        {"token": token(page), "answer": "aufenthaltserlaubnis", "section": "25(2)"},
    )
    assert _answer_shown(client, "paragraf") == "§ 25 Abs. 2 AufenthG"


def test_the_question_number_counts_title_and_paragraph_as_one_page(client, directory):
    location, page = _first_question(client)
    assert "Frage 1" in page
    client.post(location, {"token": token(page), "answer": ANSWERS["geburtsdatum"]})
    residence = client.get("/de/selbstcheck/frage/aufenthalt/")
    assert "Frage 2" in residence.content.decode()
    response = client.post(
        "/de/selbstcheck/frage/aufenthalt/",
        {"token": token(residence), "answer": "aufenthaltserlaubnis", "section": ""},
    )
    assert "Frage 3" in client.get(response["Location"]).content.decode()


# --- leaving the self-check for other pages keeps the answers ------------------------------------


@pytest.mark.parametrize(
    "path", ["/de/datenschutz/", "/de/barrierefreiheit/", "/de/angebote/", "/de/programme/"]
)
def test_answers_survive_a_visit_to_another_page(client, directory, path):
    location, page = _first_question(client)
    client.post(location, {"token": token(page), "answer": ANSWERS["geburtsdatum"]})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.get(path)
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # neither replaced nor deleted
    assert client.cookies[settings.SESSION_COOKIE_NAME].value == cookie
    assert _answer_shown(client, "geburtsdatum") == "1. Januar 2000"


def test_staff_never_get_a_kept_anonymous_question_page(client, directory, django_user_model):
    """Kept pages are for visitors who are not logged in; staff see their own navigation."""
    anonymous = Client()
    assert "Anmelden" in _first_question(anonymous)[1]  # now kept for this step
    staff = django_user_model.objects.create_user("staff-selfcheck", password="x-x-x-x-x-x-1")
    client.force_login(staff)
    html = _first_question(client)[1]
    assert "Fallarbeit" in html and ">Anmelden<" not in html
    assert ">Anmelden<" in _first_question(Client())[1]


@pytest.mark.parametrize(
    ("lang", "zero"),
    [("ar", 0x0660), ("fa", 0x06F0)],  # what an Arabic and a Persian/Dari phone keyboard type
)
def test_a_phone_keyboards_digits_are_understood(client, directory, lang, zero):
    def native(text: str) -> str:
        return "".join(chr(zero + int(c)) if c.isdigit() else c for c in text)

    typed = {**ANSWERS, "geburtsdatum": native("01.01.2000"), "postleitzahl": native("64283")}
    asked = answer_all(client, lang, answers=typed)
    assert {"geburtsdatum", "postleitzahl"} <= set(asked)
    summary = client.get("/de/selbstcheck/antworten/").content.decode()
    assert "1. Januar 2000" in summary and "64283" in summary


@pytest.mark.parametrize("lang", ["ar", "fa", "uk"])
def test_the_easy_language_link_is_marked_in_the_pages_language(client, directory, lang):
    """A link whose text is translated is not marked German; the German "Leichte Sprache" is."""
    html = client.get(f"/{lang}/selbstcheck/").content.decode()
    links = re.findall(rf'<a href="/{lang}/leichte-sprache/"([^>]*)>([^<]*)</a>', html)
    translated = [attrs for attrs, text in links if text != "Leichte Sprache"]
    german = [attrs for attrs, text in links if text == "Leichte Sprache"]
    assert translated and german
    assert all(' lang="de"' not in attrs and ' hreflang="de"' in attrs for attrs in translated)
    assert all(' lang="de"' in attrs for attrs in german)
