"""A shared link shows a picture: the story's, else its main person's portrait, else the
site's card; with its size and alt text, in OpenGraph, Twitter's card and the JSON-LD."""

import json

import pytest

from articles.models import Article
from people.models import Person
from tests.articles.test_views import SEED_URL
from tests.html import meta, page

SITE_CARD_ALT = "Newsroom — who said what, and who is related to whom"


def jsonld(soup):
    return json.loads(soup.find("script", type="application/ld+json").string)


def share_of(soup):
    return {
        key: meta(soup, key)
        for key in [
            "og:image",
            "og:image:width",
            "og:image:height",
            "og:image:alt",
            "twitter:card",
            "twitter:image",
            "twitter:image:alt",
        ]
    }


@pytest.mark.django_db
def test_a_story_shares_its_own_picture(client, pictured):
    soup = page(client.get(SEED_URL))
    share = share_of(soup)
    made = pictured["lead"].ready["wide"]
    widest = [size for size in made if size["width"] <= 1280][-1]
    assert share["og:image"] == f"http://testserver/media/{widest['jpeg']}"
    assert (share["og:image:width"], share["og:image:height"]) == ("1280", "720")
    assert share["og:image:alt"] == "Kim Kardashian on the cover of Vogue"
    assert share["twitter:card"] == "summary_large_image"
    assert share["twitter:image"] == share["og:image"]
    assert share["twitter:image:alt"] == share["og:image:alt"]
    image = jsonld(soup)["image"]
    assert image == {
        "@type": "ImageObject",
        "url": share["og:image"],
        "width": 1280,
        "height": 720,
        "caption": "Kim Kardashian on the cover of Vogue",
        "creditText": "© Cover Photographer / Vogue",
    }


@pytest.mark.django_db
def test_a_story_without_a_picture_shares_its_main_persons_portrait(client, pictured):
    Article.objects.update(lead_picture=None)
    soup = page(client.get(SEED_URL))
    assert meta(soup, "og:image:alt") == "Kim Kardashian at a premiere"
    assert jsonld(soup)["image"]["creditText"] == "© Test Studio"


@pytest.mark.django_db
def test_a_story_with_no_picture_at_all_shares_the_site_card(client, demo):
    soup = page(client.get(SEED_URL))
    share = share_of(soup)
    assert share["og:image"].startswith("http://testserver/static/cards/newsroom.")
    assert share["og:image"].endswith(".png")
    assert (share["og:image:width"], share["og:image:height"]) == ("1200", "630")
    assert share["og:image:alt"] == SITE_CARD_ALT
    assert jsonld(soup)["image"]["url"] == share["og:image"]
    assert "creditText" not in jsonld(soup)["image"]


@pytest.mark.django_db
def test_the_site_card_is_a_file_the_site_serves(client, demo, settings):
    soup = page(client.get("/"))
    path = meta(soup, "og:image").removeprefix("http://testserver")
    assert meta(soup, "og:image:alt") == SITE_CARD_ALT
    from django.contrib.staticfiles import finders

    assert finders.find("cards/newsroom.png")
    assert path.startswith(settings.STATIC_URL)


@pytest.mark.django_db
def test_a_person_shares_their_portrait_and_names_it_in_json_ld(client, pictured):
    soup = page(client.get("/people/kim-kardashian/"))
    assert meta(soup, "og:image:alt") == "Kim Kardashian at a premiere"
    assert meta(soup, "og:image").startswith("http://testserver/media/renditions/")
    data = jsonld(soup)
    assert data["@type"] == "Person"
    assert data["image"]["url"] == meta(soup, "og:image")
    assert (data["image"]["width"], data["image"]["height"]) == (600, 900)


@pytest.mark.django_db
def test_a_person_without_a_portrait_shares_the_site_card_and_no_image_in_json_ld(client, demo):
    assert Person.objects.get(slug="kanye-west").portrait is None
    soup = page(client.get("/people/kanye-west/"))
    assert meta(soup, "og:image:alt") == SITE_CARD_ALT
    assert "image" not in jsonld(soup)
