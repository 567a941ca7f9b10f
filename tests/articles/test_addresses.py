"""A story renamed or redated answers 301 at its old address (articles/addresses.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, FormerAddress
from tests.forms import form_data
from tests.html import headings

D = datetime.date


def move(story, *, slug=None, published_on=None):
    story.slug = slug or story.slug
    story.published_on = published_on or story.published_on
    story.save()


def moved_to(client, url):
    response = client.get(url)
    assert response.status_code == 301, (url, response.status_code)
    return response["Location"]


def test_a_corrected_headline_is_followed_from_the_old_address(admin_client, demo):
    """Through the admin's own form, as an editor corrects a headline and its slug."""
    story = Article.objects.get()
    old = story.get_absolute_url()
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = form_data(admin_client.get(url).content.decode(), "article_form")
    data.update(title="A corrected headline", slug="a-corrected-headline")
    assert admin_client.post(url, {**data, "_save": "Save"}).status_code == 302

    admin_client.logout()
    new = f"{old.rsplit('/', 2)[0]}/a-corrected-headline/"
    assert moved_to(admin_client, old) == new
    page = admin_client.get(old, follow=True)
    assert page.redirect_chain == [(new, 301)]
    assert headings(page)[0] == "A corrected headline"


def test_a_redated_story_is_followed_from_its_old_date(client, make_article):
    story = make_article("Vows", published_on=D(2022, 2, 9))
    move(story, published_on=D(2022, 2, 10))
    assert moved_to(client, "/articles/2022/02/09/vows/") == "/articles/2022/02/10/vows/"
    assert (
        moved_to(client, "/articles/2022/02/09/vows/?ref=x") == "/articles/2022/02/10/vows/?ref=x"
    )


def test_an_address_changed_twice_goes_straight_to_the_latest(client, make_article):
    story = make_article("Vows", slug="a", published_on=D(2022, 2, 9))
    move(story, slug="b")
    move(story, slug="c", published_on=D(2022, 3, 1))
    assert moved_to(client, "/articles/2022/02/09/a/") == "/articles/2022/03/01/c/"
    assert moved_to(client, "/articles/2022/02/09/b/") == "/articles/2022/03/01/c/"


def test_moving_back_serves_the_old_address_itself_and_never_loops(client, make_article):
    story = make_article("Vows", slug="a", published_on=D(2022, 2, 9))
    move(story, slug="b")
    move(story, slug="a")
    assert client.get("/articles/2022/02/09/a/").status_code == 200
    assert moved_to(client, "/articles/2022/02/09/b/") == "/articles/2022/02/09/a/"
    assert not FormerAddress.objects.filter(slug="a").exists()


@pytest.mark.parametrize(
    "change",
    [
        {"status": Article.Status.DRAFT},
        {"published_on": timezone.localdate() + datetime.timedelta(days=3)},
    ],
    ids=["draft", "scheduled"],
)
def test_an_old_address_of_a_story_no_longer_public_is_not_found(
    client, admin_client, make_article, change
):
    story = make_article("Vows", slug="a", published_on=D(2022, 2, 9))
    move(story, slug="b")
    for field, value in change.items():
        setattr(story, field, value)
    story.save()
    assert client.get("/articles/2022/02/09/a/").status_code == 404
    assert client.get("/articles/2022/02/09/b/").status_code == 404
    # Not even for staff, who may preview the story at its own address.
    assert admin_client.get("/articles/2022/02/09/a/").status_code == 404


def test_an_old_address_taken_by_another_story_is_that_story(client, make_article):
    first = make_article("Vows", slug="vows", published_on=D(2022, 2, 9))
    move(first, slug="the-vows")
    make_article("Vows again", slug="vows", published_on=D(2022, 2, 9))
    response = client.get("/articles/2022/02/09/vows/")
    assert response.status_code == 200
    assert headings(response)[0] == "Vows again"


def test_an_old_address_taken_by_a_draft_is_not_found_rather_than_elsewhere(client, make_article):
    first = make_article("Vows", slug="vows", published_on=D(2022, 2, 9))
    move(first, slug="the-vows")
    make_article("Vows draft", slug="vows", published_on=D(2022, 2, 9), status="draft")
    assert client.get("/articles/2022/02/09/vows/").status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/articles/2022/02/09/nothing/", "/articles/2022/02/30/vows/", "/articles/2022/13/01/x/"],
)
def test_an_address_no_story_ever_had_is_not_found(client, make_article, url):
    make_article("Vows", published_on=D(2022, 2, 9))
    assert client.get(url).status_code == 404


def test_a_save_that_keeps_the_address_remembers_nothing(make_article):
    story = make_article("Vows", published_on="2022-02-09")
    story.dek = "New."
    story.save()
    story.save(update_fields=["dek"])
    assert not FormerAddress.objects.exists()
