import datetime
from types import SimpleNamespace

from people.models import Person, Relationship
from people.profile import family, timeline

D = datetime.date
Kind = Relationship.Kind


def person(pk, name, born_on=None):
    return Person(pk=pk, name=name, slug=name.lower().replace(" ", "-"), born_on=born_on)


def tie(a, kind, b, **fields):
    return Relationship(pk=None, person_a=a, person_b=b, kind=kind, **fields)


KIM, KANYE = person(1, "Kim Kardashian", D(1980, 10, 21)), person(2, "Kanye West")
NORTH, SAINT = person(3, "North West", D(2013, 6, 15)), person(4, "Saint West", D(2015, 12, 5))
RAY = person(5, "Someone Else")


def test_ties_are_grouped_from_the_persons_side():
    relationships = [
        tie(
            KIM,
            Kind.MARRIED,
            KANYE,
            started_on=D(2014, 5, 24),
            ended_on=D(2022, 3, 2),
            end_reason="divorce",
        ),
        tie(KIM, Kind.PARENT, SAINT, started_on=SAINT.born_on),
        tie(KIM, Kind.PARENT, NORTH, started_on=NORTH.born_on),
        tie(RAY, Kind.FRIENDS, KIM),
    ]
    grouped = family(KIM, relationships)
    assert [(t.phrase, t.other.name) for t in grouped.current] == [("friends with", "Someone Else")]
    assert [(t.phrase, t.span, t.ending) for t in grouped.past] == [
        ("married to", "24 May 2014 – 2 March 2022", "divorced")
    ]
    assert [t.other.name for t in grouped.children] == ["North West", "Saint West"]
    assert grouped.parents == [] and grouped.co_parents == []
    from_north = family(NORTH, [relationships[2]])
    assert [(t.phrase, t.other.name) for t in from_north.parents] == [
        ("child of", "Kim Kardashian")
    ]


def test_co_parents_come_from_the_childrens_other_parents():
    mine = [tie(KIM, Kind.PARENT, NORTH), tie(KIM, Kind.PARENT, SAINT)]
    theirs = [
        tie(KANYE, Kind.PARENT, SAINT),
        tie(KANYE, Kind.PARENT, NORTH),
        tie(KIM, Kind.PARENT, NORTH),
    ]
    grouped = family(KIM, mine, theirs)
    assert [(c.person.name, [child.name for child in c.children]) for c in grouped.co_parents] == [
        ("Kanye West", ["North West", "Saint West"])
    ]


def test_spans_say_what_is_known():
    current = tie(KIM, Kind.DATING, KANYE, started_on=D(2012, 4, 1), started_precision="month")
    assert family(KIM, [current]).current[0].span == "since April 2012"
    undated = tie(KIM, Kind.FRIENDS, KANYE)
    assert family(KIM, [undated]).current[0].span == ""


def test_the_timeline_is_in_date_order_and_skips_endings_told_by_what_followed():
    relationships = [
        tie(
            KIM,
            Kind.ENGAGED,
            KANYE,
            started_on=D(2013, 10, 21),
            ended_on=D(2014, 5, 24),
            end_reason="marriage",
        ),
        tie(
            KIM,
            Kind.MARRIED,
            KANYE,
            started_on=D(2014, 5, 24),
            ended_on=D(2022, 3, 2),
            end_reason="divorce",
        ),
        tie(KIM, Kind.PARENT, NORTH, started_on=NORTH.born_on),
    ]
    story = SimpleNamespace(
        published_on=D(2022, 2, 9), title="A story", get_absolute_url=lambda: "/s/"
    )
    quote = SimpleNamespace(
        said_on=None, article=story, text="Words", get_absolute_url=lambda: "/q/"
    )
    events = timeline(KIM, relationships, [story], [quote])
    assert [(e.date_display, e.text) for e in events] == [
        ("21 October 1980", "Born"),
        ("15 June 2013", "Became a parent:"),
        ("21 October 2013", "Engaged to"),
        ("24 May 2014", "Married"),
        ("9 February 2022", "Story:"),
        ("9 February 2022", "Said:"),
        ("2 March 2022", "Divorced from"),
    ]


def test_the_profile_and_the_map_word_a_span_alike():
    from people.graph import _tie

    started = {"started_on": D(2014, 5, 24), "started_precision": "day"}
    cases = [
        tie(KIM, Kind.MARRIED, KANYE, **started),
        tie(KIM, Kind.MARRIED, KANYE, **started, ended_on=D(2022, 3, 2), ended_precision="day"),
        tie(KIM, Kind.MARRIED, KANYE, **started, end_reason="divorce"),
        tie(KIM, Kind.MARRIED, KANYE, ended_on=D(2022, 3, 2), ended_precision="day"),
    ]
    spans = [
        "since 24 May 2014",
        "24 May 2014 – 2 March 2022",
        "24 May 2014 – ?",
        "until 2 March 2022",
    ]
    for relationship, span in zip(cases, spans, strict=True):
        ours = family(KIM, [relationship])
        (profile_tie,) = ours.current or ours.past
        assert profile_tie.span == _tie(KIM, relationship).span == span
