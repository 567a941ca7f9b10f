"""`manage.py load_demo`, which `make run` runs on every start: the demo data goes into an
empty archive only."""

from io import StringIO

from django.core.management import call_command
from taggit.models import Tag

from articles.models import Article, Quote
from people.models import Person, Source


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_an_empty_archive_gets_the_demo_data(db):
    load_demo()
    assert Person.objects.count() == 6 and Quote.objects.count() == 4
    assert Article.objects.get().tags.count() == 3


def test_a_second_start_undoes_no_editors_change_to_a_demo_record(db):
    load_demo()
    kim = Person.objects.get(slug="kim-kardashian")
    kim.bio = "Rewritten by an editor."
    kim.save()
    Quote.objects.filter(text__startswith="GOD PLEASE").delete()

    out = load_demo()

    assert Person.objects.get(slug="kim-kardashian").bio == "Rewritten by an editor."
    assert not Quote.objects.filter(text__startswith="GOD PLEASE").exists()
    assert "not loaded again" in out


def test_an_archive_with_anything_of_its_own_is_left_alone(db):
    Source.objects.create(label="An editor's source")
    load_demo()
    assert not Person.objects.exists() and not Tag.objects.exists()
