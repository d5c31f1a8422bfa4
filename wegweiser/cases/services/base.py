"""What every case service shares: the role check, the clock, the one compare-and-swap, the
audit entry of a write, and the checks of a counsellor and of a row's fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wegweiser.accounts.models import Membership
from wegweiser.accounts.permissions import CASEWORKERS
from wegweiser.audit.services import audit
from wegweiser.cases.errors import (
    CaseError,
    ConcurrentEdit,
    InvalidData,
    NotAllowed,
    TransitionNotAllowed,
)
from wegweiser.cases.services.actors import may


def require(by, organisation, action: str) -> None:
    """:class:`NotAllowed` unless ``by`` may perform ``action`` in ``organisation``."""
    if not may(by, organisation, action):
        raise NotAllowed()


def now() -> dt.datetime:
    return timezone.now()


def check_transition(table, statuses, origin: str, to: str, message) -> None:
    """:class:`TransitionNotAllowed` with ``message`` (naming both statuses by their labels)
    unless the transition ``table`` allows ``origin`` → ``to``."""
    if to not in table[origin]:
        raise TransitionNotAllowed(
            message, origin=statuses(origin).label, target=statuses(to).label
        )


def compare_and_swap(
    obj,
    *,
    version: int | None = None,
    expect: Mapping[str, Any] | None = None,
    conflict: CaseError | None = None,
    **changes,
) -> None:
    """Write ``changes`` to the row of ``obj`` only if nobody changed it since it was read.

    One ``UPDATE ... WHERE id = ... AND version = ... AND <expect>``. On a versioned model (one
    with a ``version`` field: participants, cases, ESF entry data) the row must still have
    ``version`` -- the version the user saw; left out, the one ``obj`` was read with -- and the
    write raises it by one and sets ``updated_at``. ``expect`` names values the row must still
    hold (``{"status": "sent"}``, ``{"done_at": None}``). When the row changed, nothing is written
    and ``conflict`` (default :class:`~wegweiser.cases.errors.ConcurrentEdit`) is raised;
    otherwise ``obj`` carries the changes and its new version.
    """
    model = type(obj)
    where = dict(expect or {})
    values = dict(changes)
    versioned = any(f.name == "version" for f in model._meta.concrete_fields)
    if versioned:
        where["version"] = expected = obj.version if version is None else version
        values.update(version=F("version") + 1, updated_at=now())
    if model.objects.filter(pk=obj.pk, **where).update(**values) != 1:
        raise conflict or ConcurrentEdit()
    for name, value in values.items():
        if name != "version":
            setattr(obj, name, value)
    if versioned:
        obj.version = expected + 1


def log(
    by,
    action: str,
    obj,
    *,
    participant=None,
    case=None,
    organisation=None,
    detail: dict[str, Any] | None = None,
) -> None:
    """The audit entry of ``by``'s write of ``obj``: about ``participant`` (or the person of
    ``case``), in that one's organisation unless ``organisation`` is given (a referral's
    receiver). ``SYSTEM`` is stored as no actor."""
    about = participant if participant is not None else case
    audit(
        actor=by,
        organisation=organisation or about.organisation,
        action=action,
        obj=obj,
        participant_id=participant.pk if participant is not None else case.participant_id,
        detail=detail,
    )


def check_counsellor(user, organisation) -> None:
    """A counsellor or assignee must do casework in ``organisation`` (``None``: nobody)."""
    if user is None:
        return
    if not Membership.objects.filter(
        user=user, organisation=organisation, role__in=CASEWORKERS
    ).exists():
        raise InvalidData(_("Die zuständige Person arbeitet nicht in dieser Organisation."))


def check_row(obj, **exclude) -> None:
    """The model's own validation of a row about to be written (choices, lengths, formats), for
    data that did not come through a form; :class:`InvalidData` names the fields."""
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False, **exclude)
    except ValidationError as error:
        raise InvalidData(
            _("Ungültige Angabe: %(error)s"), error=f"{obj._meta.model_name} {error.message_dict}"
        ) from None
