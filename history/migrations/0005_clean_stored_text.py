"""The versions kept of stories and people, cleaned as the rows themselves are (articles'
and people's migrations `clean_stored_text`): restoring an old version brings back no control
character nor CR LF. Versions keep their revision numbers and times."""

from django.db import migrations

from common.text import clean_stored

# Field → whether it holds lines.
FIELDS = {
    "HistoricalArticle": {"title": False, "dek": True, "body": True, "byline": False},
    "HistoricalQuote": {"text": True, "context": False},
    "HistoricalSourceLink": {"label": False, "url": False},
    "HistoricalCorrection": {"note": True},
    "HistoricalPerson": {"name": False, "full_name": False, "pronouns": False, "bio": True},
    "HistoricalAlias": {"name": False},
    "HistoricalRelationship": {"place": False, "note": True},
}


def clean(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for model, fields in FIELDS.items():
        clean_stored(apps.get_model("history", model), fields, vendor, touch=False)


class Migration(migrations.Migration):
    dependencies = [
        ("history", "0004_quote_proposed_speaker"),
    ]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop, elidable=True)]
