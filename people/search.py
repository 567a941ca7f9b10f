"""Finding people by name, alias or a near spelling: “Kayne” finds Kanye West, “Kardashain”
Kim Kardashian, “Zoe” Zoë.

Names are folded (lower case, no accents) into `Person.search_names`; every word of them, its
one-letter-off variants and its starts go into `Person.name_keys` (see `fulltext.name_keys`).
Candidates are the people whose stored name vector matches the words (PostgreSQL full text,
GIN), or who share a key with a typed word — one exact lookup in a GIN index on PostgreSQL, so
the cost does not grow with the number of people — or, when nothing else is found, people whose
names are similar by trigrams (pg_trgm). Candidates are then ranked in Python by
Damerau–Levenshtein similarity (rapidfuzz): one slip, a swap included, is forgiven in a word of
four letters or more.
"""

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import cast

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQuery
from django.db import connection, transaction
from django.db.models import Count, F, Func, Model, QuerySet, TextField
from rapidfuzz.distance import DamerauLevenshtein

from common.fulltext import CONFIG, fold, name_keys
from common.paging import CAP

from .models import Person

CANDIDATES = 200
SHOWN = 8
SIMILARITY = 0.75  # “kayne” → “kanye” is 0.8; “katy” → “kanye” is 0.4


def tokens_of(terms: Iterable[str]) -> list[str]:
    return [token for term in terms for token in re.findall(r"\w+", fold(term))]


def with_any_key(people: QuerySet[Person], keys: Sequence[str]) -> QuerySet[Person]:
    """People having any of `keys` among their name keys (see `fulltext.name_keys`): one
    lookup in the GIN index on PostgreSQL."""
    if connection.vendor == "postgresql":
        return people.alias(
            keys=Func(
                F("name_keys"), function="newsroom_name_keys", output_field=ArrayField(TextField())
            )
        ).filter(keys__overlap=list(keys))
    pattern = r"(^| )(" + "|".join(re.escape(key) for key in keys) + ")( |$)"
    return people.filter(name_keys__regex=pattern)


def candidates(people: QuerySet[Person], tokens: list[str], wider: bool = False) -> list[Person]:
    """People sharing a key with a typed word: the word itself, one slip away, or the start
    of a name. With `wider`, on PostgreSQL, when that finds no one, trigram similarity
    (pg_trgm) casts a wider net for names further off (“kardashiann kimm”)."""
    if not tokens:
        return []
    variants = sorted(set(name_keys(" ".join(tokens), prefixes=False).split()))
    keyed = with_any_key(people, variants)
    found: dict[int, Person] = {}
    sources = [keyed]
    if connection.vendor == "postgresql":
        # The stored, weighted vector of names and aliases (GIN): stemmed full-text matches.
        words = SearchQuery(" or ".join(tokens), search_type="websearch", config=CONFIG)
        sources.insert(0, people.filter(search_vector=words))
    for source in sources:
        for person in source.order_by().only("pk", "name", "slug", "search_names")[:CANDIDATES]:
            found.setdefault(person.pk, person)
    if not found and wider and connection.vendor == "postgresql":
        return similar_by_trigrams(people, tokens)
    return list(found.values())


def similar_by_trigrams(people: QuerySet[Person], tokens: list[str]) -> list[Person]:
    """Names whose words are trigram-similar (word_similarity ≥ 0.6) to a typed word.

    The planner misjudges these operators as cheap and would read every name; in this one
    transaction it is told to use the trigram index (`person_search_names_trgm_idx`), which is
    several times faster and does not grow with the table the way a full scan does."""
    found: dict[int, Person] = {}
    with planner_without("enable_seqscan"):
        for token in tokens:
            matches = people.filter(search_names__trigram_word_similar=token).order_by()
            for person in matches.only("pk", "name", "slug", "search_names")[:CANDIDATES]:
                found.setdefault(person.pk, person)
    return list(found.values())


@contextmanager
def planner_without(*methods: str) -> Iterator[None]:
    """PostgreSQL's planner told not to use `methods` (say, "enable_seqscan") for the queries
    inside, in a transaction of their own. Undone after them: inside an outer transaction (a
    test's, or a management command's) SET LOCAL would outlast the block. An error inside
    rolls the block back, and the settings with it."""
    nested = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("; ".join(f"SET LOCAL {method} = off" for method in methods))
        yield
        if nested:
            cursor.execute("; ".join(f"RESET {method}" for method in methods))


def rank(
    people: Iterable[Person], tokens: list[str], limit: int = SHOWN, every_word: bool = False
) -> list[Person]:
    """Most query words matched first, then the closest spellings, then the most written
    about (“Kayne” is one slip from Kane Brown too), then the name. With `every_word`, only
    the people matching every word when anyone does (“Kim Kardashian”: not every Kim), for
    lists that are not shown in this order."""
    scored: list[tuple[int, float, Person]] = []
    for person in people:
        names = person.search_names.split()
        matched, closeness = 0, 0.0
        for token in tokens:
            best = max((closeness_of(token, name) for name in names), default=0.0)
            if best >= 0.9 or (len(token) >= 4 and best >= SIMILARITY):
                matched += 1
                closeness += best
        if matched:
            scored.append((-matched, -closeness, person))
    if every_word and any(-row[0] == len(tokens) for row in scored):
        scored = [row for row in scored if -row[0] == len(tokens)]
    scored.sort(key=lambda row: row[:2])
    shortlist = scored[:limit]
    # Counting mentions is costly for the famous: only for people tied on the spelling.
    keys = [row[:2] for row in shortlist]
    tied = [row[2].pk for row in shortlist if keys.count(row[:2]) > 1]
    counts = stories_about(tied)
    shortlist.sort(key=lambda row: (row[0], row[1], -counts.get(row[2].pk, 0), row[2].name))
    return [person for *_, person in shortlist]


def stories_about(pks: list[int], cap: int = CAP) -> dict[int, int]:
    """How many stories each person is in, counted up to `cap` + 1: enough to tell namesakes
    apart, without counting every one of a famous person's (98,677 mentions of the Theos and
    Nadias of a million stories: 200 ms). On PostgreSQL, one short index range per person,
    in one query; the small archives SQLite serves count them all."""
    if not pks:
        return {}
    if not connection.features.supports_slicing_ordering_in_compound:
        counted = Person.objects.filter(pk__in=pks).annotate(stories=Count("mentions"))
        return dict(counted.values_list("pk", "stories"))
    # The mention model, through the relation: `people` imports nothing from `articles`.
    mention = cast(type[Model], Person._meta.get_field("mentions").related_model)
    mentions = mention._default_manager.order_by()
    each = [mentions.filter(person=pk).values_list("person")[: cap + 1] for pk in pks]
    return Counter(pk for (pk,) in each[0].union(*each[1:], all=True))


def closeness_of(token: str, name: str) -> float:
    """1 for the same word, 0.9 for the start of it (typing “Kan”), else spelling similarity."""
    if token == name:
        return 1.0
    if name.startswith(token):
        return 0.9
    return DamerauLevenshtein.normalized_similarity(token, name)


def find_people(
    people: QuerySet[Person],
    terms: Iterable[str],
    limit: int = SHOWN,
    wider: bool = False,
    every_word: bool = False,
) -> list[Person]:
    tokens = tokens_of(terms)
    return rank(candidates(people, tokens, wider), tokens, limit, every_word)
