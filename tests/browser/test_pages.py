"""The story and person pages in a real browser, at a phone and a desktop width.

Every test loads the demo data afresh (the live server only sees committed data), which is
the slow part, so each test checks everything one page load can tell and reports all of it.
"""

from urllib.parse import urljoin, urlsplit

import pytest

from articles.models import Article
from people.models import Person

pytestmark = pytest.mark.browser

STORY_SLUG = (
    "kim-kardashian-admits-shes-kanyes-biggest-cheerleader-in-front-of-the-kids-even-when-feuding"
)
STORY = f"/articles/2022/02/09/{STORY_SLUG}/"
QUOTE = "GOD PLEASE BRING OUR FAMILY BACK TOGETHER"
PEOPLE = {"kim-kardashian": "/people/kim-kardashian/", "kanye-west": "/people/kanye-west/"}
PAGES = {"story": STORY} | {f"person-{slug}": path for slug, path in PEOPLE.items()}
MAX_TABS = 15
SEARCH_BOX = (
    'header form[role="search"][action="/search/"] input[type="search"][name="q"]#site-search'
)

every_page = pytest.mark.parametrize("name, path", PAGES.items(), ids=PAGES.keys())
every_width = pytest.mark.parametrize("width", ["phone", "desktop"])


def headings(page):
    """Every h1–h6 in document order, as (level, text)."""
    return [
        (level, " ".join(text.split()))
        for level, text in page.eval_on_selector_all(
            "h1, h2, h3, h4, h5, h6",
            "els => els.map(el => [Number(el.tagName[1]), el.textContent])",
        )
    ]


def outline_problems(outline):
    """What is wrong with a page's headings: not exactly one h1, or a level skipped going down.

    Going back up any number of levels is fine (h4 → h2); going down more than one is not.
    """
    problems = []
    h1s = [text for level, text in outline if level == 1]
    if len(h1s) != 1:
        problems.append(f"expected exactly one h1, found {len(h1s)}: {h1s}")
    for (before, before_text), (level, text) in zip(outline, outline[1:], strict=False):
        if level > before + 1:
            problems.append(f"h{before} “{before_text}” is followed by h{level} “{text}”")
    return problems


def focused(page):
    return page.evaluate(
        """() => {
            const el = document.activeElement, style = getComputedStyle(el);
            return {tag: el.tagName.toLowerCase(), id: el.id, classes: [...el.classList],
                    href: el.getAttribute("href"), outline: style.outlineStyle,
                    boxShadow: style.boxShadow};
        }"""
    )


def test_outline_problems_catches_a_skipped_level_and_a_second_h1():
    assert outline_problems([(1, "Kim"), (2, "Family"), (3, "Children"), (2, "Sources")]) == []
    assert outline_problems([(1, "Kim"), (3, "Children")]) == [
        "h1 “Kim” is followed by h3 “Children”"
    ]
    assert outline_problems([(1, "Kim"), (1, "Kanye")]) == [
        "expected exactly one h1, found 2: ['Kim', 'Kanye']"
    ]


@every_page
@every_width
def test_page_loads_cleanly(open_page, screenshots_dir, name, path, width):
    loaded = open_page(path, width)
    loaded.page.screenshot(path=screenshots_dir / f"{name}-{width}.png", full_page=True)
    problems = list(loaded.problems)
    if width == "phone":
        scroll_width, viewport_width = loaded.page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        if scroll_width > viewport_width + 1:
            problems.append(f"scrolls sideways: {scroll_width}px wide in a {viewport_width}px")
    assert not problems, f"{path} at {width} width:\n" + "\n".join(problems)


@every_page
@every_width
def test_keyboard_reaches_the_skip_link_then_the_search_box(open_page, name, path, width):
    page = open_page(path, width).page
    problems = []
    page.keyboard.press("Tab")
    first = focused(page)
    if first["tag"] != "a" or "skip-link" not in first["classes"] or first["href"] != "#main":
        problems.append(
            f"the first Tab focused <{first['tag']} class={first['classes']} "
            f'href={first["href"]!r}>, not <a class="skip-link" href="#main">'
        )
    if page.locator("#main").count() != 1:
        problems.append("the skip link leads nowhere: no element has id main")
    if page.locator(SEARCH_BOX).count() != 1:
        problems.append(
            'the site header has no <form role="search" action="/search/"> holding '
            '<input type="search" name="q" id="site-search">'
        )
    else:
        for _ in range(MAX_TABS - 1):
            if focused(page)["id"] == "site-search":
                break
            page.keyboard.press("Tab")
        search = focused(page)
        if search["id"] != "site-search":
            problems.append(f"{MAX_TABS} presses of Tab never reached the search box")
        elif search["outline"] == "none" and search["boxShadow"] == "none":
            problems.append("the focused search box shows no focus indicator")
    assert not problems, f"{path} at {width} width:\n" + "\n".join(problems)


@every_page
def test_every_link_answers(open_page, name, path):
    loaded = open_page(path)
    page = loaded.page
    # `a` also matches <a> inside inline SVG, whose target may be in `xlink:href`.
    links = page.eval_on_selector_all(
        "a",
        """els => els.map(el => {
            const raw = el.getAttribute("href")
                ?? el.getAttributeNS("http://www.w3.org/1999/xlink", "href");
            return raw === null ? null : [raw, new URL(raw, document.baseURI).href];
        }).filter(Boolean)""",
    )
    assert links, f"{path} has no links at all"
    # Browsers also fetch the icon a page declares, or else /favicon.ico: a 404 there is a
    # console error on every visit (which `open_page` cannot pin on a page, see there).
    declared = page.eval_on_selector_all('link[rel~="icon"]', "els => els.map(el => el.href)")
    # An inline `data:` icon is never fetched, so it cannot be missing.
    icons = [url for url in declared if urlsplit(url).scheme != "data"]
    if not declared:
        icons = [urljoin(loaded.url, "/favicon.ico")]
    links += [(f"site icon {url}", url) for url in icons]

    origin = urlsplit(loaded.url)[:2]
    broken, checked = [], set()
    for raw, url in links:
        target = urlsplit(url)
        if target.scheme in ("javascript", "data"):
            broken.append(f"{raw!r}: not a link to a page")
        elif raw.startswith("#"):
            fragment = raw[1:]
            if not fragment or not page.evaluate(
                "id => document.getElementById(decodeURIComponent(id)) !== null", fragment
            ):
                broken.append(f"{raw!r}: no element on the page has that id")
        elif target[:2] != origin:
            # The network is closed: other sites can only be checked for being real web links.
            if target.scheme not in ("http", "https") or not target.hostname:
                broken.append(f"{raw!r}: not a well-formed http(s) URL")
        elif (page_url := target._replace(fragment="").geturl()) not in checked:
            checked.add(page_url)
            response = page.request.get(page_url, max_redirects=10)
            if response.status >= 400:
                broken.append(f"{raw!r}: HTTP {response.status}")
    assert not broken, f"broken links on {path}:\n" + "\n".join(broken)


def test_the_story_page_shows_its_headline_and_the_quote(open_page):
    page = open_page(STORY).page
    outline = headings(page)
    assert [text for level, text in outline if level == 1] == [
        Article.objects.get(slug=STORY_SLUG).title
    ]
    assert QUOTE in " ".join(page.locator("body").inner_text().split())
    problems = outline_problems(outline)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("slug, path", PEOPLE.items(), ids=PEOPLE.keys())
def test_a_person_page_is_headed_with_their_name(open_page, slug, path):
    outline = headings(open_page(path).page)
    assert [text for level, text in outline if level == 1] == [Person.objects.get(slug=slug).name]
    problems = outline_problems(outline)
    assert not problems, "\n".join(problems)
