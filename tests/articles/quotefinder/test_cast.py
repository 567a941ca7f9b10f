"""5. Descriptions (“the model”, “the 41-year-old”) refer back to the person they were attached
to, past a possessive name in the same sentence."""

from .helpers import person, said

VERA = person(51, "Vera Koskinen", "Koskinen", pronouns="she/her")
DEV = person(52, "Dev Anand Rao", "Rao", pronouns="he/him")
CAST = [VERA, DEV]


def test_role_noun_as_subject_beats_a_possessive_name():
    assert said(
        "Model Vera Koskinen, 29, arrived with Dev Anand Rao.",
        "Questioned about Rao’s new film, the model laughed it off. “I have not seen it yet.”",
        people=CAST,
    ) == [(51, "I have not seen it yet.")]


def test_age_refers_back_to_the_person_it_was_given_for():
    assert said(
        "Vera Koskinen, 29, and Dev Anand Rao, 41, shared a table.",
        "“We talked about dogs all night,” the 41-year-old said.",
        people=CAST,
    ) == [(52, "We talked about dogs all night")]


def test_description_opening_the_sentence_before_a_standalone_quote():
    assert said(
        "Vera Koskinen was photographed with director Dev Anand Rao.",
        "The director would not talk about the photos. “Next question.”",
        people=CAST,
    ) == [(52, "Next question.")]


def test_someone_elses_relative_is_not_the_person():
    assert said(
        "Vera Koskinen spoke first.",
        "“She taught me everything,” the model’s sister said.",
        people=CAST,
    ) == [(None, "She taught me everything")]
