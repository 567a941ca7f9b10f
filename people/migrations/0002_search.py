import django.contrib.postgres.search
from django.db import migrations, models

import common.fulltext
from common.fulltext import CREATE_CONFIG, DROP_CONFIG, PostgresOnly, fold, gin_index


def fill_search_names(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    for person in Person.objects.prefetch_related("aliases"):
        names = [person.name, person.full_name, *(a.name for a in person.aliases.all())]
        person.search_names = fold(" ".join(n for n in names if n))
        person.save(update_fields=["search_names"])


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
    ]

    operations = [
        PostgresOnly(CREATE_CONFIG, DROP_CONFIG),
        migrations.AddField(
            model_name="person",
            name="search_names",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop),
        migrations.AddField(
            model_name="person",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=common.fulltext.SearchDocument(("name", "A"), ("search_names", "B")),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        # Full-text matches on names; trigram similarity for misspelt names (“Kayne”).
        gin_index("person_search_vector_idx", "people_person", "search_vector"),
        gin_index("person_search_names_trgm_idx", "people_person", "search_names",
                  "gin_trgm_ops"),
    ]
