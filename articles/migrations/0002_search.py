import django.contrib.postgres.search
from django.db import migrations, models

import common.fulltext
from common.fulltext import gin_index


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("people", "0002_search"),  # the `newsroom` text search configuration
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=common.fulltext.SearchDocument(
                    ("title", "A"), ("dek", "B"), ("body", "C")
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddField(
            model_name="quote",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=common.fulltext.SearchDocument(("text", "A")),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        gin_index("article_search_vector_idx", "articles_article", "search_vector"),
        gin_index("quote_search_vector_idx", "articles_quote", "search_vector"),
    ]
