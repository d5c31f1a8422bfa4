"""The staff pages a counsellor opens on the way fit a phone (360 px), in German and Arabic.

Every person and case page of the demo organisation (every case state) is opened from the start
page; none may be wider than the screen, and axe-core finds no serious or critical violation.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.helpers import log_in, serious_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_person_and_case_pages_fit_360_px(browser, live_url, demo_output, lang):
    password = dict(re.findall(r"(demo-[a-z]+) / (\S+)", demo_output))["demo-beratung"]
    context = browser.new_context(
        base_url=live_url, viewport={"width": 360, "height": 740}, locale=lang
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, "demo-beratung", password, lang=lang, lands_on=rf"/{lang}/fall/$")
    links = page.eval_on_selector_all(
        "main a[href*='/fall/personen/'], main a[href*='/fall/faelle/']",
        "links => [...new Set(links.map(a => a.getAttribute('href')))]",
    )
    people = [h for h in links if "/personen/" in h]
    cases = [h for h in links if "/faelle/" in h]
    assert len(people) >= 8 and len(cases) >= 5, links  # every state of the demo
    too_wide, violations = [], []
    for href in people + cases:
        page.goto(href)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide.append(f"{href}: {width} px")
        violations += [f"{href}: {v}" for v in serious_violations(page)]
    context.close()
    assert too_wide == []
    assert violations == []


#: Addresses that are files or that change something when opened, not pages to look at.
NOT_A_PAGE = re.compile(r"\.(csv|xlsx|ics|json|pdf)\b|/export|/download|/admin/|abmelden|logout")
#: One page per kind: the same address with another id shows the same template.
AN_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|/\d+/")


def _pages_of(page, lang: str) -> list[str]:
    """The start page and every page its links lead to (one of each kind), in the language."""
    links = page.eval_on_selector_all(
        "a[href^='/']", "links => [...new Set(links.map(a => a.getAttribute('href')))]"
    )
    seen, pages = set(), [page.url]
    for href in links:
        kind = AN_ID.sub("/<id>/", href.split("?")[0])
        if not href.startswith(f"/{lang}/") or NOT_A_PAGE.search(href) or kind in seen:
            continue
        seen.add(kind)
        pages.append(href)
    return pages


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_every_role_s_pages_fit_360_px(browser, live_url, demo_output, lang):
    """Every demo login (every role of the network) opens its start page and every kind of page
    linked from it on a phone: no page is wider than the screen (WCAG 1.4.10). Wide tables
    scroll in their own box, long names wrap, the organisation switch fits."""
    logins = dict(re.findall(r"(demo-[a-z]+) / (\S+)", demo_output))
    assert len(logins) >= 13, logins  # every role of the demo
    too_wide, opened = [], 0
    for username, password in logins.items():
        context = browser.new_context(
            base_url=live_url, viewport={"width": 360, "height": 740}, locale=lang
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in(page, username, password, lang=lang)
        for href in _pages_of(page, lang):
            page.goto(href)
            opened += 1
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 360:
                too_wide.append(f"{username} {href}: {width} px")
        context.close()
    assert opened >= 60, opened  # the walk reached the pages of every role
    assert too_wide == []
