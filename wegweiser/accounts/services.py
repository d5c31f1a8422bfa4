"""Writes of the platform administration: organisations, invitations, roles, active accounts.

Every service is keyword-only, takes the acting user as ``by=``, checks the permissions table
again (:func:`~wegweiser.accounts.permissions.user_can_anywhere`: a platform administrator manages
every organisation) and runs in one transaction; a refusal raises :class:`AccountError` (its
``str()`` is the translated message, ``field`` the form field it belongs to) and changes
nothing. Every change writes one audit entry per organisation concerned through :func:`_log`,
the one place this app calls the audit log. Mails are sent after the transaction commits and
carry no personal data beyond the link and the user name needed to log in.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from wegweiser.accounts.models import Membership, Role
from wegweiser.accounts.permissions import user_can_anywhere
from wegweiser.accounts.tokens import invitation_days, invitation_token_generator
from wegweiser.audit.models import AuditAction

# The audit log (it moves into an app of its own later: these two imports and _log change then).
from wegweiser.audit.services import audit
from wegweiser.core.commit import after_commit
from wegweiser.organisations.models import Organisation
from wegweiser.organisations.vocabulary import ORGANISATION_KINDS

logger = logging.getLogger(__name__)


class AccountError(Exception):
    """A refused operation; ``message`` is shown on the form (``field``: which field)."""

    default_message = _("Der Vorgang ist nicht möglich.")

    def __init__(self, message=None, *, field: str | None = None):
        self.message = message or self.default_message
        self.field = field
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)


class NotAllowed(AccountError):
    default_message = _("Dafür fehlt Ihnen die Berechtigung.")


def _require(by, action: str) -> None:
    if not user_can_anywhere(by, action):
        raise NotAllowed()


# --- the audit log: the one place this app writes it ---------------------------------------------


def _log(*, by, action: AuditAction, user=None, organisations: Iterable = (), obj=None, **detail):
    """One audit entry per organisation (the data-protection officer of each sees it); none of
    them: one entry without an organisation. ``detail`` holds role values and flags only."""
    for organisation in list(organisations) or [None]:
        audit(actor=by, organisation=organisation, action=action, obj=obj or user, detail=detail)


# --- mails ---------------------------------------------------------------------------------------


def _send(*, template: str, to: str, language: str, context: dict) -> None:
    """Subject and body from ``accounts/mail/<template>_subject.txt`` and ``….txt``."""
    with translation.override(language):
        subject = render_to_string(f"accounts/mail/{template}_subject.txt", context)
        body = render_to_string(f"accounts/mail/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [to])


def _invitation_mail(user_id: int, organisation_name: str, language: str, base_url: str) -> None:
    """Runs after the commit: a failing mail server must not turn the saved invitation into an
    error page; it is logged, and the administrator can send the invitation again."""
    try:
        _send_invitation_mail(user_id, organisation_name, language, base_url)
    except Exception:
        logger.exception("invitation mail for user %s could not be sent", user_id)


def _send_invitation_mail(user_id: int, organisation_name: str, language: str, base_url: str):
    user = get_user_model().objects.get(pk=user_id)
    with translation.override(language):
        login = reverse("login")
        if user.has_usable_password():
            template, link = "added", ""
        else:
            template = "invitation"
            link = reverse(
                "accounts:invitation",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": invitation_token_generator.make_token(user),
                },
            )
    _send(
        template=template,
        to=user.email,
        language=language,
        context={
            "organisation": organisation_name,
            "username": user.get_username(),
            "link": f"{base_url}{link}",
            "login_link": f"{base_url}{login}",
            "days": invitation_days(),
        },
    )


def _schedule_invitation_mail(user, organisation, language: str, base_url: str) -> None:
    user_id, name = user.pk, organisation.name
    after_commit(_invitation_mail, user_id, name, language, base_url)


# --- organisations -------------------------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *, by, name: str, kind: str, email: str = "", website: str = "", phone: str = ""
) -> Organisation:
    """A new organisation of the directory, to invite people into."""
    _require(by, "accounts.organisation_create")
    name = " ".join(name.split())
    if not name:
        raise AccountError(_("Bitte geben Sie einen Namen ein."), field="name")
    if kind not in ORGANISATION_KINDS:
        raise AccountError(_("Bitte wählen Sie eine Art aus der Liste."), field="kind")
    if Organisation.objects.filter(name__iexact=name).exists():
        raise AccountError(_("Eine Organisation mit diesem Namen gibt es schon."), field="name")
    organisation = Organisation(name=name, kind=kind, email=email, website=website, phone=phone)
    organisation.full_clean()
    organisation.save()
    _log(
        by=by,
        action=AuditAction.ORGANISATION_CREATED,
        organisations=[organisation],
        obj=organisation,
    )
    return organisation


# --- members -------------------------------------------------------------------------------------


def _roles(values: Iterable[str], *, allow_empty: bool) -> list[Role]:
    try:
        roles = sorted({Role(v) for v in values}, key=list(Role).index)
    except ValueError:
        raise AccountError(_("Bitte wählen Sie Rollen aus der Liste."), field="roles") from None
    if not roles and not allow_empty:
        raise AccountError(_("Bitte wählen Sie mindestens eine Rolle."), field="roles")
    return roles


def _is_member(user, organisation) -> bool:
    return Membership.objects.filter(user=user, organisation=organisation).exists()


def _another_platform_admin_remains(user, *, organisation=None) -> bool:
    """Would an active platform administrator remain without ``user``'s role (in ``organisation``,
    or anywhere if None)? Locks the platform administrators' memberships while deciding."""
    admins = Membership.objects.select_for_update().filter(
        role=Role.PLATFORM_ADMIN, user__is_active=True
    )
    list(admins)  # the lock (PostgreSQL); SQLite serialises writers anyway
    if organisation is None:
        return admins.exclude(user=user).exists()
    return admins.exclude(user=user, organisation=organisation).exists()


@transaction.atomic
def member_invite(
    *,
    by,
    organisation: Organisation,
    email: str,
    roles: Iterable[str],
    language: str,
    base_url: str,
):
    """Invite a person by e-mail into ``organisation`` with ``roles``; returns the user.

    A new address gets an account without a password (user name: the address) and a mail with a
    single-use link to set one (valid ``WEGWEISER_INVITATION_DAYS``). A person who already has an
    account gets the memberships and a mail saying so (with a new link if they never set a
    password). Refused: an address already in the organisation, a deactivated account, an
    address shared by several accounts.
    """
    _require(by, "accounts.invite")
    roles = _roles(roles, allow_empty=False)
    email = get_user_model().objects.normalize_email(email.strip()).lower()
    if not email:
        raise AccountError(_("Bitte geben Sie eine E-Mail-Adresse ein."), field="email")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    User = get_user_model()
    matches = list(User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))[:2])
    if len(matches) > 1:
        raise AccountError(
            _("Mehrere Konten haben diese E-Mail-Adresse. Bitte klären Sie das zuerst."),
            field="email",
        )
    user = matches[0] if matches else None
    new_account = user is None
    if user is not None:
        if (user.email or "").lower() != email:
            raise AccountError(
                _(
                    "Ein anderes Konto hat diesen Benutzernamen, aber eine andere E-Mail-Adresse. "
                    "Bitte klären Sie das zuerst."
                ),
                field="email",
            )
        if _is_member(user, organisation):
            raise AccountError(
                _(
                    "Diese Person gehört schon zu dieser Organisation. Ändern Sie stattdessen "
                    "ihre Rollen."
                ),
                field="email",
            )
        if not user.is_active:
            raise AccountError(
                _("Dieses Konto ist deaktiviert. Reaktivieren Sie es zuerst."), field="email"
            )
        if not user.has_usable_password():
            user.set_unusable_password()  # a new invitation: the earlier link no longer works
            user.save(update_fields=["password"])
    else:
        user = User(username=email, email=email)
        user.set_unusable_password()
        try:
            user.full_clean()
        except ValidationError:
            raise AccountError(
                _(
                    "Diese E-Mail-Adresse kann nicht als Benutzername dienen (zu lang oder mit "
                    "Sonderzeichen). Bitte nehmen Sie eine andere."
                ),
                field="email",
            ) from None
        user.save()
    Membership.objects.bulk_create(
        Membership(user=user, organisation=organisation, role=role) for role in roles
    )
    _log(
        by=by,
        action=AuditAction.MEMBER_INVITED,
        user=user,
        organisations=[organisation],
        roles=[r.value for r in roles],
        new_account=new_account,
    )
    _schedule_invitation_mail(user, organisation, language, base_url)
    return user


@transaction.atomic
def invitation_resend(*, by, organisation: Organisation, user, language: str, base_url: str):
    """A new invitation link for a member who has not set a password yet (the old one ends)."""
    _require(by, "accounts.invite")
    if not _is_member(user, organisation):
        raise AccountError(_("Diese Person gehört nicht zu dieser Organisation."))
    if not user.is_active:
        raise AccountError(_("Dieses Konto ist deaktiviert. Reaktivieren Sie es zuerst."))
    if user.has_usable_password():
        raise AccountError(_("Diese Person hat ihr Passwort schon festgelegt."))
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    user.set_unusable_password()
    user.save(update_fields=["password"])
    _log(by=by, action=AuditAction.INVITATION_RESENT, user=user, organisations=[organisation])
    _schedule_invitation_mail(user, organisation, language, base_url)
    return user


@transaction.atomic
def invitation_accept(*, user, password: str):
    """The invited person sets their password (the link's token was checked by the view)."""
    if not user.is_active or user.has_usable_password():
        raise AccountError(_("Dieser Link ist nicht mehr gültig."))
    user.set_password(password)
    user.save(update_fields=["password"])
    _log(
        by=user,
        action=AuditAction.INVITATION_ACCEPTED,
        user=user,
        organisations=Organisation.objects.filter(memberships__user=user).distinct(),
    )
    return user


@transaction.atomic
def member_roles_change(*, by, organisation: Organisation, user, roles: Iterable[str]) -> bool:
    """Give ``user`` exactly ``roles`` in ``organisation`` (none: they leave it).

    Refused if no active platform administrator would remain. Returns whether anything changed.
    """
    _require(by, "accounts.roles_change")
    roles = _roles(roles, allow_empty=True)
    current = Membership.objects.select_for_update().filter(user=user, organisation=organisation)
    previous = sorted({Role(m.role) for m in current}, key=list(Role).index)
    if not previous:
        raise AccountError(_("Diese Person gehört nicht zu dieser Organisation."))
    if roles == previous:
        return False
    if (
        Role.PLATFORM_ADMIN in previous
        and Role.PLATFORM_ADMIN not in roles
        and not _another_platform_admin_remains(user, organisation=organisation)
    ):
        raise AccountError(
            _(
                "Mindestens eine Person muss die Plattform verwalten. Geben Sie zuerst einer "
                "anderen Person die Rolle „Plattform-Administration“."
            ),
            field="roles",
        )
    current.exclude(role__in=roles).delete()
    Membership.objects.bulk_create(
        Membership(user=user, organisation=organisation, role=role)
        for role in roles
        if role not in previous
    )
    _log(
        by=by,
        action=AuditAction.ROLES_CHANGED,
        user=user,
        organisations=[organisation],
        roles=[r.value for r in roles],
        previous_roles=[r.value for r in previous],
    )
    return True


def _organisations_of(user):
    return Organisation.objects.filter(memberships__user=user).distinct().order_by("name")


@transaction.atomic
def user_deactivate(*, by, user) -> None:
    """Switch an account off (every organisation); it can no longer log in. Refused for
    oneself and for the last active platform administrator."""
    _require(by, "accounts.user_activate")
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == by.pk:
        raise AccountError(_("Sie können Ihr eigenes Konto nicht deaktivieren."))
    if not user.is_active:
        raise AccountError(_("Dieses Konto ist schon deaktiviert."))
    is_admin = Membership.objects.filter(user=user, role=Role.PLATFORM_ADMIN).exists()
    if is_admin and not _another_platform_admin_remains(user):
        raise AccountError(_("Mindestens eine Person muss die Plattform verwalten."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    _log(
        by=by, action=AuditAction.USER_DEACTIVATED, user=user, organisations=_organisations_of(user)
    )


@transaction.atomic
def user_reactivate(*, by, user) -> None:
    """Switch an account on again (its memberships are unchanged)."""
    _require(by, "accounts.user_activate")
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        raise AccountError(_("Dieses Konto ist schon aktiv."))
    user.is_active = True
    user.save(update_fields=["is_active"])
    _log(
        by=by, action=AuditAction.USER_REACTIVATED, user=user, organisations=_organisations_of(user)
    )


# --- the second factor (accounts/second_factor.py) -----------------------------------------------


def second_factor_reset(*, by, user, language: str, base_url: str) -> bool:
    """Remove ``user``'s authenticator app and recovery codes (a lost phone): at the next page
    or login they set up a new one; sessions verified with the old app lose it at once. One
    audit entry per organisation; the person gets a mail without personal data. False (and
    nothing logged) if there was nothing to reset."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _require(by, "accounts.second_factor_reset")
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        removed += StaticDevice.objects.filter(user=user).delete()[0]
        if not removed:
            return False
        _log(
            by=by,
            action=AuditAction.SECOND_FACTOR_RESET,
            user=user,
            organisations=_organisations_of(user),
        )
        user_id = user.pk
        after_commit(_second_factor_reset_mail, user_id, language, base_url)
    return True


def _second_factor_reset_mail(user_id: int, language: str, base_url: str) -> None:
    user = get_user_model().objects.get(pk=user_id)
    if not user.email:
        return
    with translation.override(language):
        login = reverse("login")
    try:
        _send(
            template="second_factor_reset",
            to=user.email,
            language=language,
            context={"username": user.get_username(), "login_link": f"{base_url}{login}"},
        )
    except Exception:  # the reset stands; the administrator can tell the person otherwise
        logger.exception("mail about the second-factor reset of user %s failed", user_id)
