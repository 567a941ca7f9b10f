"""Which pages a change to stories moves (caching/topics.py): the rules, without a request.

A story's page shows `story:N` (its text, quotes, sources, corrections, people, tags), the
people in it (`person:N`), its tags (`tag:N`), its outlets (`outlet:N`), its neighbours (the
months from the one before to the one after: `month:YYYY-MM`) and stories related by people
and tags (`about:N`, `tag:N`). Lists show what `list_topics` names.

- A story that is not published before or after the change (a draft that stays a draft)
  moves nothing: no public page shows it.
- Any other change moves `story:N`; a change to what lists show (headline, standfirst, kind,
  date, address, outlet, whether it is published, who it is about) moves the lists it is in
  too: `stories` (the front page, the archive's index), its year and month, its people's
  (`about:N`), tags' and outlets' lists.
- Its quotes, people, tags, sources and corrections are parts of the story: they move it, and
  the lists they appear in (`quotes`, `about:N` for a speaker, `outlet:N` for a source).
- An outlet's name appears in every list (`outlets`); a tag's on its stories and its page.
"""

import datetime
from collections.abc import Callable, Iterable
from typing import Any, TypeAlias

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from taggit.models import Tag, TaggedItem

from caching.topics import ALL, changed, covers
from people.freshness import OUTLETS, PEOPLE, about, person
from people.models import Person

from .models import (
    Article,
    Correction,
    Dismissal,
    FormerAddress,
    InTheNews,
    Mention,
    ProposedPerson,
    Publication,
    Quote,
    RelatedStory,
    SourceLink,
    StoryCount,
    TaggedArticle,
)

STORIES = "stories"
QUOTES = "quotes"
# What a list of stories shows of each (`ArticleQuerySet.listed`), and whether it is listed.
LISTED = ("title", "slug", "dek", "kind", "published_on", "publication_id", "status")
# The parts whose values before a save are compared with after it (remember, previous).
Remembered: TypeAlias = Mention | TaggedArticle | Quote | SourceLink


def story(pk: int) -> str:
    return f"story:{pk}"


def quote(pk: int) -> str:
    return f"quote:{pk}"


def tag(pk: int) -> str:
    return f"tag:{pk}"


def outlet(pk: int) -> str:
    return f"outlet:{pk}"


def month(day: datetime.date | str) -> str:
    return f"month:{as_date(day):%Y-%m}"


def year(day: datetime.date | str) -> str:
    return f"year:{as_date(day):%Y}"


def as_date(day: datetime.date | str) -> datetime.date:
    """A date, also when a story was saved with its date written as text ("2022-02-09")."""
    return day if isinstance(day, datetime.date) else datetime.date.fromisoformat(str(day)[:10])


def neighbours(previous: Article | None, article: Article, following: Article | None) -> set[str]:
    """What the story before and the one after `article` depend on: a story published, moved
    or retitled between them is in one of their months, or, when they are further apart or
    there is none, anywhere in the archive (`stories`)."""
    names = {month(article.published_on)}
    for other in (previous, following):
        if other is None or abs(months(other.published_on) - months(article.published_on)) > 1:
            names.add(STORIES)
        else:
            names.add(month(other.published_on))
    return names


def months(day: datetime.date | str) -> int:
    day = as_date(day)
    return day.year * 12 + day.month


def published(status: str) -> bool:
    # Scheduled stories too: they appear on their day, which starts new pages anyway.
    return status == Article.Status.PUBLISHED


def list_topics(
    article_id: int, days: Iterable[datetime.date | str | None], outlets: Iterable[int | None]
) -> set[str]:
    """Every list a published story is in: the newest stories, its year and month, its
    people's, tags' and outlets' (its own and those it cites)."""
    names = {STORIES, QUOTES}
    names |= {month(day) for day in days if day} | {year(day) for day in days if day}
    people = Mention.objects.filter(article_id=article_id).values_list("person_id", flat=True)
    tags = TaggedArticle.objects.filter(content_object_id=article_id).values_list(
        "tag_id", flat=True
    )
    cited = SourceLink.objects.filter(article_id=article_id, publication__isnull=False)
    names |= {about(pk) for pk in people} | {tag(pk) for pk in tags}
    names |= {outlet(pk) for pk in outlets if pk}
    names |= {outlet(pk) for pk in cited.values_list("publication_id", flat=True)}
    return names


# --- stories ---------------------------------------------------------------------------------


def story_before(
    sender: type[Article], instance: Article, raw: bool = False, **kwargs: Any
) -> None:
    """What lists showed of the story before this save."""
    if raw or instance.pk is None:
        instance._listed_before = None  # type: ignore[attr-defined]  # read by story_saved
        return
    before = Article.objects.filter(pk=instance.pk).values(*LISTED).first()
    instance._listed_before = before  # type: ignore[attr-defined]


def listed_before(instance: Article) -> dict[str, Any] | None:
    """What lists showed of `instance` before the save being made (`LISTED`, as read before
    it), None for a new story, one loaded raw, or a save this module did not see begin."""
    return getattr(instance, "_listed_before", None)


def seen_or_dated_moved(instance: Article) -> bool:
    """Whether the save being made changed whether readers see the story, or its date: what the
    related stories, the people in the news and a person's story count read of a story besides
    its people and tags. True for a new story, and one whose values before were not read."""
    before = listed_before(instance)
    if before is None or before["status"] != instance.status:
        return True
    day = instance.published_on
    return before["published_on"] != (None if day is None else as_date(day))


def story_saved(
    sender: type[Article],
    instance: Article,
    raw: bool = False,
    created: bool = False,
    **kwargs: Any,
) -> None:
    if raw:
        return
    before = listed_before(instance)
    now = {field: getattr(instance, field) for field in LISTED}
    was = before is not None and published(before["status"])
    if not (was or published(instance.status)):
        return  # a draft that stays a draft
    names = {story(instance.pk)}
    if before != now:
        days = {now["published_on"], before and before["published_on"]}
        outlets = {now["publication_id"], before and before["publication_id"]}
        names |= list_topics(instance.pk, days, outlets)
    changed(*names)


def story_deleted(sender: type[Article], instance: Article, **kwargs: Any) -> None:
    if published(instance.status):
        day = instance.published_on
        changed(story(instance.pk), STORIES, QUOTES, OUTLETS, month(day), year(day), PEOPLE)
        if instance.publication_id:
            changed(outlet(instance.publication_id))


def public_story(article_id: int) -> dict[str, Any] | None:
    """The story `article_id`'s listed fields if readers may see it (or it is gone: what it
    was is not known), None for a draft."""
    row = Article.objects.filter(pk=article_id).values(*LISTED).first()
    if row is None:
        return {"published_on": None, "publication_id": None}
    return row if published(row["status"]) else None


def part_changed(article_id: int, *names: str, lists: bool = False) -> None:
    """A part of story `article_id` changed, moving `names` as well when the story is public
    (and the story's lists, when `lists`)."""
    row = public_story(article_id)
    if row is None:
        return
    extra = set(names)
    if lists:
        days = {row["published_on"]}
        extra |= list_topics(article_id, days, {row["publication_id"]})
    changed(story(article_id), *extra)


# --- its parts -------------------------------------------------------------------------------


def remember(fields: list[str]) -> Callable[..., None]:
    def before(
        sender: type[Remembered], instance: Remembered, raw: bool = False, **kwargs: Any
    ) -> None:
        instance._before = None  # type: ignore[union-attr]  # read by previous()
        if not raw and instance.pk is not None:
            values = sender.objects.filter(pk=instance.pk).values(*fields).first()
            instance._before = values  # type: ignore[union-attr]

    return before


def previous(instance: Remembered, field: str) -> int | None:
    before = getattr(instance, "_before", None)
    return before and before[field]


def now_and_before(now: int | None, before: int | None) -> set[int]:
    """A part's reference (a person, a tag, an outlet…) after a save and before it, when set."""
    return {pk for pk in (now, before) if pk is not None}


def mention_changed(
    sender: type[Mention], instance: Mention, raw: bool = False, **kwargs: Any
) -> None:
    """Who a story is about: its page, the lists of those people, and the front page (which
    shows the main person of each story)."""
    if raw:
        return
    people = now_and_before(instance.person_id, previous(instance, "person_id"))
    part_changed(instance.article_id, STORIES, *(about(pk) for pk in people))


def story_people_changed(
    sender: type[Model],
    instance: Article | Person,
    action: str,
    pk_set: set[int] | None = None,
    reverse: bool = False,
    **kwargs: Any,
) -> None:
    if not action.startswith("post_") or pk_set == set():
        return
    if pk_set is None:
        changed(ALL)  # cleared: the signal does not say of what
    elif reverse:  # a person's stories
        for article_id in pk_set:
            part_changed(article_id, STORIES, about(instance.pk))
    else:
        part_changed(instance.pk, STORIES, *(about(pk) for pk in pk_set))


def tagging_changed(
    sender: type[TaggedArticle], instance: TaggedArticle, raw: bool = False, **kwargs: Any
) -> None:
    if not raw:
        tags = now_and_before(instance.tag_id, previous(instance, "tag_id"))
        part_changed(instance.content_object_id, *(tag(pk) for pk in tags))


def story_tags_changed(
    sender: type[Model],
    instance: Article | Tag,
    action: str,
    pk_set: set[int] | None = None,
    reverse: bool = False,
    **kwargs: Any,
) -> None:
    if not action.startswith("post_") or pk_set == set():
        return
    if pk_set is None:
        changed(ALL)
    elif reverse:  # a tag's stories
        for article_id in pk_set:
            part_changed(article_id, tag(instance.pk))
    else:
        part_changed(instance.pk, *(tag(pk) for pk in pk_set))


def tag_changed(sender: type[Tag], instance: Tag, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        changed(tag(instance.pk))


def quote_changed(sender: type[Quote], instance: Quote, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    speakers = now_and_before(instance.speaker_id, previous(instance, "speaker_id"))
    if instance.pk is not None:
        speakers |= set(instance.joint_speakers.values_list("pk", flat=True))
    part_changed(instance.article_id, quote(instance.pk), QUOTES, *(about(pk) for pk in speakers))


def joint_speakers_changed(
    sender: type[Model],
    instance: Quote | Person,
    action: str,
    pk_set: set[int] | None = None,
    reverse: bool = False,
    **kwargs: Any,
) -> None:
    if not action.startswith("post_") or pk_set == set():
        return
    if pk_set is None:
        changed(ALL)
    elif reverse:  # a person's joint statements
        for article_id, pk in Quote.objects.filter(pk__in=pk_set).values_list("article_id", "pk"):
            part_changed(article_id, quote(pk), QUOTES, about(instance.pk))
    else:
        assert isinstance(instance, Quote)  # not reverse: a quote's joint speakers
        people = (about(pk) for pk in pk_set)
        part_changed(instance.article_id, quote(instance.pk), QUOTES, *people)


def source_changed(
    sender: type[SourceLink], instance: SourceLink, raw: bool = False, **kwargs: Any
) -> None:
    """A source of a story, or of one of its quotes: the outlet's page lists stories citing it."""
    if raw:
        return
    outlets = now_and_before(instance.publication_id, previous(instance, "publication_id"))
    quotes = now_and_before(instance.quote_id, previous(instance, "quote_id"))
    names = [outlet(pk) for pk in outlets] + [quote(pk) for pk in quotes]
    part_changed(instance.article_id, *names)


def correction_changed(
    sender: type[Correction], instance: Correction, raw: bool = False, **kwargs: Any
) -> None:
    if not raw:
        part_changed(instance.article_id)


def outlet_changed(
    sender: type[Publication], instance: Publication, raw: bool = False, **kwargs: Any
) -> None:
    """An outlet's name is in every list of stories."""
    if not raw:
        changed(outlet(instance.pk), OUTLETS)


def connect() -> None:
    rules: list[tuple[type[Model], Callable[..., None], Callable[..., None]]] = [
        (Article, story_saved, story_deleted),
        (Mention, mention_changed, mention_changed),
        (TaggedArticle, tagging_changed, tagging_changed),
        (Tag, tag_changed, tag_changed),
        (Quote, quote_changed, quote_changed),
        (SourceLink, source_changed, source_changed),
        (Correction, correction_changed, correction_changed),
        (Publication, outlet_changed, outlet_changed),
    ]
    for model, saved, deleted in rules:
        uid = f"freshness-{model._meta.label}"
        post_save.connect(saved, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(deleted, sender=model, dispatch_uid=f"{uid}-delete")
    pre_save.connect(story_before, sender=Article, dispatch_uid="freshness-article-before")
    remembered: list[tuple[type[Remembered], list[str]]] = [
        (Mention, ["person_id"]),
        (TaggedArticle, ["tag_id"]),
        (Quote, ["speaker_id"]),
        (SourceLink, ["publication_id", "quote_id"]),
    ]
    for model, fields in remembered:
        pre_save.connect(
            remember(fields), sender=model, weak=False, dispatch_uid=f"freshness-{model}-before"
        )
    m2m_changed.connect(story_people_changed, sender=Article.people.through)
    m2m_changed.connect(story_tags_changed, sender=TaggedArticle)
    m2m_changed.connect(joint_speakers_changed, sender=Quote.joint_speakers.through)
    covers(Article, Mention, TaggedArticle, Tag, Quote, SourceLink, Correction, Publication)
    covers(Quote.joint_speakers.through)
    # What readers never see: old addresses answer with a redirect; the finder's proposals and
    # an editor's dismissals wait in the admin. Tags of other models: none are public.
    covers(FormerAddress, ProposedPerson, Dismissal, TaggedItem)
    # Kept by jobs, which move the pages that show them: a story's related stories move its
    # page (related.choose), the people in the news the front page (in_the_news.count), a
    # person's story count their lists (story_counts.count).
    covers(RelatedStory, InTheNews, StoryCount)


__all__ = ["OUTLETS", "PEOPLE", "about", "person"]  # the people's topics, for the views here
