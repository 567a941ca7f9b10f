"""The stylesheet's spacing as a browser applies it: rules that win over others by accident."""

import pytest

from .test_pages import STORY

pytestmark = pytest.mark.browser


def test_the_main_column_keeps_its_space_above_below_and_beside(open_page):
    # `.wrap`'s padding once overrode `main`'s: the kicker sat 4px under the header's rule and
    # the previous and next links touched the footer's.
    padding = open_page(STORY).page.evaluate(
        """() => {
            const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
            const main = getComputedStyle(document.querySelector("main.wrap"));
            return ["Top", "Bottom", "Left", "Right"].map(
                side => parseFloat(main[`padding${side}`]) / rem);
        }"""
    )
    # At 1280 px the sides are 2rem (1rem on a phone).
    assert padding == [1.5, 3, 2, 2]
