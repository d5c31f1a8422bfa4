"""The hash chain of the audit log: every entry carries the hash of the one before.

An entry's ``hash`` is SHA-256 over its previous entry's hash and a canonical serialisation of
its own fields (:func:`canonical`: its position ``seq``, time, actor, organisation, action,
subject, person and detail). Changing any of them, or removing or inserting an entry, breaks
the chain at that entry; :func:`verify` walks the log in the order it was written (``id``) and
names the first entry that does not fit. The first entry follows :data:`GENESIS`.

**One chain, one writer at a time.** :func:`append` first moves the one-row chain head
(``UPDATE audit_chainhead SET seq = seq + 1 ... RETURNING``): on PostgreSQL the row lock makes
every other writer wait there until this transaction commits or rolls back, on SQLite the
UPDATE takes the database's write lock. So no two entries ever follow the same one, and the
head rolls back with a transaction that rolls back. The lock is held until the end of the
writer's transaction (with ``ATOMIC_REQUESTS`` the end of the request): writes of audit entries
are serialised (measured in ``bench/audit.py``).

The chain shows changes made by anyone who cannot also recompute every later hash and the
head. Against someone who can (a database administrator), keep the head outside the database:
``wegweiser audit_verify`` prints it, and ``--anchor POSITION:HASH`` checks that the chain
still passes through a head written down earlier (``docs/operations.md``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from wegweiser.audit.clock import now

#: the "previous hash" of the first entry
GENESIS = "0" * 64

#: the fields of an entry, in the order they are hashed (``hash`` itself excluded)
FIELDS = (
    "seq",
    "at",
    "actor_id",
    "organisation_id",
    "action",
    "object_type",
    "object_id",
    "participant_id",
    "detail",
    "prev_hash",
)


def _at(value: dt.datetime | str) -> str:
    """UTC to the millisecond (truncated); text is taken as already in this form."""
    if isinstance(value, str):
        return value
    return value.astimezone(dt.UTC).isoformat(timespec="milliseconds")


_encode = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def canonical(
    *,
    seq: int,
    at: dt.datetime,
    actor_id: Any,
    organisation_id: Any,
    action: str,
    object_type: str,
    object_id: str,
    participant_id: Any,
    detail: Any,
    prev_hash: str,
) -> bytes:
    """The bytes an entry's hash is computed over: one JSON array of its fields, keys sorted,
    ids as text, the time in UTC to the millisecond."""
    values = [
        int(seq),
        _at(at),
        _text(actor_id),
        _text(organisation_id),
        action,
        object_type,
        object_id,
        _text(participant_id),
        detail,
        prev_hash,
    ]
    return _encode(values).encode()


def entry_hash(**fields: Any) -> str:
    """The SHA-256 (hex) of an entry with these fields (:data:`FIELDS`)."""
    return hashlib.sha256(canonical(**fields)).hexdigest()


# -- appending ------------------------------------------------------------------------------


def _advance(cursor) -> tuple[int, str] | None:
    cursor.execute("UPDATE audit_chainhead SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
    return cursor.fetchone()


def _create_head(cursor) -> None:
    """A missing head (a new or emptied database) is made from the last entry, if any."""
    from wegweiser.audit.models import AuditChainHead, AuditEntry

    last = AuditEntry.objects.order_by("-id").values_list("seq", "hash").first()
    seq, head = last if last is not None else (0, GENESIS)
    AuditChainHead.objects.bulk_create(
        [AuditChainHead(id=1, seq=seq, hash=head)], ignore_conflicts=True
    )


def append(**fields: Any):
    """Write one entry at the end of the chain (the fields of :class:`AuditEntry` but the
    chain's own) and return it. Waits for any other writer's transaction to end first."""
    from wegweiser.audit.models import AuditEntry

    with transaction.atomic(), connection.cursor() as cursor:
        moved = _advance(cursor)
        if moved is None:
            _create_head(cursor)
            moved = _advance(cursor)
        seq, prev_hash = moved
        entry = AuditEntry(seq=seq, prev_hash=prev_hash, at=now(), **fields)
        entry.hash = entry_hash(**{f: getattr(entry, f) for f in FIELDS})
        entry.save()
        cursor.execute("UPDATE audit_chainhead SET hash = %s WHERE id = 1", [entry.hash])
    return entry


# -- verifying ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """The first entry that does not fit the chain."""

    position: int  # its place in the log as read (1 = the first entry)
    number: int  # the number to call it by: its position, or the one it claims after a gap
    at: dt.datetime | None  # when it was written (None: the entry is missing)
    reason: str  # plain words


@dataclass(frozen=True)
class Result:
    checked: int  # entries read
    head_seq: int  # the position of the last entry that fits
    head_hash: str  # its hash
    broken: Break | None


_COLUMNS = ("id", "hash", *FIELDS)

#: PostgreSQL: the columns as the hash needs them, converted by the server (the time as
#: :func:`_at` writes it: ``to_char``'s ``MS`` truncates like ``isoformat``), which reads a
#: million entries several times faster than Django's conversions.
_PG_SELECT = """
    SELECT id, hash, seq,
        to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') || '+00:00',
        actor_id::text, organisation_id::text, action, object_type, object_id,
        participant_id::text, detail::text, prev_hash
    FROM cases_auditentry WHERE id > %s ORDER BY id LIMIT %s
"""


def _entries(batch: int) -> Iterator[tuple[int, int, str, str, str]]:
    """Every entry in the order written, ``batch`` rows per query (keyset on ``id``), as
    (id, seq, prev_hash, stored hash, hash computed from its fields)."""
    from wegweiser.audit.models import AuditEntry

    last_id = 0
    while True:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(_PG_SELECT, [last_id, batch])
                fetched = cursor.fetchall()
            # the values are the text canonical() makes of them; only the detail is parsed
            # (to sort its keys), and the empty one most entries have is taken as it is
            rows = [
                (
                    r[0],
                    r[2],
                    r[11],
                    r[1],
                    hashlib.sha256(
                        _encode(
                            [*r[2:10], {} if r[10] == "{}" else json.loads(r[10]), r[11]]
                        ).encode()
                    ).hexdigest(),
                )
                for r in fetched
            ]
        else:
            query = AuditEntry.objects.filter(id__gt=last_id).order_by("id")
            rows = [
                (
                    r["id"],
                    r["seq"],
                    r["prev_hash"],
                    r["hash"],
                    entry_hash(**{f: r[f] for f in FIELDS}),
                )
                for r in query.values(*_COLUMNS)[:batch]
            ]
        if not rows:
            return
        yield from rows
        last_id = rows[-1][0]


def _written_at(entry_id: int) -> dt.datetime | None:
    from wegweiser.audit.models import AuditEntry

    return AuditEntry.objects.filter(id=entry_id).values_list("at", flat=True).first()


def verify(
    *,
    batch: int = 20_000,
    progress: Callable[[int], None] | None = None,
    anchors: dict[int, str] | None = None,
) -> Result:
    """Walk the whole chain; stop at the first entry that does not fit. ``progress`` is called
    with the number of entries checked after each batch; ``anchors`` (position → hash) are
    heads written down earlier that the chain must still pass through."""
    from wegweiser.audit.models import AuditChainHead

    anchors = dict(anchors or {})
    expected_prev, position = GENESIS, 0

    def broken(reason, entry_id=None, number=None):
        at = _written_at(entry_id) if entry_id is not None else None
        found = Break(position, number or position, at, reason)
        return Result(position - 1, position - 1, expected_prev, found)

    for entry_id, seq, prev_hash, stored, computed in _entries(batch):
        position += 1
        if computed != stored:
            return broken("its content was changed after it was written", entry_id)
        if seq != position:
            if seq > position:
                gap = (
                    f"entry {position:,} before it is"
                    if seq - 1 == position
                    else f"entries {position:,} to {seq - 1:,} before it are"
                )
                return broken(f"{gap} missing (deleted)", entry_id, seq)
            return broken("it was inserted: its position is taken by an earlier entry", entry_id)
        if prev_hash != expected_prev:
            return broken("it does not follow the entry before it (one was inserted)", entry_id)
        if position in anchors and anchors.pop(position) != stored:
            return broken("it is not the entry written down earlier (rewritten)", entry_id)
        expected_prev = stored
        if progress is not None and position % batch == 0:
            progress(position)
    position += 1  # what follows the last entry
    if anchors:
        first = min(anchors)
        return broken(f"the log ends before entry {first:,}, written down earlier (deleted)")
    head = AuditChainHead.objects.filter(id=1).values_list("seq", "hash").first()
    if head is not None and head != (position - 1, expected_prev):
        if head[0] >= position:
            gap = (
                f"entry {position:,} is"
                if head[0] == position
                else (f"entries {position:,} to {head[0]:,} are")
            )
            return broken(f"the last {gap} missing (deleted)")
        return broken("the log goes on past its recorded end (entries were added around it)")
    return Result(position - 1, position - 1, expected_prev, None)
