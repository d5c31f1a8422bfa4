"""The hash chain (audit/chain.py), step 1: the columns (empty for the rows already there) and the
chain head. Step 2 (0006) computes the chain of the existing rows, step 3 (0007) requires it."""

from django.db import migrations, models

import wegweiser.audit.clock


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_report_exported")]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="at",
            field=models.DateTimeField(
                db_index=True,
                default=wegweiser.audit.clock.now,
                editable=False,
                verbose_name="Zeitpunkt",
            ),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="seq",
            field=models.PositiveBigIntegerField(
                editable=False, null=True, verbose_name="Position im Protokoll"
            ),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(
                default="",
                editable=False,
                max_length=64,
                verbose_name="Prüfsumme des vorigen Eintrags",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="hash",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="Prüfsumme"
            ),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("seq", models.PositiveBigIntegerField(default=0)),
                ("hash", models.CharField(max_length=64)),
            ],
            options={"verbose_name": "Ende der Protokollkette", "db_table": "audit_chainhead"},
        ),
    ]
