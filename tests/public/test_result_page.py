"""The result page in plain words and phone first (issue 11), through the test client.

- The reasons a person reads are about her: table-driven from the domain texts (seed 001,
  shared/domain/eligibility.md § 3), e.g. a woman is told that Win-Win is for men, not that it
  excludes young men with her residence title.
- No internal catalogue id (round ids and keys, programme and rule ids, source ids, "Seed …",
  "S41") appears in the visible text of the result page in any of the six languages, nor on the
  offer, programme, project and organisation pages.
- What fits comes first, each programme with its nearest fitting offer; what is open names the
  question that would decide it; sources are listed by title with their links, internal
  sources never.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from tests.public.test_selfcheck import answer_all
from wegweiser.directory.models import Offer
from wegweiser.eligibility.catalogue import load_catalogue
from wegweiser.organisations.models import Organisation
from wegweiser.programmes.models import Project

LANGS = [code for code, _name in settings.LANGUAGES]

#: Typical persons (answers by question slug); a slug left out is answered "Ich weiß es nicht".
WOMAN = {  # the browser test's persona: humanitarian residence permit, Darmstadt
    "geburtsdatum": "01.01.1995",
    "geschlecht": "female",
    "aufenthalt": "aufenthaltserlaubnis",
    "paragraf": "25(2)",
    "staatsangehoerigkeit": "SY",
    "arbeitsverbot": "none",
    "jobcenter": "not_reached",
    "postleitzahl": "64291",
    "migrationsgeschichte": "yes",
    "abschluss": "yes",
    "deutsch": "A2",
}
YOUNG_MAN_DULDUNG = {  # Win-Win round 2 excludes his residence title (seed 001)
    "geburtsdatum": "01.01.2003",
    "geschlecht": "male",
    "aufenthalt": "duldung",
    "paragraf": "60a",
    "staatsangehoerigkeit": "AF",
    "arbeitsverbot": "temporary",
    "jobcenter": "not_reached",
    "postleitzahl": "64283",
    "migrationsgeschichte": "yes",
    "abschluss": "no",
    "deutsch": "A1",
}
MAN_40_GESTATTUNG = {  # too old for Win-Win; the residence title is not what he is told
    "geburtsdatum": "01.01.1985",
    "geschlecht": "male",
    "aufenthalt": "aufenthaltsgestattung",
    "staatsangehoerigkeit": "IR",
    "arbeitsverbot": "none",
    "jobcenter": "refuses",
    "postleitzahl": "60311",
    "migrationsgeschichte": "yes",
    "abschluss": "yes",
    "deutsch": "B1",
}
EU_MAN_MUNICH = {  # outside Hessen, EU citizen, supported by the job centre
    "geburtsdatum": "01.01.1999",
    "geschlecht": "male",
    "aufenthalt": "free_movement",
    "staatsangehoerigkeit": "RO",
    "jobcenter": "supported",
    "postleitzahl": "80331",
    "migrationsgeschichte": "yes",
    "abschluss": "no",
    "deutsch": "none",
}
MOSTLY_UNKNOWN = {"geburtsdatum": "01.01.1990"}  # every other question: "Ich weiß es nicht"
PERSONAS = {
    "woman": WOMAN,
    "young-man-duldung": YOUNG_MAN_DULDUNG,
    "man-40-gestattung": MAN_40_GESTATTUNG,
    "eu-man-munich": EU_MAN_MUNICH,
    "mostly-unknown": MOSTLY_UNKNOWN,
}


@pytest.fixture
def directory(every_organisation_answers):
    """Every offer takes a contact request (tests/public/test_contacts.py: the others)."""
    return every_organisation_answers


def result_page(answers: dict, lang: str = "de") -> str:
    client = Client()
    answer_all(client, lang, answers=answers)
    response = client.get(f"/{lang}/selbstcheck/ergebnis/")
    assert response.status_code == 200
    return response.content.decode()


# --- visible text and the catalogue's ids ---------------------------------------------------------


_INLINE = {"a", "abbr", "b", "bdi", "bdo", "code", "em", "i", "small", "span", "strong"}


class _Text(HTMLParser):
    """The text a person can read: every text node outside script and style, without tags and
    attributes (folded <details> included: they are one tap away)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1
        if tag not in _INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._skip -= 1
        if tag not in _INLINE:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def catalogue_ids() -> set[str]:
    """Every id of the catalogue files a person must never read."""
    cat = load_catalogue()
    ids: set[str] = set(cat.sources)
    for programme in cat.programmes:
        # "wir" is also the German word "we" ("Warum wir das fragen"); WIR, the programme's
        # name, is upper case. Every other programme id is checked.
        if programme.id != "wir":
            ids.add(programme.id)
        for rnd in programme.rounds:
            ids.update({rnd.id, rnd.key})
            ids.update(rule.id for rule in rnd.rules)
    return ids


IDS = catalogue_ids()
_ID_PATTERN = re.compile(
    r"(?<![\w-])(" + "|".join(map(re.escape, sorted(IDS, key=len, reverse=True))) + r")(?![\w-])"
)
#: "Seed 000", "S41", "S61b" (the domain texts' source numbers) and our own decision document.
_SOURCE_NUMBER = re.compile(r"(?i:\bseed\b)|\bS\d+[a-z]?\b")
_INTERNAL_TITLES = tuple(s.title for s in load_catalogue().sources.values() if not s.public)


def internal_ids_in(html: str) -> list[str]:
    text = visible_text(html)
    found = [m.group(1) for m in _ID_PATTERN.finditer(text)]
    found += [m.group(0) for m in _SOURCE_NUMBER.finditer(text)]
    found += [title for title in _INTERNAL_TITLES if title in text]
    return sorted(set(found))


def test_the_check_finds_the_ids_it_looks_for():
    """The detector itself: it must catch what issue 11 found on the pages."""
    page = (
        "<p>Win-Win <small>win-win-1</small> wir/wir-2026 (Seed 000; S41) "
        "<script>var x = 'win-win-2';</script><a href='/de/programme/jmd/'>JMD</a></p>"
    )
    assert internal_ids_in(page) == ["S41", "Seed", "win-win-1", "wir/wir-2026"]
    assert internal_ids_in("<p>wegweiser: Eligibility – the product decisions (v1)</p>")
    assert (
        internal_ids_in("<p>Warum wir das fragen: WIR, Win-Win, JMD, IQ, § 60a AufenthG</p>") == []
    )


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_no_internal_id_on_the_result_page(directory, lang, persona):
    html = result_page(PERSONAS[persona], lang)
    assert "programme-result" in html
    assert internal_ids_in(html) == []


@pytest.mark.parametrize("lang", LANGS)
def test_no_internal_id_on_the_offer_programme_project_and_organisation_pages(directory, lang):
    client = Client()
    cat = load_catalogue()
    pages = [f"/{lang}/programme/"] + [f"/{lang}/programme/{p.id}/" for p in cat.programmes]
    offers = Offer.objects.filter(status=Offer.PUBLISHED, funding_round__isnull=False)
    one_per_round = {o.funding_round_id: o for o in offers}.values()
    organisation = Organisation.objects.filter(offers__isnull=False).first()
    with translation.override(lang):
        pages += [o.get_absolute_url() for o in one_per_round]
        pages += [p.get_absolute_url() for p in Project.objects.all()[:3]]
        pages.append(organisation.get_absolute_url())
    assert len(pages) > 20
    found = {}
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        ids = internal_ids_in(response.content.decode())
        if ids:
            found[path] = ids
    assert found == {}


# --- the reasons a person reads (table-driven from the domain texts) ------------------------------


def not_fitting(html: str) -> dict[str, list[str]]:
    """Round key -> the reasons shown under "Diese Programme passen nicht"."""
    section = html[html.index('id="no-heading"') : html.index('id="angebote"')]
    out = {}
    for key, body in re.findall(
        r'<article class="programme-result" data-round="([^"]+)">(.*?)</article>', section, re.S
    ):
        reasons = re.search(r'<ul class="reasons">(.*?)</ul>', body, re.S).group(1)
        out[key] = [visible_text(li) for li in re.findall(r"<li>(.*?)</li>", reasons, re.S)]
    return out


def fitting_programmes(html: str) -> list[str]:
    section = html[html.index('id="fit-heading"') :]
    section = section[: section.index("</section>")]
    return re.findall(r'<li class="programme-result" data-programme="([^"]+)">', section)


MALE = "Das Programm richtet sich an junge Männer."
AGE = "Alter von 18 bis 35 Jahren (bis zum Tag vor dem 36. Geburtstag)."
JOBCENTRE = "Von Jobcenter oder Agentur für Arbeit nicht (mehr) erreicht"
RESIDENCE = "Kein Aufenthalt aus völkerrechtlichen, humanitären oder politischen Gründen"


@pytest.mark.parametrize(
    ("persona", "round_key", "told", "fits"),
    [
        # seed 001: Win-Win is for young men; round 2 excludes refugee residence among them
        ("woman", "win-win/win-win-1", MALE, "wir"),
        ("woman", "win-win/win-win-2", MALE, "wir"),
        ("young-man-duldung", "win-win/win-win-2", RESIDENCE, "win-win"),
        ("man-40-gestattung", "win-win/win-win-2", AGE, "wir"),
        ("eu-man-munich", "win-win/win-win-2", JOBCENTRE, None),
        # eligibility.md § 3: WIR is for refugees; Hessen's programmes for people in Hessen
        ("eu-man-munich", "hessen-wir-fallmanagement/hessen-wir-fm", "Geflüchtet", None),
        ("eu-man-munich", "hessen-lotsen/hessen-lotsen", "Wohnt in Hessen.", None),
    ],
)
def test_the_reason_shown_is_what_fails_for_this_person(directory, persona, round_key, told, fits):
    html = result_page(PERSONAS[persona])
    reasons = not_fitting(html)
    (reason,) = reasons[round_key]  # one reason: the first rule that fails for her
    assert reason.startswith(told), reason
    if fits:
        assert fits in fitting_programmes(html)


def test_a_woman_is_never_told_about_young_men_with_her_residence_title(directory):
    text = visible_text(result_page(WOMAN))
    assert "Kein Aufenthalt aus völkerrechtlichen" not in text
    assert "nicht gefördert werden junge Männer" not in text
    active_win_win = [
        r for r in load_catalogue().programme("win-win").rounds if r.is_active(timezone.localdate())
    ]
    assert len(active_win_win) >= 2
    assert text.count(MALE) == len(active_win_win)  # once per round: the reason for her


def test_a_young_man_with_a_duldung_is_told_about_his_residence_title_with_its_laws(directory):
    html = result_page(YOUNG_MAN_DULDUNG)
    section = html[html.index('data-round="win-win/win-win-2"') :]
    section = section[: section.index("</article>")]
    assert "Geflüchtete gehören in dieser Förderrunde nicht zur Zielgruppe" in section
    # the sources: the law sections linked to the law, the guideline pages by title
    assert 'href="https://www.gesetze-im-internet.de/asylvfg_1992/"' in section
    assert ">§ 55 AsylG</a>" in section
    assert ">esfplus.de: Win-Win</a>" in section
    assert "Seed" not in section and "wegweiser: Eligibility" not in section


def test_rounds_are_named_with_programme_round_and_years(directory):
    html = result_page(YOUNG_MAN_DULDUNG)
    assert "Win-Win – Durch Kooperation zur Integration, 1. Förderrunde (2024–2027)" in (
        visible_text(html)
    )


# --- phone first ---------------------------------------------------------------------------------


def test_each_fitting_programme_comes_with_its_nearest_fitting_offer(directory):
    from wegweiser.core import geo
    from wegweiser.directory import selectors as directory_selectors
    from wegweiser.eligibility.facts import parse_profile

    html = result_page(WOMAN)
    section = html[html.index('id="fit-heading"') : html.index('class="notice result-note"')]
    items = re.findall(r'data-programme="([^"]+)">(.*?)(?=data-programme=|$)', section, re.S)
    assert len(items) >= 3
    point = geo.postcode(WOMAN["postleitzahl"])
    profile = parse_profile(
        {
            "birth_date": "1995-01-01",
            "gender": "female",
            "residence": {"title": "aufenthaltserlaubnis", "section": "25(2)"},
            "citizenships": ["SY"],
            "work_ban": "none",
            "jobcentre_contact": "not_reached",
            "kreis": point.kreis_ags,
            "migration_background": True,
            "foreign_qualification": True,
            "german_level": "A2",
        },
        reference_date=timezone.localdate(),
    )
    shown = 0
    for programme, body in items:
        found = directory_selectors.search_offers(
            directory_selectors.OfferQuery(
                lat=point.lat,
                lon=point.lon,
                radius_km=100,
                profile=profile,
                programmes=(programme,),
                sort="distance",
                page_size=1,
            )
        )
        if found.hits:
            assert f'data-offer-id="{found.hits[0].offer.id}"' in body, programme
            assert "Kontakt anfragen" in body
            shown += 1
        else:
            assert "Kein passendes Angebot" in body
    assert shown >= 3


def test_what_fits_and_what_is_open_come_before_the_details(directory):
    html = result_page({k: v for k, v in YOUNG_MAN_DULDUNG.items() if k != "jobcenter"})
    order = [
        html.index('id="fit-heading"'),
        html.index('id="open-heading"'),
        html.index('id="no-heading"'),
        html.index('id="angebote"'),
        html.index('id="gruende-heading"'),
        html.index('id="answers-heading"'),
    ]
    assert order == sorted(order)
    # an open round names the one question that decides it, linked
    open_section = html[order[1] : order[2]]
    assert 'href="/de/selbstcheck/frage/jobcenter/"' in open_section
    # the programmes that do not fit and the answers are folded; the full list of the
    # nearest offers too (each fitting programme shows its own above)
    no_section = html[order[2] : order[3]]
    assert '<details class="result-details">' in no_section
    nearby = html[order[3] : order[4]]
    assert '<details class="result-details nearest-details">' in nearby
    assert 'id="map"' in nearby


def test_without_a_postcode_the_postcode_form_follows_what_fits(directory):
    html = result_page({k: v for k, v in WOMAN.items() if k != "postleitzahl"})
    fit = html.index('id="fit-heading"')
    form = html.index('class="inline-form postcode-form"')
    assert fit < form < html.index('id="no-heading"')


def test_postcode_and_birth_date_read_as_words_in_the_answers(directory):
    client = Client()
    answer_all(client, "ar", answers=WOMAN)
    html = client.get("/ar/selbstcheck/ergebnis/").content.decode()
    text = visible_text(html)
    assert "64291 Darmstadt" in text
    assert "01.01.1995" not in text  # the date in the page's language, not as typed
    assert "1995" in text


def test_codes_read_as_labels_on_the_offer_page(directory):
    """Languages by name, the Kreis by name, dates in the page's format (issue 11)."""
    from wegweiser.core.languages import language_label

    offer = next(
        o
        for o in Offer.objects.filter(status=Offer.PUBLISHED).exclude(last_verified=None)
        if len(o.languages) > 1 and o.placements.filter(location__region__isnull=False)
    )
    html = Client().get(offer.get_absolute_url()).content.decode()
    text = visible_text(html)
    region = offer.placements.first().location.region
    assert region.label in text and region.ags not in text
    words = set(re.findall(r"[\w-]+", text))
    for code in offer.languages:
        assert code not in words, code
        with translation.override("de"):
            assert language_label(code) in text
    assert offer.last_verified.strftime("%Y-%m-%d") not in text
    assert offer.last_verified.strftime("%d.%m.%Y") in text  # the German short date
