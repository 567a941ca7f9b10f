"""The edition counter now belongs to the caching app (its table was renamed there)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('history', '0002_edition'),
        ('caching', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Edition')],
        ),
    ]
