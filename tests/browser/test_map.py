"""The maps' own background in a real browser: without a tile server the search, offer and
result maps show Germany's Länder, Hessen with its Kreise, water and place names from our own
file; nothing leaves our server; a search without results keeps Hessen in view; the sources sit
behind a translated button that works by keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.helpers import serious_violations, wait_until
from tests.browser.test_directory import wait_for_map
from tests.browser.test_public import _answer_by_mouse, _questions

pytestmark = pytest.mark.browser

HESSEN = (7.77, 49.39, 10.24, 51.66)  # west, south, east, north
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def wait_for_background(page):
    wait_until(page, "() => document.getElementById('map')?.dataset.backgroundDrawn === 'true'")


def view(page) -> tuple[float, ...]:
    return tuple(float(v) for v in page.locator("#map").get_attribute("data-view").split(","))


def contains_hessen(box) -> bool:
    west, south, east, north = box
    return west <= HESSEN[0] and south <= HESSEN[1] and east >= HESSEN[2] and north >= HESSEN[3]


def shown_places(page) -> list[str]:
    return page.locator("#map .map-place:not(.map-place-hidden)").all_inner_texts()


def assert_background(page, live_url):
    wait_for_background(page)
    background = page.locator("#map .leaflet-wwBackground-pane path")
    assert background.count() >= 18  # 16 Länder (Hessen among them), Hessen, its Kreis borders
    assert page.locator("#map .leaflet-wwWater-pane path").count() >= 10
    assert all(u.startswith(live_url) for u in page.external_requests), page.external_requests
    assert not [u for u in page.external_requests if "tile" in u]


def test_the_search_map_shows_hessen_water_and_places_from_our_own_file(page, live_url):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto("/de/angebote/")
    wait_for_map(page)
    assert_background(page, live_url)
    assert any(
        u.endswith("/static/directory/map-background.geojson") for u in page.external_requests
    )
    # Hessen is drawn stronger than the other Länder.
    strokes = page.locator("#map .leaflet-wwBackground-pane path").evaluate_all(
        "els => els.map(e => parseFloat(e.getAttribute('stroke-width')))"
    )
    assert max(strokes) > min(strokes)
    # The initial view is Hessen, not the world.
    box = view(page)
    assert contains_hessen(box)
    assert box[2] - box[0] < 12 and box[3] - box[1] < 6
    # Place names: the larger places at this zoom, more when zooming in.
    first = shown_places(page)
    assert {"Frankfurt am Main", "Kassel", "Wiesbaden"} <= set(first)
    assert "Heppenheim" not in first  # a Kreisstadt: from zoom 8 on
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#map").screenshot(path=SCREENSHOTS / "map-search-de.png")
    page.locator(".leaflet-control-zoom-in").click()
    wait_until(
        page,
        "n => document.querySelector('#map .map-places').dataset.shown != n",
        arg=str(len(first)),
    )
    page.locator(".leaflet-control-zoom-in").click()
    page.wait_for_timeout(400)
    closer = shown_places(page)
    assert any(name in closer for name in ("Gießen", "Marburg", "Lauterbach", "Friedberg"))
    # Labels are plain, for the eye: not links, not in the tab order, hidden from screen readers.
    assert page.locator("#map .leaflet-wwLabels-pane").get_attribute("aria-hidden") == "true"
    assert page.locator("#map .map-place[tabindex], #map .map-place a").count() == 0
    # Name labels are no markers: the offers' markers are still counted alone.
    assert page.locator("#map .map-place.leaflet-marker-icon").count() == 0
    assert errors == []


def test_a_search_without_results_keeps_hessen_in_view(page):
    # A search with results zooms to them (here one Kreis in the north-east) …
    page.goto("/de/angebote/?region=06636")
    wait_for_map(page)
    assert page.locator("#map").get_attribute("data-markers") != "0"
    wait_until(
        page,  # after the zoom animation
        "() => { const v = (document.getElementById('map')?.dataset.view || '').split(',')"
        ".map(Number); return v.length === 4 && v[2] - v[0] < 4; }",
    )
    zoomed = view(page)
    assert not contains_hessen(zoomed)
    centre = ((zoomed[0] + zoomed[2]) / 2, (zoomed[1] + zoomed[3]) / 2)
    assert 9.5 < centre[0] < 10.4 and 51.0 < centre[1] < 51.5  # Werra-Meißner-Kreis
    # … and one without any goes back to Hessen (not the world, not the last place).
    page.fill("#id_q", "Qwertzuiopü")
    page.get_by_role("button", name="Suchen").click()
    wait_until(page, "() => location.search.includes('Qwertzuiop')")
    wait_for_map(page)
    assert page.locator("#map").get_attribute("data-markers") == "0"
    wait_until(
        page,
        "([w, s, e, n]) => { const v = document.getElementById('map')?.dataset.view.split(',')"
        ".map(Number); return v[0] <= w && v[1] <= s && v[2] >= e && v[3] >= n; }",
        arg=list(HESSEN),
    )
    box = view(page)
    assert contains_hessen(box)
    assert box[2] - box[0] < 12 and box[3] - box[1] < 6


def test_sources_open_and_close_by_keyboard_in_arabic(page, live_url):
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto("/ar/angebote/")
    wait_for_map(page)
    wait_for_background(page)
    button = page.get_by_role("button", name="مصادر الخريطة")
    panel = page.locator("#map-sources")
    # Closed at first on a phone; the button says what it is in the page's language.
    assert button.get_attribute("aria-expanded") == "false"
    assert panel.is_hidden()
    assert "المصادر" in button.inner_text()
    # Reached with the Tab key like every other control: it is the map's last one, just before
    # the result list.
    page.locator(".offer-card h3 a").first.focus()
    for _ in range(10):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("() => document.activeElement.classList.contains('map-sources-toggle')"):
            break
    assert (
        page.evaluate("() => document.activeElement.getAttribute('aria-controls')") == "map-sources"
    )
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert panel.is_visible()
    text = panel.inner_text()
    assert "الحدود الإدارية" in text and "Verwaltungsgrenzen" not in text
    assert "BKG" in text and "GeoNames" in text and "Natural Earth" in text
    assert panel.get_attribute("dir") == "rtl"
    # The map itself stays left to right in a right-to-left page.
    assert (
        page.evaluate("() => getComputedStyle(document.querySelector('#map')).direction") == "ltr"
    )
    # Escape closes it and leaves the focus on the button; Space opens it again.
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false" and panel.is_hidden()
    assert page.evaluate("() => document.activeElement.classList.contains('map-sources-toggle')")
    page.keyboard.press("Space")
    assert button.get_attribute("aria-expanded") == "true"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#map").screenshot(path=SCREENSHOTS / "map-search-ar-360-sources.png")
    # The links in the sources lead out only when followed: nothing was requested from them.
    assert all(u.startswith(live_url) for u in page.external_requests), page.external_requests
    assert serious_violations(page) == []


def test_offer_page_map_shows_the_surroundings(page, live_url):
    page.goto("/de/angebote/")
    wait_for_map(page)
    page.goto(page.locator(".offer-card h3 a").first.get_attribute("href"))
    page.wait_for_selector("#map .leaflet-marker-icon")
    assert_background(page, live_url)
    assert len(shown_places(page)) >= 1  # zoomed to the Kreis, with names around


def test_result_page_map_has_the_background_and_no_serious_axe_violation(page, live_url):
    page.set_viewport_size({"width": 360, "height": 780})
    _questions(page, "de", _answer_by_mouse)
    page.locator("#map .leaflet-marker-icon").first.wait_for()
    assert_background(page, live_url)
    nearest = page.locator(".offer-list.nearest .offer-card").count()
    assert page.locator("#map .leaflet-marker-icon").count() == nearest
    assert serious_violations(page) == []
    page.get_by_role("button", name="Quellen der Karte").click()
    assert page.locator("#map-sources").is_visible()
    assert serious_violations(page) == []


def test_axe_on_the_search_page_with_the_sources_open(page):
    page.goto("/de/angebote/?postcode=60311")
    wait_for_map(page)
    wait_for_background(page)
    page.get_by_role("button", name="Quellen der Karte").click()
    assert serious_violations(page) == []


@pytest.mark.parametrize(
    ("browser_locale", "cookie"), [("en-US", None), ("de-DE", None), ("ar", "en"), ("ar", "de")]
)
def test_the_map_speaks_the_pages_language_not_the_browsers(
    browser, live_url, browser_locale, cookie
):
    """An Arabic page in a browser set to English (or German), or after the language switch
    left another language in its cookie: the markers' titles and links come in the page's
    language, the zoom buttons and the clusters are named in it."""
    context = browser.new_context(base_url=live_url, locale=browser_locale)
    if cookie:
        context.add_cookies([{"name": "django_language", "value": cookie, "url": live_url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        with page.expect_response(lambda r: "offers.geojson" in r.url) as answer:
            page.goto("/ar/angebote/?postcode=63450&radius=100")
        features = answer.value.json()["features"]
        assert features
        assert all(f["properties"]["url"].startswith("/ar/") for f in features)
        wait_for_map(page)
        assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == "تكبير"
        assert page.locator(".leaflet-control-zoom-out").get_attribute("title") == "تصغير"
        page.wait_for_selector(".marker-cluster")
        labels = page.locator(".marker-cluster").evaluate_all(
            "els => els.map(e => e.getAttribute('aria-label'))"
        )
        count = page.locator(".marker-cluster span").first.inner_text()
        assert labels and all(label and label.endswith(tuple("0123456789")) for label in labels)
        assert f"العروض: {count}" in labels
    finally:
        context.close()
