"""Run the finder (articles/finder.py) on a story and keep what it found, for an editor to
check: people and quotes saved with the status “found”.

What an editor confirmed or corrected is never touched; what they dropped (a Dismissal) is
never found again; what was found before and is no longer in the text is removed, as long as
no one confirmed it.
"""

import re

from django.db.models import Q

from common.fulltext import fold
from people.models import Alias, Person, Relationship
from people.search import with_any_key

from .finder import PersonRef, find_mentions, find_quotes
from .models import Dismissal, Finding, Mention, Quote

CAPITALISED = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w’'-]*")
REASON = "Found by the archive"


def quote_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def people_named_in(texts) -> list[PersonRef]:
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
    aliases = {pk: [] for pk in ids}
    for pk, name, ambiguous in (
        Alias.objects.filter(person__in=ids)
        .order_by("name")
        .values_list("person_id", "name", "is_ambiguous")
    ):
        aliases[pk].append((name, ambiguous))
    related = {pk: set() for pk in ids}
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


def record_findings(article) -> tuple[int, int]:
    """Find the story's people and quotes and keep them as found. Returns how many people and
    quotes were added or changed."""
    paragraphs = article.paragraphs
    people = people_named_in([article.title, article.dek, *paragraphs])
    mentions = find_mentions(article.title, article.dek, paragraphs, people)
    quotes = find_quotes(article.dek, paragraphs, people, article.published_on)
    dismissed = Dismissal.objects.filter(article=article)
    dropped_people = {d.person_id for d in dismissed if d.person_id}
    dropped_quotes = {quote_key(d.quote_text) for d in dismissed if d.quote_text}
    changed_people = keep_mentions(article, mentions, dropped_people)
    changed_quotes = keep_quotes(article, quotes, dropped_quotes)
    return changed_people, changed_quotes


def keep_mentions(article, found, dropped) -> int:
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


def keep_quotes(article, found, dropped) -> int:
    existing, changed = {}, 0
    for quote in article.quotes.order_by("id"):
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
        fields = {
            "speaker_id": item.speaker_id,
            "context": item.context[:200],
            "said_on": item.said_on,
            "position": item.position,
        }
        if quote.pk and all(getattr(quote, name) == value for name, value in fields.items()):
            continue
        for name, value in fields.items():
            setattr(quote, name, value)
        quote._change_reason = REASON
        quote.save()
        changed += 1
    still_found = {quote_key(item.text) for item in found}
    for key, quote in existing.items():
        if quote.status == Finding.FOUND and key not in still_found:
            quote.delete()
            changed += 1
    return changed
