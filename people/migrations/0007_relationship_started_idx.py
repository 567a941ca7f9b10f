from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_person_updated_idx"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="relationship",
            index=models.Index(fields=["started_on", "id"], name="relationship_started_idx"),
        ),
    ]
