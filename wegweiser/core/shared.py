"""Shared reads: facts that are the same for every visitor and change rarely, kept for a short
while in each server process.

The public pages ask the database, on every request, a few questions whose answer is the same
for everybody: which Kreise have an active WIR or AMIF project, the database id of each funding
round, which organisations can answer a contact request. Under load each such query costs more
than the rest of the page's Python (``bench/public_load.py``, ``docs/public.md``, "Speed").

``@shared(name, *models)`` keeps a function's answer per arguments in the process's default
cache (memory, ``settings.CACHES``) for at most ``WEGWEISER_SHARED_READ_SECONDS`` (30 s):

- the process that changes one of ``models`` (saved, deleted, a many-to-many relation changed)
  forgets every answer of that name at once and again when the transaction commits, so its
  own next request reads the new state;
- another server process sees the change when its answer expires, within those seconds.

Nothing personal is kept. A decision that must be exact reads the database itself (whether a
contact request may be sent: ``accounts.recipients.receives_requests``).
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

#: name -> generation; a change starts a new generation (keys of the old one are never read).
_generation: dict[str, int] = {}
_counter = itertools.count(1)
_MISSING = object()


def seconds() -> int:
    return int(getattr(settings, "WEGWEISER_SHARED_READ_SECONDS", 30))


def forget(name: str) -> None:
    """Forget every kept answer of ``name`` in this process (now and when the transaction
    commits: a read between the change and the commit would keep the old state)."""

    def bump() -> None:
        _generation[name] = next(_counter)

    bump()
    transaction.on_commit(bump)


def shared(name: str, *models) -> Callable:
    """Keep the decorated function's answer per (hashable) arguments; forget it when one of
    ``models`` changes (model classes or many-to-many ``through`` models)."""

    def handler(sender, **kwargs) -> None:
        forget(name)

    for model in models:
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(
                handler, sender=model, weak=False, dispatch_uid=f"shared:{name}:{model._meta.label}"
            )

    def decorate(fn: Callable) -> Callable:
        @wraps(fn)
        def wrapper(*args):
            ttl = seconds()
            if ttl <= 0:
                return fn(*args)
            digest = hashlib.blake2b(repr(args).encode(), digest_size=12).hexdigest()
            key = f"shared:{name}:{_generation.get(name, 0)}:{digest}"
            value = cache.get(key, _MISSING)
            if value is _MISSING:
                value = fn(*args)
                cache.set(key, value, ttl)
            return value

        wrapper.uncached = fn
        return wrapper

    return decorate
