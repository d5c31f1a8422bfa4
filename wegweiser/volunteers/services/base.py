"""What the volunteers' services share: the role check, working days, the rate of a day."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.db.models import F
from django.utils.translation import gettext as _

from wegweiser.accounts.permissions import user_can
from wegweiser.volunteers.errors import NotAllowed, VolunteerError
from wegweiser.volunteers.models import Rate


def check(by, organisation, action: str) -> None:
    """``by`` holds a role granting ``action`` in ``organisation`` (else :class:`NotAllowed`)."""
    if by is None or not user_can(by, organisation, action):
        raise NotAllowed(action)


def may(by, organisation, action: str) -> bool:
    """Does ``by`` hold a role granting ``action`` in ``organisation``?"""
    return by is not None and user_can(by, organisation, action)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def working_days_between(first: dt.date, last: dt.date) -> int:
    """Working days (Monday to Friday) after ``first`` up to and including ``last``."""
    days, day = 0, first
    while day < last:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days += 1
    return days


def rate_on(organisation, day: dt.date) -> Rate | None:
    return Rate.objects.filter(organisation=organisation, valid_from__lte=day).first()


def costs(organisation, day: dt.date, hours: Decimal, km: Decimal) -> Decimal:
    rate = rate_on(organisation, day)
    if rate is None:
        return Decimal("0.00")
    return (hours * rate.eur_per_hour + km * rate.eur_per_km).quantize(Decimal("0.01"))


def swap(model, obj, *, expect: dict, **changes) -> None:
    """One ``UPDATE ... WHERE`` the row is still as expected (else :class:`VolunteerError`);
    ``obj`` gets the changes."""
    has_version = hasattr(obj, "version")
    changes_db = {**changes, "version": F("version") + 1} if has_version else changes
    updated = model.objects.filter(pk=obj.pk, **expect).update(**changes_db)
    if not updated:
        raise VolunteerError(
            _("Der Eintrag wurde inzwischen geändert. Bitte laden Sie die Seite neu.")
        )
    for key, value in changes.items():
        setattr(obj, key, value)
    if has_version:
        obj.version += 1
