"""Readers see pictures with their credits: a portrait beside a person's name, faces in the
relationship map, a story's lead picture with its caption, thumbnails in lists."""

import pytest

from tests.articles.test_views import SEED_URL
from tests.html import page, section, text


def img_in(element):
    return element.find("img")


@pytest.mark.django_db
def test_person_page_shows_the_portrait_beside_the_name_with_its_credit(client, pictured):
    soup = page(client.get("/people/kim-kardashian/"))
    figure = soup.select_one(".person__header figure.person__portrait")
    picture = figure.find("picture")
    webp = picture.find("source", type="image/webp")
    assert [entry.split()[-1] for entry in webp["srcset"].split(", ")] == ["96w", "192w", "384w"]
    img = img_in(picture)
    assert img["alt"] == "Kim Kardashian at a premiere"
    assert (img["width"], img["height"]) == ("384", "384")
    assert img["srcset"].count(".jpg") == 3 and img["sizes"]
    assert not img.has_attr("loading"), "the portrait is above the fold"
    credit = figure.select_one("figcaption .picture-credit")
    assert text(credit) == "© Test Studio · CC BY 4.0"
    assert credit.find("a", rel="license")["href"] == "https://creativecommons.org/licenses/by/4.0/"


@pytest.mark.django_db
def test_person_without_a_portrait_shows_initials(client, pictured):
    soup = page(client.get("/people/kanye-west/"))
    assert soup.select_one(".person__header picture") is None
    assert text(soup.select_one(".person__portrait--initials")) == "KW"


@pytest.mark.django_db
def test_relationship_map_shows_the_centres_own_face(client, pictured):
    svg = page(client.get("/people/kim-kardashian/")).select_one("svg.relationship-map")
    face = svg.select_one(".relationship-map__centre image")
    assert face["href"].startswith("/media/renditions/") and face["href"].endswith("/96.jpg")
    assert (
        face["clip-path"]
        == "url(#" + svg.select_one(".relationship-map__centre clippath")["id"] + ")"
    )
    # Without a portrait, the centre stays a plain disc.
    plain = page(client.get("/people/kanye-west/")).select_one("svg.relationship-map")
    assert plain.select_one(".relationship-map__centre image") is None


@pytest.mark.django_db
def test_relationship_map_shows_faces_or_initials_and_credits_them(client, pictured):
    soup = page(client.get("/people/kanye-west/"))
    svg = soup.select_one("svg.relationship-map")
    nodes = {node["href"]: node for node in svg.select("a.relationship-map__node")}
    kim = nodes["/people/kim-kardashian/"]
    face = kim.find("image")
    # The smallest square rendition, clipped to the node's circle.
    assert face["href"].startswith("/media/renditions/") and face["href"].endswith("/96.jpg")
    assert kim.find("clippath") is not None
    # North West's portrait has no renditions yet: the file itself, never made on request.
    assert nodes["/people/north-west/"].find("image")["href"] == pictured["north"].file.url
    assert text(nodes["/people/saint-west/"].select_one(".relationship-map__initials")) == "SW"
    credits = text(section(soup, "map-heading").select_one(".picture-credits"))
    assert (
        "Kim Kardashian — © Test Studio" in credits and "North West — © Family Handout" in credits
    )


@pytest.mark.django_db
def test_story_shows_its_lead_picture_with_caption_and_credit(client, pictured):
    soup = page(client.get(SEED_URL))
    figure = soup.select_one("figure.story__lead-picture")
    img = img_in(figure)
    assert img["alt"] == "Kim Kardashian on the cover of Vogue"
    assert (img["width"], img["height"]) == ("1600", "900")
    widths = [entry.split()[-1] for entry in figure.find("source")["srcset"].split(", ")]
    assert widths == ["320w", "640w", "960w", "1280w", "1600w"]
    caption = text(figure.find("figcaption"))
    assert caption == "The March cover. © Cover Photographer / Vogue · All rights reserved"
    assert figure.select_one(".picture-credit a")["href"] == "https://www.vogue.com/cover"
    # The faces of the people in it, and their credits.
    aside = section(soup, "people-heading")
    assert aside.select_one(".face picture img")["alt"] == ""  # the name beside it says who
    assert "Kim Kardashian — © Test Studio" in text(aside.select_one(".picture-credits"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/articles/", "/tags/divorce/", "/publications/vogue/", "/search/?q=kim"]
)
def test_lists_show_thumbnails_with_their_credit_lazily(client, pictured, url):
    soup = page(client.get(url))
    item = soup.select_one(".story-item--with-picture")
    img = item.select_one(".story-item__picture img")
    assert img["loading"] == "lazy" and img["width"] == img["height"] == "384"
    assert item.select_one(".story-item__picture source")["type"] == "image/webp"
    assert "© Cover Photographer / Vogue" in text(item.select_one(".story-item__credit"))


@pytest.mark.django_db
def test_front_page_leads_with_the_story_picture(client, pictured):
    soup = page(client.get("/"))
    lead = soup.select_one(".lead-story__picture")
    assert "loading" not in img_in(lead).attrs
    assert "© Cover Photographer / Vogue" in text(lead.find("figcaption"))
    people = section(soup, "people-heading")
    assert "Kim Kardashian — © Test Studio" in text(people.select_one(".picture-credits"))


@pytest.mark.django_db
def test_a_picture_without_renditions_is_shown_from_its_file(client, pictured):
    soup = page(client.get("/people/north-west/"))
    img = soup.select_one(".person__portrait img")
    assert soup.select_one(".person__portrait picture") is None
    assert img["src"] == pictured["north"].file.url
    assert (img["width"], img["height"]) == ("500", "500")
    assert "object-position: 50% 50%" in img["style"]
