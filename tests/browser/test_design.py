"""The publication's look in a real browser, at a phone's width (390 px) and a laptop's (1280):
nothing wider than the screen, nothing drawn over something else, the site's own fonts in use,
no request to another site — and a screenshot of each page for a person to look at
(test-artifacts/screenshots/)."""

from urllib.parse import urlsplit

import pytest

from .test_pages import PEOPLE, STORY

pytestmark = pytest.mark.browser

PAGES = {"front": "/", "story": STORY, "person": PEOPLE["kim-kardashian"]}
FONTS = {"Playfair Display", "Source Serif 4", "Inter"}

every_page = pytest.mark.parametrize("name, path", PAGES.items(), ids=PAGES.keys())
every_width = pytest.mark.parametrize("width", ["phone", "desktop"])

# Every line of the relationship map in the page's coordinates, as segments a stroke wide, and
# every label's box; then the labels that a line runs under, and labels that touch.
MAP_OVERLAPS = """() => {
  const svg = document.querySelector("svg.relationship-map");
  if (!svg) return null;
  const toPage = (element, x, y) => {
    const point = new DOMPoint(x, y).matrixTransform(element.getScreenCTM());
    return [point.x, point.y];
  };
  const scale = svg.getScreenCTM().a;
  const lines = [...svg.querySelectorAll(".relationship-map__edges path")].map(path => {
    const numbers = path.getAttribute("d").replace(/[ML]/g, " ").trim().split(/\\s+/).map(Number);
    const points = [];
    for (let i = 0; i < numbers.length; i += 2)
      points.push(toPage(path, numbers[i], numbers[i + 1]));
    return {title: path.querySelector("title").textContent, points,
            reach: parseFloat(path.getAttribute("stroke-width")) * scale / 2};
  });
  // Initials sit on a node's own circle, painted over the end of its line: not a label.
  const labels = [...svg.querySelectorAll("text")]
    .filter(text => !text.closest(".relationship-map__legend")
                    && !text.classList.contains("relationship-map__initials"))
    .map(text => ({text: text.textContent, box: text.getBoundingClientRect(),
                   node: text.closest("a")?.getAttribute("href") ?? "centre"}));
  const under = [];
  for (const label of labels) {
    const {left, top, right, bottom} = label.box;
    for (const line of lines) {
      let hit = false;
      for (let i = 1; i < line.points.length && !hit; i++) {
        const [x0, y0] = line.points[i - 1], [x1, y1] = line.points[i];
        const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) * 2));
        for (let s = 0; s <= steps && !hit; s++) {
          const x = x0 + (x1 - x0) * s / steps, y = y0 + (y1 - y0) * s / steps;
          hit = x > left - line.reach && x < right + line.reach
             && y > top - line.reach && y < bottom + line.reach;
        }
      }
      if (hit) under.push(`${line.title} runs under “${label.text}”`);
    }
  }
  const touching = [];
  for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) {
    const a = labels[i], b = labels[j];
    if (a.node === b.node) continue;
    if (a.box.left < b.box.right && b.box.left < a.box.right
        && a.box.top < b.box.bottom && b.box.top < a.box.bottom)
      touching.push(`“${a.text}” touches “${b.text}”`);
  }
  const sizes = labels.map(label => label.box.height);
  return {under, touching, smallest: Math.min(...sizes), count: labels.length};
}"""

# Boxes that must not cover one another: the cards of the grid, the people in the news, the
# lead's picture and its headline, the story's column and its aside, a person's two columns.
BOXES = """() => {
  const groups = [".cards > li", ".faces > li", ".lead-story > *", ".story > *", ".person > *"];
  const overlaps = [];
  for (const selector of groups) {
    const boxes = [...document.querySelectorAll(selector)]
      .map(el => [el, el.getBoundingClientRect()])
      .filter(([, box]) => box.width > 0 && box.height > 0);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [ea, a] = boxes[i], [eb, b] = boxes[j];
      if (a.left + 1 < b.right && b.left + 1 < a.right
          && a.top + 1 < b.bottom && b.top + 1 < a.bottom)
        overlaps.push(`${selector}: <${ea.className}> and <${eb.className}>`);
    }
  }
  return overlaps;
}"""

# For each timeline entry whose text wraps, the left edges of its lines.
TIMELINE = """() => [...document.querySelectorAll(".timeline__event > span")].map(span => {
  const range = document.createRange();
  range.selectNodeContents(span);
  const rows = new Map();
  for (const rect of range.getClientRects()) {
    if (rect.width < 1) continue;
    const row = Math.round(rect.top);
    rows.set(row, Math.min(rows.get(row) ?? Infinity, rect.left));
  }
  return [span.textContent.trim().slice(0, 40), [...rows.values()]];
}).filter(([, lefts]) => lefts.length > 1)"""


@every_page
@every_width
def test_the_page_fits_uses_its_fonts_and_asks_nothing_of_other_sites(
    open_page, screenshots_dir, name, path, width
):
    requests = []
    loaded = open_page(path, width)
    page = loaded.page
    page.on("request", lambda request: requests.append(request.url))
    # Requests made while loading were seen by the browser before this listener: ask it.
    requests += page.evaluate(
        "() => performance.getEntriesByType('resource').map(entry => entry.name)"
    )
    fonts = page.evaluate(
        """async () => {
            await document.fonts.ready;
            return [...document.fonts].filter(f => f.status === "loaded").map(f => f.family);
        }"""
    )
    page.screenshot(path=screenshots_dir / f"design-{name}-{width}-no-pictures.png", full_page=True)
    problems = list(loaded.problems)
    scroll_width, viewport_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    if scroll_width > viewport_width:
        problems.append(f"scrolls sideways: {scroll_width}px wide in a {viewport_width}px window")
    missing = FONTS - {family.strip("\"'") for family in fonts}
    if missing:
        problems.append(f"fonts not loaded: {sorted(missing)} (loaded: {fonts})")
    origin = urlsplit(loaded.url)[:2]
    elsewhere = [
        url for url in requests if urlsplit(url).scheme != "data" and urlsplit(url)[:2] != origin
    ]
    if elsewhere:
        problems.append(f"requests to other sites: {elsewhere}")
    problems += page.evaluate(BOXES)
    assert not problems, f"{path} at {width} width:\n" + "\n".join(problems)


@every_width
def test_the_relationship_map_has_no_label_over_a_line_and_reads_on_a_phone(open_page, width):
    page = open_page(PEOPLE["kim-kardashian"], width).page
    page.evaluate("document.fonts.ready")
    found = page.evaluate(MAP_OVERLAPS)
    assert found is not None, "no relationship map on Kim Kardashian's page"
    assert found["count"] >= 11  # the centre's name, and each of five people's name and tie
    assert not found["under"], "\n".join(found["under"])
    assert not found["touching"], "\n".join(found["touching"])
    # A label's box is about 1.2 times its font size: 13 px boxes, 11 px text or larger.
    assert found["smallest"] >= 13, f"labels {found['smallest']:.1f} px high at {width} width"


@every_width
def test_timeline_entries_stay_in_line_when_they_wrap(open_page, width):
    page = open_page(PEOPLE["kim-kardashian"], width).page
    wrapped = page.evaluate(TIMELINE)
    assert wrapped, "no timeline entry wraps: the test would prove nothing"
    crooked = [(entry, lefts) for entry, lefts in wrapped if max(lefts) - min(lefts) > 1]
    assert not crooked, crooked


def test_fonts_are_preloaded_and_served_for_a_year(open_page):
    page = open_page("/").page
    preloaded = page.eval_on_selector_all(
        'link[rel="preload"][as="font"]',
        "links => links.map(link => [link.href, link.type, link.crossOrigin])",
    )
    assert len(preloaded) == 3
    for href, media_type, cross_origin in preloaded:
        assert media_type == "font/woff2" and cross_origin == "anonymous", href
        response = page.request.get(href)
        assert response.status == 200, href
        assert response.headers["content-type"] == "font/woff2", href
        assert "max-age=315360000" in response.headers["cache-control"], href
