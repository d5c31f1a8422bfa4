"""The demo gives the reports figures that are not trivial (issue 14)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from wegweiser.cases import demo as cases_demo
from wegweiser.reporting import demo, report, selectors


@pytest.mark.django_db
def test_demo_participations_fill_the_report(demo_directory):
    found = cases_demo.setup()
    assert demo.setup() == len(demo.PEOPLE)
    assert demo.setup() == 0  # once
    lead = get_user_model().objects.get(username="demo-teamleitung")
    result = report.build(selectors.scope_for(lead, found.organisation))
    table = {r["code"]: r for r in result.overall.iter_rows(named=True)}
    assert table["EECO01"]["total"] >= len(demo.PEOPLE)
    assert table["EECO01"]["non_binary"] >= 1
    assert table["EECR04"]["total"] > 0 and table["EECR01"]["total"] > 0
    assert sum(v or 0 for _m, v, _x in result.months) >= len(demo.PEOPLE)
    funder = get_user_model().objects.get(username="demo-mittelgeber")
    shown = report.build(selectors.scope_for(funder, found.organisation)).overall
    assert shown.filter(shown["code"] == "EECO01")["total"][0] >= len(demo.PEOPLE)
