"""The synthetic directory: every organisation can be told apart by its name (a consent form
lists them by name; two "Jobcenter Kassel (Demo)" were the city's and the Landkreis's)."""

from __future__ import annotations

from collections import Counter

import pytest

from wegweiser.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_no_two_demo_organisations_share_a_name(demo_directory):
    names = Counter(Organisation.objects.values_list("name", flat=True))
    assert [n for n, count in names.items() if count > 1] == []
    assert "Jobcenter Landkreis Kassel (Demo)" in names and "Jobcenter Kassel (Demo)" in names
