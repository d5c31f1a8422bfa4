"""The directory's search and offer pages in a real browser (acceptance of the directory issue)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import serious_violations, wait_until

pytestmark = pytest.mark.browser


def wait_for_map(page):
    """Until the map shows the search the result list shows."""
    wait_until(
        page,
        "() => { const m = document.getElementById('map'), r = document.getElementById('results');"
        " return m && r && m.dataset.loading === 'false'"
        " && m.dataset.loadedUrl === r.dataset.geojsonUrl; }",
    )


def card_ids(page) -> list[str]:
    return page.locator(".offer-card").evaluate_all("els => els.map(e => e.dataset.offerId)")


def marker_ids(page) -> set[str]:
    return set((page.locator("#map").get_attribute("data-marker-ids") or "").split())


def failures(page) -> list[str]:
    """What goes wrong on the page from now on: answers >= 400 and errors in the console."""
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("console", lambda m: failed.append(m.text) if m.type == "error" else None)
    return failed


def search(page, **fields):
    page.goto("/de/angebote/")
    wait_for_map(page)
    for name, value in fields.items():
        page.fill(f"#id_{name}", value)
    page.get_by_role("button", name="Suchen").click()
    wait_until(
        page,
        "fields => { const p = new URLSearchParams(location.search);"
        " return Object.entries(fields).every(([k, v]) => p.get(k) === v)"
        " && document.getElementById('results').dataset.geojsonUrl.includes(location.search.slice(1)); }",
        arg=fields,
    )
    wait_for_map(page)


def test_recognition_near_frankfurt_lists_an_iq_offer_first_with_its_marker(page, live_url):
    search(page, q="Anerkennung", postcode="60311")
    first = page.locator(".offer-card").first
    assert "IQ" in first.locator("h3").inner_text()
    assert "Anerkennung" in first.locator("h3").inner_text()
    first_id = first.get_attribute("data-offer-id")
    assert first_id in marker_ids(page)
    # The marker is drawn (not hidden in a cluster) once the map has zoomed to the results.
    title = first.locator("h3").inner_text()
    page.wait_for_selector(f'.leaflet-marker-icon[title="{title}"]', state="visible")
    params = parse_qs(urlparse(page.url).query)
    assert params["q"] == ["Anerkennung"] and params["postcode"] == ["60311"]
    assert all(u.startswith(live_url) for u in page.external_requests), page.external_requests


def test_filters_change_list_and_map_together(page):
    page.goto("/de/angebote/")
    wait_for_map(page)
    all_markers = marker_ids(page)
    heading = page.locator("#results-heading").inner_text()
    page.get_by_label("Deutsch lernen").check()  # submits by itself (htmx, on change)
    wait_until(page, "() => location.search.includes('theme=german-language')")
    wait_until(page, "h => document.getElementById('results-heading').innerText !== h", arg=heading)
    wait_for_map(page)
    total = int(re.match(r"\d+", page.locator("#results-heading").inner_text()).group())
    ids = card_ids(page)
    markers = marker_ids(page)
    assert 0 < total < len(all_markers)
    assert len(markers) == total  # every match has a place in the demo data
    assert set(ids) <= markers
    for card in page.locator(".offer-card .themes").all_inner_texts():
        assert "Deutsch lernen" in card
    # Narrowing further to one Kreis narrows both again.
    page.select_option("#id_region", "06412")
    wait_until(page, "() => location.search.includes('region=06412')")
    wait_for_map(page)
    wait_until(
        page, "n => document.getElementById('map')?.dataset.markers !== String(n)", arg=total
    )
    assert set(card_ids(page)) == marker_ids(page)
    assert len(marker_ids(page)) < total
    expect(page.locator("#map-status")).to_have_text(f"Angebote: {len(marker_ids(page))}")


def test_the_free_checkbox_narrows_list_and_map_together(page):
    """The checkbox sends ``free=on``, and the map's two API requests carry the page's query
    string: the API takes ``on`` (and the empty fields beside it) as the search page does."""
    page.goto("/de/angebote/")
    wait_for_map(page)
    every = marker_ids(page)
    page.get_by_text("Weitere Filter").click()
    page.get_by_label("nur kostenlose Angebote").check()  # submits by itself (htmx, on change)
    wait_until(page, "() => location.search.includes('free=on')")
    wait_for_map(page)
    total = int(re.match(r"\d+", page.locator("#results-heading").inner_text()).group())
    markers = marker_ids(page)
    assert set(card_ids(page)) <= markers <= every
    assert len(markers) == total > 0  # every match has a place in the demo data


def test_the_list_works_without_javascript(page_without_js):
    page = page_without_js
    page.goto("/de/angebote/")
    page.fill("#id_q", "Anerkennung")
    page.fill("#id_postcode", "60311")
    page.get_by_role("button", name="Suchen").click()
    page.wait_for_url(re.compile(r"q=Anerkennung"))
    assert "IQ" in page.locator(".offer-card h3").first.inner_text()
    # Paging through all offers is plain links.
    page.goto("/de/angebote/")
    page.get_by_role("link", name="Nächste Seite").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert page.locator(".offer-card").count() == 20
    # And a bad postcode is a message on the page, not an error page.
    page.goto("/de/angebote/?postcode=99999")
    assert "Die Postleitzahl 99999 kennen wir nicht." in page.locator(".error-summary").inner_text()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("postcode=99999", "Die Postleitzahl 99999 kennen wir nicht."),
        ("postcode=60311&radius=-5", "Der Umkreis muss zwischen 1 und 300 km liegen."),
        ("theme=astrology", "astrology ist keine gültige Auswahl"),
        ("radius=abc&postcode=60311", "Der Umkreis muss eine Zahl sein."),
    ],
)
def test_bad_filters_get_a_clear_message(page, query, message):
    failed = failures(page)
    response = page.goto(f"/de/angebote/?{query}")
    assert response.status == 200
    summary = page.locator(".error-summary")
    assert message in summary.inner_text()
    # The map shows no search and does not ask the API with the refused values.
    wait_for_map(page)
    assert marker_ids(page) == set() and failed == []
    expect(page.locator(".map-legend")).to_be_hidden()  # no empty legend box
    # The message links to the field it is about.
    link = summary.locator("a").first
    target = link.get_attribute("href")
    link.click()
    assert page.evaluate("() => '#' + document.activeElement.id") == target


def test_a_bad_postcode_typed_in_clears_the_map_and_asks_nothing(page):
    """Through htmx: the list shows the message, the map its last search no more."""
    failed = failures(page)
    page.goto("/de/angebote/")
    wait_for_map(page)
    assert marker_ids(page)
    expect(page.locator(".map-legend")).to_contain_text("Angebote")
    page.fill("#id_postcode", "99999")
    page.get_by_role("button", name="Suchen").click()
    expect(page.locator(".error-summary")).to_contain_text(
        "Die Postleitzahl 99999 kennen wir nicht."
    )
    wait_for_map(page)
    assert marker_ids(page) == set() and failed == []
    assert page.locator("#map-status").inner_text() == ""
    expect(page.locator(".map-legend")).to_be_hidden()  # emptied, not left as an empty box


def test_keyboard_alone_reaches_every_control(page):
    page.goto("/de/angebote/")
    wait_for_map(page)
    page.locator("body").focus()
    seen: list[str] = []
    for _ in range(160):
        page.keyboard.press("Tab")
        key = page.evaluate(
            "() => { const e = document.activeElement;"
            " return e.id || e.getAttribute('aria-label') || e.getAttribute('title')"
            " || (e.name ? e.name + '=' + e.value : '') || e.tagName + ':' + e.textContent.trim(); }"
        )
        if (
            key == "SUMMARY:Weitere Filter"
            and page.locator("details.more-filters").get_attribute("open") != ""
        ):
            page.keyboard.press("Enter")  # opening the disclosure by keyboard
        seen.append(key)
    controls = page.evaluate(
        "() => [...document.querySelectorAll('.search-form input:not([type=hidden]), "
        ".search-form select, .search-form button, .search-form summary, .search-form a')]"
        ".map(e => e.id || (e.name ? e.name + '=' + e.value : e.tagName + ':' + e.textContent.trim()))"
    )
    missing = [c for c in controls if c not in seen]
    assert not missing, missing
    assert "Vergrößern" in seen and "Verkleinern" in seen  # the map's controls, in German
    first_result = page.locator(".offer-card h3 a").first.inner_text()
    assert f"A:{first_result}" in seen  # the result list


def test_axe_finds_no_serious_violation_on_search_and_offer_pages(page):
    page.goto("/de/angebote/?q=Anerkennung&postcode=60311")
    wait_for_map(page)
    assert serious_violations(page) == []
    page.goto("/de/angebote/?postcode=99999")
    assert serious_violations(page) == []
    page.goto("/de/angebote/")
    wait_for_map(page)
    href = page.locator(".offer-card h3 a").first.get_attribute("href")
    page.goto(href)
    page.wait_for_selector(".leaflet-marker-icon")
    assert serious_violations(page) == []
    with page.expect_navigation():
        page.locator(".org a").click()
    assert serious_violations(page) == []


#: Where each of some texts begins on the screen (the left edge of its first occurrence in the
#: element's text), whatever markup isolates it.
_LEFT_EDGES = """([el, texts]) => texts.map((text) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent.indexOf(text);
        if (at === -1) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + text.length);
        return range.getBoundingClientRect().left;
    }
    return null;
})"""


def _left_edges(page, locator, *texts) -> list[float]:
    return page.evaluate(_LEFT_EDGES, [locator.element_handle(), list(texts)])


def test_times_and_places_read_left_to_right_on_an_arabic_page(page):
    """In a right-to-left page a German place ("60325 Frankfurt am Main") and opening hours
    ("10:00–13:00") keep their order: without isolation the browser showed "13:00–10:00"."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/ar/angebote/?postcode=60311&radius=30")
    # the count under the map: a label and a number, no plural form to choose ("149 العروض")
    expect(page.locator("#map-status")).to_have_text(re.compile(r"^العروض: \d+$"))
    place = page.locator(".offer-card .meta").first
    postcode, city = re.match(r"\s*(\d{5}) ([^·]+?)\s*(·|$)", place.inner_text()).group(1, 2)
    left_postcode, left_city = _left_edges(page, place, postcode, city)
    assert left_postcode < left_city, (postcode, city)
    for href in page.locator(".offer-card h3 a").evaluate_all("(as) => as.map(a => a.href)"):
        page.goto(href)
        if page.locator(".hours dd").count():
            break
    else:
        raise AssertionError("no offer of the search shows opening hours")
    for dd in page.locator(".hours dd").all():
        opens, closes = dd.inner_text().split("–")
        left_opens, left_closes = _left_edges(page, dd, opens, closes)
        assert opens < closes and left_opens < left_closes, (opens, closes)
