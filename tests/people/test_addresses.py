"""A renamed person's old addresses answer 301 to the new ones (people/addresses.py)."""

import pytest
from django.urls import reverse

from people.models import FormerSlug, Person
from tests.forms import form_data
from tests.html import headings


def rename(person, slug):
    person.slug = slug
    person.save()


def moved_to(client, url):
    response = client.get(url)
    assert response.status_code == 301, (url, response.status_code)
    return response["Location"]


def test_the_demo_kanye_west_renamed_ye_is_followed_from_every_old_address(admin_client, demo):
    """The demo keeps “Kanye West”; here he is renamed Ye through the admin's own form."""
    kanye = Person.objects.get(slug="kanye-west")
    url = reverse("admin:people_person_change", args=[kanye.pk])
    data = form_data(admin_client.get(url).content.decode(), "person_form")
    data.update(name="Ye", slug="ye")
    assert admin_client.post(url, {**data, "_save": "Save"}).status_code == 302

    admin_client.logout()
    assert moved_to(admin_client, "/people/kanye-west/") == "/people/ye/"
    assert moved_to(admin_client, "/people/kanye-west/feed/") == "/people/ye/feed/"
    assert moved_to(admin_client, "/people/kanye-west/?page=2") == "/people/ye/?page=2"
    assert moved_to(admin_client, "/quotes/?person=kanye-west") == "/quotes/?person=ye"
    page = admin_client.get("/people/kanye-west/", follow=True)
    assert page.redirect_chain == [("/people/ye/", 301)]
    assert page.status_code == 200
    assert headings(page) == ["Ye"]


def test_an_address_renamed_twice_goes_straight_to_the_latest(client, make_person):
    ava = make_person("Ava Stone", slug="a")
    rename(ava, "b")
    rename(ava, "c")
    assert moved_to(client, "/people/a/") == "/people/c/"
    assert moved_to(client, "/people/b/") == "/people/c/"
    assert client.get("/people/c/").status_code == 200


def test_renaming_back_serves_the_old_address_itself_and_never_loops(client, make_person):
    ava = make_person("Ava Stone", slug="a")
    rename(ava, "b")
    rename(ava, "c")
    rename(ava, "a")
    assert client.get("/people/a/").status_code == 200
    assert moved_to(client, "/people/b/") == "/people/a/"
    assert moved_to(client, "/people/c/") == "/people/a/"
    assert not FormerSlug.objects.filter(slug="a").exists()


def test_an_old_slug_taken_by_someone_else_is_their_page(client, make_person):
    ava = make_person("Ava Stone", slug="ava")
    rename(ava, "ava-stone")
    other = make_person("Ava", slug="ava")
    response = client.get("/people/ava/")
    assert response.status_code == 200
    assert headings(response) == [other.name]


def test_a_slug_two_people_had_in_turn_names_the_later(client, make_person):
    first = make_person("First", slug="star")
    rename(first, "first")
    second = make_person("Second", slug="second")
    rename(second, "star")
    rename(second, "second-again")
    assert moved_to(client, "/people/star/") == "/people/second-again/"
    assert client.get("/people/first/").status_code == 200
    assert FormerSlug.objects.get(slug="star").person == second


@pytest.mark.parametrize("url", ["/people/nobody/", "/people/nobody/feed/", "/quotes/?person=x"])
def test_a_slug_nobody_ever_had_is_not_found(client, db, url):
    assert client.get(url).status_code == 404


def test_a_change_that_keeps_the_slug_remembers_nothing(make_person):
    ava = make_person("Ava Stone")
    ava.bio = "New."
    ava.save()
    ava.save(update_fields=["bio"])
    assert not FormerSlug.objects.exists()


def test_a_deleted_person_takes_their_old_addresses_along(client, make_person):
    ava = make_person("Ava Stone", slug="a")
    rename(ava, "b")
    ava.delete()
    assert client.get("/people/a/").status_code == 404
