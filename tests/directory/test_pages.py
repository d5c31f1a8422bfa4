"""Public pages and the maintenance pages (deny by default, drafts, verification)."""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from wegweiser.accounts.models import Membership, Role
from wegweiser.directory.models import Offer
from wegweiser.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_orgs(demo_directory):
    orgs = list(Organisation.objects.filter(offers__isnull=False).distinct().order_by("name")[:2])
    return orgs


def member(org, role=Role.COUNSELLOR, name="anna"):
    user = get_user_model().objects.create_user(name, password="pw-not-used")
    Membership.objects.create(user=user, organisation=org, role=role)
    return user


def test_search_page_lists_offers_and_keeps_filters_in_the_url(client, demo_directory):
    response = client.get("/de/angebote/", {"q": "Anerkennung", "postcode": "60311"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "IQ Beratung zur Anerkennung" in html
    assert 'value="Anerkennung"' in html and 'value="60311"' in html
    assert "/api/v1/offers.geojson?q=Anerkennung&amp;postcode=60311" in html
    # Only our own static files and no third-party address in the page.
    assert "unpkg" not in html and "cdn" not in html.lower()


def test_htmx_requests_get_only_the_result_list(client, demo_directory):
    response = client.get("/de/angebote/", {"theme": "youth"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html


def test_offer_page_shows_who_it_is_for_with_the_rules(client, demo_directory):
    offer = Offer.objects.filter(status="published", funding_round__programme__key="jmd").first()
    html = client.get(offer.get_absolute_url()).content.decode()
    assert offer.title in html
    assert "Für wen ist das Angebot?" in html
    assert "27" in html  # the JMD age rule in plain words
    assert "Quelle" in html
    assert "Demodaten" in html
    assert offer.organisation.name in html
    en = client.get(offer.get_absolute_url().replace("/de/", "/en/")).content.decode()
    assert offer.name["en"] in en


@pytest.mark.parametrize("lang", ["ar", "fa", "uk"])
def test_german_descriptions_are_marked_german_on_other_pages(client, demo_directory, lang):
    """An offer described only in German, on an Arabic page: the title and the description carry
    lang="de" (a German voice, WCAG 3.1.2) and read left to right; one described in the page's
    language does not."""
    offer = Offer.objects.filter(status="published").order_by("sort_name").first()
    offer.name = {"de": "Beratungsangebot Qz"}
    offer.description = {"de": "Wir beraten zu Ausbildung und Arbeit Qz."}
    offer.hours_note = "Termine nach Vereinbarung Qz"
    offer.save()
    url = f"/{lang}/" + offer.get_absolute_url().split("/", 2)[2]
    html = client.get(url).content.decode()
    assert '<p dir="auto" lang="de">Wir beraten zu Ausbildung und Arbeit Qz.</p>' in html
    # its languages (German and at least one more) as the page's language writes a list
    languages = re.search(r"<dd>([^<]*)</dd>", html[html.index('id="hours-heading"') :]).group(1)
    assert ("، " in languages) if lang in ("ar", "fa") else (", " in languages), languages
    assert '<bdi lang="de">Beratungsangebot Qz</bdi>' in html
    assert '<p dir="auto" lang="de">Termine nach Vereinbarung Qz</p>' in html
    offer.name[lang] = "Qz " + lang
    offer.description[lang] = "Qz " + lang + "."
    offer.save()
    html = client.get(url).content.decode()
    assert f'<p dir="auto">Qz {lang}.</p>' in html and f"<bdi>Qz {lang}</bdi>" in html
    german = client.get(offer.get_absolute_url()).content.decode()
    assert 'lang="de">Wir beraten' not in german


def test_outdated_offers_say_so(client, demo_directory):
    offer = Offer.objects.filter(status="published").first()
    offer.last_verified = dt.date.today() - dt.timedelta(days=400)
    offer.save()
    assert "Möglicherweise veraltet" in client.get(offer.get_absolute_url()).content.decode()
    offer.last_verified = dt.date.today()
    offer.save()
    assert "Möglicherweise veraltet" not in client.get(offer.get_absolute_url()).content.decode()


def test_organisation_and_project_pages(client, demo_directory):
    offer = Offer.objects.filter(status="published", project__isnull=False).first()
    org_html = client.get(offer.organisation.get_absolute_url()).content.decode()
    assert offer.title in org_html
    project_html = client.get(offer.project.get_absolute_url()).content.decode()
    assert offer.project.carrier.name in project_html
    assert "Verbundkoordination" in project_html
    assert client.get("/de/organisationen/00000000-0000-4000-8000-000000000000/").status_code == 404


def test_maintenance_requires_login(client, demo_directory):
    offer = Offer.objects.first()
    for url in (
        "/de/pflege/angebote/",
        f"/de/pflege/angebote/{offer.id}/",
        "/de/pflege/angebote/neu/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/konto/login/" in response["Location"]
    response = client.post(f"/de/pflege/angebote/{offer.id}/publish/")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_staff_edit_only_their_own_organisations_offers(client, two_orgs):
    mine, other = two_orgs
    client.force_login(member(mine))
    foreign = Offer.objects.filter(organisation=other).first()
    before = Offer.objects.values_list("id", "status", "last_verified", "name").get(pk=foreign.pk)
    for url in (f"/de/pflege/angebote/{foreign.id}/",):
        assert client.get(url).status_code == 404
    for action in ("publish", "unpublish", "verify"):
        assert client.post(f"/de/pflege/angebote/{foreign.id}/{action}/").status_code == 404
    assert (
        client.post(f"/de/pflege/angebote/{foreign.id}/", {"name_de": "gekapert"}).status_code
        == 404
    )
    assert (
        Offer.objects.values_list("id", "status", "last_verified", "name").get(pk=foreign.pk)
        == before
    )
    listing = client.get("/de/pflege/angebote/").content.decode()
    assert foreign.title not in listing or foreign.organisation == mine
    own = Offer.objects.filter(organisation=mine).first()
    assert own.title in listing


def test_roles_without_directory_rights_see_nothing(client, two_orgs):
    """Without ``offer.edit`` in any organisation every maintenance page answers 403."""
    mine, _ = two_orgs
    client.force_login(member(mine, role=Role.DATA_PROTECTION_OFFICER))
    own = Offer.objects.filter(organisation=mine).first()
    assert client.get(f"/de/pflege/angebote/{own.id}/").status_code == 403
    assert client.get("/de/pflege/angebote/neu/").status_code == 403
    listing = client.get("/de/pflege/angebote/")
    assert listing.status_code == 403 and own.title not in listing.content.decode()


def test_a_new_offer_is_a_draft_until_published(client, two_orgs):
    mine, _ = two_orgs
    client.force_login(member(mine))
    response = client.post(
        "/de/pflege/angebote/neu/",
        {
            "organisation": str(mine.pk),
            "name_de": "Bewerbungstraining am Abend",
            "description_de": "Wir üben Vorstellungsgespräche.",
            "themes": ["employment"],
            "languages": ["de", "ar"],
            "modes": ["in_person"],
            "street": "Probeweg 3",
            "postcode": "60311",
            "city": "Frankfurt am Main",
            "is_free": "on",
            "opening_hours": "Mo-Di 09:00-12:00; Do 14:00-18:30",
        },
    )
    assert response.status_code == 302, response.content.decode()
    offer = Offer.objects.get(sort_name="bewerbungstraining am abend")
    assert offer.status == Offer.DRAFT
    assert [
        (h.weekday, f"{h.opens:%H:%M}", f"{h.closes:%H:%M}") for h in offer.opening_hours.all()
    ] == [
        (1, "09:00", "12:00"),
        (2, "09:00", "12:00"),
        (4, "14:00", "18:30"),
    ]
    assert offer.region_id == "06412"
    assert offer.placements.get().location.region_id == "06412"
    client.logout()
    assert client.get(offer.get_absolute_url()).status_code == 404
    found = client.get("/api/v1/offers", {"q": "Bewerbungstraining"}).json()
    assert found["count"] == 0
    client.force_login(get_user_model().objects.get(username="anna"))
    assert client.get(offer.get_absolute_url()).status_code == 200  # a draft, to its own staff
    client.post(f"/de/pflege/angebote/{offer.id}/publish/")
    client.post(f"/de/pflege/angebote/{offer.id}/verify/")
    client.logout()
    assert client.get(offer.get_absolute_url()).status_code == 200
    found = client.get("/api/v1/offers", {"q": "Bewerbungstraining", "postcode": "60311"}).json()
    assert [r["id"] for r in found["results"]] == [str(offer.id)]
    offer.refresh_from_db()
    assert offer.last_verified == dt.date.today()


def test_edit_form_errors_are_shown_and_change_nothing(client, two_orgs):
    mine, _ = two_orgs
    client.force_login(member(mine))
    own = Offer.objects.filter(organisation=mine).first()
    before = Offer.objects.filter(pk=own.pk).values().get()
    hours = list(own.opening_hours.values_list("weekday", "opens", "closes"))
    response = client.post(
        f"/de/pflege/angebote/{own.id}/",
        {
            "organisation": str(mine.pk),
            "name_de": "",
            "themes": ["astrology"],
            "postcode": "99999",
            "opening_hours": "Mo 12:00-09:00",
            "modes": ["in_person"],
            "languages": ["de"],
            "description_de": "x",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bitte prüfen Sie Ihre Angaben" in html
    assert "Die Postleitzahl 99999 kennen wir nicht." in html
    assert "das Ende liegt nicht nach dem Beginn" in html
    assert Offer.objects.filter(pk=own.pk).values().get() == before
    assert list(own.opening_hours.values_list("weekday", "opens", "closes")) == hours


def test_outdated_offers_are_flagged_to_their_organisation(client, two_orgs, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mine, _ = two_orgs
    old = dt.date.today() - dt.timedelta(days=366)
    Offer.objects.filter(organisation=mine).update(last_verified=old)
    client.force_login(member(mine))
    listing = client.get("/de/pflege/angebote/").content.decode()
    assert "seit mehr als 12 Monaten nicht geprüft" in listing
    Offer.objects.exclude(organisation=mine).update(last_verified=dt.date.today())
    out = io.StringIO()
    call_command("remind_outdated_offers", stdout=out)
    assert "organisations notified: 1" in out.getvalue()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [mine.email]
    assert Offer.objects.filter(organisation=mine).first().title in mail.outbox[0].body


def test_htmx_history_restore_gets_the_whole_page(client, demo_directory):
    response = client.get(
        "/de/angebote/",
        {"theme": "youth"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_a_deeply_nested_profile_is_a_message_not_an_error(client, demo_directory):
    response = client.get("/api/v1/offers", {"profile": "[" * 3000})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "profile"]


def test_staff_cannot_create_or_move_offers_into_another_organisation(client, two_orgs):
    mine, other = two_orgs
    client.force_login(member(mine))
    count = Offer.objects.count()
    data = {
        "organisation": str(other.pk),
        "name_de": "Fremd",
        "description_de": "x",
        "themes": ["employment"],
        "languages": ["de"],
        "modes": ["phone"],
    }
    response = client.post("/de/pflege/angebote/neu/", data)
    assert response.status_code == 200 and "keine gültige Auswahl" in response.content.decode()
    assert Offer.objects.count() == count
    own = Offer.objects.filter(organisation=mine).first()
    response = client.post(f"/de/pflege/angebote/{own.id}/", data)
    assert response.status_code == 200
    own.refresh_from_db()
    assert own.organisation == mine and own.name.get("de") != "Fremd"


def test_staff_of_one_organisation_do_not_see_drafts_of_another(client, two_orgs):
    mine, other = two_orgs
    draft = Offer.objects.filter(organisation=other).first()
    draft.status = Offer.DRAFT
    draft.save()
    client.force_login(member(mine))
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(member(other, name="bert"))
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_changing_an_address_never_moves_a_place_other_offers_share(client, two_orgs):
    from wegweiser.directory import services

    mine, other = two_orgs
    own = Offer.objects.filter(organisation=mine).first()
    shared = own.placements.get().location
    theirs = Offer.objects.filter(organisation=other).first()
    services.offer_save(
        theirs, by=None, locations=[shared, *[p.location for p in theirs.placements.all()]]
    )
    before = (shared.street, shared.postcode, shared.lat, shared.lon, shared.organisation_id)
    client.force_login(member(mine))
    form = {
        "organisation": str(mine.pk),
        "name_de": own.name["de"],
        "description_de": own.description.get("de", "x"),
        "themes": own.themes,
        "languages": own.languages,
        "modes": own.modes,
        "street": "Neue Straße 1",
        "postcode": "34117",
        "city": "Kassel",
    }
    assert client.post(f"/de/pflege/angebote/{own.id}/", form).status_code == 302
    shared.refresh_from_db()
    assert (
        shared.street,
        shared.postcode,
        shared.lat,
        shared.lon,
        shared.organisation_id,
    ) == before
    own.refresh_from_db()
    assert own.region_id == "06611"
    theirs.refresh_from_db()
    assert theirs.placements.first().location == shared and theirs.lat == shared.lat


def test_the_edit_page_shows_what_the_offer_holds(client, two_orgs):
    """Opened to edit, the form holds the offer's stored values (it opened empty, and saving it
    would have asked the maintainer to type everything again)."""
    mine, _ = two_orgs
    own = Offer.objects.filter(organisation=mine).exclude(email="").first()
    place = own.placements.get().location
    client.force_login(member(mine))
    page = html.unescape(client.get(f"/de/pflege/angebote/{own.id}/").content.decode())
    for value in (own.name["de"], place.street, place.postcode, place.city, own.email):
        assert f'value="{value}"' in page, value
    assert own.description["de"] in page
    assert f'<option value="{mine.pk}" selected>' in page
    if own.funding_round_id:
        assert f'<option value="{own.funding_round_id}" selected>' in page
    # rounds by their programme's and their own names, never by their keys
    from wegweiser.programmes.models import FundingRound

    for rnd in FundingRound.objects.select_related("programme"):
        assert f"{rnd.programme} – {rnd.name['de']}</option>" in page
        assert f" – {rnd.key}</option>" not in page
    for theme in own.themes:
        assert re.search(
            rf'<input type="checkbox" name="themes" value="{theme}"[^>]* checked', page
        )


def test_editing_keeps_further_places_and_unlisted_languages(client, two_orgs):
    from wegweiser.directory import services
    from wegweiser.directory.models import Location

    mine, _ = two_orgs
    own = Offer.objects.filter(organisation=mine).first()
    first = own.placements.get().location
    second = Location.objects.create(
        organisation=mine,
        street="Zweitweg 2",
        postcode="60311",
        city="Frankfurt am Main",
        lat=50.11,
        lon=8.68,
    )
    own.languages = [*own.languages, "hy"]  # Armenian: not in the form's list
    services.offer_save(own, by=None, locations=[first, second])
    client.force_login(member(mine))
    page = client.get(f"/de/pflege/angebote/{own.id}/").content.decode()
    assert 'value="hy"' in page and "checked" in page
    form = {
        "organisation": str(mine.pk),
        "name_de": "Neuer Titel",
        "description_de": own.description.get("de", "x"),
        "themes": own.themes,
        "languages": own.languages,
        "modes": own.modes,
        "street": first.street,
        "postcode": first.postcode,
        "city": first.city,
    }
    assert client.post(f"/de/pflege/angebote/{own.id}/", form).status_code == 302
    own.refresh_from_db()
    assert [p.location_id for p in own.placements.all()] == [first.id, second.id]
    assert "hy" in own.languages


@pytest.mark.parametrize(
    "url",
    ["/de/angebote/", "/api/v1/offers", "/api/v1/offers.geojson"],
)
@pytest.mark.parametrize("sort", ["", "name"])
@pytest.mark.parametrize("ranked", ["database", "process"])
def test_listing_costs_the_same_queries_for_one_hit_or_twenty(
    client, demo_directory, settings, url, sort, ranked
):
    """A field a listed offer reads but the list does not load costs a query per offer."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if ranked == "database":  # a search by postcode alone is ranked in the process (around.py)
        settings.WEGWEISER_AROUND_IN_PROCESS_MAX = 0

    def queries(params):
        client.get(url, params)  # warm caches (region choices, catalogue)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params)
        assert response.status_code == 200
        return len(captured.captured_queries), response

    many_params = {"postcode": "60311", "radius": "100", "sort": sort}
    many, response = queries(many_params)
    if ranked == "process" and sort == "":  # both ranked in the process: a smaller circle
        few_params = {**many_params, "radius": "3"}
    else:
        few_params = {**many_params, "q": "Anerkennung", "theme": "recognition"}
    few, few_response = queries(few_params)
    if url == "/de/angebote/":  # fewer offers listed, but some
        listed = few_response.content.decode().count("data-offer-id=")
        assert 0 < listed < response.content.decode().count("data-offer-id=")
    body = response.content.decode()
    assert body.count("/de/angebote/") >= 20 or url.endswith("geojson")
    assert many == few


MAP_URLS = re.compile(r'data-geojson-url="([^"]*)" data-regions-url="([^"]*)"')


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=Anerkennung&postcode=60311",
        "theme=german-language&free=on&sort=name&language=ar",
        "postcode=99999",
        "postcode=60311&radius=-5",
        "radius=abc&postcode=60311",
        "theme=astrology",
        "sort=distance",
        "lat=50.1",
    ],
)
def test_the_map_asks_the_api_only_what_it_answers(client, demo_directory, query):
    """The search page's map loads its offers and Kreise from the two addresses in the page.
    A form with errors gives none (the map shows no search); every address given is one the
    API answers with 200, never the 422 of values the form refused."""
    response = client.get(f"/de/angebote/?{query}")
    assert response.status_code == 200
    geojson, regions = (
        html.unescape(url) for url in MAP_URLS.search(response.content.decode()).groups()
    )
    refused = response.context["form"].errors
    if refused:
        assert geojson == regions == ""
        api = client.get(f"/api/v1/offers.geojson?{query}")
        assert api.status_code == 422  # what the map asked before
    else:
        assert geojson and regions
        for url in (geojson, regions):
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("path", "hint"),
    [
        ("/ar/angebote/?q=عمل", "العروض موصوفة باللغة الألمانية"),
        ("/fa/angebote/?q=کار", "پیشنهادها به زبان آلمانی نوشته شده‌اند"),
        ("/de/angebote/?postcode=10115", "Die Postleitzahl 10115 liegt nicht in Hessen."),
        ("/ar/angebote/?postcode=10115&radius=20", "الرمز البريدي 10115 ليس في هيسن"),
    ],
)
def test_an_empty_search_says_what_to_try(client, demo_directory, path, hint):
    response = client.get(path)
    assert response.status_code == 200
    assert response.context["result"].total == 0
    assert hint in response.content.decode()


@pytest.mark.parametrize("lang", ["ar", "fa", "uk", "tr", "en"])
def test_the_word_the_hint_suggests_finds_offers(client, demo_directory, lang):
    """The hint's example is a German word a visitor can copy; it must find something (its
    first example, "Deutschkurs", found nothing in the directory)."""
    page = client.get(f"/{lang}/angebote/?q=%D8%B9%D9%85%D9%84").content.decode()  # عمل
    word = re.search(r"[„“«]\u2066?([A-Za-zäöüß]+)\u2069?[“”»]", page).group(1)
    assert client.get("/de/angebote/", {"q": word}).context["result"].total > 0, word


@pytest.mark.parametrize("path", ["/de/angebote/?q=Integrationskurs", "/de/angebote/?q=xyzzy"])
def test_no_hint_for_a_german_word_in_hessen(client, demo_directory, path):
    response = client.get(path)
    html = response.content.decode()
    assert "auf Deutsch beschrieben" not in html and "nicht in Hessen" not in html


@pytest.mark.parametrize("lang", ["de", "en", "ar", "uk", "fa", "tr"])
def test_the_address_of_a_language_leads_to_its_directory(client, db, lang):
    """/ar/ shared or typed: the directory in Arabic, not a "page not found"."""
    response = client.get(f"/{lang}/")
    assert response.status_code == 302
    assert response["Location"] == f"/{lang}/angebote/"


def test_visitors_switch_the_language_by_links_that_keep_the_search(client, two_orgs):
    """A visitor's language switch is the page in every language as links, the search kept;
    no form, so no CSRF token and no cookie (issue 16: the token cost 0.3 ms per page).
    Signed-in staff keep the form, which remembers their choice."""
    from django.conf import settings

    query = {"q": "Beratung", "postcode": "60311", "theme": "counselling"}
    response = client.get("/de/angebote/", query)
    page = response.content.decode()
    assert response.status_code == 200 and not response.cookies
    assert 'class="language-switch"' not in page and "csrfmiddlewaretoken" not in page
    links = re.findall(r'<li><a href="([^"]+)" lang="(\w+)" hreflang="\2" dir="(\w+)"', page)
    assert [code for _, code, _ in links] == [code for code, _ in settings.LANGUAGES]
    found = None
    for href, code, direction in links:
        assert direction == ("rtl" if code in ("ar", "fa") else "ltr")
        other = client.get(html.unescape(href))
        assert other.status_code == 200 and f'<html lang="{code}"' in other.content.decode()
        assert other.context["form"].cleaned_data["q"] == "Beratung"
        total = other.context["result"].total
        assert found in (None, total)  # the same search in every language
        found = total
    assert found
    assert '<a href="/de/angebote/?q=Beratung' in page and 'aria-current="true">Deutsch' in page

    client.force_login(member(two_orgs[0]))
    staff = client.get("/de/angebote/", query).content.decode()
    assert 'class="language-switch"' in staff and "csrfmiddlewaretoken" in staff
    assert 'class="language-links"' not in staff
