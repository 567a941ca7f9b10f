import datetime
from typing import Any, Self

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone
from simple_history.models import HistoricalRecords

from common.citations import Citation
from common.fulltext import SearchDocument, fold
from common.links import address
from common.paging import YearsByJumps
from common.text import LineField, PlainTextField
from common.timestamps import Timestamped
from history.revisions import Revisioned
from pictures.models import Picture

from .dates import (
    PARTIAL_DATE_HELP,
    Precision,
    age_on,
    format_partial,
    iso_partial,
    precision_field,
    truncate,
)


class SourceManager(models.Manager["Source"]):
    def get_by_natural_key(self, label: str, url: str) -> "Source":
        return self.get(label=label, url=url)


class Source(Citation):
    """Where a fact about a person or a relationship comes from."""

    outlet = LineField(max_length=200, blank=True, help_text="Wikipedia, Vogue, People…")
    published_on = models.DateField(null=True, blank=True)

    objects = SourceManager()

    class Meta:
        ordering = ["label"]
        constraints = [
            *Citation.Meta.constraints,
            # The natural key used by fixtures (`loaddata demo` twice updates, never duplicates).
            models.UniqueConstraint(fields=["label", "url"], name="people_source_unique_citation"),
        ]

    def natural_key(self) -> tuple[str, str]:
        return (self.label, self.url)


class PersonManager(models.Manager["Person"]):
    def get_by_natural_key(self, slug: str) -> "Person":
        return self.get(slug=slug)


class Person(Timestamped, Revisioned):
    name = LineField(max_length=200, help_text="The name readers know: “Kim Kardashian”.")
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The name in the address: kim-kardashian."
    )
    full_name = LineField(
        max_length=300,
        blank=True,
        help_text="Full or legal name when it differs: “Kimberly Noel Kardashian”.",
    )
    born_on = models.DateField(
        "born",
        null=True,
        blank=True,
        help_text=PARTIAL_DATE_HELP,
    )
    born_precision = precision_field()
    died_on = models.DateField("died", null=True, blank=True)
    died_precision = precision_field()
    pronouns = LineField(
        max_length=30,
        blank=True,
        help_text="she/her, he/him, they/them… Used to tell who “she said” refers to.",
    )
    bio = PlainTextField(blank=True, help_text="A few plain sentences; no markup.")
    wikidata_id = models.CharField(
        "Wikidata ID",
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata ID looks like Q186304.")],
    )
    sources = models.ManyToManyField(
        Source, blank=True, related_name="people", help_text="Where the dates and names come from."
    )
    # PROTECT: a picture shown as someone's face is not deleted from under them; the admin's
    # delete page names who uses it, and an editor chooses another portrait first.
    portrait = models.ForeignKey(
        Picture,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="portrait_of",
        help_text="Their face: shown beside their name, in lists and on the relationship map. "
        "Without one, their initials stand in.",
    )
    # Every name and alias, folded (“zoe kravitz”): kept by people/signals.py, searched with
    # trigrams on PostgreSQL and LIKE on SQLite.
    search_names = models.TextField(default="", blank=True, editable=False)
    # Those names' words and their one-letter-off variants: people/search.py finds misspelt
    # names by exact lookups of these keys.
    name_keys = models.TextField(default="", blank=True, editable=False)
    search_vector = models.GeneratedField(
        expression=SearchDocument(("name", "A"), ("search_names", "B")),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = PersonManager()
    history = HistoricalRecords(
        app="history", excluded_fields=["search_vector", "search_names", "name_keys"]
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(
                condition=Q(born_on__isnull=True)
                | Q(died_on__isnull=True)
                | Q(died_on__gte=F("born_on")),
                name="person_died_not_before_born",
                violation_error_message="Death cannot come before birth.",
            ),
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
                name="person_unique_wikidata_id",
                violation_error_message="Another person already has this Wikidata ID.",
            ),
        ]
        indexes = [
            # The directory, A to Z, a page at a time.
            models.Index(fields=["name", "id"], name="person_name_idx"),
            # The sitemap's latest change: the most recently edited person, not all of them.
            models.Index(fields=["updated_at"], name="person_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return address("people:detail", slug=self.slug)

    def age_on(self, day: datetime.date | None = None) -> int | None:
        """Age in whole years on `day` (today by default); None if unknown or after death.

        Unknown too when only the year or the month of birth is known: the age would be a
        guess that is wrong for part of every year."""
        day = day or timezone.localdate()
        if self.died_on and day > self.died_on:
            return None
        if self.born_precision != Precision.DAY:
            return None
        return age_on(self.born_on, day)

    @property
    def born_display(self) -> str:
        return format_partial(self.born_on, self.born_precision)

    @property
    def died_display(self) -> str:
        return format_partial(self.died_on, self.died_precision)

    @property
    def born_iso(self) -> str:
        return iso_partial(self.born_on, self.born_precision) or ""

    @property
    def died_iso(self) -> str:
        return iso_partial(self.died_on, self.died_precision) or ""

    def clean(self) -> None:
        self.born_on = truncate(self.born_on, self.born_precision)
        self.died_on = truncate(self.died_on, self.died_precision)

    def relationships(self) -> "RelationshipQuerySet":
        return Relationship.objects.involving(self)

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A new slug keeps the old address working (FormerSlug)."""
        update_fields = kwargs.get("update_fields")
        former = None
        if not self._state.adding and (update_fields is None or "slug" in update_fields):
            former = Person.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        with transaction.atomic():
            super().save(*args, **kwargs)
            if former and former != self.slug:
                FormerSlug.record(self, former)

    def other_names(self) -> list[str]:
        """What the person is also known as: the full name, then the aliases, each once and
        none the same as the name (Kanye West's full name is Ye, and Ye is an alias too).
        Reads the prefetched aliases."""
        seen = {self.name.casefold()}
        names = []
        for name in [self.full_name, *(alias.name for alias in self.aliases.all())]:
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)
        return names

    @property
    def description(self) -> str:
        """A sentence about the person for search engines and shared links."""
        return self.bio or f"Stories, quotes and relationships of {self.name}."

    def folded_names(self) -> str:
        """What search matches a person on: name, full name and every alias, folded."""
        names = [self.name, self.full_name, *self.aliases.values_list("name", flat=True)]
        return fold(" ".join(name for name in names if name))

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class FormerSlug(models.Model):
    """A slug a person had before a rename. Their old addresses — page, feed, quotes — answer
    301 to where they are now (people/addresses.py), however many renames later: the old slug
    names the person, not the next slug."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="former_slugs")
    # Unique: the lookup of an old address. A slug two people had in turn names the later.
    slug = models.SlugField(max_length=200, unique=True)
    retired_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-retired_at"]

    def __str__(self) -> str:
        return f"/people/{self.slug}/ → {self.person}"

    @classmethod
    def record(cls, person: "Person", old_slug: str) -> None:
        # The person's slug now is nobody's former slug: renaming back (C → A) serves A
        # itself, never a redirect from A to A.
        cls.objects.filter(slug=person.slug).delete()
        cls.objects.update_or_create(
            slug=old_slug, defaults={"person": person, "retired_at": timezone.now()}
        )


class AliasManager(models.Manager["Alias"]):
    def get_by_natural_key(self, name: str, person_slug: str) -> "Alias":
        return self.get(name=name, person__slug=person_slug)


class Alias(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = LineField(max_length=200, help_text="Another name: Ye, Yeezy, Kim.")
    is_ambiguous = models.BooleanField(
        "ambiguous",
        default=False,
        help_text="Tick when the name is also an ordinary word or a place (“Chicago”): it is then "
        "never taken as this person on its own when stories are read.",
    )

    objects = AliasManager()
    history = HistoricalRecords(app="history")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "aliases"
        constraints = [
            models.UniqueConstraint(fields=["person", "name"], name="alias_unique_per_person"),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str, str]:
        return (self.name, *self.person.natural_key())

    natural_key.dependencies = ["people.person"]  # type: ignore[attr-defined]


class RelationshipKind(models.TextChoices):
    MARRIED = "married", "Married"
    ENGAGED = "engaged", "Engaged"
    DATING = "dating", "Dating"
    PARENT = "parent", "Parent of"
    SIBLING = "sibling", "Siblings"
    CO_PARENTS = "co_parents", "Co-parents"
    FRIENDS = "friends", "Friends"
    COLLABORATORS = "collaborators", "Collaborators"
    FEUD = "feud", "Feud"


class EndReason(models.TextChoices):
    DIVORCE = "divorce", "Divorce"
    ANNULMENT = "annulment", "Annulment"
    BREAKUP = "breakup", "Breakup"
    ENGAGEMENT = "engagement", "Engagement"
    DEATH = "death", "Death"
    MARRIAGE = "marriage", "Marriage"
    RECONCILIATION = "reconciliation", "Reconciliation"
    ESTRANGEMENT = "estrangement", "Estrangement"
    OTHER = "other", "Other"


class RelationshipQuerySet(YearsByJumps, models.QuerySet["Relationship"]):
    def involving(self, person: Person) -> Self:
        """Both directions: a relationship is stored once and read from either side."""
        return self.filter(Q(person_a=person) | Q(person_b=person)).select_related(
            "person_a__portrait", "person_b__portrait"
        )

    def sourced(self) -> Self:
        """What readers may see: relationships with at least one source. One with none waits
        in the editors' list under “needs a source” (every fact sourced)."""
        cited = Relationship.sources.through.objects.filter(relationship_id=OuterRef("pk"))
        return self.filter(Exists(cited))


# A named class, which the checker reads the queryset's methods on; a call in the class
# statement would be opaque to it.
_RelationshipManagerBase = models.Manager.from_queryset(RelationshipQuerySet)


class RelationshipManager(_RelationshipManagerBase["Relationship"]):
    def get_by_natural_key(
        self, kind: str, started_on: str | None, person_a_slug: str, person_b_slug: str
    ) -> "Relationship":
        return self.get(
            kind=kind,
            started_on=started_on,
            person_a__slug=person_a_slug,
            person_b__slug=person_b_slug,
        )


class Relationship(Timestamped, Revisioned):
    """Two people and how they are related, from when to when, and on whose word.

    Symmetric kinds (married, siblings…) are stored once and read from both sides. The one
    directed kind, parent, reads “A is parent of B”, and from B “child of A”.
    """

    Kind = RelationshipKind
    EndReason = EndReason

    DIRECTED_KINDS = frozenset({Kind.PARENT})

    # How each side reads the relationship: (as person A, as person B).
    PHRASES: dict[str, tuple[str, str]] = {
        Kind.MARRIED: ("married to", "married to"),
        Kind.ENGAGED: ("engaged to", "engaged to"),
        Kind.DATING: ("dating", "dating"),
        Kind.PARENT: ("parent of", "child of"),
        Kind.SIBLING: ("sibling of", "sibling of"),
        Kind.CO_PARENTS: ("co-parent with", "co-parent with"),
        Kind.FRIENDS: ("friends with", "friends with"),
        Kind.COLLABORATORS: ("collaborator of", "collaborator of"),
        Kind.FEUD: ("feuding with", "feuding with"),
    }

    person_a = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="relationships_as_a",
        db_index=False,  # covered by relationship_person_a_idx
        verbose_name="person",
        help_text="For “parent of”: the parent.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    person_b = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="relationships_as_b",
        db_index=False,  # covered by relationship_person_b_idx
        verbose_name="other person",
        help_text="For “parent of”: the child.",
    )
    started_on = models.DateField(
        "since",
        null=True,
        blank=True,
        help_text=PARTIAL_DATE_HELP,
    )
    started_precision = precision_field()
    ended_on = models.DateField("until", null=True, blank=True)
    ended_precision = precision_field()
    end_reason = models.CharField(
        max_length=20,
        choices=EndReason.choices,
        blank=True,
        help_text="Why it ended; set it even when the end date is unknown.",
    )
    place = LineField(
        max_length=200,
        blank=True,
        help_text="Where, if it matters: “Florence, Italy” for a wedding.",
    )
    note = PlainTextField(blank=True, help_text="Milestones worth telling, in plain sentences.")
    sources = models.ManyToManyField(Source, blank=True, related_name="relationships")

    objects = RelationshipManager()
    history = HistoricalRecords(app="history")

    class Meta:
        ordering = [F("started_on").asc(nulls_last=True), "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(person_a=F("person_b")),
                name="relationship_not_self",
                violation_error_message="A person cannot be related to themselves.",
            ),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(ended_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="relationship_ends_after_start",
                violation_error_message="A relationship cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RelationshipKind.values),
                name="relationship_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(end_reason="") | Q(end_reason__in=EndReason.values),
                name="relationship_end_reason_known",
            ),
            # Order-free: A–B and B–A are the same pair, so a symmetric relationship cannot be
            # entered twice from the two sides, nor can two people each be the other's parent.
            # The same pair may marry twice, on two dates.
            models.UniqueConstraint(
                Least("person_a", "person_b"),
                Greatest("person_a", "person_b"),
                F("kind"),
                Coalesce("started_on", Value(datetime.date(1, 1, 1))),
                name="relationship_unique_pair_kind_start",
                violation_error_message="These two people already have a relationship of this "
                "kind starting on that date.",
            ),
        ]
        indexes = [
            # Person pages read relationships from both sides: one index per side.
            models.Index(fields=["person_b", "kind"], name="relationship_person_b_idx"),
            models.Index(fields=["person_a", "kind"], name="relationship_person_a_idx"),
            # The admin's list in the model's order, a page at a time instead of sorting all
            # (ascending, PostgreSQL puts the undated last, as the ordering does); and its
            # date hierarchy.
            models.Index(fields=["started_on", "id"], name="relationship_started_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_a} {self.PHRASES[self.kind][0]} {self.person_b}"

    @property
    def is_directed(self) -> bool:
        return self.kind in self.DIRECTED_KINDS

    @property
    def is_current(self) -> bool:
        return self.ended_on is None and not self.end_reason

    def other(self, person: Person) -> Person:
        return self.person_b if person.pk == self.person_a_id else self.person_a

    def phrase_for(self, person: Person) -> str:
        """How `person` reads it: Kanye West is “parent of” North West, she is “child of” him."""
        as_a, as_b = self.PHRASES[self.kind]
        return as_a if person.pk == self.person_a_id else as_b

    @property
    def span(self) -> str:
        """When it lasted, in the one wording every page uses: “24 May 2014 – 2 March 2022”,
        “since 2014”, “until 2022”, “2014 – ?” (ended, the date not recorded), or nothing."""
        start, end = self.started_display, self.ended_display
        if start and end:
            return f"{start} – {end}"
        if start:
            return f"since {start}" if self.is_current else f"{start} – ?"
        return f"until {end}" if end else ""

    @property
    def started_display(self) -> str:
        return format_partial(self.started_on, self.started_precision)

    @property
    def ended_display(self) -> str:
        return format_partial(self.ended_on, self.ended_precision)

    def natural_key(self) -> tuple[str, str | None, str, str]:
        started = self.started_on.isoformat() if self.started_on else None
        return (self.kind, started, self.person_a.slug, self.person_b.slug)

    natural_key.dependencies = ["people.person"]  # type: ignore[attr-defined]

    def clean(self) -> None:
        self.started_on = truncate(self.started_on, self.started_precision)
        self.ended_on = truncate(self.ended_on, self.ended_precision)
        if self.ended_on and not self.end_reason and not self.is_directed:
            raise ValidationError({"end_reason": "Say why it ended (divorce, breakup…)."})


class ProposalStatus(models.TextChoices):
    """As quotes found in a story's text: found for an editor to check, then confirmed (the
    value taken) or dismissed (never proposed again)."""

    FOUND = "found", "Found, to check"
    CONFIRMED = "confirmed", "Confirmed"
    DISMISSED = "dismissed", "Dismissed"


class ProposedField(models.TextChoices):
    BORN_ON = "born_on", "date of birth"
    DIED_ON = "died_on", "date of death"
    STARTED_ON = "started_on", "since"
    ENDED_ON = "ended_on", "until"
    END_REASON = "end_reason", "end reason"


# The precision field of each date field proposals may change.
PRECISION_OF: dict[str, str] = {
    ProposedField.BORN_ON: "born_precision",
    ProposedField.DIED_ON: "died_precision",
    ProposedField.STARTED_ON: "started_precision",
    ProposedField.ENDED_ON: "ended_precision",
}


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def to_check(self) -> Self:
        return self.filter(status=ProposalStatus.FOUND)


class Proposal(Timestamped):
    """A value an import found for a fact an editor entered otherwise — Wikidata giving
    another date of birth, say. It is never written over the editor's value: it waits here,
    with its source, for an editor to confirm it (the value is then taken) or dismiss it (it
    is then never proposed again)."""

    Status = ProposalStatus
    Field = ProposedField

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="proposals"
    )
    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, null=True, blank=True, related_name="proposals"
    )
    field = models.CharField(max_length=20, choices=ProposedField.choices)
    # An ISO date (the first day of its period) or an end reason, as the field stores it.
    value = LineField(max_length=20)
    precision = models.CharField(max_length=5, choices=Precision.choices, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="proposals")
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.FOUND
    )

    objects = ProposalQuerySet.as_manager()
    history = HistoricalRecords(app="history")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, relationship__isnull=True)
                | Q(person__isnull=True, relationship__isnull=False),
                name="proposal_one_target",
                violation_error_message="A proposal is about a person or a relationship.",
            ),
            models.CheckConstraint(
                condition=Q(field__in=ProposedField.values), name="proposal_field_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_known"
            ),
            # A value is proposed once per fact, whatever became of it: the import runs again
            # and again without repeating itself, and a dismissed value stays dismissed.
            models.UniqueConstraint(
                fields=["person", "field", "value", "precision"],
                condition=Q(person__isnull=False),
                name="proposal_once_per_person_fact",
            ),
            models.UniqueConstraint(
                fields=["relationship", "field", "value", "precision"],
                condition=Q(relationship__isnull=False),
                name="proposal_once_per_relationship_fact",
            ),
        ]
        indexes = [
            # The editors' queue: the few proposals still to check, without reading the rest.
            models.Index(
                fields=["-created_at"],
                condition=Q(status=ProposalStatus.FOUND),
                name="proposal_to_check_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target}: {self.get_field_display()} {self.value_display}"

    @property
    def target(self) -> "Person | Relationship":
        target = self.person if self.person_id else self.relationship
        assert target is not None  # one of the two, by proposal_one_target
        return target

    @property
    def value_display(self) -> str:
        if self.field in PRECISION_OF:
            return format_partial(datetime.date.fromisoformat(self.value), self.precision)
        return dict(EndReason.choices).get(self.value, self.value)

    @property
    def current_display(self) -> str:
        """What the archive says now, written as the proposal is."""
        target = self.target
        current = getattr(target, self.field)
        if self.field in PRECISION_OF:
            return format_partial(current, getattr(target, PRECISION_OF[self.field])) or "—"
        return dict(EndReason.choices).get(current, current) or "—"

    def confirm(self) -> None:
        """Take the value: written to the person or relationship (a new version of it, with
        this source), after the same checks an editor's form makes. Raises ValidationError
        when the value breaks a rule (a relationship ending before it starts…)."""
        target = self.target
        if self.field in PRECISION_OF:
            setattr(target, self.field, datetime.date.fromisoformat(self.value))
            setattr(target, PRECISION_OF[self.field], self.precision)
        else:
            setattr(target, self.field, self.value)
        target.full_clean()
        with transaction.atomic():
            target.save()
            target.sources.add(self.source)
            self.status = ProposalStatus.CONFIRMED
            self.save(update_fields=["status"])

    def dismiss(self) -> None:
        self.status = ProposalStatus.DISMISSED
        self.save(update_fields=["status"])
