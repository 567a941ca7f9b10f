"""Finding people by name, alias or a near spelling: “Kayne” finds Kanye West, “Kardashain”
Kim Kardashian, “Zoe” Zoë.

Candidates come from the database — trigram similarity and full-text matches on the folded
names on PostgreSQL (both GIN-indexed), a two-letter LIKE on SQLite — and are then ranked in
Python by Damerau–Levenshtein similarity of each word to the person's names (rapidfuzz), which
forgives one slip, a swap included, in a word of four letters or more.
"""

import re

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Count, Q
from rapidfuzz.distance import DamerauLevenshtein

from .fulltext import CONFIG, fold
from .models import Person

CANDIDATES = 200
SHOWN = 8
SIMILARITY = 0.75  # “kayne” → “kanye” is 0.8; “katy” → “kanye” is 0.4


def terms_of(text: str) -> list[str]:
    """The words to look for in a typed search: no operators, no excluded words, no quotes."""
    words = re.findall(r'-?[^\s"]+', text or "")
    return [w for w in words if not w.startswith("-") and w.lower() != "or"]


def tokens_of(terms) -> list[str]:
    return [token for term in terms for token in re.findall(r"\w+", fold(term))]


def candidates(people, tokens):
    if not tokens:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The index-backed `%>` operator uses this threshold. Misspellings score low
            # (“kayne” is 0.33 against “kanye”): cast the net wide, and let rank() decide.
            cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', '0.3', false)")
        near = Q(
            search_vector=SearchQuery(" or ".join(tokens), search_type="websearch", config=CONFIG)
        )
        for token in tokens:
            near |= Q(search_names__trigram_word_similar=token)
    else:
        near = Q()
        for token in tokens:
            # Two letters still catch a swap after them (“kayne”, “kardashain”).
            near |= Q(search_names__contains=token[:2])
    return list(people.filter(near).only("pk", "name", "slug", "search_names")[:CANDIDATES])


def rank(people, tokens, limit=SHOWN):
    """Most query words matched first, then the closest spellings, then the most written
    about (“Kayne” is one slip from Kane Brown too), then the name."""
    scored = []
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
    scored.sort(key=lambda row: row[:2])
    shortlist = scored[:limit]
    # Counting mentions is costly for the famous: only for people tied on the spelling.
    keys = [row[:2] for row in shortlist]
    tied = [row[2].pk for row in shortlist if keys.count(row[:2]) > 1]
    counts = (
        dict(
            Person.objects.filter(pk__in=tied)
            .annotate(stories=Count("mentions"))
            .values_list("pk", "stories")
        )
        if tied
        else {}
    )
    shortlist.sort(key=lambda row: (row[0], row[1], -counts.get(row[2].pk, 0), row[2].name))
    return [person for *_, person in shortlist]


def closeness_of(token, name):
    """1 for the same word, 0.9 for the start of it (typing “Kan”), else spelling similarity."""
    if token == name:
        return 1.0
    if name.startswith(token):
        return 0.9
    return DamerauLevenshtein.normalized_similarity(token, name)


def find_people(people, terms, limit=SHOWN):
    tokens = tokens_of(terms)
    return rank(candidates(people, tokens), tokens, limit)
