"""The stories a story's page suggests: chosen when the stories change, by the job queue, and
kept (`RelatedStory`), so that a reader's request reads five rows instead of scoring them.

A story is chosen for again (`RELATE`) when it is added or deleted, when it becomes public or
stops being so or changes date, or when its people or tags change; an edit to its text,
headline or outlet changes no choice and asks for none. Its choice can change other stories'
too, which are asked again once (`RELATE_AGAIN`, which goes no further): the ones it now
suggests — a new story about someone is likely related to that person's recent stories — and
the ones that suggested it (it may have left their lists, or been deleted). Other stories'
lists catch up when they are next chosen for: what a page shows is kept, not exact, and a
suggested story that stops being public leaves the pages at once (they read only published
stories, and depend on each one's freshness).

A story never chosen for (a story older than the job queue, or one whose suggestions are none
of them public) is scored in the request, as before.
"""

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import Count, Q, Value
from django.db.models.expressions import Combinable
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from taggit.models import Tag

from common.paging import among_newest
from jobs.queue import enqueue_at_commit, enqueue_many
from jobs.registry import job
from people.models import Person

from .freshness import seen_or_dated_moved
from .models import Article, ArticleQuerySet, Mention, RelatedStory, TaggedArticle

RELATE = "relate_story"
RELATE_AGAIN = "relate_story_again"
# How many stories a page suggests, scored among how many of the newest about each of its
# people and with each of its tags.
SHOWN = 5
CANDIDATES = 20


def scored(
    article: Article, people: Sequence[Person], tags: Sequence[Tag], limit: int = SHOWN
) -> ArticleQuerySet:
    """Stories sharing the most people or tags with `article`, newest first among equals.

    Scored among the CANDIDATES stories most recently added about each of its people and with
    each of its tags — one short index range each (`mention_recent_idx`,
    `tagged_article_recent_idx`) — since a famous person is in a large share of the archive
    and scoring all of it would take longer as the archive grows.
    """
    mentions = Mention.objects.values_list("article_id").order_by("-article_id")
    tagged = TaggedArticle.objects.values_list("content_object_id").order_by("-content_object_id")
    recent = [mentions.filter(person=person) for person in people]
    recent += [tagged.filter(tag=tag) for tag in tags]
    candidates = among_newest(recent, CANDIDATES)
    # A count filtered by an empty list would empty the whole query: only what there is.
    shares: list[Combinable] = [Value(0)]
    if people:
        shares.append(Count("mentions", filter=Q(mentions__person__in=people), distinct=True))
    if tags:
        shares.append(Count("tagged_items", filter=Q(tagged_items__tag__in=tags), distinct=True))
    return (
        Article.objects.published()
        .filter(candidates)
        .exclude(pk=article.pk)
        .annotate(shared=sum(shares[1:], shares[0]))
        .order_by("-shared", "-published_on", "-id")[:limit]
    )


def kept(article: Article) -> list[Article]:
    """The public stories chosen for `article`, in their order, as a list shows them."""
    stories = Article.objects.published().filter(related_to__article=article).listed()
    return list(stories.order_by("related_to__position"))


def scored_now(article: Article, people: Sequence[Person], tags: Sequence[Tag]) -> list[Article]:
    """The stories chosen for `article` in the request, as a list shows them."""
    if not people and not tags:
        return []
    return list(scored(article, people, tags).listed())


# --- choosing, in the workers ----------------------------------------------------------------


def choose(article_id: int) -> tuple[list[int], list[int]] | None:
    """Choose the stories suggested after story `article_id` and keep them; (before, after)
    as ids, or None if the story is gone. A change moves the story's page."""
    from .freshness import part_changed

    with transaction.atomic():
        # The story's lock: two choices for one story are made one after the other.
        article = Article.objects.select_for_update().filter(pk=article_id).first()
        if article is None:
            return None
        people = list(Person.objects.filter(mentions__article=article))
        tags = list(article.tags.all())
        after = []
        if people or tags:
            after = list(scored(article, people, tags).values_list("pk", flat=True))
        rows = RelatedStory.objects.filter(article=article).order_by("position")
        before = list(rows.values_list("related_id", flat=True))
        if after != before:
            rows.delete()
            RelatedStory.objects.bulk_create(
                RelatedStory(article=article, related_id=pk, position=position)
                for position, pk in enumerate(after, start=1)
            )
            part_changed(article.pk)
    return before, after


@job(RELATE)
def relate(target: str) -> str:
    """Choose story `target`'s suggestions, then ask again for the stories it now suggests
    and those that suggested it."""
    chosen = choose(int(target))
    if chosen is None:
        return "the story was deleted"
    before, after = chosen
    suggesting = RelatedStory.objects.filter(related_id=int(target)).values_list("article_id")
    others = set(after) | {pk for (pk,) in suggesting} - {int(target)}
    if others:
        enqueue_many(RELATE_AGAIN, [str(pk) for pk in sorted(others)])
    return f"{len(after)} stories ({'changed' if before != after else 'as before'}); " + (
        f"{len(others)} others asked again"
    )


@job(RELATE_AGAIN)
def relate_again(target: str) -> str:
    chosen = choose(int(target))
    if chosen is None:
        return "the story was deleted"
    before, after = chosen
    return f"{len(after)} stories ({'changed' if before != after else 'as before'})"


# --- what asks for a choice ------------------------------------------------------------------


def ask(article_ids: Iterable[int | None], kind: str = RELATE) -> None:
    """A choice for `article_ids`, once the current transaction commits."""
    enqueue_at_commit(kind, article_ids)


def story_saved(sender: type, instance: Article, raw: bool = False, **kwargs: object) -> None:
    """A new story is chosen for; a saved one only when what a choice reads of it changed
    (a typo fixed in its text would otherwise choose for it and for the five it suggests)."""
    if not raw and seen_or_dated_moved(instance):
        ask([instance.pk])


def story_deleted(sender: type, instance: Article, **kwargs: object) -> None:
    """The stories that suggested a deleted one choose again (its rows go with it)."""
    suggesting = RelatedStory.objects.filter(related=instance).values_list("article_id", flat=True)
    ask(list(suggesting), RELATE_AGAIN)


def part_changed(sender: type, instance: Mention | TaggedArticle, **kwargs: object) -> None:
    if kwargs.get("raw"):
        return
    if isinstance(instance, Mention):
        ask([instance.article_id])
    else:
        ask([instance.content_object_id])


def parts_changed(
    sender: type,
    instance: Article | Person | Tag,
    action: str,
    pk_set: set[int] | None = None,
    reverse: bool = False,
    **kwargs: object,
) -> None:
    if not action.startswith("post_") or pk_set == set():
        return
    if not reverse:
        ask([instance.pk])
    elif pk_set is not None:  # a person's or a tag's stories
        ask(pk_set)


def connect() -> None:
    post_save.connect(story_saved, sender=Article, dispatch_uid="related-article-save")
    pre_delete.connect(story_deleted, sender=Article, dispatch_uid="related-article-delete")
    for model in (Mention, TaggedArticle):
        uid = f"related-{model._meta.label}"
        post_save.connect(part_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(part_changed, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(parts_changed, sender=Article.people.through, dispatch_uid="related-people")
    m2m_changed.connect(parts_changed, sender=Article.tags.through, dispatch_uid="related-tags")
