"""The stylesheet's colours meet WCAG AA: every pair the pages set text in, computed from the
colours as static/css/site.css declares them (so a change of colour there is checked here)."""

import re
from pathlib import Path

import pytest

STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "css" / "site.css"
AA_TEXT = 4.5


def luminance(colour: str) -> float:
    """Relative luminance of #rrggbb, as WCAG 2 defines it."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def css_text() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def palette() -> dict[str, str]:
    """The custom properties of the first `:root` block: {"ink": "#161616", …}."""
    root = re.search(r":root\s*\{(.*?)\}", css_text(), re.S).group(1)
    return {
        name: value.lower() for name, value in re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", root)
    }


def initials_backgrounds() -> dict[str, str]:
    return dict(re.findall(r"\.(initials--\d)\s*\{\s*background:\s*(#[0-9a-fA-F]{6})", css_text()))


# (text, background) as the pages use them, by custom property name or literal colour.
PAIRS = [
    ("ink", "paper"),  # body text
    ("muted", "paper"),  # deks, dates, captions, credits
    ("accent", "paper"),  # links, kickers
    ("accent-dark", "paper"),  # links hovered
    ("ink", "soft"),  # tags
    ("muted", "soft"),  # notices
    ("accent", "soft"),  # links in notices
    ("band-ink", "band"),  # quotes on the front page's dark band
    ("band-muted", "band"),  # their captions
    ("band-accent", "band"),  # their links
    ("#ffffff", "ink"),  # the skip link, buttons, the current page
    ("#ffffff", "accent"),  # initials, buttons hovered
    ("#ffffff", "accent-dark"),  # initials standing in for a picture
    ("#ffffff", "band"),
    ("#3d2800", "#fff4d6"),  # the preview banner
    ("#7a4e00", "paper"),  # the preview note
]


def resolve(name: str, colours: dict[str, str]) -> str:
    return name if name.startswith("#") else colours[name]


def test_the_palette_is_read_from_the_stylesheet():
    colours = palette()
    assert {"ink", "paper", "muted", "accent", "soft", "band", "band-ink"} <= set(colours)
    assert len(initials_backgrounds()) == 6


@pytest.mark.parametrize(("text", "background"), PAIRS, ids=[f"{t} on {b}" for t, b in PAIRS])
def test_text_colours_meet_wcag_aa(text, background):
    colours = palette()
    ratio = contrast(resolve(text, colours), resolve(background, colours))
    assert ratio >= AA_TEXT, f"{text} on {background}: {ratio:.2f}:1"


@pytest.mark.parametrize("shade", range(6))
def test_initials_are_white_on_a_dark_enough_shade(shade):
    background = initials_backgrounds()[f"initials--{shade}"]
    assert contrast("#ffffff", background) >= AA_TEXT, background


def test_contrast_is_computed_as_wcag_says():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1)
    # WCAG's own example of the AA threshold: #767676 on white is 4.54:1.
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
