"""Read a rendered page as a tree of elements, so tests find things in it by tag, class and
attribute — and read its text as a reader or a crawler gets it — instead of cutting strings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    @property
    def text(self) -> str:
        """The visible text, with runs of white space as one space, as a browser shows it."""
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag not in {"script", "style", "template"}:
                parts.append(child.text if child.tag != "br" else " ")
        return re.sub(r"\s+", " ", "".join(parts)).strip()

    def iter(self, tag: str | None = None, cls: str | None = None, **attrs: str):
        """Every element below this one with that tag, class and attribute values."""
        for child in self.children:
            if isinstance(child, Element):
                if (
                    (tag is None or child.tag == tag)
                    and (cls is None or cls in child.classes)
                    and all(child.attrs.get(name) == value for name, value in attrs.items())
                ):
                    yield child
                yield from child.iter(tag, cls, **attrs)

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Element:
        found = next(self.iter(tag, cls, **attrs), None)
        assert found is not None, f"no <{tag or '*'}> with class {cls!r} and {attrs} in the page"
        return found


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("document")
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.open[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        self.open[-1].children.append(data)


def page(html: str | bytes) -> Element:
    builder = _TreeBuilder()
    builder.feed(html.decode() if isinstance(html, bytes) else html)
    builder.close()
    return builder.root


def meta(document: Element, key: str) -> str | None:
    """A <meta> tag's content, by name or property (description, og:description…)."""
    for element in document.iter("meta"):
        if key in (element.get("name"), element.get("property")):
            return element.get("content")
    return None
