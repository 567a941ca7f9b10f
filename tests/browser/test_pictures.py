"""Pages with pictures in a real browser, at 390 and 1280 px: every picture loads from the
site itself, with its renditions (WebP taken), no layout shift (width and height given), its
credit visible; nothing covers anything else; the relationship map's faces leave its labels
clear of its lines. Screenshots: test-artifacts/screenshots/design-*-pictures.png (those
without pictures are taken by test_design.py)."""

import time
from urllib.parse import urlsplit

import pytest

from articles.models import Article
from people.models import Person
from tests.pictures.images import stored_picture

from .test_design import BOXES, MAP_OVERLAPS
from .test_pages import PEOPLE, STORY

pytestmark = pytest.mark.browser

PAGES = {"front": "/", "story": STORY, "person": PEOPLE["kim-kardashian"]}
every_page = pytest.mark.parametrize("name, path", PAGES.items(), ids=PAGES.keys())
every_width = pytest.mark.parametrize("width", ["phone", "desktop"])

# Every picture of the page: what the browser loaded, its drawn and natural sizes, whether
# a credit is shown with it (in its figure, card, list entry or the list's credits line).
PICTURES = """() => [...document.querySelectorAll("main img")].map(img => {
  const box = img.getBoundingClientRect();
  // A face is credited in its list's credits line; any other picture where it stands.
  const holder = img.closest(".face") ? img.closest("section")
    : img.closest("figure, .card, .story-item, section");
  const credit = holder && holder.querySelector(".picture-credit");
  const creditBox = credit ? credit.getBoundingClientRect() : null;
  return {src: img.currentSrc, complete: img.complete, natural: img.naturalWidth,
          width: img.getAttribute("width"), height: img.getAttribute("height"),
          drawn: [box.width, box.height], alt: img.alt,
          credit: credit ? credit.textContent.trim() : "",
          creditSeen: !!creditBox && creditBox.width > 0 && creditBox.height > 0};
})"""


@pytest.fixture
def pictured_site(live_site):
    kim = stored_picture(
        size=(900, 1200),
        alt="Kim Kardashian at a premiere",
        credit="© Test Studio",
        licence="CC BY 4.0",
        focal_y=0.3,
    )
    kanye = stored_picture(
        size=(800, 800), alt="Kanye West", credit="© Wire Photo", licence="Handout"
    )
    Person.objects.filter(slug="kim-kardashian").update(portrait=kim)
    Person.objects.filter(slug="kanye-west").update(portrait=kanye)
    lead = stored_picture(
        size=(1600, 900),
        alt="Kim Kardashian on the cover of Vogue",
        caption="The cover.",
        credit="© Cover Photographer / Vogue",
        licence="All rights reserved",
    )
    Article.objects.update(lead_picture=lead)
    return live_site


@every_page
@every_width
def test_pictures_load_from_the_site_with_their_credit(
    open_page, pictured_site, screenshots_dir, name, path, width
):
    loaded = open_page(path, width)
    page = loaded.page
    page.evaluate("document.fonts.ready")
    # Lazy pictures below the fold load once scrolled to.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    # Polled from here: Playwright's own waiting evaluates a string in the page, which the
    # site's CSP (no 'unsafe-eval') refuses.
    deadline = time.monotonic() + 30
    while not page.evaluate("[...document.images].every(img => img.complete)"):
        assert time.monotonic() < deadline, f"pictures on {path} never finished loading"
        page.wait_for_timeout(100)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=screenshots_dir / f"design-{name}-{width}-pictures.png", full_page=True)
    pictures = page.evaluate(PICTURES)
    problems = list(loaded.problems)
    assert pictures, f"no picture on {path}"
    origin = urlsplit(loaded.url)[:2]
    for picture in pictures:
        where = f"{picture['src']} ({picture['alt'] or 'decorative'})"
        if urlsplit(picture["src"])[:2] != origin:
            problems.append(f"from another site: {where}")
        if not picture["natural"]:
            problems.append(f"did not load: {where}")
        if not (picture["width"] and picture["height"]):
            problems.append(f"no width and height: {where}")
        if not picture["src"].endswith(".webp"):
            problems.append(f"WebP not chosen: {where}")
        if not (picture["credit"] and picture["creditSeen"]):
            problems.append(f"no credit shown with {where}")
    scroll_width, viewport_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    if scroll_width > viewport_width:
        problems.append(f"scrolls sideways: {scroll_width}px wide in a {viewport_width}px window")
    problems += page.evaluate(BOXES)
    assert not problems, f"{path} at {width} width:\n" + "\n".join(problems)


@every_width
def test_the_map_shows_faces_and_keeps_its_labels_clear(open_page, pictured_site, width):
    page = open_page(PEOPLE["kanye-west"], width).page
    page.evaluate("document.fonts.ready")
    faces = page.eval_on_selector_all(
        "svg.relationship-map .relationship-map__node image",
        "images => images.map(i => i.getAttribute('href'))",
    )
    assert len(faces) == 1 and faces[0].endswith("/96.jpg")
    # Kanye West's own face at the centre.
    centre = page.eval_on_selector_all(
        "svg.relationship-map .relationship-map__centre image",
        "images => images.map(i => i.getAttribute('href'))",
    )
    assert len(centre) == 1 and centre[0].endswith("/96.jpg") and centre != faces
    response = page.request.get(pictured_site + faces[0])
    assert response.status == 200 and response.headers["content-type"] == "image/jpeg"
    found = page.evaluate(MAP_OVERLAPS)
    assert not found["under"], "\n".join(found["under"])
    assert not found["touching"], "\n".join(found["touching"])
