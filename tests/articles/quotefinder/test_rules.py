"""The finder's standing rules, each on invented sentences: what the archive already relied on
before transcripts, joint statements and new people (those have their own modules)."""

import datetime

from articles.quotefinder import StoryText, find

from .helpers import DAY, PEOPLE, findings, named, person, quotes_in, said


def test_split_quote_is_two_quotes_by_one_speaker():
    quotes = quotes_in("“Honestly,” Nell added, “I would do it all again.”")
    assert [(q.speaker_id, q.text, q.context) for q in quotes] == [
        (1, "Honestly", "added"),
        (1, "I would do it all again.", "added"),
    ]


def test_quote_over_two_paragraphs_is_one_quote():
    assert said(
        "Nell Price described the tour as the hardest of her life. “It was long. It was cold.",
        "“But it was worth it.”",
    ) == [(1, "It was long. It was cold. But it was worth it.")]


def test_quote_after_an_attributed_quote_is_by_the_same_speaker():
    assert said("“We are fine,” he told People.", "“We always were.”", dek="Tom Reed spoke.") == [
        (2, "We are fine"),
        (2, "We always were."),
    ]


def test_pronoun_takes_the_most_recent_person_who_agrees():
    text = "Nell Price and Tom Reed arrived together. “It was a long night,” she said."
    assert said(text) == [(1, "It was a long night")]
    assert said(text.replace("she said", "he said")) == [(2, "It was a long night")]


def test_pronouns_across_paragraphs():
    assert said(
        "Tom Reed met Nell Price in 2019.",
        "A year later he moved to Leeds. “It rained every day,” he said.",
    ) == [(2, "It rained every day")]


def test_they_is_the_person_who_uses_they():
    assert said("Nell Price thanked Ruiz for the score. “It was a joy,” they said.") == [
        (4, "It was a joy")
    ]


def test_descriptor_prefers_the_person_it_fits():
    text = "Nell Price starred opposite Tom Reed. “It was fun,” the actress said."
    assert said(text) == [(1, "It was fun")]
    assert said(text.replace("the actress", "the actor")) == [(2, "It was fun")]
    # Introduced as a producer, Tom is not “the singer”.
    assert said("Nell sang while producer Tom Reed watched. “Again!” the singer said.") == [
        (1, "Again!")
    ]


def test_ambiguous_alias_taken_beside_a_relative_or_in_a_list_of_people():
    assert named("Tom Reed took Georgia to the zoo.") == [2, 3]
    assert named("Guests included Ella Moss, Georgia and a dog.") == [5, 3]


def test_ambiguous_alias_refused_as_a_place_or_on_its_own():
    assert named("Tom Reed spent the summer in Georgia.") == [2]
    assert named("Tom Reed loves peaches from Georgia.") == [2]
    assert named("Georgia is lovely in spring.") == []


def test_fragments_and_titles_are_not_quotes():
    assert (
        said(
            "Nell calls Tom her “rock” and says their film “Salt Lake” was “the best we made.”",
            "“Salt Lake” opened the festival on Friday.",
            "The “power couple” posed for photos.",
        )
        == []
    )


def test_nicknames_lyrics_and_chants_are_not_quotes():
    assert (
        said(
            "Thomas “Tommy” Reed took the stage at ten.",
            "He sang “the river runs to you, my love” as the lights went down.",
            "The crowd chanted “Tommy! Tommy!” until he came back.",
        )
        == []
    )


def test_quote_led_in_with_said_colon():
    quotes = quotes_in("Speaking to the BBC, Nell Price said: “We are done.”")
    assert [(q.speaker_id, q.text, q.context) for q in quotes] == [(1, "We are done.", "said")]


def test_quote_followed_by_said_name():
    assert said("“We are done,” said Tom Reed.") == [(2, "We are done")]


def test_quote_led_in_with_according_to():
    assert said("According to Nell, “Nobody saw it coming.”") == [(1, "Nobody saw it coming.")]


def test_question_keeps_its_question_mark():
    assert said("Nell Price laughed. “Why would I stop?” she asked.") == [(1, "Why would I stop?")]


def test_trailing_comma_dropped_nested_quote_kept():
    assert said("“She always says ‘Be kind,’” Nell told Vogue.", "“Go,” Tom said.") == [
        (1, "She always says ‘Be kind,’"),
        (2, "Go"),
    ]


def test_straight_quotes():
    assert said('"We met in June," Nell said. "He was late."') == [
        (1, "We met in June"),
        (1, "He was late."),
    ]


def test_source_quote_has_no_speaker():
    assert said("“They are happy,” a source close to Nell told People.") == [
        (None, "They are happy")
    ]


def test_speaker_asking_not_to_be_named_is_no_one():
    assert said(
        "Nell Price wore green.",
        "The tailor of the suit, who asked not to be named, told People: “She chose it.”",
    ) == [(None, "She chose it.")]


def test_name_shared_by_two_people_the_story_has_not_introduced_is_not_taken():
    twins = [person(1, "Sam Ruiz", "Sam"), person(2, "Sam Cole", "Sam")]
    assert named("Sam arrived late.", people=twins) == []
    assert said("“Sorry,” Sam said.", people=twins) == [(None, "Sorry")]
    assert named("Sam Cole arrived late.", people=twins) == [2]


def test_longest_name_wins_and_possessives_count():
    vincent = person(7, "Vincent Price", "Vincent")
    assert named("Vincent Price met Tom’s sister.", people=[*PEOPLE, vincent]) == [7, 2]


def test_alias_inside_another_proper_noun_is_not_the_person():
    assert named("Nell told Rolling Stone about the album.") == [1]
    assert named("Stone told Rolling Stone about the album.") == [6]


def test_headline_names_make_subjects_and_its_quotes_are_never_read():
    found = findings("Tom Reed was not surprised.", title="Nell Price: “We Are Done”")
    assert [(m.person_id, m.role) for m in found.mentions] == [(1, "subject"), (2, "mentioned")]
    assert found.quotes == []


def test_dates_of_attributions():
    quotes = quotes_in(
        "“Happy new year,” Nell wrote on December 30.",
        "“Thank you,” Tom replied on Jan. 2.",
        "“Back to work,” Nell posted on Monday.",
    )
    assert [q.said_on for q in quotes] == [
        datetime.date(2022, 12, 30),
        datetime.date(2023, 1, 2),
        datetime.date(2023, 1, 9),
    ]
    assert [q.context for q in quotes] == [
        "wrote on December 30",
        "replied on Jan. 2",
        "posted on Monday",
    ]


def test_empty_text():
    empty = find(StoryText("", "", [], DAY), PEOPLE)
    assert (empty.mentions, empty.quotes, empty.new_people) == ([], [], [])
    assert quotes_in("", "“”") == []


def test_story_with_no_people():
    assert named("Nell spoke.", title="Nell Price: A Life", people=[]) == []
    assert said("“I am done,” she said.", people=[]) == [(None, "I am done")]
