"""1. Q&A transcripts: answers are quotes of the person answering, questions are not."""

from .helpers import findings, person, said

MAYA = person(11, "Maya Lindgren", "Lindgren", pronouns="she/her")
OWEN = person(12, "Owen Strand", "Strand", pronouns="he/him")
CAST = [MAYA, OWEN]


def test_questions_and_answers_labelled_q_and_a():
    assert said(
        "The sculptor spoke to us from her studio.",
        "Q: When did you start carving?",
        "A: At fourteen, with a kitchen knife and a bar of soap.",
        "Q: And now?",
        "A: Now I use better knives.",
        title="Maya Lindgren On Stone And Soap",
        people=CAST,
    ) == [
        (11, "At fourteen, with a kitchen knife and a bar of soap."),
        (11, "Now I use better knives."),
    ]


def test_named_turns_the_interviewer_asks():
    quotes = findings(
        "Our reporter, Owen Strand, met her in Oslo.",
        "Strand: Do you miss the city?",
        "Lindgren: Every winter. Never in summer.",
        "Strand: Why?",
        "Lindgren: Because in summer I am outside.",
        title="Maya Lindgren",
        people=CAST,
    ).quotes
    assert [(q.speaker_id, q.text, q.context) for q in quotes] == [
        (11, "Every winter. Never in summer.", "in an interview"),
        (11, "Because in summer I am outside.", "in an interview"),
    ]


def test_labels_in_capitals():
    assert said(
        "LINDGREN: I never sketch first.",
        "STRAND: Never?",
        "LINDGREN: Almost never.",
        title="Maya Lindgren And Owen Strand",
        people=CAST,
    ) == [(11, "I never sketch first."), (11, "Almost never.")]


def test_answer_going_on_in_the_next_paragraph_narration_does_not():
    assert said(
        "Q: What did your father make of it?",
        "A: He hated it at first.",
        "I think he came round when I sold one.",
        "She pauses, then laughs.",
        "Q: Did he keep any?",
        "A: Two. They are in his hallway.",
        title="Maya Lindgren",
        people=CAST,
    ) == [
        (11, "He hated it at first. I think he came round when I sold one."),
        (11, "Two. They are in his hallway."),
    ]


def test_unlabelled_questions_alone_in_their_paragraphs():
    assert said(
        "Maya Lindgren is sanding a torso when we arrive.",
        "Is it finished?",
        "Nothing I make is finished. I just stop.",
        "When do you stop?",
        "When the stone starts to annoy me.",
        title="Maya Lindgren",
        people=CAST,
    ) == [
        (11, "Nothing I make is finished. I just stop."),
        (11, "When the stone starts to annoy me."),
    ]


def test_quotation_marks_inside_an_answer_are_part_of_it():
    assert said(
        "Q: What did the gallery say?",
        "A: They said “bring more.” So I did.",
        "Q: More of the same?",
        "A: Never the same.",
        title="Maya Lindgren",
        people=CAST,
    ) == [(11, "They said “bring more.” So I did."), (11, "Never the same.")]


def test_one_labelled_paragraph_is_not_a_transcript():
    assert said(
        "Update: Lindgren’s show has been extended to March.",
        "“We sold out in a week,” Lindgren said.",
        title="Maya Lindgren",
        people=CAST,
    ) == [(11, "We sold out in a week")]


def test_labels_by_initials():
    assert said(
        "Owen Strand met Maya Lindgren in Oslo.",
        "OS: Why stone?",
        "ML: Because it argues back.",
        "OS: Does it win?",
        "ML: Usually.",
        title="Maya Lindgren",
        people=CAST,
    ) == [(11, "Because it argues back."), (11, "Usually.")]
