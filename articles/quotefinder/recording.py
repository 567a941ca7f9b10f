"""Keep what the finder found in a story for the editors to check: people, quotes and
proposed new people, saved with the status “found”.

`find_in(article)` reads the story (the people it may name are looked up by the capitalised
words of its text); `record(article, findings)` writes. Kept apart so that the reading can run
anywhere — an admin save, an import, a background job — and the writing stays one short
transaction. What an editor confirmed or corrected is never touched; what they dropped (a
Dismissal) is never found again; what was found before and is no longer in the text is
removed, as long as no one confirmed it.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from common.fulltext import fold
from people.models import Alias, Person, Relationship
from people.search import with_any_key

from ..models import Article, Dismissal, Finding, Mention, ProposedPerson, Quote
from . import AliasRef, Findings, FoundMention, FoundQuote, NewPerson, PersonRef, StoryText, find

CAPITALISED = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w’'-]*")
REASON = "Found by the archive"


def quote_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def people_named_in(texts: list[str]) -> list[PersonRef]:
    """The people whose names or aliases contain a capitalised word of the text: a few rows
    read through the name index, not every person in the archive."""
    words = sorted({fold(word) for text in texts for word in CAPITALISED.findall(text)})
    words = [word for word in words if word]
    if not words:
        return []
    # Rows, not model instances: a common first name is shared by thousands in a large
    # archive (6,000 people for one story of a million), and prefetching their aliases
    # through the ORM took half a second of every save.
    people = list(
        with_any_key(Person.objects.order_by(), words).values_list("pk", "name", "pronouns")
    )
    ids = {pk for pk, _, _ in people}
    aliases: dict[int, list[AliasRef]] = {pk: [] for pk in ids}
    for pk, name, ambiguous in (
        Alias.objects.filter(person__in=ids)
        .order_by("name")
        .values_list("person_id", "name", "is_ambiguous")
    ):
        aliases[pk].append(AliasRef(name, ambiguous))
    related: dict[int, set[int]] = {pk: set() for pk in ids}
    for a, b in Relationship.objects.filter(Q(person_a__in=ids) & Q(person_b__in=ids)).values_list(
        "person_a_id", "person_b_id"
    ):
        related[a].add(b)
        related[b].add(a)
    return [
        PersonRef(
            id=pk,
            name=name,
            aliases=tuple(aliases[pk]),
            pronouns=pronouns,
            related_ids=frozenset(related[pk]),
        )
        for pk, name, pronouns in people
    ]


def story_text(article: Article) -> StoryText:
    return StoryText(
        article.title, article.dek, article.paragraphs, article.published_on, article.kind
    )


def find_in(article: Article) -> Findings:
    """What the finder sees in a story, with the people of the archive it may name."""
    text = story_text(article)
    return find(text, people_named_in([text.title, text.dek, *text.paragraphs]))


@dataclass
class Recorded:
    """What a reading added or changed, for the editor's message."""

    people: int = 0
    quotes: int = 0
    proposed: list[str] = field(default_factory=list)  # names newly proposed

    def __bool__(self) -> bool:
        return bool(self.people or self.quotes or self.proposed)

    def summary(self) -> str:
        """“2 quotes, 1 person and 1 proposed new person (Ana Ruiz)”."""
        parts = []
        if self.quotes:
            parts.append(f"{self.quotes} quote{'s' if self.quotes != 1 else ''}")
        if self.people:
            parts.append(f"{self.people} {'person' if self.people == 1 else 'people'}")
        if self.proposed:
            count = len(self.proposed)
            names = ", ".join(self.proposed)
            parts.append(f"{count} proposed new {'person' if count == 1 else 'people'} ({names})")
        if not parts:
            return "nothing new"
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def record_findings(article: Article) -> Recorded:
    """Read the story and keep what was found: the whole step, for an admin save or an import."""
    return record(article, find_in(article))


def record(article: Article, findings: Findings) -> Recorded:
    """Keep `findings` for the editors. Returns what was added or changed."""
    dismissed = list(Dismissal.objects.filter(article=article))
    dropped_people = {d.person_id for d in dismissed if d.person_id}
    dropped_quotes = {quote_key(d.quote_text) for d in dismissed if d.quote_text}
    dropped_names = {d.person_name for d in dismissed if d.person_name}
    recorded = Recorded()
    proposals, recorded.proposed = keep_proposals(article, findings.new_people, dropped_names)
    recorded.people = keep_mentions(article, findings.mentions, dropped_people)
    recorded.quotes = keep_quotes(article, findings.quotes, dropped_quotes, proposals)
    # Proposals no longer in the text (the person was added, or the words changed), or dropped.
    ProposedPerson.objects.filter(article=article).exclude(
        pk__in=[proposal.pk for proposal in proposals.values()]
    ).delete()
    return recorded


def keep_proposals(
    article: Article, found: list[NewPerson], dropped: set[str]
) -> tuple[dict[str, ProposedPerson], list[str]]:
    existing = {proposal.name: proposal for proposal in article.proposed_people.all()}
    kept, added = {}, []
    for person in found:
        if person.name in dropped:
            continue
        proposal = existing.get(person.name)
        if proposal is None:
            proposal = ProposedPerson.objects.create(
                article=article,
                name=person.name[:200],
                sentence=person.sentence,
                pronouns=person.pronouns[:30],
            )
            added.append(person.name)
        kept[person.name] = proposal
    return kept, added


def keep_mentions(article: Article, found: list[FoundMention], dropped: set[int]) -> int:
    existing = {mention.person_id: mention for mention in article.mentions.all()}
    changed = 0
    for item in found:
        if item.person_id in dropped or item.person_id in existing:
            continue
        mention = Mention(
            article=article, person_id=item.person_id, role=item.role, status=Finding.FOUND
        )
        mention._change_reason = REASON
        mention.save()
        changed += 1
    still_found = {item.person_id for item in found}
    for mention in existing.values():
        if mention.status == Finding.FOUND and mention.person_id not in still_found:
            mention.delete()
            changed += 1
    return changed


def keep_quotes(
    article: Article,
    found: list[FoundQuote],
    dropped: set[str],
    proposals: dict[str, ProposedPerson],
) -> int:
    existing, changed = {}, 0
    for quote in article.quotes.order_by("id").prefetch_related("joint_speakers"):
        key = quote_key(quote.text)
        kept = existing.get(key)
        if kept is None:
            existing[key] = quote
        elif Finding.FOUND in (quote.status, kept.status):
            # The same words twice, one only found (a story imported, then the same story
            # loaded from a fixture with its quotes confirmed): the editor's copy stays.
            copy, original = (quote, kept) if quote.status == Finding.FOUND else (kept, quote)
            existing[key] = original
            for source in copy.sources.all():
                source.quote = original
                source._change_reason = REASON
                source.save()
            copy.delete()
            changed += 1
    for item in found:
        key = quote_key(item.text)
        if key in dropped:
            continue
        quote = existing.get(key)
        if quote is None:
            quote = Quote(article=article, text=item.text, status=Finding.FOUND)
        elif quote.status != Finding.FOUND:
            continue  # an editor confirmed or corrected it: theirs now
        proposed = next((proposals[name] for name in item.new_speakers if name in proposals), None)
        fields = {
            "speaker_id": item.speaker_id,
            "context": item.context[:200],
            "said_on": item.said_on,
            "position": item.position,
            "proposed_speaker_id": proposed.pk if proposed else None,
        }
        joint = set(item.speaker_ids[1:])
        if (
            quote.pk
            and all(getattr(quote, name) == value for name, value in fields.items())
            and {person.pk for person in quote.joint_speakers.all()} == joint
        ):
            continue
        for name, value in fields.items():
            setattr(quote, name, value)
        quote._change_reason = REASON
        quote.save()
        quote.joint_speakers.set(joint)
        changed += 1
    still_found = {quote_key(item.text) for item in found}
    for key, quote in existing.items():
        if quote.status == Finding.FOUND and key not in still_found:
            quote.delete()
            changed += 1
    return changed


def add_proposed_person(
    proposal: ProposedPerson, reason: str = "Proposed by the archive"
) -> Person:
    """Add a proposed person to the archive under the name the story gives, and read the story
    again: the quotes found said by them become theirs."""
    with transaction.atomic():
        person = Person(
            name=proposal.name, slug=free_slug(proposal.name), pronouns=proposal.pronouns
        )
        person._change_reason = f"{reason}: named in “{proposal.article}”"
        person.save()
        record_findings(proposal.article)
    return person


def link_proposed_person(proposal: ProposedPerson, person: Person) -> Alias:
    """The proposed name is a person already in the archive under another name: keep it as
    their alias and read the story again."""
    with transaction.atomic():
        alias, _ = Alias.objects.get_or_create(person=person, name=proposal.name)
        record_findings(proposal.article)
    return alias


def free_slug(name: str) -> str:
    base = slugify(name)[:190] or "person"
    taken = set(Person.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
