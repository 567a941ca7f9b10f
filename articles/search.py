"""Search across stories, quotes and people.

A plain, portable first version: case-insensitive matching of every word of the query, on
SQLite and PostgreSQL alike. Results respect `published()`; the query is capped in length.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from people.models import Person

from .models import Article, Quote

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
LIMIT = 20


@dataclass
class Results:
    query: str = ""
    message: str = ""
    people: list = field(default_factory=list)
    quotes: list = field(default_factory=list)
    stories: list = field(default_factory=list)

    @property
    def count(self):
        return len(self.people) + len(self.quotes) + len(self.stories)


def words_of(query: str) -> list[str]:
    cleaned = "".join(c if c.isalnum() or c in "’'-" else " " for c in query)
    return [word for word in cleaned.split() if word][:MAX_WORDS]


def matching(words, *fields):
    condition = Q()
    for word in words:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return condition


def search(query: str) -> Results:
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if not query:
        return Results(message="Type a name, a few words of a quote or a headline.")
    words = words_of(query)
    if not words:
        return Results(query=query, message="Try letters or numbers: that search has none.")
    people = (
        Person.objects.filter(matching(words, "name", "full_name", "aliases__name"))
        .distinct()
        .order_by("name")[:LIMIT]
    )
    quotes = (
        Quote.objects.published()
        .filter(matching(words, "text", "speaker__name"))
        .select_related("speaker", "article")
        .order_by("-article__published_on", "-id")[:LIMIT]
    )
    stories = (
        Article.objects.published()
        .filter(matching(words, "title", "dek", "body"))
        .select_related("publication")
        .order_by("-published_on", "-id")[:LIMIT]
    )
    results = Results(query=query, people=list(people), quotes=list(quotes), stories=list(stories))
    if not results.count:
        results.message = "Nothing found. Check the spelling, or try fewer words."
    return results
