"""A person's page, read from data already fetched: their ties grouped, and a timeline.

Nothing here queries the database; the view fetches a fixed number of querysets and passes
them in, so the page costs the same number of queries however many relationships there are.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from .dates import Precision, format_partial, iso_partial
from .models import Person, Relationship

Kind = Relationship.Kind
EndReason = Relationship.EndReason

# Written after the dates of an ended relationship: “married … – 2022, divorced”.
ENDINGS: dict[str, str] = {
    EndReason.DIVORCE: "divorced",
    EndReason.ANNULMENT: "annulled",
    EndReason.BREAKUP: "split",
    EndReason.DEATH: "until death",
    EndReason.ENGAGEMENT: "then engaged",
    EndReason.MARRIAGE: "then married",
    EndReason.RECONCILIATION: "reconciled",
    EndReason.ESTRANGEMENT: "estranged",
    EndReason.OTHER: "ended",
}

# Timeline wording for the start and the end of each kind, from the person's side.
STARTS: dict[str, str] = {
    Kind.MARRIED: "Married",
    Kind.ENGAGED: "Engaged to",
    Kind.DATING: "Began dating",
    Kind.SIBLING: "Sibling of",
    Kind.CO_PARENTS: "Began co-parenting with",
    Kind.FRIENDS: "Became friends with",
    Kind.COLLABORATORS: "Began working with",
    Kind.FEUD: "Began a feud with",
}
ENDS: dict[str, str] = {
    EndReason.DIVORCE: "Divorced from",
    EndReason.ANNULMENT: "Marriage annulled with",
    EndReason.BREAKUP: "Split from",
    EndReason.DEATH: "Parted by death from",
    EndReason.RECONCILIATION: "Reconciled with",
    EndReason.ESTRANGEMENT: "Estranged from",
    EndReason.OTHER: "Parted from",
}


@dataclass
class Tie:
    """One relationship as the person reads it."""

    relationship: Relationship
    other: Person
    phrase: str

    @property
    def kind(self) -> str:
        return self.relationship.kind

    @property
    def span(self) -> str:
        return self.relationship.span

    @property
    def ending(self) -> str:
        return ENDINGS.get(self.relationship.end_reason, "")


@dataclass
class CoParent:
    person: Person
    children: list[Person] = field(default_factory=list)


@dataclass
class Family:
    current: list[Tie]
    past: list[Tie]
    parents: list[Tie]
    children: list[Tie]
    co_parents: list[CoParent]

    @property
    def is_empty(self) -> bool:
        return not (self.current or self.past or self.parents or self.children or self.co_parents)


def family(
    person: Person,
    relationships: Iterable[Relationship],
    other_parents_of_children: Iterable[Relationship] = (),
) -> Family:
    """Group `relationships` (all involving `person`) for their page.

    `other_parents_of_children`: the parent relationships of the person's children with their
    other parents; those parents are the person's co-parents.
    """
    current: list[Tie] = []
    past: list[Tie] = []
    parents: list[Tie] = []
    children: list[Tie] = []
    co_parents: dict[int, CoParent] = {}
    for relationship in relationships:
        tie = Tie(relationship, relationship.other(person), relationship.phrase_for(person))
        if relationship.kind == Kind.PARENT:
            (children if relationship.person_a_id == person.pk else parents).append(tie)
        elif relationship.kind == Kind.CO_PARENTS:
            co_parents.setdefault(tie.other.pk, CoParent(tie.other))
        else:
            (current if relationship.is_current else past).append(tie)
    children_ids = {tie.other.pk for tie in children}
    for relationship in other_parents_of_children:
        if relationship.person_b_id in children_ids and relationship.person_a_id != person.pk:
            entry = co_parents.setdefault(relationship.person_a_id, CoParent(relationship.person_a))
            entry.children.append(relationship.person_b)
    for entry in co_parents.values():
        entry.children.sort(key=by_birth)
    return Family(
        current=current,
        past=sorted(past, key=lambda t: t.relationship.ended_on or datetime.date.min, reverse=True),
        parents=parents,
        children=sorted(children, key=lambda tie: by_birth(tie.other)),
        co_parents=sorted(co_parents.values(), key=lambda entry: entry.person.name),
    )


def by_birth(person: Person) -> tuple[datetime.date, str]:
    return (person.born_on or datetime.date.max, person.name)


class Dated(Protocol):
    @property
    def published_on(self) -> datetime.date: ...


class Story(Dated, Protocol):
    """What the timeline reads of a story (`articles.models.Article`, which this app may not
    import)."""

    @property
    def title(self) -> str: ...
    def get_absolute_url(self) -> str: ...


class Quote(Protocol):
    """What the timeline reads of a quote (`articles.models.Quote`)."""

    @property
    def said_on(self) -> datetime.date | None: ...
    @property
    def article(self) -> Dated: ...
    @property
    def text(self) -> str: ...
    def get_absolute_url(self) -> str: ...


@dataclass
class Event:
    """One line of a person's timeline."""

    date: datetime.date
    precision: str
    kind: str  # "life", "relationship", "story" or "quote"
    text: str
    other: Person | None = None  # a Person to link after the text
    title: str = ""  # a story headline or a quote, linked to `url`
    url: str = ""

    @property
    def date_display(self) -> str:
        return format_partial(self.date, self.precision)

    @property
    def date_iso(self) -> str:
        return iso_partial(self.date, self.precision) or ""


def timeline(
    person: Person,
    relationships: Iterable[Relationship],
    stories: Iterable[Story] = (),
    quotes: Iterable[Quote] = (),
) -> list[Event]:
    """Relationship events, stories and quotes, oldest first."""
    events: list[Event] = []
    if person.born_on:
        events.append(Event(person.born_on, person.born_precision, "life", "Born"))
    if person.died_on:
        events.append(Event(person.died_on, person.died_precision, "life", "Died"))
    for r in relationships:
        other = r.other(person)
        if r.kind == Kind.PARENT:
            if r.person_a_id == person.pk and r.started_on:
                events.append(
                    Event(
                        r.started_on, r.started_precision, "relationship", "Became a parent:", other
                    )
                )
            continue
        if r.started_on:
            events.append(
                Event(r.started_on, r.started_precision, "relationship", STARTS[r.kind], other)
            )
        # An engagement that ended in marriage is told by the wedding, not by its end.
        if r.ended_on and r.end_reason in ENDS:
            events.append(
                Event(r.ended_on, r.ended_precision, "relationship", ENDS[r.end_reason], other)
            )
    for story in stories:
        events.append(
            Event(
                story.published_on,
                Precision.DAY,
                "story",
                "Story:",
                title=story.title,
                url=story.get_absolute_url(),
            )
        )
    for quote in quotes:
        events.append(
            Event(
                quote.said_on or quote.article.published_on,
                Precision.DAY,
                "quote",
                "Said:",
                title=quote.text,
                url=quote.get_absolute_url(),
            )
        )
    order = {"life": 0, "relationship": 1, "story": 2, "quote": 3}
    return sorted(events, key=lambda event: (event.date, order[event.kind]))
