"""The hash chain (audit/chain.py), step 2: the entries already written are chained in the order
they were written (``id``), and the chain head is set to the last one.

The log is append-only; this is the one deliberate correction: on PostgreSQL the migration
switches the trigger ``cases_auditentry_append_only`` off for its own transaction and on again
(cases 0002). The reverse step leaves the columns to be dropped by 0005's reverse."""

from django.db import migrations

from wegweiser.audit import chain

TRIGGER = "cases_auditentry_append_only"
BATCH = 5000


def chain_existing(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(f"ALTER TABLE cases_auditentry DISABLE TRIGGER {TRIGGER}")
    prev, seq, last_id = chain.GENESIS, 0, 0
    while True:
        rows = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:BATCH])
        if not rows:
            break
        for row in rows:
            seq += 1
            row.seq, row.prev_hash = seq, prev
            row.hash = chain.entry_hash(**{f: getattr(row, f) for f in chain.FIELDS})
            prev = row.hash
        AuditEntry.objects.bulk_update(rows, ["seq", "prev_hash", "hash"])
        last_id = rows[-1].id
    if postgres:
        schema_editor.execute(f"ALTER TABLE cases_auditentry ENABLE TRIGGER {TRIGGER}")
    AuditChainHead.objects.update_or_create(id=1, defaults={"seq": seq, "hash": prev})


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_chain_fields")]

    operations = [migrations.RunPython(chain_existing, migrations.RunPython.noop)]
