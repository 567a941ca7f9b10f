import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from people.models import Person

NAMED_CONSTRAINTS = {
    "relationship_not_self",
    "relationship_ends_after_start",
    "relationship_kind_known",
    "person_died_not_before_born",
    "article_title_not_empty",
    "articles_sourcelink_url_http",
    "people_source_url_http",
    "articles_sourcelink_url_no_credentials",
    "articles_publication_url_no_credentials",
    "people_source_url_no_credentials",
}
NAMED_UNIQUE_INDEXES = {
    "relationship_unique_pair_kind_start",
    "article_unique_slug_per_day",
    "mention_unique_person_per_article",
}


def test_the_models_and_the_migrations_agree(db):
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


@pytest.mark.postgres
def test_postgresql_enforces_the_named_constraints(db, on_postgres):
    with connection.cursor() as cursor:
        cursor.execute("SELECT conname FROM pg_constraint")
        constraints = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")
        indexes = {row[0] for row in cursor.fetchall()}
    assert constraints >= NAMED_CONSTRAINTS
    assert constraints | indexes >= NAMED_UNIQUE_INDEXES


# --- data migrations ---------------------------------------------------------------------

BEFORE_CLEANING = [
    ("articles", "0013_urls_without_credentials"),
    ("people", "0008_urls_without_credentials"),
    ("history", "0004_quote_proposed_speaker"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor.loader.project_state(targets).apps if targets else None


@pytest.mark.django_db(transaction=True)
def test_stored_text_is_cleaned_by_the_data_migrations():
    """Rows typed before the rules: control characters, a browser's CR LF in a body, tags
    without an address or whose clean name is another tag's."""
    old = migrate(BEFORE_CLEANING)
    OldPerson = old.get_model("people", "Person")
    OldArticle = old.get_model("articles", "Article")
    OldQuote = old.get_model("articles", "Quote")
    OldTag = old.get_model("taggit", "Tag")
    OldTagged = old.get_model("articles", "TaggedArticle")
    OldHistoricalArticle = old.get_model("history", "HistoricalArticle")
    kim = OldPerson.objects.create(name="Kim\x0bKardashian", slug="kim", bio="One.\r\n\r\nTwo.\x01")
    story = OldArticle.objects.create(
        title="Kim\tSpeaks\x1b",
        slug="kim-speaks",
        body="First.\r\n\r\nSecond.\x85",
        dek="Clean.",
        published_on=datetime.date(2022, 2, 9),
        status="published",
    )
    clean = OldArticle.objects.create(
        title="Clean", slug="clean", body="A.\n\nB.", published_on=datetime.date(2022, 2, 9)
    )
    OldQuote.objects.create(article=story, text="Said\x0c.", context="told\x1fVogue")
    divorce = OldTag.objects.create(name="divorce", slug="divorce")
    dirty_divorce = OldTag.objects.create(name="divorce\x0b", slug="divorce_1")
    dirty = OldTag.objects.create(name="co\x01parenting", slug="coparenting")
    letterless = OldTag.objects.create(name="!!!", slug="")
    for tag in (divorce, dirty_divorce, dirty, letterless):
        OldTagged.objects.create(content_object=story, tag=tag)
    OldTagged.objects.create(content_object=clean, tag=dirty_divorce)
    OldHistoricalArticle.objects.create(
        id=story.pk,
        title="Kim\x0bSpeaks",
        slug="kim-speaks",
        body="First.\r\n\r\nSecond.",
        published_on=datetime.date(2022, 2, 9),
        revision=1,
        history_date=timezone.now(),
        history_type="+",
    )
    untouched = OldArticle.objects.get(pk=clean.pk).updated_at

    migrate(None)

    kim = Person.objects.get(slug="kim")
    assert (kim.name, kim.bio) == ("KimKardashian", "One.\n\nTwo.")
    story = Article.objects.get(slug="kim-speaks")
    assert (story.title, story.body) == ("Kim Speaks", "First.\n\nSecond.")
    assert story.paragraphs == ["First.", "Second."]
    assert story.revision == 2  # a form opened before the migration is stale
    assert Article.objects.get(slug="clean").updated_at == untouched
    quote = story.quotes.get()
    assert (quote.text, quote.context) == ("Said.", "toldVogue")
    assert sorted(story.tags.values_list("name", "slug")) == [
        ("!!!", f"tag-{letterless.pk}"),
        ("coparenting", "coparenting"),
        ("divorce", "divorce"),
    ]
    assert list(Article.objects.get(slug="clean").tags.values_list("name", flat=True)) == [
        "divorce"
    ]
    assert not Tag.objects.filter(pk=dirty_divorce.pk).exists()
    version = Article.history.get()
    assert (version.title, version.body, version.revision) == (
        "KimSpeaks",
        "First.\n\nSecond.",
        1,
    )


NO_CREDENTIALS_MIGRATIONS = [
    ("articles", "0013_urls_without_credentials"),
    ("people", "0008_urls_without_credentials"),
]


def test_stored_addresses_lose_their_credentials_then_none_can_be_stored(transactional_db):
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    # Each app just before the migration, and the history app as it is now (only its versions'
    # rows are needed).
    before = [
        parent.key
        for key in NO_CREDENTIALS_MIGRATIONS
        for parent in graph.node_map[key].parents
        if parent.key[0] == key[0]
    ] + graph.leaf_nodes("history")
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    old.get_model("articles", "Publication").objects.create(
        name="Vogue", slug="vogue", url="https://editor:secret@www.vogue.com/"
    )
    story = old.get_model("articles", "Article").objects.create(title="A story", slug="a-story")
    link = old.get_model("articles", "SourceLink").objects.create(
        article=story, label="Vogue", url="http://editor@www.vogue.com/a?b=c@d"
    )
    version = old.get_model("history", "HistoricalSourceLink").objects.create(
        id=link.pk,
        article_id=story.pk,
        label="Vogue",
        url="https://a:b@www.vogue.com#x@y",
        history_date="2022-02-09T00:00Z",
        history_type="+",
    )
    old.get_model("people", "Source").objects.create(
        label="Instagram", url="https://:pw@www.instagram.com/@kimkardashian"
    )
    old.get_model("people", "Source").objects.create(
        label="Medium", url="https://medium.com/@kimkardashian"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
    assert new.get_model("articles", "Publication").objects.get().url == "https://www.vogue.com/"
    assert (
        new.get_model("articles", "SourceLink").objects.get().url == "http://www.vogue.com/a?b=c@d"
    )
    assert (
        new.get_model("history", "HistoricalSourceLink")
        .objects.get(history_id=version.history_id)
        .url
        == "https://www.vogue.com#x@y"
    )
    assert sorted(new.get_model("people", "Source").objects.values_list("url", flat=True)) == [
        "https://medium.com/@kimkardashian",
        "https://www.instagram.com/@kimkardashian",
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        new.get_model("people", "Source").objects.create(label="x", url="https://u:p@x.org/")
