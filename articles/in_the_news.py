"""“People in the news” on the front page: who the latest stories are most about, counted by
the job queue when the stories change, and kept (`InTheNews`), so that the front page reads
eight rows instead of counting the mentions of two hundred stories.

Counted again (`COUNT`, one job however many changes wait) when a story is added or deleted,
becomes public or stops being so or changes date, or when its people change (not for an edit
to its text). Until it has been counted once, the front page counts in the request.
"""

from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save

from caching.topics import changed
from jobs.queue import enqueue_at_commit
from jobs.registry import job
from people.models import Person

from .freshness import seen_or_dated_moved
from .models import Article, InTheNews, Mention

COUNT = "count_people_in_the_news"
# The stories counted, newest first, and how many people are shown.
WINDOW = 200
SHOWN = 8
# The front page's topic for the list (caching/topics.py).
TOPIC = "in-the-news"


def counted() -> QuerySet[Any]:
    """The people the WINDOW newest stories are most about, with how many (`stories`)."""
    # QuerySet[Any]: people with their `stories`, which the stubs cannot follow through a slice.
    recent = Article.objects.published().order_by("-published_on", "-id").values("id")
    return (
        Person.objects.filter(mentions__article__in=recent[:WINDOW])
        .select_related("portrait")
        .annotate(stories=Count("mentions"))
        .order_by("-stories", "name")[:SHOWN]
    )


@job(COUNT)
def count(target: str) -> str:
    """Count the people in the news again and keep them; a change moves the front page."""
    now = list(counted().values_list("pk", "stories"))
    with transaction.atomic():
        rows = InTheNews.objects.select_for_update().order_by("position")
        before = [(row.person_id, row.stories) for row in rows]
        if now != before:
            InTheNews.objects.all().delete()
            InTheNews.objects.bulk_create(
                InTheNews(position=position, person_id=pk, stories=stories)
                for position, (pk, stories) in enumerate(now, start=1)
            )
            changed(TOPIC)
    return ", ".join(f"{pk}: {stories}" for pk, stories in now) or "no one"


def ask(sender: type, raw: bool = False, action: str = "post_", **kwargs: object) -> None:
    """Count again once the current transaction commits (one job for any number of changes)."""
    if not raw and action.startswith("post_"):
        enqueue_at_commit(COUNT, ["front"])


def story_saved(sender: type, instance: Article, raw: bool = False, **kwargs: object) -> None:
    if not raw and seen_or_dated_moved(instance):
        ask(sender)


def connect() -> None:
    post_save.connect(story_saved, sender=Article, dispatch_uid="in-the-news-Article-save")
    post_save.connect(ask, sender=Mention, dispatch_uid="in-the-news-Mention-save")
    for model in (Article, Mention):
        uid = f"in-the-news-{model._meta.label}"
        post_delete.connect(ask, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(ask, sender=Article.people.through, dispatch_uid="in-the-news-people")
