"""An archive for the API and the dumps: the demo data, more of everything (so that lists have
several pages and query counts can be compared at two sizes), and material readers must never
see — a draft, a scheduled story, a quote still to check — each marked with SECRET."""

import datetime
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass

import pytest
from django.utils import timezone

from articles.models import (
    Article,
    Correction,
    Finding,
    Mention,
    Publication,
    Quote,
    SourceLink,
)
from people.models import Alias, Person, Relationship, Source

# Never in anything the API or a dump gives out, in any case.
SECRET = "Zqxsecret"


def assert_no_secret(text: str) -> None:
    assert SECRET.lower() not in text.lower(), "material readers must not see has leaked"


@dataclass
class Archive:
    kim: Person
    kanye: Person
    story: Article
    draft: Article
    scheduled: Article
    found_quote: Quote
    extra_stories: list
    extra_people: list


@pytest.fixture
def archive(demo, make_article, make_person):
    kim = Person.objects.get(slug="kim-kardashian")
    kanye = Person.objects.get(slug="kanye-west")
    story = Article.objects.get()
    vogue = Publication.objects.get(slug="vogue")
    source = Source.objects.create(label="People, 1 May 2020, profile", outlet="People")
    for name in ("Elle", "People", "Variety"):
        Publication.objects.create(name=name, slug=name.lower())

    extra_people = []
    for number in range(6):
        person = make_person(f"Extra Person {number}", born_on=datetime.date(1990, 1, 1 + number))
        Alias.objects.create(person=person, name=f"Alias {number}")
        person.sources.add(source)
        relationship = Relationship.objects.create(
            person_a=kim, person_b=person, kind=Relationship.Kind.FRIENDS, started_on=None
        )
        relationship.sources.add(source)
        extra_people.append(person)

    extra_stories = []
    for number in range(6):
        extra = make_article(
            f"Extra story {number}",
            published_on=datetime.date(2021, 1, 1 + number),
            publication=vogue,
        )
        extra.tags.add("extra", f"extra-{number}")
        Mention.objects.create(article=extra, person=kim, role=Mention.Role.SUBJECT)
        Mention.objects.create(article=extra, person=extra_people[number])
        quote = Quote.objects.create(
            article=extra, speaker=kim, text=f"Extra words {number}", position=1
        )
        SourceLink.objects.create(
            article=extra, quote=quote, label=f"Vogue, extra {number}", publication=vogue
        )
        Correction.objects.create(article=extra, note=f"Corrected the date {number}.")
        extra_stories.append(extra)

    # What readers never see, each marked so that any leak is found by a plain search.
    draft = make_article(
        f"{SECRET} draft headline",
        status=Article.Status.DRAFT,
        dek=f"{SECRET} dek",
        body=f"{SECRET} body",
        publication=vogue,
    )
    draft.tags.add(f"{SECRET} tag")
    Mention.objects.create(article=draft, person=kim, role=Mention.Role.SUBJECT)
    Quote.objects.create(article=draft, speaker=kim, text=f"{SECRET} draft words")
    SourceLink.objects.create(article=draft, label=f"{SECRET} draft source")
    Correction.objects.create(article=draft, note=f"{SECRET} correction")
    scheduled = make_article(
        f"{SECRET} scheduled headline",
        published_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    scheduled.tags.add(f"{SECRET} scheduled tag")
    Mention.objects.create(article=scheduled, person=kanye)
    Quote.objects.create(article=scheduled, speaker=kanye, text=f"{SECRET} scheduled words")
    # A relationship no source backs yet: readers do not see it (`sourced()`).
    Relationship.objects.create(
        person_a=kanye, person_b=extra_people[0], kind=Relationship.Kind.FEUD,
        note=f"{SECRET} unsourced",
    )  # fmt: skip
    found_quote = Quote.objects.create(
        article=story, speaker=kanye, text=f"{SECRET} found words", status=Finding.FOUND
    )
    # Public (the story's page lists it), but the quote it backs is not.
    SourceLink.objects.create(article=story, quote=found_quote, label="Backs a quote to check")
    return Archive(kim, kanye, story, draft, scheduled, found_quote, extra_stories, extra_people)


@pytest.fixture
def api_settings(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver", "localhost"]
    settings.API_RATE_LIMIT = ""
    return settings


@pytest.fixture
def redis_url(tmp_path):
    """A Redis of the test's own, on a free loopback port, removed afterwards."""
    server = shutil.which("redis-server")
    if server is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is not installed (CI=true: here that is an error)")
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        else:
            pytest.fail("the test's Redis did not start")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
