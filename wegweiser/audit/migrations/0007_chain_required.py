"""The hash chain (audit/chain.py), step 3: every entry has its place in the chain, one each."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_chain_existing_rows")]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.PositiveBigIntegerField(
                editable=False, unique=True, verbose_name="Position im Protokoll"
            ),
        ),
    ]
