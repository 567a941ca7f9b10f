"""Pages read as HTML, the way a reader's browser sees them, instead of cut as strings."""

from bs4 import BeautifulSoup, Tag


def page(response) -> BeautifulSoup:
    """A response (or its text) parsed."""
    content = getattr(response, "content", response)
    if isinstance(content, bytes):
        content = content.decode()
    return BeautifulSoup(content, "html.parser")


def text(element: Tag) -> str:
    """What a reader reads in `element`: its text, white space folded."""
    return " ".join(element.get_text().split())


def headings(response) -> list[str]:
    """The text of each top heading (`h1`) of a page."""
    return [text(h1) for h1 in page(response).find_all("h1")]


def section(soup: BeautifulSoup, heading_id: str) -> Tag:
    """The section that the heading with this id names (`aria-labelledby`)."""
    return soup.find(attrs={"aria-labelledby": heading_id})


def list_under(container: Tag, heading: str) -> Tag:
    """The list that follows the heading reading `heading` inside `container`."""
    title = container.find(lambda tag: tag.name in {"h2", "h3", "h4"} and text(tag) == heading)
    assert title is not None, f"no heading {heading!r}"
    return title.find_next_sibling("ul")


def meta(soup: BeautifulSoup, key: str) -> str | None:
    """A <meta> tag's content, by name or property (description, og:description…)."""
    for element in soup.find_all("meta"):
        if key in (element.get("name"), element.get("property")):
            return element.get("content")
    return None


def error_messages(response) -> list[str]:
    """The messages of every error list on the page (a field's, a form's), in order."""
    return [text(item) for item in page(response).select("ul.errorlist li")]
