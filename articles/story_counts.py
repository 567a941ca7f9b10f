"""How many public stories are about each person, as their page counts them: counted by the job
queue when their stories change, and kept (`StoryCount`), so that a famous person's page reads
one row instead of counting a thousand stories in the request.

A person is counted again (`COUNT`, one job per person however many changes wait) when a
story about them is added, deleted, becomes public or stops being so or changes date, or when
they are added to a story or taken from one; an edit to a story's text counts no one. A story
scheduled for a later day appears on its own when its day comes: the count says from which day
it no longer holds (`StoryCount.until`), and the page then counts in the request, as it does
for someone never counted (people loaded before the job queue, or in bulk: see
`count_all`). A change to the count moves the pages listing the person's stories (`about:N`).
"""

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils import timezone

from caching.topics import changed
from common.paging import CAP
from jobs.queue import enqueue_at_commit
from jobs.registry import job
from people.freshness import about
from people.models import Person

from .freshness import previous, seen_or_dated_moved
from .models import Article, Mention, StoryCount

COUNT = "count_person_stories"


@job(COUNT)
def count(target: str) -> str:
    """Count the public stories about person `target` again (up to one past the cap, as their
    page does) and keep the count; a change moves the pages listing their stories."""
    with transaction.atomic():
        # The person's lock: two counts for one person are made one after the other, each
        # seeing every change committed before it began.
        person = Person.objects.select_for_update().filter(pk=int(target)).first()
        if person is None:
            return "the person was deleted"
        stories = person.articles.published().order_by()[: CAP + 1].count()
        # The first day of a scheduled story, walked by day from tomorrow on (0.03 ms for the
        # most famous person of a million stories, where a MIN over theirs took 50–200 ms).
        scheduled = (
            person.articles.filter(
                status=Article.Status.PUBLISHED, published_on__gt=timezone.localdate()
            )
            .order_by("published_on")
            .values_list("published_on", flat=True)
            .first()
        )
        kept = StoryCount.objects.filter(person=person).first()
        if kept is None or (kept.stories, kept.until) != (stories, scheduled):
            StoryCount.objects.update_or_create(
                person=person, defaults={"stories": stories, "until": scheduled}
            )
            changed(about(person.pk))
    return f"{stories} stories" + (f", one scheduled for {scheduled}" if scheduled else "")


def ask(people: Iterable[int | None]) -> None:
    """A count for `people`, once the current transaction commits."""
    enqueue_at_commit(COUNT, people)


def forget(people: Iterable[int | None]) -> None:
    """No count kept for `people` (their pages count in the request): for changes loaded raw,
    which ask for no job."""
    StoryCount.objects.filter(person__in=[pk for pk in people if pk is not None]).delete()


def people_of(article: Article) -> list[int]:
    return list(Mention.objects.filter(article=article).values_list("person_id", flat=True))


def story_saved(sender: type, instance: Article, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        forget(people_of(instance))
    elif seen_or_dated_moved(instance):
        ask(people_of(instance))


def story_deleted(sender: type, instance: Article, **kwargs: Any) -> None:
    """Its people, read before its mentions go with it."""
    ask(people_of(instance))


def mention_changed(sender: type, instance: Mention, raw: bool = False, **kwargs: Any) -> None:
    people = [instance.person_id, previous(instance, "person_id")]
    if raw:
        forget(people)
    else:
        ask(people)


def story_people_changed(
    sender: type[Model],
    instance: Article | Person,
    action: str,
    pk_set: set[int] | None = None,
    reverse: bool = False,
    **kwargs: Any,
) -> None:
    """People added to a story or taken from it (or stories to a person): a clear is read
    before it happens, when the signal still says of whom."""
    if action == "pre_clear":
        ask([instance.pk] if reverse else people_of(instance))  # type: ignore[arg-type]
    elif action in ("post_add", "post_remove"):
        ask([instance.pk] if reverse else pk_set or [])


def count_all() -> int:
    """Count everyone's stories at once (after a bulk load, which asks for no job), in one
    statement; returns how many people were counted (someone in no public story: 0)."""
    today = timezone.localdate()
    quote = connection.ops.quote_name
    # The smaller of two values: LEAST on PostgreSQL, min() with two arguments on SQLite.
    least = "LEAST" if connection.vendor == "postgresql" else "MIN"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {quote(StoryCount._meta.db_table)}")
        cursor.execute(
            f"INSERT INTO {quote(StoryCount._meta.db_table)} (person_id, stories, until)"
            f" SELECT person.id,"
            f"  {least}(COUNT(story.id) FILTER (WHERE story.published_on <= %s), %s),"
            f"  MIN(story.published_on) FILTER (WHERE story.published_on > %s)"
            f" FROM {quote(Person._meta.db_table)} person"
            f" LEFT JOIN {quote(Mention._meta.db_table)} mention ON mention.person_id = person.id"
            f" LEFT JOIN {quote(Article._meta.db_table)} story"
            f"  ON story.id = mention.article_id AND story.status = %s"
            f" GROUP BY person.id",
            [today, CAP + 1, today, Article.Status.PUBLISHED],
        )
        return cursor.rowcount


def connect() -> None:
    post_save.connect(story_saved, sender=Article, dispatch_uid="story-counts-article-save")
    pre_delete.connect(story_deleted, sender=Article, dispatch_uid="story-counts-article-delete")
    post_save.connect(mention_changed, sender=Mention, dispatch_uid="story-counts-mention-save")
    post_delete.connect(mention_changed, sender=Mention, dispatch_uid="story-counts-mention-delete")
    m2m_changed.connect(
        story_people_changed, sender=Article.people.through, dispatch_uid="story-counts-people"
    )
