"""The volunteers' demo gives a coordinator a list to choose from on every day of the week."""

from __future__ import annotations

import pytest

from wegweiser.cases import demo as cases_demo
from wegweiser.volunteers import demo
from wegweiser.volunteers.models import Availability, Pool, VolunteerLanguage


@pytest.mark.django_db
def test_every_large_language_group_has_interpreters_on_every_weekday(demo_directory):
    assert cases_demo.setup() is not None
    made = demo.setup()
    assert made is not None and made.created
    pools = list(Pool.objects.filter(name__endswith=demo.SUFFIX))
    assert len(pools) == len(demo.POOLS)
    thin, groups = [], 0
    for pool in pools:
        speakers: dict[str, set[int]] = {}
        for code, volunteer in VolunteerLanguage.objects.filter(
            volunteer__pool=pool, interprets=True
        ).values_list("language", "volunteer_id"):
            speakers.setdefault(code, set()).add(volunteer)
        for code, people in speakers.items():
            if len(people) < demo.COVER_FROM:
                continue
            groups += 1
            for day in range(7):
                available = (
                    Availability.objects.filter(volunteer__in=people, weekday=day)
                    .values("volunteer")
                    .distinct()
                    .count()
                )
                if available < demo.COVER_PER_DAY:
                    thin.append(f"{pool.name}, {code}, day {day}: {available}")
    assert groups >= 3  # Arabic at least in each pool: the rule is not vacuous
    assert thin == []
