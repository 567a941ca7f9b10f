import datetime
from pathlib import Path

import pytest

from articles.storyfile import StoryFileError, parse

STORIES = Path(__file__).resolve().parents[1] / "data" / "stories"
SEED = (
    " date 2022-02-09 Interview\n\n"
    "Kim Kardashian Admits She’s Kanye’s ‘Biggest Cheerleader’\n\n"
    "Kim Kardashian opened up about co-parenting.\n\n"
    "Sometimes co-parenting is difficult, but\u00a0 Kim Kardashian\u00a0 revealed it.\n\n"
    "“Make sure you are your co-parent’s biggest cheerleader,” she told\u00a0Vogue.\n\n"
    "\u00a0\n\n\n"
)


def error_of(text):
    with pytest.raises(StoryFileError) as error:
        parse(text)
    return error.value


def test_reads_header_headline_dek_and_body():
    story = parse(SEED)
    assert story.published_on == datetime.date(2022, 2, 9)
    assert story.kind == "interview"
    assert story.title == "Kim Kardashian Admits She’s Kanye’s ‘Biggest Cheerleader’"
    assert story.dek == "Kim Kardashian opened up about co-parenting."
    assert len(story.paragraphs) == 2


def test_normalises_whitespace_and_keeps_the_typography():
    story = parse(SEED)
    assert story.paragraphs[0] == (
        "Sometimes co-parenting is difficult, but Kim Kardashian revealed it."
    )
    assert story.paragraphs[1] == (
        "“Make sure you are your co-parent’s biggest cheerleader,” she told Vogue."
    )
    assert "\u00a0" not in story.body
    assert not story.body.endswith("\n")


def test_identity_is_the_date_and_the_headline_slug():
    assert parse(SEED).identity == (
        datetime.date(2022, 2, 9),
        "kim-kardashian-admits-shes-kanyes-biggest-cheerleader",
    )


def test_hard_wrapped_lines_join_into_one_paragraph():
    story = parse("date 2022-01-01 News\n\nA headline\n\nA dek that\nruns over\r\ntwo lines.\n")
    assert story.dek == "A dek that runs over two lines."


def test_kinds_of_more_than_one_word_and_any_case():
    assert parse("DATE 2022-01-01 social post\n\nH\n\nD").kind == "social_post"
    assert parse("date 2022-01-01 Social-Post\n\nH\n\nD").kind == "social_post"


def test_a_byte_order_mark_is_not_part_of_the_header():
    assert parse("\ufeff date 2022-01-01 News\n\nH\n\nD".encode()).kind == "news"


def test_the_real_seed_story_parses():
    story = parse((STORIES / "000_cb2e6261cd7f216a.txt").read_bytes())
    assert story.title.startswith("Kim Kardashian Admits She’s Kanye’s ‘Biggest Cheerleader’")
    assert story.paragraphs[-1].endswith("she wrote on February 4.")
    assert "North8, Saint6, Chicago4, and Psalm, 2." in story.body


@pytest.mark.parametrize(
    "text, line, reason",
    [
        ("", 1, "the file is empty"),
        ("\u00a0\n \n\n", 1, "the file is empty"),
        ("Kim Kardashian Admits\n\nA dek", 1, "expected a header"),
        ("\n\n date 2022-02-30 Interview\n\nH\n\nD", 3, "2022-02-30 is not a real date"),
        ("date 9 Feb 2022 Interview\n\nH\n\nD", 1, "is not a date in the form YYYY-MM-DD"),
        ("date 2022-02-09 Gossip\n\nH\n\nD", 1, "unknown kind “Gossip”"),
        ("date 2022-02-09 Interview\n\n\n", 1, "the header is not followed by a headline"),
        ("date 2022-02-09 Interview\n\nOnly a headline\n", 3, "not followed by any text"),
        ("date 2022-02-09 News\n\ndate 2022-02-10 News\n\nD", 3, "a second header"),
        ("date 2022-02-09 News\n\n“ ”\n\nD", 3, "no letters a–z or digits"),
    ],
)
def test_bad_files_are_refused_with_the_line_and_the_reason(text, line, reason):
    error = error_of(text)
    assert error.line == line
    assert reason in error.reason


def test_a_headline_in_another_script_is_refused_for_want_of_a_web_address():
    error = error_of("date 2022-02-09 News\n\nБейонсе говорит о семье\n\nD")
    assert error.line == 3
    assert error.reason == (
        "the headline “Бейонсе говорит о семье” has no letters a–z or digits to make its web "
        "address from: add some, e.g. a name in Latin letters"
    )


def test_a_headline_with_accents_makes_its_web_address_without_them():
    assert parse("date 2022-02-09 News\n\nBeyoncé говорит\n\nD").slug == "beyonce"


def test_bytes_that_are_not_utf8_are_refused_with_their_line():
    data = " date 2022-02-09 Interview\n\nHeadline\n\nCaf\xe9 society".encode("latin-1")
    error = error_of(data)
    assert error.line == 5
    assert "not UTF-8" in error.reason and "0xe9" in error.reason
