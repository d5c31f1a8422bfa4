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
from django.utils import timezone

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

HEAD_TABLE = "audit_chainhead"


def now() -> dt.datetime:
    """The time of a new entry, to the millisecond: the chain covers milliseconds (Django's
    ``dumpdata`` keeps no more), so an entry stores nothing its hash does not cover."""
    t = timezone.now()
    return t.replace(microsecond=t.microsecond // 1000 * 1000)


def _at(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="milliseconds")


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
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(**fields: Any) -> str:
    """The SHA-256 (hex) of an entry with these fields (:data:`FIELDS`)."""
    return hashlib.sha256(canonical(**fields)).hexdigest()


# -- appending ------------------------------------------------------------------------------


def _advance(cursor) -> tuple[int, str] | None:
    cursor.execute(f"UPDATE {HEAD_TABLE} SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
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
        cursor.execute(f"UPDATE {HEAD_TABLE} SET hash = %s WHERE id = 1", [entry.hash])
    return entry


# -- verifying ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """The first entry that does not fit the chain."""

    position: int  # its place in the log as written (1 = the first entry)
    seq: int | None  # the position it claims
    at: dt.datetime | None
    reason: str  # plain words

    @property
    def number(self) -> int:
        """The number to call the entry by: its own position, unless entries before it are gone
        (then the one it claims, so that the gap shows)."""
        return self.seq if self.seq is not None and self.seq > self.position else self.position


@dataclass(frozen=True)
class Result:
    checked: int  # entries read
    head_seq: int  # the position of the last entry that fits
    head_hash: str  # its hash
    broken: Break | None


_COLUMNS = ("id", "hash", *FIELDS)


def _entries(batch: int) -> Iterator[dict[str, Any]]:
    """Every entry in the order written, ``batch`` rows per query (keyset on ``id``)."""
    from wegweiser.audit.models import AuditEntry

    last_id = 0
    while True:
        rows = list(
            AuditEntry.objects.filter(id__gt=last_id).order_by("id").values(*_COLUMNS)[:batch]
        )
        if not rows:
            return
        yield from rows
        last_id = rows[-1]["id"]


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

    def broken(entry, reason):
        return Result(position - 1, position - 1, expected_prev, Break(position, *entry, reason))

    for row in _entries(batch):
        position += 1
        entry = (row["seq"], row["at"])
        if row["seq"] != position:
            if row["seq"] is not None and row["seq"] > position:
                last = row["seq"] - 1
                gap = (
                    f"entry {position:,} before it is"
                    if last == position
                    else (f"entries {position:,} to {last:,} before it are")
                )
                return broken(entry, f"{gap} missing (deleted)")
            return broken(entry, "its position in the chain was changed, or it was inserted")
        if row["prev_hash"] != expected_prev:
            return broken(
                entry, "it does not follow the entry before it (an entry was changed or inserted)"
            )
        if entry_hash(**{f: row[f] for f in FIELDS}) != row["hash"]:
            return broken(entry, "its content was changed after it was written")
        if position in anchors and anchors.pop(position) != row["hash"]:
            return broken(
                entry, "it is not the entry written down earlier (the chain was rewritten)"
            )
        expected_prev = row["hash"]
        if progress is not None and position % batch == 0:
            progress(position)
    head = AuditChainHead.objects.filter(id=1).values_list("seq", "hash").first()
    result = Result(position, position, expected_prev, None)
    if anchors:
        first = min(anchors)
        return Result(
            position,
            position,
            expected_prev,
            Break(first, None, None, "the log ends before this position (entries were deleted)"),
        )
    if head is not None and head != (position, expected_prev):
        if head[0] > position:
            reason = f"the last entries are missing (deleted): {position + 1:,} to {head[0]:,}"
        else:
            reason = "the chain head does not match the last entry"
        return Result(position, position, expected_prev, Break(position + 1, None, None, reason))
    return result
