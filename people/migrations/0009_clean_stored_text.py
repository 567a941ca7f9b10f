"""Text stored before input refused control characters and turned CR LF into LF: cleaned as
common/text.py's rule has it."""

from django.db import migrations

from common.text import clean_stored

# Field → whether it holds lines.
FIELDS = {
    "Source": {"label": False, "url": False, "outlet": False},
    "Person": {"name": False, "full_name": False, "pronouns": False, "bio": True},
    "Alias": {"name": False},
    "Relationship": {"place": False, "note": True},
}


def clean(apps, schema_editor):
    for model, fields in FIELDS.items():
        clean_stored(apps.get_model("people", model), fields, schema_editor.connection.vendor)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0008_urls_without_credentials"),
    ]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop, elidable=True)]
