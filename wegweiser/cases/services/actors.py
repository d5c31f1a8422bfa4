"""Who acts in a case service: a logged-in user, or :data:`SYSTEM`.

Every service takes the actor as ``by``. Most writes are a user's, checked against the roles she
holds in the object's organisation (``accounts.permissions``). A few are nobody's: a person
sends a contact request from the public self-check (no account), a partner answers a referral
through its single-use link (no account; the token is the credential), a scheduled command
expires referrals or deletes records whose keeping period has ended. Those services are called
with ``by=SYSTEM``:

- ``SYSTEM`` may do only :data:`SYSTEM_ACTIONS`, and no user may do those (they are not in the
  permissions table): a user cannot take the platform's way round a role check, and the
  platform cannot do a user's work.
- The audit log stores ``SYSTEM`` as no actor (``AuditEntry.actor`` is empty), as before.
- Where a row needs a user (``Consent.recorded_by``, ``ResidenceStatus.recorded_by``), the
  account :data:`SYSTEM_USERNAME` stands in: inactive, without a password and without a
  membership, so it can never log in or hold a role (:func:`recorder`).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from wegweiser.accounts.permissions import user_can


class SystemActor:
    """The platform itself; not a user (``is_authenticated`` is false, so roles never apply)."""

    is_authenticated = False
    is_active = False
    pk = None

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()

#: The stand-in account for rows that need a user (it records the self-check's consents and the
#: residence status a person sends along). Its name is stored: do not change it.
SYSTEM_USERNAME = "wegweiser-selbstcheck"

#: What only the platform does, and the service that does it.
SYSTEM_ACTIONS = frozenset(
    {
        "contact_request.intake",  # intake.contact_request_intake
        "referral.answer_by_link",  # referrals_received.referral_link_view / _answer_by_link
        "referral.expire",  # referrals.referrals_expire
        "participant.purge",  # data_rights.purge_expired_records
    }
)


def may(by, organisation, action: str) -> bool:
    """May ``by`` perform ``action`` in ``organisation``?"""
    if by is SYSTEM:
        return action in SYSTEM_ACTIONS
    return user_can(by, organisation, action)


def system_account():
    """The inactive stand-in account (created on first use)."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def recorder(by):
    """The user a row records as having recorded it: ``by``, or the stand-in for ``SYSTEM``."""
    return system_account() if by is SYSTEM else by
