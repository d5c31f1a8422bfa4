"""The second factor at login (issue 17, point 2; accounts/second_factor.py).

Through real requests: the login form, the code page, the set-up with the key read from the
page and codes computed from it (RFC 6238, as an authenticator app does), the recovery codes,
the platform administrator's reset with its audit entries and mail. ``client.force_login`` is
not used for the people whose login is tested (tests/conftest.py: it stands for a login with
both factors)."""

from __future__ import annotations

import base64
import io
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from wegweiser.accounts import demo_totp, second_factor
from wegweiser.accounts.models import Membership, Role
from wegweiser.accounts.permissions import PERMISSIONS, PERSONAL_DATA_READERS
from wegweiser.audit.models import AuditAction, AuditEntry
from wegweiser.organisations.models import Organisation

pytestmark = pytest.mark.django_db

PASSWORD = "Ein-langes-Passwort-2026"
User = get_user_model()

#: The actions that show or change personal data (of participants, volunteers, staff, contact
#: persons); every role holding one of them must give a second factor.
PERSONAL_ACTIONS = {
    "participant.view",
    "participant.create",
    "participant.edit",
    "participant.export",
    "participant.erase",
    "consent.record",
    "consent.withdraw",
    "case.view",
    "case.create",
    "case.edit",
    "case.transition",
    "case.enrol",
    "case.override_eligibility",
    "followup.record",
    "referral.send",
    "referral.receive",
    "audit.view",
    "accounts.view",
    "accounts.invite",
    "accounts.roles_change",
    "accounts.user_activate",
    "accounts.second_factor_reset",
    "volunteer.manage",
    "volunteer.export",
    "volunteer.request",
    "volunteer.self",
    "funding.apply",
    "funding.review",
    "funding.decide",
    "funding.pay",
    "funding.proof_submit",
    "funding.proof_check",
    "reports.casework",
    "reports.monitoring_export",
}


def test_every_role_that_reads_personal_data_needs_the_second_factor():
    assert set(PERMISSIONS) >= PERSONAL_ACTIONS
    readers = {role for action in PERSONAL_ACTIONS for role in PERMISSIONS[action]}
    assert readers == set(PERSONAL_DATA_READERS)
    # the others see aggregates, offers, reports in their scope: nothing personal
    for action, roles in PERMISSIONS.items():
        if roles - PERSONAL_DATA_READERS:
            assert action not in PERSONAL_ACTIONS, action


@pytest.fixture
def org(db):
    return Organisation.objects.create(name="Beratung A", kind="beratungsstelle")


def make(username, org, *roles, email=""):
    user = User.objects.create_user(username, email=email, password=PASSWORD)
    for role in roles:
        Membership.objects.create(user=user, organisation=org, role=role)
    return user


def log_in(client, username):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, "the password was refused"
    return client.get(response["Location"])


def code_at(key_b32: str, step: int) -> str:
    key = base64.b32decode(key_b32.replace(" ", "") + "=" * (-len(key_b32.replace(" ", "")) % 8))
    return f"{hotp(key, step):06d}"


def now_step() -> int:
    return int(time.time() // 30)


def set_up(client) -> tuple[str, list[str]]:
    """The set-up page as a person uses it: read the key, enter the app's code."""
    page = client.get(reverse("second-factor-setup"))
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html  # the QR code, inline
    key = re.search(r'<code class="otp-key" dir="ltr">([A-Z2-7 ]+)</code>', html).group(1)
    done = client.post(reverse("second-factor-setup"), {"code": code_at(key, now_step())})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-9]{4}-[a-z2-9]{6})</code></li>", done.content.decode())
    return key, codes


@pytest.mark.parametrize("role", list(Role))
def test_after_the_password_each_role_that_reads_personal_data_sets_up_an_app(client, org, role):
    make("person", org, role)
    landed = log_in(client, "person")
    if role in PERSONAL_DATA_READERS:
        assert landed.status_code == 302
        assert landed["Location"].startswith(reverse("second-factor-setup") + "?next=")
        # and no other page opens with the password alone
        for page in (reverse("accounts:home"), reverse("directory:search"), "/admin/"):
            response = client.get(page)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("second-factor-setup"))
    else:
        assert landed.status_code in (200, 302)
        if landed.status_code == 302:
            assert "zweiter-faktor" not in landed["Location"]
    # the public API is untouched
    assert client.get("/api/v1/programmes").status_code == 200


def test_set_up_then_log_in_with_a_code_then_with_a_recovery_code(client, org):
    make("beratung", org, Role.COUNSELLOR)
    log_in(client, "beratung")
    before = client.session.session_key
    key, codes = set_up(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.session.session_key != before  # a new session key with the new rights
    assert client.get(reverse("cases:start")).status_code == 200
    # every code once: the second factor is now asked at every login
    client.post(reverse("logout"))
    landed = log_in(client, "beratung")
    assert landed["Location"].startswith(reverse("second-factor") + "?next=")
    wrong = client.post(reverse("second-factor"), {"code": "000000"})
    assert wrong.status_code == 400 and "Der Code stimmt nicht" in wrong.content.decode()
    assert client.get(reverse("cases:start")).status_code == 302
    # the code of the step the set-up used is spent; the next one works (one step of tolerance)
    TOTPDevice.objects.filter(user__username="beratung").update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    ok = client.post(
        reverse("second-factor"),
        {"code": code_at(key, now_step() + 1), "next": reverse("cases:start")},
    )
    assert ok.status_code == 302 and ok["Location"] == reverse("cases:start")
    assert client.get(reverse("cases:start")).status_code == 200
    # a recovery code, typed without the dash and in capitals: works once
    client.post(reverse("logout"))
    log_in(client, "beratung")
    used = client.post(reverse("second-factor"), {"code": codes[0].replace("-", "").upper()})
    assert used.status_code == 302
    assert (
        "9 Wiederherstellungscodes übrig"
        in client.get(reverse("accounts:security")).content.decode()
    )
    client.post(reverse("logout"))
    log_in(client, "beratung")
    again = client.post(reverse("second-factor"), {"code": codes[0]})
    assert again.status_code == 400
    assert StaticToken.objects.filter(device__user__username="beratung").count() == 9


def test_a_code_is_accepted_once_and_wrong_codes_slow_down(client, org):
    user = make("beratung", org, Role.COUNSELLOR)
    log_in(client, "beratung")
    key, _codes = set_up(client)
    client.post(reverse("logout"))
    log_in(client, "beratung")
    # the code just used for the set-up is refused: a code seen once is spent
    replay = client.post(reverse("second-factor"), {"code": code_at(key, now_step())})
    assert replay.status_code == 400
    for _ in range(3):
        client.post(reverse("second-factor"), {"code": "123456"})
    # now even the right code waits (django-otp doubles the wait after each failure)
    throttled = client.post(reverse("second-factor"), {"code": code_at(key, now_step() + 1)})
    assert throttled.status_code == 400 and "Zu viele falsche Codes" in throttled.content.decode()
    assert not client.session.get("otp_device_id")
    assert TOTPDevice.objects.get(user=user).throttling_failure_count >= 1


def test_next_goes_only_to_our_own_pages(client, org):
    make("beratung", org, Role.COUNSELLOR)
    log_in(client, "beratung")
    page = client.get(reverse("second-factor-setup"))
    key = re.search(r'dir="ltr">([A-Z2-7 ]+)</code>', page.content.decode()).group(1)
    done = client.post(
        reverse("second-factor-setup") + "?next=https://evil.example/",
        {"code": code_at(key, now_step()), "next": "https://evil.example/"},
    )
    html = done.content.decode()
    assert done.status_code == 200 and 'href="https://evil.example/"' not in html
    assert f'href="{reverse("accounts:home")}"' in html


def test_a_role_without_personal_data_may_set_one_up_and_is_then_asked(client, org):
    make("geld", org, Role.FUNDER)
    log_in(client, "geld")
    assert (
        "Für Ihre Rollen ist er freiwillig"
        in client.get(reverse("accounts:security")).content.decode()
    )
    set_up(client)
    client.post(reverse("logout"))
    assert log_in(client, "geld")["Location"].startswith(reverse("second-factor"))


def test_new_recovery_codes_replace_the_old(client, org):
    make("beratung", org, Role.COUNSELLOR)
    log_in(client, "beratung")
    _key, old = set_up(client)
    renewed = client.post(reverse("accounts:security"))
    new = re.findall(r"<code>([a-z2-9]{4}-[a-z2-9]{6})</code>", renewed.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    client.post(reverse("logout"))
    log_in(client, "beratung")
    assert client.post(reverse("second-factor"), {"code": old[1]}).status_code == 400
    time.sleep(1.1)  # a refused code makes the next wait a second (then two, four, ...)
    assert client.post(reverse("second-factor"), {"code": new[1]}).status_code == 302


def test_the_platform_admin_resets_a_lost_second_factor(
    client, org, django_capture_on_commit_callbacks
):
    other = Organisation.objects.create(name="Träger B", kind="wohlfahrtsverband")
    admin = make("plattform", org, Role.PLATFORM_ADMIN)
    person = make("beratung", org, Role.COUNSELLOR, email="beratung@example.org")
    Membership.objects.create(user=person, organisation=other, role=Role.TEAM_LEAD)
    log_in(client, "beratung")
    set_up(client)
    assert client.get(reverse("cases:start")).status_code == 200
    url = reverse("accounts:admin-second-factor-reset", args=[org.pk, person.pk])
    # nobody else may
    lead = make("leitung", org, Role.TEAM_LEAD)
    from django.test import Client

    others = Client()
    others.force_login(lead)
    assert others.post(url).status_code == 403
    assert TOTPDevice.objects.filter(user=person).exists()
    # the administrator sees it on the organisation's page and resets it
    admin_client = Client()
    admin_client.force_login(admin)
    page = admin_client.get(reverse("accounts:admin-organisation", args=[org.pk])).content.decode()
    assert url in page
    with django_capture_on_commit_callbacks(execute=True):
        done = admin_client.post(url)
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticToken.objects.filter(device__user=person).exists()
    entries = AuditEntry.objects.filter(action=AuditAction.SECOND_FACTOR_RESET)
    assert {e.organisation for e in entries} == {org, other}
    assert all(e.actor == admin and e.object_id == str(person.pk) for e in entries)
    (message,) = mail.outbox
    assert message.to == ["beratung@example.org"]
    assert "zurückgesetzt" in message.subject and "/de/konto/login/" in message.body
    assert "beratung@example.org" not in message.body
    # the person's running session loses its rights at once: set up anew
    response = client.get(reverse("cases:start"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("second-factor-setup"))
    # a second reset: nothing to do, said so, nothing logged
    again = admin_client.post(url, follow=True).content.decode()
    assert "kein zweiter Faktor eingerichtet" in again
    assert entries.count() == 2


def test_the_demo_logins_share_the_published_key(db, catalogue_loaded, regions_loaded):
    out = io.StringIO()
    call_command("demo", "--offers", "40", stdout=out)
    key = demo_totp.demo_key_base32()
    assert f"key {key}" in out.getvalue()
    demo_users = User.objects.filter(username__startswith="demo-")
    assert demo_users.count() >= 10
    for user in demo_users:
        device = TOTPDevice.objects.get(user=user)
        assert device.confirmed and device.name == second_factor.DEMO_DEVICE_NAME
    code = io.StringIO()
    call_command("demo_code", stdout=code)
    assert code.getvalue().strip() == code_at(key, now_step()) or code.getvalue().strip() == (
        code_at(key, now_step() - 1)
    )
    device = TOTPDevice.objects.get(user__username="demo-beratung")
    assert device.verify_token(code.getvalue().strip())
