"""The text of a page's elements, read with an HTML parser (never by cutting strings)."""

from html.parser import HTMLParser


class TextsOf(HTMLParser):
    def __init__(self, tag: str):
        super().__init__(convert_charrefs=True)
        self.tag = tag
        self.depth = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == self.tag:
            if self.depth == 0:
                self.texts.append("")
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == self.tag and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.texts[-1] += data


def texts_of(content: bytes | str, tag: str) -> list[str]:
    """The text inside each `tag` element of an HTML page, whitespace collapsed."""
    if isinstance(content, bytes):
        content = content.decode()
    parser = TextsOf(tag)
    parser.feed(content)
    parser.close()
    return [" ".join(text.split()) for text in parser.texts]
