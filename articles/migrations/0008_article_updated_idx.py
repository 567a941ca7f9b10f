from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_outlet_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["updated_at"], name="article_updated_idx"),
        ),
    ]
