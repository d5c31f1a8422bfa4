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
import time
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
#: every store of ``SharedObjects`` (for ``forget_all``)
_stores: list[SharedObjects] = []


def seconds() -> int:
    return int(getattr(settings, "WEGWEISER_SHARED_READ_SECONDS", 30))


def forget(name: str) -> None:
    """Forget every kept answer of ``name`` in this process (now and when the transaction
    commits: a read between the change and the commit would keep the old state)."""

    def bump() -> None:
        _generation[name] = next(_counter)

    _now_and_on_commit(bump)


def _now_and_on_commit(fn: Callable[[], None]) -> None:
    fn()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(fn)


def forget_all() -> None:
    """Forget everything kept in this process: after bulk writes, which send no signals
    (imports, the demo directory), and between tests."""
    for name in list(_generation):
        _generation[name] = next(_counter)
    for store in _stores:
        store.forget()


def _forget_on_change(
    name: str, models, forget_fn: Callable[[], None], *, deletes: bool = True
) -> None:
    def handler(sender, **kwargs) -> None:
        forget_fn()

    signals = (post_save, post_delete, m2m_changed) if deletes else (post_save, m2m_changed)
    for model in models:
        for signal in signals:
            signal.connect(
                handler, sender=model, weak=False, dispatch_uid=f"shared:{name}:{model._meta.label}"
            )


def shared(name: str, *models) -> Callable:
    """Keep the decorated function's answer per (hashable) arguments; forget it when one of
    ``models`` changes (model classes or many-to-many ``through`` models)."""
    _generation.setdefault(name, 0)
    _forget_on_change(name, models, lambda: forget(name))

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


class SharedObjects:
    """Objects by key (the directory's offers as lists show them), kept per process like
    ``shared``'s answers but without copying them through the cache: each request gets the
    same instances, so callers hand out copies before they change one
    (``directory.selectors``). At most ``limit`` objects; beyond, the store starts afresh.

    Deletes are listened to only for the models in ``deletes``: a delete listener makes
    Django load every row of a bulk delete. A deleted offer leaves the search table, so no
    search asks for it again; the offer page, which is asked by id, listens to ``Offer``."""

    def __init__(self, name: str, *models, limit: int = 20_000, deletes=()) -> None:
        self.name, self.limit = name, limit
        self._items: dict = {}
        self._generation = 0
        _forget_on_change(name, models, self.forget, deletes=False)
        for model in deletes:
            post_delete.connect(
                lambda sender, **kwargs: self.forget(),
                sender=model,
                weak=False,
                dispatch_uid=f"shared:{name}:{model._meta.label}:delete",
            )
        _stores.append(self)

    def forget(self) -> None:
        def clear() -> None:
            self._generation += 1
            self._items = {}

        _now_and_on_commit(clear)

    @property
    def generation(self) -> int:
        """Counts this process's forgetting: what was derived from objects read under one
        generation belongs to it (``directory.offer_page`` keys the rendered page by it)."""
        return self._generation

    def get_many(self, keys, load: Callable[[list], dict]) -> dict:
        """The objects of ``keys`` that exist: kept ones, the others from ``load(missing)``."""
        ttl = seconds()
        if ttl <= 0:
            return load(list(keys))
        now = time.monotonic()
        items, generation = self._items, self._generation
        found, missing = {}, []
        for key in keys:
            item = items.get(key)
            if item is not None and item[0] > now:
                found[key] = item[1]
            else:
                missing.append(key)
        if missing:
            loaded = load(missing)
            found.update(loaded)
            if generation == self._generation:  # nothing changed while loading
                if len(items) + len(loaded) > self.limit:
                    items = self._items = {}
                for key, obj in loaded.items():
                    items[key] = (now + ttl, obj)
        return found


# --- what is rendered from a kept object alone, kept with it -------------------------------------


def keeps_renders(obj) -> None:
    """Give a kept object (one ``SharedObjects.get_many`` loads) a place for the HTML rendered
    from it alone: the shallow copies handed to requests share it, and it goes with the object
    when the store forgets or the object expires, so it never outlives the data it shows."""
    obj.kept_renders = {}


def rendered(obj, key, render: Callable[[], str]) -> str:
    """``render()`` kept on ``obj`` under ``key`` (which names everything besides ``obj`` the HTML
    depends on: the language, the day ...); rendered each time for an object without a place
    (:func:`keeps_renders`). Two threads may both render a missing entry: the same HTML."""
    memo = getattr(obj, "kept_renders", None)
    if memo is None:
        return render()
    html = memo.get(key)
    if html is None:
        html = memo[key] = render()
    return html
