from django.db import migrations, models

from common.fulltext import PostgresOnly, gin_index, name_keys


def fill_name_keys(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    for person in Person.objects.only("pk", "search_names").iterator():
        person.name_keys = name_keys(person.search_names)
        person.save(update_fields=["name_keys"])


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="name_keys",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop),
        # people/search.py looks keys up with `newsroom_name_keys(name_keys) && ARRAY[…]`. The
        # function is string_to_array with a high cost, so that the planner prefers the index
        # to splitting every row's keys (it would otherwise misjudge a scan as cheaper).
        PostgresOnly(
            """CREATE OR REPLACE FUNCTION newsroom_name_keys(text) RETURNS text[]
               LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1000 SET search_path = pg_catalog
               AS $$ SELECT string_to_array($1, ' ') $$""",
            "DROP FUNCTION IF EXISTS newsroom_name_keys(text)",
        ),
        gin_index("person_name_keys_idx", "people_person", "(newsroom_name_keys(name_keys))"),
    ]
