"""What many browser tests do: log in through the form, as a person does."""

from __future__ import annotations

import re
import time


def log_in(page, username: str, password: str, *, lang: str = "de", lands_on: str | None = None):
    """Fill in the login form and wait for the page it leads to (``lands_on``: a regular
    expression of its address; without it, any page but the login form)."""
    page.goto(f"/{lang}/konto/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main button[type=submit]").click()
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
