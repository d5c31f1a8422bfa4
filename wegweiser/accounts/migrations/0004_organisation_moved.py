"""Organisation moved from the directory to the organisations app (issue 12): the foreign key
now names the new model. Only Django's idea of the models changes; the table, its column and its
constraint stay as they are (no SQL runs)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_membership_role_offer_editor'),
        ('organisations', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='membership',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='organisations.organisation'),
                ),
            ],
            database_operations=[],
        ),
    ]
