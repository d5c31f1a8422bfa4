"""Organisation moved from the directory to the organisations app (issue 12): the foreign key
now names the new model. Only Django's idea of the models changes; the table, its column and its
constraint stay as they are (no SQL runs)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0001_initial'),
        ('public', '0002_contactrequest_related_names'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='contactrequest',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation', verbose_name='Organisation'),
                ),
            ],
            database_operations=[],
        ),
    ]
