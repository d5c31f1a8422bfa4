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

``SharedObjects`` (the directory's offers, their pages and cards, the points around which
offers are ranked) are *verified* rather than expired: each committed change of one of their
models that Django signals raises that model's counter in the database (``SharedStamp``,
after the commit, in its own short statement), and ``forget_all`` raises every counter after
a bulk write. A process whose kept object is older than the seconds above reads its store's
counters (one query per store and interval): unchanged, everything it keeps stays; changed,
it forgets the store and reads afresh. So another process sees a change within the same
seconds as before, and the pages are not read and rendered again every 30 s while nothing
changed (under load that re-rendering was the tail of the offer and search pages:
``docs/public.md``, "Thirteenth session"). A write that sends no signal (``QuerySet.update``,
raw SQL) raises no counter: each kept object is read afresh after at most
``HARD_LIMIT_FACTOR`` times the seconds, by itself, at a time drawn for it between
``1 - HARD_LIMIT_SPREAD`` and one times that limit (objects read together, at a process's
start, are not all read and rendered again in the same second: that was a burst of ~900 offer
pages every five minutes, ``docs/public.md``, "Fourteenth session").

Nothing personal is kept. A decision that must be exact reads the database itself (whether a
contact request may be sent: ``accounts.recipients.receives_requests``).
"""

from __future__ import annotations

import hashlib
import itertools
import random
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

#: name -> generation; a change starts a new generation (keys of the old one are never read).
_generation: dict[str, int] = {}
_counter = itertools.count(1)
_MISSING = object()
#: every store of ``SharedObjects`` (for ``forget_all``)
_stores: list[SharedObjects] = []


#: What ``SharedObjects`` keep is read afresh after this many times ``seconds()`` even while
#: no counter changed (a write that sends no signal raises none: our own code signals every
#: write or calls ``forget_all``, so this bounds only writes from outside, such as SQL by hand;
#: 30 minutes at 30 s). Each kept object read afresh costs a query and a render: ~900 offer
#: pages every five minutes (ten times) cost the offer page a sixth of its throughput under
#: load (docs/public.md, "Fourteenth session") ...
HARD_LIMIT_FACTOR = 60
#: ... each object at a time drawn between (1 - this) and 1 times that limit.
HARD_LIMIT_SPREAD = 0.5


def _deadline(now: float, ttl: int) -> float:
    """When an object read at ``now`` is read afresh whatever the counters say."""
    hard = ttl * HARD_LIMIT_FACTOR
    return now + hard * (1 - HARD_LIMIT_SPREAD * random.random())  # noqa: S311 (not for secrets)


def seconds() -> int:
    return int(getattr(settings, "WEGWEISER_SHARED_READ_SECONDS", 30))


# --- the change counters (``core.models.SharedStamp``) -------------------------------------------

#: every model label a store of kept objects depends on (``forget_all`` raises them all)
_stamped: set[str] = set()
_STAMP_TABLE = "wegweiser_shared_stamp"


def _raise_now(labels) -> None:
    """Raise the counters of ``labels`` by one, each in its own statement (autocommit: no lock
    held beyond it, so two writers never wait on each other's counters)."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cur:
        for label in sorted(labels):
            cur.execute(
                f"INSERT INTO {_STAMP_TABLE} (model, changes) VALUES (%s, 1) "  # noqa: S608 (constant SQL)
                f"ON CONFLICT (model) DO UPDATE SET changes = {_STAMP_TABLE}.changes + 1",
                [label],
            )


def raise_counters(labels) -> None:
    """After the current transaction commits (at once outside one): other processes then see
    that these models changed."""
    labels = tuple(labels)
    # robust: a failed raise (the change is committed) costs the others' notice, not the request
    transaction.on_commit(lambda: _raise_now(labels), using=DEFAULT_DB_ALIAS, robust=True)


def counters(labels, using: str = DEFAULT_DB_ALIAS) -> tuple:
    """The counters of ``labels`` in their order (0 for a model never changed)."""
    wanted = list(labels)
    with connections[using].cursor() as cur:
        cur.execute(
            f"SELECT model, changes FROM {_STAMP_TABLE} WHERE model IN "  # noqa: S608 (constant SQL)
            f"({', '.join(['%s'] * len(wanted))})",
            wanted,
        )
        found = dict(cur.fetchall())
    return tuple(found.get(label, 0) for label in wanted)


def _stamp_on_change(models, deletes) -> None:
    """Raise each model's counter when Django signals a change of it (once per model)."""
    for model in models:
        label = model._meta.label_lower
        _stamped.add(label)

        def handler(sender, _label=label, **kwargs) -> None:
            raise_counters([_label])

        signals = (
            (post_save, m2m_changed, post_delete) if model in deletes else (post_save, m2m_changed)
        )
        for signal in signals:
            signal.connect(
                handler, sender=model, weak=False, dispatch_uid=f"shared-stamp:{label}:{signal}"
            )


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


def forget_all(*, others: bool = True) -> None:
    """Forget everything kept in this process: after bulk writes, which send no signals
    (imports, the demo directory), and between tests; with ``others`` the other server
    processes are told too (every change counter raised when the transaction commits)."""
    for name in list(_generation):
        _generation[name] = next(_counter)
    for store in _stores:
        store.forget()
    if others and _stamped:
        raise_counters(_stamped)


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
        self._labels = tuple(sorted({m._meta.label_lower for m in (*models, *deletes)}))
        self._model = models[0]
        #: the counters read before this generation's first load, and until when they count
        #: as verified (``_current``)
        self._counters: tuple | None = None
        self._verified_until = 0.0
        _stamp_on_change(models + tuple(m for m in deletes if m not in models), set(deletes))
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
            self._counters = None
            self._verified_until = 0.0

        _now_and_on_commit(clear)

    def _current(self, now: float, ttl: int) -> bool:
        """Whether what this generation keeps is still current: its models' counters are the
        ones read before its first load (read again at most once per ``ttl``); if not, the
        store is forgotten."""
        if now < self._verified_until:
            return True
        kept = self._counters
        if kept is None:
            return False
        if counters(self._labels, self._alias()) != kept:
            self.forget()
            return False
        self._verified_until = now + ttl
        return True

    def _alias(self) -> str:
        """The database the store's objects are read from in this request (the replica for a
        visitor's page, ``core/replica.py``): its counters are read there too, so they never
        run ahead of the rows."""
        return router.db_for_read(self._model) or DEFAULT_DB_ALIAS

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
        found, missing, expired = {}, [], []
        for key in keys:
            item = items.get(key)
            if item is None:
                missing.append(key)
            elif item[0] > now:
                found[key] = item[1]
            else:
                expired.append((key, item))
        if expired:  # past the seconds: kept on while nothing changed, up to its deadline
            if self._current(now, ttl):
                for key, (_, obj, deadline) in expired:
                    if now < deadline:  # kept until the next reading of the counters
                        items[key] = (min(self._verified_until, deadline), obj, deadline)
                        found[key] = obj
                    else:  # read afresh alone; what was rendered from it goes with it
                        missing.append(key)
            else:  # forgotten: everything is read afresh
                missing += [*found, *(key for key, _ in expired)]
                found = {}
                items, generation = self._items, self._generation
        if missing:
            if self._counters is None:  # read before loading: a change meanwhile shows later
                self._counters = counters(self._labels, self._alias())
            loaded = load(missing)
            found.update(loaded)
            if generation == self._generation:  # nothing changed while loading
                if len(items) + len(loaded) > self.limit:  # past its hard limit goes first
                    items = {k: item for k, item in items.items() if item[2] > now}
                    if len(items) + len(loaded) > self.limit:
                        items = {}
                    self._items = items
                for key, obj in loaded.items():
                    items[key] = (now + ttl, obj, _deadline(now, ttl))
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
