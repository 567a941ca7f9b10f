import datetime
import re
import uuid
from typing import Any, Self, TypeVar

from django.contrib.postgres.search import SearchVectorField
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from common.citations import Citation, WebAddressField, no_credentials_constraint
from common.fulltext import SearchDocument
from common.links import address
from common.paging import YearsByJumps
from common.text import LineField, PlainTextField, normalise_line_ends
from common.timestamps import Timestamped
from history.revisions import Revisioned
from people.models import Person
from pictures.models import THUMBNAIL_FIELDS, Picture

from .captions import HowAndWhen, how_and_when

BLANK_LINE = re.compile(r"\n\s*\n")


class PublicationManager(models.Manager["Publication"]):
    def get_by_natural_key(self, slug: str) -> "Publication":
        return self.get(slug=slug)


class Publication(models.Model):
    """An outlet: a magazine, a newspaper, a social network where people speak for themselves."""

    name = LineField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    url = WebAddressField("URL", blank=True, help_text="The outlet's home page.")

    objects = PublicationManager()

    class Meta:
        ordering = ["name"]
        constraints = [no_credentials_constraint("articles_publication_url_no_credentials")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return address("articles:publication", slug=self.slug)

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class ArticleKind(models.TextChoices):
    INTERVIEW = "interview", "Interview"
    PROFILE = "profile", "Profile"
    NEWS = "news", "News"
    STATEMENT = "statement", "Statement"
    FEATURE = "feature", "Feature"
    OPINION = "opinion", "Opinion"
    SOCIAL_POST = "social_post", "Social post"


# A kind's label by its value: what `Article.get_kind_display()` reads.
KIND_LABELS = dict(ArticleKind.choices)


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class ArticleQuerySet(YearsByJumps, models.QuerySet["Article"]):
    def published(self) -> Self:
        """What readers may see: published, and dated today or earlier.

        A published story dated in the future is scheduled; it appears on its own when its
        day comes. Every public view, feed and sitemap starts here.
        """
        return self.filter(status=Article.Status.PUBLISHED, published_on__lte=timezone.localdate())

    def listed(self) -> Self:
        """What a list of stories reads of each — the fields its items show, their outlet and
        picture — in one query, whatever the list shows. Through a reverse relation
        (`person.articles.published().listed()`), the people's pages list stories without
        importing this module."""
        return self.select_related("publication", "lead_picture").only(
            "title",
            "slug",
            "dek",
            "kind",
            "published_on",
            "publication__name",
            "publication__slug",
            *(f"lead_picture__{field}" for field in THUMBNAIL_FIELDS),
        )


# A named class, which the checker reads the queryset's methods on; a call in the class
# statement would be opaque to it.
_ArticleManagerBase = models.Manager.from_queryset(ArticleQuerySet)


class ArticleManager(_ArticleManagerBase["Article"]):
    def get_by_natural_key(self, published_on: str, slug: str) -> "Article":
        return self.get(published_on=published_on, slug=slug)


class TaggedArticle(TaggedItemBase):
    """Tags through a real foreign key: proper joins and indexes, and dumps with natural keys."""

    content_object: "models.ForeignKey[Article, Article]" = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = "tag"
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_article_unique"),
        ]
        indexes = [
            # A tag's most recently added stories (related stories), in one index range.
            models.Index(fields=["tag", "-content_object"], name="tagged_article_recent_idx"),
        ]

    class NaturalKeyManager(models.Manager["TaggedArticle"]):
        def get_by_natural_key(
            self, published_on: str, slug: str, tag_name: str
        ) -> "TaggedArticle":
            return self.get(
                content_object__published_on=published_on,
                content_object__slug=slug,
                tag__name=tag_name,
            )

    objects = NaturalKeyManager()

    def natural_key(self) -> tuple[str, str, str]:
        return (*self.content_object.natural_key(), self.tag.name)

    natural_key.dependencies = ["articles.article", "taggit.tag"]  # type: ignore[attr-defined]


# TaggedArticle's base comes from taggit, which has no types: the checker cannot see its
# manager, so it cannot type `tagged_items` (read by name in lookups only).
class Article(Timestamped, Revisioned):  # type: ignore[django-manager-missing]
    Kind = ArticleKind
    Status = ArticleStatus

    title = LineField("headline", max_length=300)
    slug = models.SlugField(
        max_length=255,
        help_text="The headline in the address. Unique among the stories of the same day.",
    )
    dek = PlainTextField(
        blank=True, help_text="The standfirst under the headline: one or two sentences."
    )
    body = PlainTextField(
        blank=True,
        help_text="Plain text; separate paragraphs with a blank line. No markup: "
        "what you type is what readers see.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NEWS)
    published_on = models.DateField(
        "date",
        default=timezone.localdate,
        help_text="The story's date. A published story dated in the future stays hidden "
        "until that day.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    publication = models.ForeignKey(
        Publication,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name="outlet",
    )
    byline = LineField(max_length=200, blank=True, help_text="Who wrote it, if known.")
    # PROTECT, as a person's portrait: a story's picture is not deleted from under it.
    lead_picture = models.ForeignKey(
        Picture,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_of",
        help_text="Shown above the story with its caption and credit, and as its thumbnail in "
        "lists. Without one, shared links show the main person's portrait.",
    )
    people: "models.ManyToManyField[Person, Mention]" = models.ManyToManyField(
        Person, through="Mention", related_name="articles", blank=True
    )
    tags = TaggableManager(through=TaggedArticle, blank=True)
    search_vector = models.GeneratedField(
        expression=SearchDocument(("title", "A"), ("dek", "B"), ("body", "C")),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = ArticleManager()
    history = HistoricalRecords(app="history", excluded_fields=["search_vector"])

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = "story"
        verbose_name_plural = "stories"
        get_latest_by = "published_on"
        constraints = [
            # The permalink /articles/<yyyy>/<mm>/<dd>/<slug>/, and the importer's identity.
            models.UniqueConstraint(
                fields=["published_on", "slug"],
                name="article_unique_slug_per_day",
                violation_error_message="Another story on this date already has this slug.",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="article_title_not_empty"),
            models.CheckConstraint(condition=~Q(slug=""), name="article_slug_not_empty"),
            models.CheckConstraint(
                condition=Q(kind__in=ArticleKind.values), name="article_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ArticleStatus.values), name="article_status_known"
            ),
        ]
        indexes = [
            # published() and the date archive: status filter, newest first.
            models.Index(fields=["status", "-published_on", "-id"], name="article_published_idx"),
            # An outlet's newest stories (its page), without walking the whole archive.
            models.Index(
                fields=["publication", "-published_on", "-id"], name="article_publication_idx"
            ),
            # The sitemap's latest change: the most recently edited story, not all of them.
            models.Index(fields=["updated_at"], name="article_updated_idx"),
            # A search narrowed to a kind: that kind's newest stories, walked until enough
            # match. Without it the walk went through every kind (“wedding” among opinion
            # pieces, 3 % of the archive: 0.9 s at a million).
            models.Index(
                fields=["status", "kind", "-published_on", "-id"], name="article_kind_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_kind_display(self) -> str:  # type: ignore[no-redef]
        """The kind's label, as Django's own method gives it, without flattening the field's
        choices again on each call (a list of twenty stories asks twenty times)."""
        return KIND_LABELS.get(self.kind, self.kind)

    def get_absolute_url(self) -> str:
        day = self.published_on
        return address(
            "articles:detail",
            year=day.year,
            month=f"{day.month:02d}",
            day=f"{day.day:02d}",
            slug=self.slug,
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A new slug or date keeps the old address working (FormerAddress)."""
        update_fields = kwargs.get("update_fields")
        former = None
        if not self._state.adding and (
            update_fields is None or {"slug", "published_on"} & set(update_fields)
        ):
            former = Article.objects.filter(pk=self.pk).values_list("published_on", "slug").first()
        with transaction.atomic():
            super().save(*args, **kwargs)
            field = self._meta.get_field("published_on")
            assert isinstance(field, models.DateField)
            day = field.to_python(self.published_on)
            if former and former != (day, self.slug):
                FormerAddress.record(self, *former)

    @property
    def paragraphs(self) -> list[str]:
        """The body's paragraphs: text between blank lines (a line of spaces is blank too)."""
        return [p.strip() for p in BLANK_LINE.split(normalise_line_ends(self.body)) if p.strip()]

    @property
    def published_at(self) -> datetime.datetime:
        """The story's date as the start of that day, for feeds and sitemaps."""
        moment = datetime.datetime.combine(self.published_on, datetime.time.min)
        return timezone.make_aware(moment)

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_on <= timezone.localdate()

    def natural_key(self) -> tuple[str, str]:
        return (self.published_on.isoformat(), self.slug)


class FormerAddress(models.Model):
    """A date and slug a story had before it was renamed or redated. The old address answers
    301 to the story where it is now (articles/addresses.py), however many changes later —
    while the story is published: never a redirect to a draft."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="former_addresses")
    published_on = models.DateField()
    slug = models.SlugField(max_length=255, db_index=False)  # former_address_unique serves
    retired_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-retired_at"]
        verbose_name_plural = "former addresses"
        constraints = [
            # The lookup of an old address. An address two stories had in turn names the later.
            models.UniqueConstraint(fields=["published_on", "slug"], name="former_address_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.published_on:%Y/%m/%d}/{self.slug}/ → {self.article}"

    @classmethod
    def record(cls, article: "Article", published_on: datetime.date, slug: str) -> None:
        # The story's address now is nobody's former one: moving back serves it itself,
        # never a redirect to the same address.
        cls.objects.filter(published_on=article.published_on, slug=article.slug).delete()
        cls.objects.update_or_create(
            published_on=published_on,
            slug=slug,
            defaults={"article": article, "retired_at": timezone.now()},
        )


class Finding(models.TextChoices):
    """Whether a person or a quote was found in the text by the archive, or checked by an
    editor. Found quotes stay off the public pages until an editor confirms them."""

    FOUND = "found", "Found, to check"
    CONFIRMED = "confirmed", "Confirmed"


class MentionRole(models.TextChoices):
    SUBJECT = "subject", "Subject"
    MENTIONED = "mentioned", "Mentioned"


class MentionManager(models.Manager["Mention"]):
    def get_by_natural_key(self, published_on: str, slug: str, person_slug: str) -> "Mention":
        return self.get(
            article__published_on=published_on, article__slug=slug, person__slug=person_slug
        )


class Mention(models.Model):
    """A person in a story: its subject, or only mentioned."""

    Role = MentionRole

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mentions")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MENTIONED)
    status = models.CharField(max_length=10, choices=Finding.choices, default=Finding.CONFIRMED)

    objects = MentionManager()
    history = HistoricalRecords(app="history")

    class Meta:
        ordering = ["article", "role", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "person"],
                name="mention_unique_person_per_article",
                violation_error_message="This person is already listed in this story.",
            ),
            models.CheckConstraint(
                condition=Q(role__in=MentionRole.values), name="mention_role_known"
            ),
        ]
        indexes = [
            # A person's most recently added stories (related stories), in one index range.
            models.Index(fields=["person", "-article"], name="mention_recent_idx"),
            # The editors' queue of stories to check (ToCheckFilter): the few people found
            # by the archive and not yet confirmed, without reading every mention.
            models.Index(
                fields=["article"], condition=Q(status=Finding.FOUND), name="mention_to_check_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display().lower()})"

    def natural_key(self) -> tuple[str, str, str]:
        return (*self.article.natural_key(), self.person.slug)

    natural_key.dependencies = ["articles.article", "people.person"]  # type: ignore[attr-defined]


_M = TypeVar("_M", bound=models.Model)


class UidManager(models.Manager[_M]):
    def get_by_natural_key(self, uid: str) -> _M:
        return self.get(uid=uid)


class QuoteQuerySet(YearsByJumps, models.QuerySet["Quote"]):
    def published(self) -> Self:
        """Quotes readers may see: confirmed ones, of published stories (the rule lives here)."""
        # Joined rather than `IN (published stories)`: the planner can then walk the stories
        # newest first and stop, instead of gathering every published story.
        return self.filter(
            status=Finding.CONFIRMED,
            article__status=Article.Status.PUBLISHED,
            article__published_on__lte=timezone.localdate(),
        )


_QuoteManagerBase = UidManager.from_queryset(QuoteQuerySet)


class QuoteManager(_QuoteManagerBase["Quote"]):
    pass


class Quote(models.Model):
    """Words someone said, as a story reports them."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotes")
    speaker = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes",
        help_text="Leave empty when the story does not say who said it. Said by several people "
        "(a joint statement): the first of them here, the others below.",
    )
    joint_speakers = models.ManyToManyField(
        Person,
        blank=True,
        related_name="joint_quotes",
        verbose_name="said together with",
        help_text="The others who said it with the speaker: a couple's joint statement, a "
        "band's post.",
    )
    proposed_speaker = models.ForeignKey(
        "articles.ProposedPerson",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quotes",
        help_text="Found said by someone the archive does not know yet: once they are added "
        "(or linked to a person), the quote is theirs.",
    )
    text = PlainTextField(help_text="The words only, without the quotation marks around them.")
    context = LineField(
        max_length=200, blank=True, help_text="How it was said: “told Vogue”, “wrote on Instagram”."
    )
    said_on = models.DateField(null=True, blank=True, help_text="When it was said, if known.")
    position = models.PositiveIntegerField(
        default=0, help_text="Order in the story: quotes are shown from the lowest number."
    )
    status = models.CharField(
        max_length=10,
        choices=Finding.choices,
        default=Finding.CONFIRMED,
        help_text="A quote found in the text is shown to readers once an editor confirms it.",
    )
    search_vector = models.GeneratedField(
        expression=SearchDocument(("text", "A")),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = QuoteManager()
    history = HistoricalRecords(app="history", excluded_fields=["search_vector"])

    class Meta:
        ordering = ["article", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="quote_text_not_empty"),
        ]
        indexes = [
            # The admin's dates of quotes (first, last, the years between) without reading all.
            models.Index(fields=["said_on"], name="quote_said_idx"),
            # The editors' queues of quotes to check (the quote list's status filter, and
            # ToCheckFilter for stories): only the quotes found and not yet confirmed.
            models.Index(
                fields=["article"], condition=Q(status=Finding.FOUND), name="quote_to_check_idx"
            ),
        ]

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 80 else self.text[:79] + "…"
        return f"“{text}”"

    def get_absolute_url(self) -> str:
        return address("articles:quote", pk=self.pk)

    @property
    def how_and_when(self) -> HowAndWhen:
        """The caption's “told Vogue, 9 February 2022” in pieces (see articles/captions.py)."""
        return how_and_when(self.context, self.said_on)

    @property
    def speakers(self) -> list[Person]:
        """Everyone who said it, the speaker first: prefetch `joint_speakers` when listing."""
        joint = sorted(self.joint_speakers.all(), key=lambda p: p.name) if self.pk else []
        return [self.speaker, *joint] if self.speaker else joint

    @property
    def speaker_names(self) -> str:
        """“Juno Castellanos and Felix Marr”, or “Unattributed”."""
        names = [person.name for person in self.speakers]
        if not names:
            return "Unattributed"
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def natural_key(self) -> tuple[str]:
        return (str(self.uid),)


class SourceLink(Citation):
    """Where a story, or one of its quotes, comes from."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sources")
    quote = models.ForeignKey(
        Quote,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sources",
        help_text="Set when the source backs one quote rather than the whole story.",
    )
    publication = models.ForeignKey(
        Publication,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="source_links",
        verbose_name="outlet",
    )
    published_on = models.DateField(null=True, blank=True)

    objects = UidManager()
    history = HistoricalRecords(app="history")

    class Meta:
        ordering = ["article", "id"]
        verbose_name = "source"
        constraints = [*Citation.Meta.constraints]
        indexes = [
            # The stories most recently added citing an outlet (its page), in one index range.
            models.Index(fields=["publication", "-article"], name="sourcelink_recent_idx"),
        ]

    def natural_key(self) -> tuple[str]:
        return (str(self.uid),)


class Correction(models.Model):
    """A public note that a story was corrected: shown on the story and in its JSON-LD."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    corrected_on = models.DateField(default=timezone.localdate)
    note = PlainTextField(help_text="What was wrong and what it now says, in plain words.")

    objects = UidManager()
    history = HistoricalRecords(app="history")

    class Meta:
        ordering = ["article", "corrected_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="correction_note_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.corrected_on}: {self.note[:60]}"

    def natural_key(self) -> tuple[str]:
        return (str(self.uid),)


class ProposedPerson(models.Model):
    """Someone a story names whom the archive does not know: proposed to the editors, who add
    them as a new person or link the name to a person already in the archive."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="proposed_people")
    name = LineField(max_length=200)
    sentence = PlainTextField(blank=True, help_text="Where the story names them.")
    pronouns = LineField(max_length=30, blank=True)
    found_at = models.DateTimeField(default=timezone.now)
    same_as = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="same person as",
        help_text="Already in the archive under another name: pick them, and this name becomes "
        "their alias.",
    )

    class Meta:
        ordering = ["article", "id"]
        verbose_name = "proposed new person"
        verbose_name_plural = "proposed new people"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "name"], name="proposed_person_unique_name_per_article"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="proposed_person_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class Dismissal(models.Model):
    """A found person or quote, or a proposed new person, an editor dropped from a story: never
    found there again."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="dismissals")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    quote_text = PlainTextField(blank=True)
    person_name = LineField(max_length=200, blank=True)
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "person"],
                condition=Q(person__isnull=False),
                name="dismissal_unique_person",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(quote_text="") | ~Q(person_name=""),
                name="dismissal_names_something",
            ),
        ]

    def __str__(self) -> str:
        dropped = self.person or self.person_name or self.quote_text[:40]
        return f"{dropped} dropped from {self.article}"


class RelatedStory(models.Model):
    """One of the stories a story's page suggests, chosen when the stories change (a job of
    articles/related.py), not while a reader waits."""

    # A story's suggestions are read through the unique constraint's index; the stories that
    # suggest one (asked to choose again when it changes), through `related`'s.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="related_links", db_index=False
    )
    related = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_to")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="related_story_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.related_id} after {self.article_id} (#{self.position})"


class StoryCount(models.Model):
    """How many public stories are about a person, up to one past what their page's list
    reaches (`common.paging.CAP` + 1, as the page counts them): counted when their stories
    change (a job of articles/story_counts.py), so that their page does not count up to a
    thousand stories in the request."""

    person = models.OneToOneField(
        Person, primary_key=True, on_delete=models.CASCADE, related_name="story_count"
    )
    stories = models.PositiveIntegerField()
    # The day the first story about them scheduled at the count appears: from then on, the
    # count is short of one and the page counts in the request until they are counted again.
    until = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.person_id}: {self.stories} stories"

    def holds(self) -> bool:
        """Whether the count is still right today (no story scheduled since has appeared)."""
        return self.until is None or timezone.localdate() < self.until


class InTheNews(models.Model):
    """One of the people the latest stories are most about, as the front page lists them:
    counted when the stories change (a job of articles/in_the_news.py)."""

    position = models.PositiveSmallIntegerField(primary_key=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    stories = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        verbose_name_plural = "in the news"

    def __str__(self) -> str:
        return f"#{self.position}: {self.person_id} ({self.stories} stories)"
