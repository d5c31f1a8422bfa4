"""What many browser tests do: log in through the form, as a person does."""

from __future__ import annotations

import re


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
