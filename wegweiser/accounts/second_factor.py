"""The second factor at login (issue 17; docs/security.md "Second factor").

Built on django-otp: a time-based one-time password (TOTP, RFC 6238: 30 seconds, 6 digits,
one step of clock difference either way, each code accepted once) from an authenticator app,
and ten single-use recovery codes for when the phone is lost. django-otp's devices keep the
secrets and count failed attempts (each failure doubles the wait before the next try).

Who must use it: every role that reads personal data (:data:`REQUIRED_FOR`), and everyone who
has set one up. Enforced by :class:`RequireSecondFactor` after the password: until the code is
entered, every page leads to the code form (or, without an app yet, to its set-up), so a
password alone opens nothing. A platform administrator resets a lost second factor
(``accounts.services.second_factor_reset``, audit-logged, the person is told by mail); the
next login sets it up anew.
"""

from __future__ import annotations

import base64
import re
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from wegweiser.accounts.demo_totp import DEMO_KEY_HEX, demo_key_base32
from wegweiser.accounts.models import Membership
from wegweiser.accounts.permissions import PERSONAL_DATA_READERS

#: Roles that must log in with a second factor: those that read personal data
#: (accounts/permissions.py, ``PERSONAL_DATA_READERS``).
REQUIRED_FOR = PERSONAL_DATA_READERS
RECOVERY_CODES = 10
APP_NAME = "Authenticator-App"
RECOVERY_NAME = "Wiederherstellungscodes"
#: The demo logins' second factor (synthetic, published in the README: never for real people).
DEMO_DEVICE_NAME = "Demo (synthetisch)"
#: The pages someone who has given the password but not yet the code may open.
OPEN_BEFORE_CODE = frozenset(
    {"second-factor", "second-factor-setup", "logout", "set_language", "javascript-catalog"}
)


class SecondFactorError(Exception):
    """A refused code; ``str()`` is the translated message for the form."""


def required(user) -> bool:
    """Must ``user`` give a second factor: a role that reads personal data, or one set up?"""
    if not user.is_authenticated:
        return False
    if has_app(user):
        return True
    return Membership.objects.filter(user=user, role__in=REQUIRED_FOR).exists()


def has_app(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- enforcement ---------------------------------------------------------------------------------


class RequireSecondFactor:
    """After the password and before any page: a user who must give a second factor and has
    not yet in this session is sent to the code form (or its set-up), with the page asked for
    as ``next``. The public API (no personal data, no session) is left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # read by the layout on every page: set, so that a template's lookup never fails (a
        # failed lookup costs Django a ``dir(request)``)
        request.second_factor_pending = False
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path_info.startswith("/api/")
            and not user.is_verified()
            and required(user)
        ):
            if not _open_before_code(request.path_info):
                target = "second-factor" if has_app(user) else "second-factor-setup"
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse(target)}?{query}")
            # the layout offers no page but these until the code is given
            request.second_factor_pending = True
        return self.get_response(request)


def _open_before_code(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.url_name in OPEN_BEFORE_CODE


def verified_in(request: HttpRequest, device) -> None:
    """Mark the session as verified by ``device``, under a new session key (the session gains
    rights: a key seen before the code must not carry them)."""
    request.session.cycle_key()
    otp_login(request, device)


# --- the authenticator app -----------------------------------------------------------------------


@dataclass(frozen=True)
class NewApp:
    device: TOTPDevice
    #: the secret as an authenticator app shows it (base32, in groups of four)
    key: str
    #: the ``otpauth://`` address the QR code holds
    url: str


def app_to_set_up(user) -> NewApp:
    """The unconfirmed TOTP device of ``user`` (created on first call) with its key and address;
    it counts only once a code from it was entered (:func:`confirm_app`)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by(
        "pk"
    ).first() or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return NewApp(device, " ".join(re.findall(".{1,4}", key)), device.config_url)


def confirm_app(user, token: str) -> list[str]:
    """Check ``token`` against the app being set up; on success the app counts, the previous
    one (if any) and the old recovery codes are removed, and the new recovery codes returned."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None:
            raise SecondFactorError(_("Bitte laden Sie die Seite neu und scannen Sie den Code."))
        refusal = _refusal(device, _normalised(token))
        if refusal is None:
            TOTPDevice.objects.filter(user=user, confirmed=True).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            return new_recovery_codes(user)
    raise SecondFactorError(refusal)


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Ten new single-use recovery codes; the earlier ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def _recovery_code() -> str:
    """Ten characters from a reading-safe alphabet (no 0/o, 1/l/i): 31**10, about 2**49."""
    return "".join(secrets.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(10))


def shown(code: str) -> str:
    """A recovery code as it is shown: ``k7mq-x3rt9a``; typed with or without the dash."""
    return f"{code[:4]}-{code[4:]}"


def _normalised(token: str) -> str:
    return re.sub(r"[\s-]", "", token or "").lower()


def _refusal(device, token: str):
    """Why ``device`` refuses ``token`` (None: accepted). A refusal is counted on the device
    (django-otp doubles the wait after each), so callers raise only after their transaction:
    a rollback would undo the count."""
    allowed, _why = device.verify_is_allowed()
    if not allowed:
        return _(
            "Zu viele falsche Codes. Bitte warten Sie einen Moment und versuchen Sie es "
            "dann erneut."
        )
    if not device.verify_token(token):
        return _("Der Code stimmt nicht. Bitte geben Sie den aktuellen Code ein.")
    return None


@dataclass(frozen=True)
class Verified:
    device: object
    #: a recovery code was used: how many are left
    recovery_codes_left: int | None = None


def verify(user, token: str) -> Verified:
    """A code from the app (six digits) or a recovery code; raises :class:`SecondFactorError`."""
    token = _normalised(token)
    app = re.fullmatch(r"\d{6}", token) is not None
    with transaction.atomic():
        model = TOTPDevice if app else StaticDevice
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            refusal = _("Der Code stimmt nicht. Bitte geben Sie den aktuellen Code ein.")
        else:
            refusal = _refusal(device, token)
        if refusal is None:
            return Verified(device, None if app else recovery_codes_left(user))
    raise SecondFactorError(refusal)


# --- the demo logins -----------------------------------------------------------------------------


def give_demo_app(user) -> TOTPDevice:
    """The demo app of a demo login (the published key); replaces its other devices."""
    TOTPDevice.objects.filter(user=user).exclude(name=DEMO_DEVICE_NAME).delete()
    device, _created = TOTPDevice.objects.update_or_create(
        user=user,
        name=DEMO_DEVICE_NAME,
        defaults={"key": DEMO_KEY_HEX, "confirmed": True, "last_t": -1},
    )
    return device


def demo_step(run) -> None:
    """Demo step: every demo login (``demo-…``) gets the published demo key as its app."""
    users = get_user_model().objects.filter(username__startswith="demo-", is_active=True)
    for user in users:
        give_demo_app(user)
    run.stdout.write(
        f"demo second factor ({users.count()} demo logins): key {demo_key_base32()} in any "
        "authenticator app, or the current code from `wegweiser demo_code`"
    )
