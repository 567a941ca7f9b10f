"""Small invented casts and shortcuts for the finder's rule tests."""

import datetime

from articles.quotefinder import AliasRef, PersonRef, StoryText, find


def person(id, name, *aliases, pronouns="", related=(), ambiguous=()):
    return PersonRef(
        id,
        name,
        tuple(AliasRef(alias, alias in ambiguous) for alias in aliases),
        pronouns,
        frozenset(related),
    )


NELL = person(1, "Nell Price", "Nell", "Price", pronouns="she/her", related={2})
TOM = person(2, "Tom Reed", "Tom", "Reed", pronouns="he/him", related={1, 3})
GEORGIA = person(
    3, "Georgia Reed", "Georgia", pronouns="she/her", related={2}, ambiguous={"Georgia"}
)
SAM = person(4, "Sam Ruiz", "Ruiz", pronouns="they/them")
ELLA = person(5, "Ella Moss", "Ella")
IVY = person(6, "Ivy Stone", "Stone", pronouns="she/her")
PEOPLE = [NELL, TOM, GEORGIA, SAM, ELLA, IVY]
DAY = datetime.date(2023, 1, 10)


def findings(*paragraphs, people=PEOPLE, dek="", title="", published_on=DAY, kind=""):
    return find(StoryText(title, dek, list(paragraphs), published_on, kind), people)


def quotes_in(*paragraphs, **options):
    return findings(*paragraphs, **options).quotes


def said(*paragraphs, **options):
    """(speaker id, words) of each quote; several speakers as a tuple, new ones by name."""
    result = []
    for quote in quotes_in(*paragraphs, **options):
        speakers = (*quote.speaker_ids, *quote.new_speakers)
        result.append((speakers[0] if len(speakers) == 1 else speakers or None, quote.text))
    return result


def named(*paragraphs, title="", people=PEOPLE):
    return [m.person_id for m in findings(*paragraphs, title=title, people=people).mentions]
