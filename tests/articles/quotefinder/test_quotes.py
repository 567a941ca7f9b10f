"""6. A quote split by its attribution, with a clause after the attribution."""

from .helpers import person, said

LUKA = person(61, "Luka Brennecke", "Brennecke", pronouns="he/him")


def test_clause_after_the_attribution_keeps_the_speaker():
    assert said(
        "“I never wanted a big house,” Brennecke says, waving at the empty hallway, "
        "“and now I have one.”",
        people=[LUKA],
    ) == [(61, "I never wanted a big house"), (61, "and now I have one.")]


def test_several_clauses_after_the_attribution():
    assert said(
        "Luka Brennecke sat down.",
        "“It was luck,” he says, and then, without looking up, “mostly.”",
        people=[LUKA],
    ) == [(61, "It was luck"), (61, "mostly.")]


def test_a_fragment_after_another_persons_sentence_is_still_not_a_quote():
    assert said(
        "“It was luck,” he says, adding that the house was “too big”.",
        dek="Luka Brennecke spoke.",
        people=[LUKA],
    ) == [(61, "It was luck")]
