"""The staff pages a counsellor opens on the way fit a phone (360 px), in German and Arabic.

Every person and case page of the demo organisation (every case state) is opened from the start
page; none may be wider than the screen, and axe-core finds no serious or critical violation.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_person_and_case_pages_fit_360_px(browser, live_url, demo_output, lang):
    password = dict(re.findall(r"(demo-[a-z]+) / (\S+)", demo_output))["demo-beratung"]
    context = browser.new_context(
        base_url=live_url, viewport={"width": 360, "height": 740}, locale=lang
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"/{lang}/konto/login/")
    page.fill("#id_username", "demo-beratung")
    page.fill("#id_password", password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{lang}/fall/$"))
    links = page.eval_on_selector_all(
        "main a[href*='/fall/personen/'], main a[href*='/fall/faelle/']",
        "links => [...new Set(links.map(a => a.getAttribute('href')))]",
    )
    people = [h for h in links if "/personen/" in h]
    cases = [h for h in links if "/faelle/" in h]
    assert len(people) >= 8 and len(cases) >= 5, links  # every state of the demo
    axe = Axe()
    too_wide, violations = [], []
    for href in people + cases:
        page.goto(href)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide.append(f"{href}: {width} px")
        found = [
            f"{href}: {v['id']} ({v['impact']})"
            for v in axe.run(page).response["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        violations += found
    context.close()
    assert too_wide == []
    assert violations == []
