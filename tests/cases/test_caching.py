"""Personal-data pages are not cached; sessions are short."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.cases.test_permission_matrix import MATRIX, _url, world  # noqa: F401


def test_sessions_last_a_working_day_and_end_with_the_browser():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


@pytest.mark.parametrize("method", ["get", "post"])
def test_every_case_page_and_export_is_not_stored(client, world, method):  # noqa: F811
    client.force_login(world["users"]["counsellor"])
    missing = []
    checked = 0
    for name, entry in MATRIX.items():
        if name == "cases:participant-erase":
            continue
        response = getattr(client, method)(_url(name, entry, world["own"]))
        if response.status_code in (403, 404):
            continue  # error pages, raised before the view: no personal data
        checked += 1
        cache_control = response.get("Cache-Control", "")
        if "no-store" not in cache_control or "private" not in cache_control:
            missing.append(f"{name} {response.status_code}: {cache_control!r}")
    assert missing == []
    assert checked > 20
