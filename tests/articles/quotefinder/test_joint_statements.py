"""2. Words said by several people together: a couple's statement, a pair's post."""

from .helpers import person, said

ROBIN = person(21, "Robin Achterberg", "Achterberg", pronouns="she/her", related={22})
KIT = person(22, "Kit Lomax", "Lomax", pronouns="he/him", related={21})
JUDE = person(23, "Jude Farrier", "Farrier", pronouns="they/them")
CAST = [ROBIN, KIT, JUDE]


def test_names_joined_by_and_say_it_together():
    assert said(
        "“We are still a family,” Achterberg and Lomax wrote in a shared post.",
        people=CAST,
    ) == [((21, 22), "We are still a family")]


def test_the_couple_is_the_two_people_named_together():
    assert said(
        "Robin Achterberg and Kit Lomax have separated.",
        "“It was not an easy choice,” the couple said.",
        people=CAST,
    ) == [((21, 22), "It was not an easy choice")]


def test_they_is_the_pair_when_no_one_uses_they():
    assert said(
        "Robin Achterberg and Kit Lomax married in May.",
        "“We went to the registry office in trainers,” they said.",
        people=CAST,
    ) == [((21, 22), "We went to the registry office in trainers")]


def test_they_is_still_the_person_who_uses_they_when_nearer():
    assert said(
        "Robin Achterberg and Kit Lomax married in May. Their friend Jude Farrier officiated.",
        "“I cried through the vows,” they said.",
        people=CAST,
    ) == [(23, "I cried through the vows")]


def test_statement_after_a_colon_with_both_names_as_subject():
    assert said(
        "Lomax and Achterberg released a statement through their lawyers: “We ask for privacy.”",
        people=CAST,
    ) == [((22, 21), "We ask for privacy.")]


def test_she_after_the_pair_is_one_of_them():
    assert said(
        "Robin Achterberg and Kit Lomax arrived together. “I chose the dress,” she said.",
        people=CAST,
    ) == [(21, "I chose the dress")]


def test_the_pairs_statement_read_is_both_of_theirs():
    assert said(
        "Robin Achterberg and Kit Lomax have split.",
        "Their joint statement read: “We remain close friends.”",
        people=CAST,
    ) == [((21, 22), "We remain close friends.")]
    assert said(
        "Robin Achterberg and Kit Lomax have split.",
        "The couple’s post said only: “Thank you for the kindness.”",
        people=CAST,
    ) == [((21, 22), "Thank you for the kindness.")]
