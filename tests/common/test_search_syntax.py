from common.search_syntax import clean, highlight, marked, parse


def test_words_phrases_exclusions_and_alternatives():
    parsed = parse('kanye "family  back" -tiktok divorce or split')
    assert parsed.groups == [["kanye"], ["family back"], ["divorce", "split"]]
    assert parsed.excluded == ["tiktok"]
    assert parsed.terms == ["kanye", "family back", "divorce", "split"]


def test_unbalanced_quotes_and_lone_operators_never_fail():
    assert parse('"family back').groups == [["family back"]]
    assert not parse('- or "" -- or')
    assert parse("or kanye").groups == [["kanye"]]
    assert parse("“Kanye’s”,").groups == [["Kanye’s"]]


def test_clean_removes_control_characters_and_cuts_at_a_word():
    assert clean("a\x00b\tc\n d", 100) == ("a b c d", False)
    text, cut = clean("word " * 100, 22)
    assert cut and text == "word word word word"


def test_highlight_escapes_then_marks_word_starts():
    snippet = highlight("<b>Kanye</b> said his kanyeism & more", ["kanye"])
    assert str(snippet) == (
        "&lt;b&gt;<mark>Kanye</mark>&lt;/b&gt; said his <mark>kanye</mark>ism &amp; more"
    )
    assert "<mark>" not in str(highlight("Okoye spoke", ["ye"]))


def test_highlight_cuts_an_excerpt_around_the_first_match():
    text = ("filler " * 100) + "the divorce " + ("filler " * 100)
    snippet = str(highlight(text, ["divorce"]))
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<mark>divorce</mark>" in snippet and len(snippet) < 420


def test_marked_turns_only_the_sentinels_into_marks():
    assert str(marked("\ue000<i>x</i>\ue001 & y", "\ue000", "\ue001")) == (
        "<mark>&lt;i&gt;x&lt;/i&gt;</mark> &amp; y"
    )
