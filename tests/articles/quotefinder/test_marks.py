"""7. Quotation conventions: British single marks (double inside), guillemets, dialogue dashes;
an apostrophe is not a quotation mark."""

from articles.quotefinder.marks import Style, quoted_spans

from .helpers import person, said

ISLA = person(71, "Isla Penhallow", "Penhallow", pronouns="she/her")
RENE = person(72, "René Aubrac", "Aubrac", pronouns="he/him")


def spans(text):
    return [(text[s.opening + 1 : s.end], s.style) for s in quoted_spans(text)]


def test_british_single_marks_with_apostrophes_inside():
    assert said(
        "Isla Penhallow laughs. ‘I didn’t plan it, and it’s the best thing I’ve done,’ she says.",
        people=[ISLA],
    ) == [(71, "I didn’t plan it, and it’s the best thing I’ve done")]


def test_double_marks_inside_single_ones_belong_to_the_quote():
    assert said(
        "‘My nan said “never marry a drummer”, so I didn’t,’ Penhallow recalls.",
        people=[ISLA],
    ) == [(71, "My nan said “never marry a drummer”, so I didn’t")]


def test_plural_possessive_and_elisions_are_apostrophes():
    assert spans("The Penhallows’ barn dates from the ’90s, when rock ’n’ roll was loud.") == []
    assert said(
        "‘We spent the Penhallows’ money on a tractor,’ Isla Penhallow jokes.", people=[ISLA]
    ) == [(71, "We spent the Penhallows’ money on a tractor")]


def test_single_marked_scare_quotes_and_titles_are_not_quotes():
    assert (
        said(
            "Penhallow, once the ‘wild one’ of the folk scene, released ‘Tin Roof’ in 2004.",
            "Her single ‘Tin Roof’ still sells.",
            people=[ISLA],
        )
        == []
    )


def test_guillemets():
    assert said(
        "« I am content, » says René Aubrac. René Aubrac told the paper: « We start again. »",
        people=[RENE],
    ) == [(72, "I am content"), (72, "We start again.")]
    assert spans("»Genug« sagte er.") == [("Genug", Style.GUILLEMET)]


def test_dialogue_dashes_with_attribution_and_a_question_between():
    assert said(
        "René Aubrac opened the window.",
        "— It has been a long year, he says. — Longer than the last.",
        "— Will you rest now?",
        "— Never. Resting bores me.",
        people=[RENE],
    ) == [
        (72, "It has been a long year"),
        (72, "Longer than the last."),
        (72, "Never. Resting bores me."),
    ]


def test_a_dash_inside_speech_starts_no_new_part():
    assert said(
        "— I was — how to put it — lost, says Aubrac.",
        people=[RENE],
    ) == [(72, "I was — how to put it — lost")]
