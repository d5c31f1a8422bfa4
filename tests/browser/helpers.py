"""What many browser tests do: log in through the form, as a person does."""

from __future__ import annotations

import re
import time

from axe_playwright_python.sync_playwright import Axe

from wegweiser.accounts.demo_totp import demo_code

#: the last 30-second step whose code each demo login used (a code is accepted once)
_last_step: dict[str, int] = {}


def second_factor_code(username: str) -> str:
    """The code the demo logins' authenticator app shows (their published key), a step the
    account has not used yet: the current one or, used already, the next (accepted one step
    early); both used: wait for the next step."""
    now = int(time.time() // 30)
    step = max(now, _last_step.get(username, now - 1) + 1)
    if step > now + 1:
        time.sleep((step - 1) * 30 - time.time() + 0.1)
    _last_step[username] = step
    return demo_code(at=step * 30)


def log_in(page, username: str, password: str, *, lang: str = "de", lands_on: str | None = None):
    """Fill in the login form, then the second factor's code if asked (the demo logins' app),
    and wait for the page it leads to (``lands_on``: a regular expression of its address;
    without it, any page but the login form)."""
    page.goto(f"/{lang}/konto/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/konto/login/" not in url)
    if "/konto/zweiter-faktor/" in page.url:
        page.fill("#id_code", second_factor_code(username))
        page.locator("main form.edit-form button[type=submit]").click()
        page.wait_for_url(lambda url: "/konto/zweiter-faktor/" not in url)
    if lands_on:
        page.wait_for_url(re.compile(lands_on))
    else:
        page.wait_for_url(lambda url: "/konto/login/" not in url)


def wait_until(page, expression: str, arg=None, *, timeout: float = 30.0) -> None:
    """Wait until a JavaScript expression (or arrow function) is true. Evaluated through the
    DevTools protocol, which the Content-Security-Policy does not restrict; the polling of
    ``page.wait_for_function`` evaluates its predicate with ``eval`` inside the page, which our
    policy (no 'unsafe-eval') refuses once it has to poll."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout} s: {expression}")
        page.wait_for_timeout(100)


_axe = Axe()


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations (WCAG 2.1 AA) of the page, once it has
    loaded. After a click that navigates, first wait for the new page (``expect_navigation`` or
    a retrying assertion on it): the click returns as soon as the new page begins to load."""
    page.wait_for_load_state("load")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']]}"
        for v in _axe.run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
