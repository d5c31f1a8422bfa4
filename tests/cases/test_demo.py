"""`wegweiser demo`: one login per role with a printed random password, a few invented cases."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from wegweiser.accounts.models import Membership, Role
from wegweiser.cases import demo, selectors
from wegweiser.cases.models import Case, CaseStatus, Participant, Referral, ReferralStatus
from wegweiser.funding import demo_network
from wegweiser.public.models import ContactRequest
from wegweiser.reporting import demo as reporting_demo
from wegweiser.volunteers import demo as volunteers_demo


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def logins(output: str) -> dict[str, str]:
    return dict(re.findall(r"(demo-[a-z]+) / (\S+)", output))


@pytest.mark.django_db
def test_demo_creates_a_login_per_role_and_invented_cases(demo_directory):
    output = run_demo()
    found = logins(output)
    assert set(demo.DEMO_USERS) <= set(found)
    request = RequestFactory().post("/")
    for username, password in found.items():
        assert authenticate(request, username=username, password=password) is not None
    # one login per role; the offer maintainer (demo-pflege) comes from the directory's demo,
    # the volunteer coordinator and the volunteer from the volunteers' demo, the funding logins
    # (demo-antrag, demo-rp) from the funding demo
    others = ["demo-pflege", *volunteers_demo.DEMO_USERS, "demo-antrag", "demo-rp"]
    roles = set(
        Membership.objects.filter(user__username__in=[*demo.DEMO_USERS, *others]).values_list(
            "role", flat=True
        )
    )
    assert roles == set(Role.values)
    pflege = Membership.objects.filter(user__username="demo-pflege")
    assert list(pflege.values_list("role", flat=True)) == [Role.OFFER_EDITOR]
    org = demo.demo_organisations()[0]
    # the case management's eight, the reports' invented participations (reporting/demo.py) and
    # the people referred within the demo Verbund (funding/demo_network.py)
    people = Participant.objects.filter(organisation=org)
    assert people.count() == 8 + len(reporting_demo.PEOPLE) + len(demo_network.GIVEN)
    # every demo login is an invented person with a name (a case page names who is responsible,
    # never a login name), and every invented person is marked once ("Bericht (Demo) (Demo)")
    users = get_user_model().objects.filter(username__in=[*demo.DEMO_USERS, *others])
    assert all(u.get_full_name().endswith("(Demo)") for u in users), [u.username for u in users]
    assert not Participant.objects.filter(family_name__contains="(Demo) (Demo)").exists()
    cases = Case.objects.filter(participant__in=people)
    assert set(cases.values_list("status", flat=True)) == set(CaseStatus.values)
    # every state a page can show: nobody responsible yet (a self-check contact), enrolled,
    # in follow-up, closed, dropped out, anonymised
    unassigned = cases.get(counsellor__isnull=True, participant__anonymised_at__isnull=True)
    assert unassigned.status == CaseStatus.FIRST_CONTACT
    assert ContactRequest.objects.filter(case=unassigned).exists()
    assert people.filter(anonymised_at__isnull=False, given_name="", family_name="").count() == 1
    closed = cases.filter(status=CaseStatus.CLOSED, exit_date__isnull=False)
    assert closed.exclude(participant__family_name__startswith=reporting_demo.MARKER).count() == 2
    partner = get_user_model().objects.get(username="demo-partner")
    partner_org = Membership.objects.get(user=partner).organisation
    inbox = [  # the referrals of the demo Verbund are all accepted (test_network.py)
        r
        for r in selectors.referrals_inbox(partner, partner_org)
        if not Referral.objects.filter(
            pk=r.id, case__participant__family_name=demo_network.FAMILY
        ).exists()
    ]
    assert sorted(r.status for r in inbox) == sorted(
        [ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.REFUSED]
    )
    shown = {r.status: set(r.person) for r in inbox}
    assert shown[ReferralStatus.SENT] == {"name", "phone", "languages"}
    assert shown[ReferralStatus.REFUSED] == set()  # nothing once refused


@pytest.mark.django_db
def test_demo_again_keeps_the_cases_and_gives_new_passwords(demo_directory):
    first = logins(run_demo())
    second = logins(run_demo())
    assert first.keys() == second.keys()
    assert all(first[u] != second[u] for u in first)
    people = Participant.objects.filter(organisation=demo.demo_organisations()[0])
    assert people.count() == 8 + len(reporting_demo.PEOPLE) + len(demo_network.GIVEN)
    assert get_user_model().objects.filter(username__startswith="demo-").count() == len(first)


@pytest.mark.django_db
def test_no_password_in_settings():
    from django.conf import settings

    assert not any(
        "demo-" in str(getattr(settings, name)) for name in dir(settings) if name.isupper()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("days", [-100, 0, 40])
def test_demo_entry_dates_lie_in_the_round_and_project(demo_directory, days):
    """No time bomb: the demo works before, at and after the start of its round."""
    import datetime as dt

    from django.utils import timezone

    project = demo.demo_organisations()[1]
    first = max(project.start, project.funding_round.start)
    today = min(first + dt.timedelta(days=days), timezone.localdate())
    demo.setup(today=today)
    entries = list(
        Case.objects.filter(project=project, entry_date__isnull=False).values_list(
            "entry_date", flat=True
        )
    )
    assert len(entries) == 2
    assert all(first <= entry for entry in entries)
    # the previous round's participations ended before that day
    exits = Case.objects.exclude(project=project).filter(exit_date__isnull=False)
    assert exits.count() == 2
    assert all(case.exit_date <= today for case in exits)


def test_demo_entry_date_is_clamped_to_the_end():
    import datetime as dt
    from types import SimpleNamespace

    rnd = SimpleNamespace(start=dt.date(2024, 1, 1), end=dt.date(2025, 6, 30))
    project = SimpleNamespace(start=dt.date(2024, 3, 1), end=None, funding_round=rnd)
    assert demo.demo_entry_date(project, dt.date(2026, 1, 1)) == dt.date(2025, 6, 30)
    assert demo.demo_entry_date(project, dt.date(2023, 1, 1)) == dt.date(2024, 3, 1)
    assert demo.demo_entry_date(project, dt.date(2025, 1, 10)) == dt.date(2024, 12, 1)
