"""The three walk personas of issue 16 in a real browser: how many question pages each answers
before the result (at most 7, 6 and 6; before the directory answered the WIR/AMIF question and a
foreign residence title the migration background: 9, 7 and 7). The answers not given in the
issue are plausible ones, the same for all three. The progress line's bound holds on every page.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.test_public import _slug, answer_with

pytestmark = pytest.mark.browser

COMMON = {
    "staatsangehoerigkeit": "SY",
    "arbeitsverbot": "none",
    "jobcenter": "supported",
    "migrationsgeschichte": "yes",
    "abschluss": "no",
    "deutsch": "A2",
    "integrationskurs": "no",
    "kinderbetreuung": "no",
}
PERSONAS = {
    # a Syrian man, 28, § 25(2) AufenthG, in Hanau
    "syrian-man-hanau": (
        7,
        COMMON
        | {
            "geburtsdatum": "01.06.1998",
            "geschlecht": "male",
            "aufenthalt": "aufenthaltserlaubnis",
            "paragraf": "25(2)",
            "postleitzahl": "63450",
        },
    ),
    # a Ukrainian woman, 19, § 24 AufenthG, in Kassel
    "ukrainian-woman-kassel": (
        6,
        COMMON
        | {
            "geburtsdatum": "01.06.2007",
            "geschlecht": "female",
            "aufenthalt": "aufenthaltserlaubnis",
            "paragraf": "24",
            "staatsangehoerigkeit": "UA",
            "postleitzahl": "34117",
        },
    ),
    # an Afghan woman, 40, Duldung with a temporary work ban, in Frankfurt
    "afghan-woman-frankfurt": (
        6,
        COMMON
        | {
            "geburtsdatum": "01.06.1986",
            "geschlecht": "female",
            "aufenthalt": "duldung",
            "paragraf": "60a",
            "staatsangehoerigkeit": "AF",
            "arbeitsverbot": "temporary",
            "postleitzahl": "60311",
        },
    ),
}


@pytest.mark.parametrize("name", PERSONAS)
def test_walk_persona_needs_few_questions(page, name):
    most, answers = PERSONAS[name]
    page.goto("/de/selbstcheck/")
    page.locator("main a.button.primary").click()
    page.wait_for_url(re.compile(r"/selbstcheck/(frage/[a-z-]+|ergebnis)/$"))
    asked, bounds = [], []
    for _ in range(16):
        page.wait_for_load_state()
        slug = _slug(page)
        if slug is None:
            break
        asked.append(slug)
        progress = page.locator("p.progress").inner_text()
        number, bound = map(int, re.findall(r"\d+", progress))
        assert number == len(asked), progress
        bounds.append(bound)
        answer_with(page, answers, slug)
        page.wait_for_url(lambda url, s=slug: f"/frage/{s}/" not in url)
    assert re.search(r"/selbstcheck/ergebnis/$", page.url), page.url
    assert len(asked) <= most, asked
    assert "projekt-vor-ort" not in asked and "migrationsgeschichte" not in asked
    assert all(b >= len(asked) for b in bounds), (asked, bounds)  # never promised too few
