import datetime

import pytest

from articles.models import Mention, Quote


@pytest.fixture
def archive(make_person, make_article, vogue):
    """`archive(n)`: n stories, newest last, each about a person of its own who is quoted."""

    def make(count, start=0):
        for i in range(start, start + count):
            person = make_person(f"Person Number{i}", slug=f"person-{i}")
            story = make_article(
                f"Story {i}",
                slug=f"story-{i}",
                dek=f"What happened {i}.",
                publication=vogue,
                published_on=datetime.date(2022, 1, 1) + datetime.timedelta(days=i),
            )
            Mention.objects.create(article=story, person=person, role=Mention.Role.SUBJECT)
            Quote.objects.create(article=story, speaker=person, text=f"Said {i}")

    return make
