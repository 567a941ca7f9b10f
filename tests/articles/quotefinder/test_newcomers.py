"""3. People the archive does not know: seen, proposed to the editors, and counted as people a
pronoun can stand for."""

from articles.quotefinder import NewPerson

from .helpers import findings, person, said

JUNE = person(31, "Ottilie Brandt", "Brandt", pronouns="she/her")


def test_a_role_introduces_a_new_person_and_they_are_proposed_with_their_sentence():
    found = findings(
        "Ottilie Brandt trained in Vienna. Her coach, Ferdinand Haas, remembers her first fall.",
        people=[JUNE],
    )
    assert found.new_people == [
        NewPerson(
            "Ferdinand Haas",
            "Her coach, Ferdinand Haas, remembers her first fall.",
            "",
        )
    ]


def test_a_pronoun_goes_to_the_new_person_the_story_just_introduced():
    assert said(
        "Ottilie Brandt trained in Vienna.",
        "Her grandmother, Liesl Haas, sewed every costume. “I used curtains,” she said.",
        people=[JUNE],
    ) == [("Liesl Haas", "I used curtains")]


def test_a_new_persons_surname_alone_is_them():
    assert said(
        "Ottilie Brandt trained with choreographer Milan Dvorak.",
        "“She never counted out loud,” Dvorak said.",
        people=[JUNE],
    ) == [("Milan Dvorak", "She never counted out loud")]


def test_places_organisations_and_titles_are_not_proposed():
    found = findings(
        "Ottilie Brandt danced at the Royal Festival Hall and told Dance Monthly about it.",
        "She wore a dress from Maison Clair Paris.",
        people=[JUNE],
    )
    assert found.new_people == []


def test_age_speech_verb_and_honorific_are_evidence_too():
    found = findings(
        "Anselm Grau, 61, watched from the wings.",
        "“She was ready,” said Beatrix Lorne.",
        "Mrs Wilhelmina Staal sold the tickets.",
        people=[JUNE],
    )
    assert [p.name for p in found.new_people] == [
        "Anselm Grau",
        "Beatrix Lorne",
        "Wilhelmina Staal",
    ]
    assert found.new_people[2].pronouns == "she/her"


def test_a_place_before_an_inverted_attribution_is_not_a_person():
    found = findings(
        "Ottilie Brandt dined at Villa Cosimo, said a friend of the dancer.",
        "Her agent, Matthias Kern, said nothing.",
        people=[JUNE],
    )
    assert [p.name for p in found.new_people] == ["Matthias Kern"]
