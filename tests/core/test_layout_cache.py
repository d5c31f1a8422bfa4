"""The layouts' header links and footer are kept per process (``{% kept %}`` in base.html and
public/base.html, docs/public.md, "Speed"): what is kept is the HTML the templates render
without keeping it, for every language, and who sees which links follows the signed-in user."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from wegweiser.accounts.models import Membership, Role
from wegweiser.core.templatetags import fast
from wegweiser.directory.models import Offer
from wegweiser.organisations.models import Organisation

#: CSRF tokens are masked anew for every response; everything else must be equal.
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
LANGS = [code for code, _ in settings.LANGUAGES]


def _no_keeping() -> dict:
    return {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }


def _fresh(client: Client, url: str) -> str:
    """The page rendered with nothing kept: the parts other pages kept are set aside (and put
    back), so that the next request of the page is served from what those pages kept."""
    saved = dict(fast._KEPT)
    fast.forget_kept()
    try:
        with override_settings(CACHES=_no_keeping()):
            return _page(client, url)
    finally:
        fast.forget_kept()
        fast._KEPT.update(saved)


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return _CSRF.sub('name="csrfmiddlewaretoken" value=""', response.content.decode())


def _member(role: Role, name: str) -> object:
    user = get_user_model().objects.create_user(name, password="pw-not-used")
    org = Organisation.objects.filter(offers__isnull=False).order_by("name").first()
    Membership.objects.create(user=user, organisation=org, role=role)
    return user


def _urls(lang: str) -> list[str]:
    offer = Offer.objects.filter(status=Offer.PUBLISHED).order_by("sort_name").first()
    return [
        f"/{lang}/angebote/",
        f"/{lang}/angebote/?q=Anerkennung&postcode=60311",
        offer.get_absolute_url().replace("/de/", f"/{lang}/", 1),
        f"/{lang}/selbstcheck/ergebnis/",
        f"/{lang}/selbstcheck/antworten/",
        f"/{lang}/datenschutz/",
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_kept_layout_is_the_rendered_layout(demo_directory, lang):
    visitor, staff = Client(), Client()
    staff.force_login(_member(Role.COUNSELLOR, f"layout-{lang}"))
    for client in (visitor, staff):
        for url in _urls(lang):
            fresh = _fresh(client, url)
            # the parts the pages before kept (the same header for another search, the same
            # footer for another page), and then this page's own
            assert _page(client, url) == fresh, url
            assert _page(client, url) == fresh, url


def test_each_user_sees_the_links_of_their_roles(demo_directory):
    visitor = Client()
    counsellor, editor = Client(), Client()
    counsellor.force_login(_member(Role.COUNSELLOR, "layout-counsellor"))
    editor.force_login(_member(Role.OFFER_EDITOR, "layout-editor"))
    for _ in range(2):
        anonymous = _page(visitor, "/de/angebote/")
        assert ">Anmelden<" in anonymous and "Fallarbeit" not in anonymous
        html = _page(counsellor, "/de/angebote/")
        assert "Fallarbeit" in html and ">Anmelden<" not in html
        html = _page(editor, "/de/angebote/")
        assert "Angebote pflegen" in html and "Fallarbeit" not in html
        public = _page(visitor, "/de/selbstcheck/ergebnis/")
        assert ">Anmelden<" in public and "Fallarbeit" not in public
        assert "Fallarbeit" in _page(counsellor, "/de/selbstcheck/ergebnis/")


def test_each_language_and_page_keeps_its_own_links(demo_directory):
    """(The language is part of every address, so the header would follow it anyway.)"""
    client = Client()
    german = _page(client, "/de/selbstcheck/ergebnis/")
    arabic = _page(client, "/ar/selbstcheck/ergebnis/")
    assert 'href="/ar/selbstcheck/ergebnis/"' in german
    assert ">Angebote<" in german and ">Angebote<" not in arabic
    assert ">Datenschutz<" in german and ">Datenschutz<" not in arabic  # the footer
    staff_german = _page(client, "/de/angebote/")
    staff_arabic = _page(client, "/ar/angebote/")
    assert "offene Plattform" in staff_german and "offene Plattform" not in staff_arabic
    # a visitor's language links there: the page itself in each language, this one marked
    assert 'href="/ar/angebote/" lang="ar"' in staff_german
    assert 'href="/de/angebote/" lang="de"' in staff_arabic
    assert 'dir="ltr" aria-current="true">Deutsch<' in staff_german
    assert 'dir="rtl" aria-current="true">العربيّة<' in staff_arabic
    # the language links lead to the page itself, in each language
    privacy = _page(client, "/de/datenschutz/")
    assert (
        'href="/en/datenschutz/"' in privacy and 'href="/en/selbstcheck/ergebnis/"' not in privacy
    )
