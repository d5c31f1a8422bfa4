"""The time of a new audit entry (its own module: the model's default, used by the chain)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    """Now, to the millisecond: the hash chain covers milliseconds (Django's ``dumpdata`` keeps
    no more), so an entry stores nothing its hash does not cover."""
    t = timezone.now()
    return t.replace(microsecond=t.microsecond // 1000 * 1000)
