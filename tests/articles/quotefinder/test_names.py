"""4. A surname two people share: the one the story introduced, most recently.
8. An ambiguous alias right after a relation word (“their son Austin”)."""

from .helpers import named, person, said

BRAM = person(41, "Bram Oyelaran", "Oyelaran", pronouns="he/him", related={42})
TESSA = person(42, "Tessa Oyelaran", "Oyelaran", pronouns="she/her", related={41})
AUSTIN = person(
    43, "Austin Kellow", "Austin", pronouns="he/him", related={44}, ambiguous={"Austin"}
)
MERLE = person(44, "Merle Kellow", "Kellow", pronouns="she/her", related={43})


def test_shared_surname_is_the_person_introduced_last():
    text = [
        "Chef Tessa Oyelaran opened her third restaurant on Friday.",
        "“I wanted a room that smells of bread,” Oyelaran said.",
        "Her brother, the architect Bram Oyelaran, designed it.",
        "“She asked for a kitchen you can see from every seat,” Oyelaran explained.",
    ]
    assert said(*text, people=[BRAM, TESSA]) == [
        (42, "I wanted a room that smells of bread"),
        (41, "She asked for a kitchen you can see from every seat"),
    ]


def test_shared_surname_before_anyone_is_introduced_is_nobody():
    assert named("Oyelaran posted a photo.", people=[BRAM, TESSA]) == []


def test_an_alias_the_archive_gives_wins_over_a_surname_the_story_shares():
    kids = [MERLE, person(45, "Rowan Kellow", pronouns="he/him")]
    assert said(
        "Merle Kellow took her son, Rowan Kellow, to the match.",
        "“He knew every chant,” Kellow said.",
        people=kids,
    ) == [(44, "He knew every chant")]


def test_ambiguous_alias_after_a_relation_word_is_the_person():
    assert named(
        "The novelist and her husband took their son Austin to the coast.", people=[AUSTIN, MERLE]
    ) == [43]
    assert named("Her eldest son, Austin, starts school in May.", people=[AUSTIN, MERLE]) == [43]


def test_ambiguous_alias_as_a_place_stays_a_place():
    assert named("The family spent the winter in Austin.", people=[AUSTIN, MERLE]) == []
