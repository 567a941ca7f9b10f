"""The edition counter moves here from the history app, with its row: the table is renamed,
not made again, so pages keep their ETags across the upgrade."""

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('history', '0002_edition'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Edition',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.BigIntegerField(default=0)),
                        ('changed_at', models.DateTimeField(auto_now=True)),
                    ],
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'ALTER TABLE history_edition RENAME TO caching_edition',
                    'ALTER TABLE caching_edition RENAME TO history_edition',
                ),
            ],
        ),
    ]
