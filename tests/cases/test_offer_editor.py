"""The offer maintainer ("Angebotspflege") sees no case management: 403 on every /fall/ page,
no "Fallarbeit" in the navigation, the login lands on the offer maintenance."""

from __future__ import annotations

from django.urls import reverse

from tests.cases.test_permission_matrix import (  # noqa: F401
    MATRIX,
    PUBLIC,
    _post_data,
    _url,
    snapshot,
    world,
)


def test_every_case_page_answers_403(client, world):  # noqa: F811
    client.force_login(world["users"]["offer_editor"])
    checked = []
    for name, entry in MATRIX.items():
        if not name.startswith("cases:") or entry.allowed == PUBLIC:
            continue
        url = _url(name, entry, world["own"])
        assert url.startswith("/de/fall/")
        for method in ("get", "post"):
            before = snapshot()
            response = getattr(client, method)(url, _post_data(name, world))
            assert (response.status_code, name, method) in {
                (403, name, method),
                (405, name, method),  # a GET on a POST-only URL: refused before anything
            }
            assert snapshot() == before
            checked.append(response.status_code)
    assert checked.count(403) > 40


def test_the_login_lands_on_the_maintenance_without_fallarbeit(client, world):  # noqa: F811
    user = world["users"]["offer_editor"]
    user.set_password("Lang-genug-2026")
    user.save()
    response = client.post(
        reverse("login"), {"username": user.username, "password": "Lang-genug-2026"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("directory:manage")
    html = response.content.decode()
    assert f'href="{reverse("cases:start")}"' not in html
    assert f'href="{reverse("directory:manage")}"' in html
    assert "Angebot Träger A" in html  # org A's offer, to maintain
