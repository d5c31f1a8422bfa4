"""The hash chain of the audit log (audit/chain.py) and ``wegweiser audit_verify``: every entry
carries the hash of the one before; a changed, deleted or inserted row is named."""

from __future__ import annotations

import datetime as dt
import io
import threading
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wegweiser.audit import chain
from wegweiser.audit.models import AppendOnlyError, AuditChainHead, AuditEntry
from wegweiser.audit.services import audit
from wegweiser.organisations.models import Organisation

TRIGGER = "cases_auditentry_append_only"


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(name="Träger A", kind="verein")


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("pruefer", password="x")


def write(n, user, organisation):
    """``n`` entries about varied subjects, as the services write them."""
    return [
        audit(
            actor=user if i % 3 else None,
            organisation=organisation if i % 2 else None,
            action=["view", "update", "export"][i % 3],
            object_type="participant",
            object_id=str(i),
            participant_id=uuid.UUID(int=i) if i % 4 else None,
            detail={"fields": ["email"]} if i % 5 == 0 else {},
        )
        for i in range(n)
    ]


def tamper(sql, params=()):
    """Change the table behind the log's back: raw SQL, with the PostgreSQL trigger that refuses
    UPDATE and DELETE switched off for the statement (SQLite has no trigger)."""
    postgres = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        if postgres:  # (deferred foreign key checks first: ALTER TABLE wants none pending)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE cases_auditentry DISABLE TRIGGER {TRIGGER}")
        cursor.execute(sql, params)
        if postgres:
            cursor.execute(f"ALTER TABLE cases_auditentry ENABLE TRIGGER {TRIGGER}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def verify_command(*args):
    """Run ``wegweiser audit_verify``: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exit:
        status = exit.code
    return status, out.getvalue(), err.getvalue()


def test_each_entry_carries_the_hash_of_the_one_before(user, organisation):
    entries = write(5, user, organisation)
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == chain.GENESIS
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.prev_hash == before.hash
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (5, entries[-1].hash)
    assert all(e.at.microsecond % 1000 == 0 for e in entries)  # the chain covers milliseconds
    status, out, err = verify_command()
    assert status == 0, err
    assert "intact: 5 entries checked" in out
    assert f"Head: 5:{entries[-1].hash}" in out


def test_the_hash_covers_every_field():
    fields = {
        "seq": 7,
        "at": dt.datetime(2026, 12, 2, 10, 0, 0, 123000, tzinfo=dt.UTC),
        "actor_id": 3,
        "organisation_id": uuid.UUID(int=1),
        "action": "view",
        "object_type": "participant",
        "object_id": "42",
        "participant_id": uuid.UUID(int=2),
        "detail": {"fields": ["email", "phone"], "reason_recorded": True},
        "prev_hash": "a" * 64,
    }
    digest = chain.entry_hash(**fields)
    changed = {
        "seq": 8,
        "at": fields["at"] + dt.timedelta(milliseconds=1),
        "actor_id": None,
        "organisation_id": uuid.UUID(int=9),
        "action": "export",
        "object_type": "case",
        "object_id": "43",
        "participant_id": None,
        "detail": {"fields": ["email"], "reason_recorded": True},
        "prev_hash": "b" * 64,
    }
    assert set(changed) == set(chain.FIELDS)
    for name, value in changed.items():
        assert chain.entry_hash(**{**fields, name: value}) != digest, name
    # the same entry in another time zone, or with its detail's keys in another order, is equal
    berlin = fields["at"].astimezone(dt.timezone(dt.timedelta(hours=1)))
    detail = {"reason_recorded": True, "fields": ["email", "phone"]}
    assert chain.entry_hash(**{**fields, "at": berlin, "detail": detail}) == digest


def test_entries_are_written_only_through_the_chain(user, organisation):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.create(action="view", object_type="user", object_id="1")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_create([AuditEntry(action="view")])


def test_a_changed_detail_is_named(user, organisation):
    entries = write(6, user, organisation)
    tamper(
        "UPDATE cases_auditentry SET detail = %s WHERE id = %s",
        ['{"reason_recorded": true}', entries[3].pk],
    )
    status, out, err = verify_command()
    assert status == 1
    assert "First broken entry: entry 4, written " in err
    assert "its content was changed" in err
    assert "The 3 entries before it are intact" in err


def test_a_deleted_entry_is_named(user, organisation):
    entries = write(6, user, organisation)
    tamper("DELETE FROM cases_auditentry WHERE id = %s", [entries[2].pk])
    status, out, err = verify_command()
    assert status == 1
    assert "First broken entry: entry 4, written " in err
    assert "entry 3 before it is missing (deleted)" in err


def test_deleted_last_entries_are_named(user, organisation):
    entries = write(6, user, organisation)
    tamper("DELETE FROM cases_auditentry WHERE id >= %s", [entries[4].pk])
    status, out, err = verify_command()
    assert status == 1
    assert "First broken entry: entry 5: the last entries 5 to 6 are missing (deleted)" in err


def test_an_inserted_entry_is_named(user, organisation):
    entries = write(6, user, organisation)
    # a copy of entry 2 (with its valid hash) appended at the end of the table
    copy = entries[1]
    tamper(
        "INSERT INTO cases_auditentry (at, actor_id, organisation_id, action, object_type, "
        "object_id, participant_id, detail, seq, prev_hash, hash) "
        "SELECT at, actor_id, organisation_id, action, object_type, object_id, participant_id, "
        "detail, 7, prev_hash, hash FROM cases_auditentry WHERE id = %s",
        [copy.pk],
    )
    status, out, err = verify_command()
    assert status == 1
    assert "First broken entry: entry 7, written " in err
    assert "its content was changed" in err


def test_a_rewritten_log_is_caught_by_an_anchor(user, organisation):
    """Someone who recomputes every hash after a change makes a valid chain, but not the head
    written down earlier."""
    entries = write(4, user, organisation)
    status, out, _ = verify_command()
    anchor = out.split("Head: ")[1].strip()
    assert anchor == f"4:{entries[-1].hash}"
    tamper("UPDATE cases_auditentry SET object_id = 'x' WHERE id = %s", [entries[1].pk])
    prev = entries[0].hash
    for e in AuditEntry.objects.filter(seq__gte=2).order_by("id"):
        e.prev_hash = prev
        e.hash = chain.entry_hash(**{f: getattr(e, f) for f in chain.FIELDS})
        tamper(
            "UPDATE cases_auditentry SET prev_hash = %s, hash = %s WHERE id = %s",
            [e.prev_hash, e.hash, e.pk],
        )
        prev = e.hash
    AuditChainHead.objects.filter(id=1).update(hash=prev)
    assert verify_command()[0] == 0  # the chain alone cannot tell
    status, _, err = verify_command("--anchor", anchor)
    assert status == 1
    assert "entry 4" in err and "written down earlier" in err
    status, _, err = verify_command("--anchor", "9:" + "0" * 64)
    assert status == 1 and "the log ends before entry 9" in err
    with pytest.raises(CommandError, match="POSITION:HASH"):
        verify_command("--anchor", "nonsense")


def test_progress_is_printed_for_long_chains(user, organisation):
    write(7, user, organisation)
    status, out, _ = verify_command("--batch", "3")
    assert status == 0
    assert "3 entries checked" in out and "6 entries checked" in out
    assert "intact: 7 entries checked" in out


def test_a_rolled_back_entry_leaves_the_chain_whole(user, organisation):
    write(2, user, organisation)
    with pytest.raises(RuntimeError), transaction.atomic():
        write(1, user, organisation)
        raise RuntimeError
    write(1, user, organisation)
    assert list(AuditEntry.objects.order_by("id").values_list("seq", flat=True)) == [1, 2, 3]
    assert verify_command()[0] == 0


def test_a_missing_head_is_made_from_the_last_entry(user, organisation):
    write(2, user, organisation)
    AuditChainHead.objects.all().delete()
    write(1, user, organisation)
    assert AuditChainHead.objects.get().seq == 3
    assert verify_command()[0] == 0


#: a change of one column to a different value, as raw SQL (column, value from the old row)
CHANGES = {
    "at": lambda e: e.at + dt.timedelta(seconds=1),
    "actor_id": lambda e: None if e.actor_id else get_user_model().objects.get().pk,
    "organisation_id": lambda e: None if e.organisation_id else Organisation.objects.get().pk,
    "action": lambda e: "erase" if e.action != "erase" else "view",
    "object_type": lambda e: e.object_type + "x",
    "object_id": lambda e: e.object_id + "0",
    "participant_id": lambda e: None if e.participant_id else uuid.uuid4(),
    "detail": lambda e: '{"reason_recorded": false}',
    "seq": lambda e: e.seq + 1000,
    "prev_hash": lambda e: ("1" if e.prev_hash[0] != "1" else "2") + e.prev_hash[1:],
    "hash": lambda e: ("1" if e.hash[0] != "1" else "2") + e.hash[1:],
}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    length=st.integers(min_value=1, max_value=12),
    data=st.data(),
    column=st.sampled_from(sorted(CHANGES)),
)
def test_any_single_change_is_found_at_that_entry(user, organisation, length, data, column):
    """Property: in a chain of any length, a change of any one column of any one entry is found,
    and the entry named is that one."""
    with transaction.atomic():
        entries = write(length, user, organisation)
        target = entries[data.draw(st.integers(min_value=0, max_value=length - 1))]
        value = CHANGES[column](target)
        if isinstance(value, uuid.UUID):
            value = value if connection.vendor == "postgresql" else value.hex
        if isinstance(value, dt.datetime):
            value = connection.ops.adapt_datetimefield_value(value)
        tamper(f"UPDATE cases_auditentry SET {column} = %s WHERE id = %s", [value, target.pk])
        result = chain.verify()
        assert result.broken is not None
        assert result.broken.position == target.seq
        assert result.checked == target.seq - 1
        transaction.set_rollback(True)


@pytest.mark.postgresql  # SQLite writes one transaction at a time: no race to show
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain(transactional_db):
    """PostgreSQL: eight threads append at once, each in transactions that hold on a moment
    after their entry; the chain head makes them take turns, so every entry follows exactly one
    other and the chain is whole."""
    import time

    writers, each = 8, 5
    barrier = threading.Barrier(writers)
    failures = []

    def run(n):
        try:
            barrier.wait()
            for i in range(each):
                with transaction.atomic():
                    audit(
                        actor=None,
                        organisation=None,
                        action="view",
                        object_type="user",
                        object_id=f"{n}-{i}",
                    )
                    time.sleep(0.01)
        except Exception as exc:  # pragma: no cover - reported below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    seqs = list(AuditEntry.objects.order_by("id").values_list("seq", flat=True))
    assert seqs == list(range(1, writers * each + 1))
    assert len(set(AuditEntry.objects.values_list("prev_hash", flat=True))) == writers * each
    result = chain.verify()
    assert result.broken is None and result.checked == writers * each
