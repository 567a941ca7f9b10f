"""Every fact sourced: a relationship with no source is not shown to readers; it waits in the
editors' list under “needs a source”, and saving one says so."""

import json

from django.urls import reverse

from people.models import Person, Relationship, Source
from tests.forms import form_data
from tests.people.test_admin import management, person_form

FIXTURE = "fixtures/demo.json"


def test_an_unsourced_relationship_is_not_on_either_persons_page(client, make_person):
    nell, tom = make_person("Nell Price"), make_person("Tom Reed")
    married = Relationship.objects.create(person_a=nell, person_b=tom, kind="married")
    assert 'href="/people/tom-reed/"' not in client.get(nell.get_absolute_url()).content.decode()
    assert 'href="/people/nell-price/"' not in client.get(tom.get_absolute_url()).content.decode()
    married.sources.add(Source.objects.create(label="The Gazette, 2 May 2020"))
    page = client.get(nell.get_absolute_url()).content.decode()
    assert 'href="/people/tom-reed/"' in page


def test_an_unsourced_parent_is_not_named_as_the_other_parent(client, make_person):
    mother, father, child = (make_person(n) for n in ("Ann Lee", "Bo Lee", "Cy Lee"))
    cited = Source.objects.create(label="Birth notice")
    Relationship.objects.create(person_a=mother, person_b=child, kind="parent").sources.add(cited)
    Relationship.objects.create(person_a=father, person_b=child, kind="parent")
    assert "Bo Lee" not in client.get(mother.get_absolute_url()).content.decode()


def test_the_relationship_list_shows_what_needs_a_source(admin_client, make_person):
    nell, tom = make_person("Nell Price"), make_person("Tom Reed")
    Relationship.objects.create(person_a=nell, person_b=tom, kind="dating")
    url = reverse("admin:people_relationship_changelist")
    waiting = admin_client.get(url, {"sourced": "no"}).content.decode()
    assert "Nell Price dating Tom Reed" in waiting
    assert (
        "Nell Price dating Tom Reed"
        not in admin_client.get(url, {"sourced": "yes"}).content.decode()
    )


def test_saving_an_unsourced_relationship_says_it_waits_for_a_source(admin_client, make_person):
    nell, tom = make_person("Nell Price"), make_person("Tom Reed")
    url = reverse("admin:people_relationship_add")
    data = form_data(admin_client.get(url).content.decode(), "relationship_form")
    data.update(person_a=str(nell.pk), person_b=str(tom.pk), kind="friends", _save="Save")
    response = admin_client.post(url, data, follow=True)
    content = response.content.decode()
    assert "“Nell Price friends with Tom Reed” has no source: readers do not see it" in content
    assert "under “needs a source”" in content


def test_saving_a_persons_unsourced_relationship_says_so(admin_client, make_person):
    leo = make_person("Leo Marsh")
    form = person_form(
        **management("relationships_as_a", 1),
        **{
            "relationships_as_a-0-kind": "friends",
            "relationships_as_a-0-person_b": str(leo.pk),
            "relationships_as_a-0-started_on": "",
            "relationships_as_a-0-started_precision": "year",
            "relationships_as_a-0-ended_on": "",
            "relationships_as_a-0-ended_precision": "day",
            "relationships_as_a-0-end_reason": "",
        },
    )
    response = admin_client.post(reverse("admin:people_person_add"), form, follow=True)
    assert "“Ava Stone friends with Leo Marsh” has no source" in response.content.decode()
    assert Person.objects.filter(slug="ava-stone").exists()


def test_a_sourced_relationship_saves_without_a_warning(admin_client, make_person):
    nell, tom = make_person("Nell Price"), make_person("Tom Reed")
    cited = Source.objects.create(label="The Gazette, 2 May 2020")
    url = reverse("admin:people_relationship_add")
    data = form_data(admin_client.get(url).content.decode(), "relationship_form")
    data.update(person_a=str(nell.pk), person_b=str(tom.pk), kind="friends", _save="Save")
    data["sources"] = [str(cited.pk)]
    response = admin_client.post(url, data, follow=True)
    assert "has no source" not in response.content.decode()


def test_every_relationship_of_the_demo_data_has_a_source():
    with open(FIXTURE, encoding="utf-8") as fixture:
        rows = [row for row in json.load(fixture) if row["model"] == "people.relationship"]
    assert rows and all(row["fields"].get("sources") for row in rows)
