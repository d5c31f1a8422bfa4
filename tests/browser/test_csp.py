"""The Content-Security-Policy in a real browser: the public self-check to its result (with its
map), the directory's search map with an htmx search, and a staff page load under the policy
without a single violation, and the maps and htmx still work (issue 17)."""

from __future__ import annotations

import re

import pytest

from tests.browser.helpers import log_in, wait_until
from tests.browser.test_cases import demo  # noqa: F401 (fixture)
from tests.browser.test_directory import wait_for_map
from tests.browser.test_map import wait_for_background
from tests.browser.test_public import _answer_by_mouse, _questions

pytestmark = pytest.mark.browser

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def watched(page):
    """The page with every CSP violation and console error recorded."""
    page.add_init_script(WATCH)
    page.console_errors = []
    page.on(
        "console",
        lambda m: page.console_errors.append(m.text) if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    return page


def violations(page) -> list[str]:
    recorded = page.evaluate("() => window.__csp || []")
    refused = [e for e in page.console_errors if "Content Security Policy" in e]
    return recorded + refused


def test_the_policy_is_sent_without_unsafe_inline(watched):
    response = watched.goto("/de/selbstcheck/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "geolocation=()" in response.headers["permissions-policy"]
    # the watch works: a style attribute written the way the map legends used to be is refused
    watched.evaluate(
        "() => { document.body.insertAdjacentHTML('beforeend', '<i style=\"color:red\"></i>'); }"
    )
    wait_until(watched, "() => window.__csp.length > 0")
    assert violations(watched)[0].startswith("style-src")


def test_the_self_check_to_its_result_without_a_violation(watched):
    _questions(watched, "de", _answer_by_mouse)
    wait_for_background(watched)
    assert watched.locator("#map .leaflet-marker-icon, #map .leaflet-interactive").count() >= 1
    assert violations(watched) == []


def test_the_search_map_and_an_htmx_search_without_a_violation(watched):
    watched.goto("/de/angebote/")
    wait_for_map(watched)
    wait_for_background(watched)
    before = watched.locator("#results").get_attribute("data-geojson-url")
    watched.fill("#id_q", "Deutsch")
    watched.locator("#id_q").press("Enter")
    wait_until(
        watched, "b => document.getElementById('results').dataset.geojsonUrl !== b", arg=before
    )
    wait_for_map(watched)
    assert "q=Deutsch" in watched.url or "Deutsch" in watched.locator("#id_q").input_value()
    assert watched.locator(".map-legend i.swatch-4").count() >= 1
    assert violations(watched) == []


def test_a_staff_page_without_a_violation(watched, demo):  # noqa: F811
    log_in(watched, "demo-beratung", demo["logins"]["demo-beratung"], lands_on=r"/de/fall/$")
    watched.goto("/de/fall/")
    assert re.search(r"/de/fall/$", watched.url)
    assert violations(watched) == []
