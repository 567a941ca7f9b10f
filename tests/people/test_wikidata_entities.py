"""Wikidata's JSON read as the archive's facts (people/wikidata/entities.py), from recorded
answers about fictional people (tests/data/wikidata/)."""

import datetime
import json
import re

import pytest

from people.models import EndReason, RelationshipKind
from people.wikidata.entities import (
    MalformedAnswer,
    PartialDate,
    Unusable,
    WikidataRefused,
    read_answer,
    read_entity,
    read_time,
)
from tests.wikidata_server import in_languages, recorded_entities

D = datetime.date
MARA, TEO, JUNO, IVY, ASH, OLD, ROBIN, CASS = (f"Q99000000{i}" for i in range(1, 9))
GREGORIAN = "http://www.wikidata.org/entity/Q1985727"


@pytest.fixture(scope="module")
def recorded():
    return recorded_entities()


def entity(recorded, qid, languages=("en",)):
    return read_entity(in_languages(recorded[qid], set(languages) | {"mul"}), list(languages))


def time_snak(time, precision, calendar=GREGORIAN):
    value = {"time": time, "timezone": 0, "before": 0, "after": 0, "precision": precision}
    value["calendarmodel"] = calendar
    return {"snaktype": "value", "property": "P569", "datavalue": {"value": value, "type": "time"}}


@pytest.mark.parametrize(
    "time, precision, expected",
    [
        ("+1977-00-00T00:00:00Z", 9, PartialDate(D(1977, 1, 1), "year")),
        ("+1977-06-00T00:00:00Z", 10, PartialDate(D(1977, 6, 1), "month")),
        ("+1977-06-08T00:00:00Z", 11, PartialDate(D(1977, 6, 8), "day")),
        # Whatever the precision says, the parts written 00 are not known.
        ("+1977-06-00T00:00:00Z", 11, PartialDate(D(1977, 6, 1), "month")),
        ("+1977-00-00T00:00:00Z", 11, PartialDate(D(1977, 1, 1), "year")),
        # A full day given at year precision is a year.
        ("+1977-06-08T00:00:00Z", 9, PartialDate(D(1977, 6, 8).replace(month=1, day=1), "year")),
        # Hours (unused by Wikidata) read as the day; long years are zero-padded.
        ("+00000001994-01-02T00:00:00Z", 14, PartialDate(D(1994, 1, 2), "day")),
    ],
)
def test_a_time_keeps_its_precision_and_a_year_never_becomes_1_january(time, precision, expected):
    date = read_time(time_snak(time, precision), "here")
    assert date == expected
    assert date.precision != "day" or precision >= 11


@pytest.mark.parametrize(
    "snak, reason",
    [
        (time_snak("+1801-00-00T00:00:00Z", 7), "decade or coarser"),
        (
            time_snak("+1870-03-02T00:00:00Z", 11, "http://www.wikidata.org/entity/Q1985786"),
            "calendar",
        ),
        (time_snak("-0044-03-15T00:00:00Z", 11), "cannot hold"),
        (time_snak("+2001-02-30T00:00:00Z", 11), "not a day"),
    ],
)
def test_a_time_the_archive_cannot_keep_is_unusable_not_misread(snak, reason):
    with pytest.raises(Unusable, match=reason):
        read_time(snak, "here")


@pytest.mark.parametrize("snaktype", ["somevalue", "novalue"])
def test_an_unknown_or_absent_time_is_nothing(snaktype):
    assert read_time({"snaktype": snaktype, "property": "P569"}, "here") is None


@pytest.mark.parametrize(
    "snak",
    [
        time_snak("1977-06-08", 11),
        time_snak("+1977-06-08T00:00:00Z", "11"),
        {"snaktype": "value", "property": "P569"},
        {"snaktype": "somethingelse", "property": "P569"},
    ],
)
def test_a_time_not_written_as_wikidata_writes_one_is_malformed(snak):
    with pytest.raises(MalformedAnswer, match="here"):
        read_time(snak, "here")


def test_names_are_the_label_then_other_labels_and_aliases_in_the_languages_asked(recorded):
    mara = entity(recorded, MARA)
    assert mara.name == "Mara Quill"
    assert mara.aliases == ["Quill", "M. Quill", "Mara Q. Quill"]
    french_first = entity(recorded, TEO, ["fr", "en"])
    assert french_first.name == "Téo Vance"
    assert french_first.aliases == ["Teo Vance", "Teodor Vance"]


def test_names_are_kept_to_one_line_of_plain_text(recorded):
    item = in_languages(recorded[JUNO], {"en"})
    item["labels"]["en"]["value"] = "Juno\tPark\x00"
    item["aliases"]["en"] = [{"language": "en", "value": " Juno\n  P.\x85 "}]
    juno = read_entity(item, ["en"])
    assert (juno.name, juno.aliases) == ("Juno Park", ["Juno P."])


def test_the_label_for_every_language_is_a_fallback(recorded):
    item = in_languages(recorded[JUNO], {"mul"})
    item["labels"] = {"mul": {"language": "mul", "value": "Juno Park"}}
    assert read_entity(item, ["de"]).name == "Juno Park"
    del item["labels"]["mul"]
    nameless = read_entity(item, ["de"])
    assert nameless.name == "" and "no name in de" in nameless.notes[0]


def test_dates_of_birth_and_death_with_their_precision(recorded):
    assert entity(recorded, MARA).born.date == PartialDate(D(1977, 1, 1), "year")
    assert entity(recorded, MARA).died is None  # novalue: alive
    assert entity(recorded, JUNO).born.date == PartialDate(D(1982, 3, 1), "month")
    assert entity(recorded, TEO).born.date == PartialDate(D(1980, 10, 21), "day")
    assert entity(recorded, ASH).born is None  # somevalue: born, date unknown


def test_the_preferred_date_decides_and_agreeing_ones_are_cited_with_it(recorded):
    robin = entity(recorded, ROBIN)
    assert robin.born.date == PartialDate(D(1990, 7, 4), "day")
    assert [s.property for s in robin.born.statements] == ["P569"]
    assert robin.died.date == PartialDate(D(2020, 2, 1), "month")


def test_dates_that_disagree_at_the_same_rank_are_left_out_and_said(recorded):
    cass = entity(recorded, CASS)
    assert cass.born is None
    assert any("date of birth left out" in note and "several" in note for note in cass.notes)


def test_a_century_or_another_calendar_is_left_out_and_said(recorded):
    old = entity(recorded, OLD)
    assert old.born is None and old.died is None
    assert len(old.notes) == 2
    assert "decade or coarser" in old.notes[0] and "calendar" in old.notes[1]


def test_ties_read_as_relationship_kinds_with_their_qualifiers(recorded):
    ties = {(t.kind, t.person_a, t.person_b): t for t in entity(recorded, MARA).ties}
    marriage = ties[(RelationshipKind.MARRIED, MARA, TEO)]
    assert marriage.started == PartialDate(D(2014, 5, 24), "day")
    assert marriage.ended == PartialDate(D(2022, 11, 29), "day")
    assert marriage.end_reason == EndReason.DIVORCE
    assert marriage.statement.property == "P26"
    assert marriage.statement.id.startswith(f"{MARA}$")
    partner = ties[(RelationshipKind.DATING, MARA, JUNO)]
    assert partner.started == PartialDate(D(2010, 4, 1), "month")
    assert partner.ended == PartialDate(D(2013, 1, 1), "year")
    # An end without a cause: ended, reason not stated.
    assert partner.end_reason == EndReason.OTHER
    assert (RelationshipKind.PARENT, MARA, IVY) in ties
    # The deprecated spouse, the unknown partner (somevalue), no siblings (novalue): none.
    assert len(ties) == 4


def test_a_parent_is_person_a_from_either_side(recorded):
    ivy = {(t.kind, t.person_a, t.person_b) for t in entity(recorded, IVY).ties}
    assert ivy == {
        (RelationshipKind.PARENT, TEO, IVY),
        (RelationshipKind.PARENT, MARA, IVY),
        (RelationshipKind.SIBLING, IVY, ASH),
    }


def test_a_missing_qualifier_leaves_that_date_unknown(recorded):
    (marriage,) = entity(recorded, TEO).ties[:1]
    assert marriage.started == PartialDate(D(2014, 1, 1), "year")
    assert (marriage.ended, marriage.end_reason) == (None, "")


@pytest.mark.parametrize(
    "cause, reason",
    [
        ({"snaktype": "somevalue", "property": "P1534"}, EndReason.OTHER),
        (
            {
                "snaktype": "value",
                "property": "P1534",
                "datavalue": {
                    "value": {"entity-type": "item", "numeric-id": 4, "id": "Q4"},
                    "type": "wikibase-entityid",
                },
            },
            EndReason.DEATH,
        ),
        (
            {
                "snaktype": "value",
                "property": "P1534",
                "datavalue": {
                    "value": {"entity-type": "item", "numeric-id": 123, "id": "Q123"},
                    "type": "wikibase-entityid",
                },
            },
            EndReason.OTHER,
        ),
    ],
)
def test_end_causes_read_as_end_reasons(recorded, cause, reason):
    item = json.loads(json.dumps(recorded[TEO]))
    item["claims"]["P26"][0]["qualifiers"]["P1534"] = [cause]
    (marriage,) = read_entity(item, ["en"]).ties[:1]
    assert marriage.end_reason == reason


def test_an_answer_names_the_entities_wikidata_does_not_know(recorded):
    data = {"entities": {MARA: recorded[MARA], "Q990000404": {"id": "Q990000404", "missing": ""}}}
    answer = read_answer(data, [MARA, "Q990000404"], ["en"])
    assert list(answer.entities) == [MARA]
    assert answer.missing == ["Q990000404"]
    error = {"error": {"code": "no-such-entity", "info": "Could not find…", "id": "Q0"}}
    assert read_answer(error, ["Q0"], ["en"]).missing == ["Q0"]


def test_a_merged_item_is_read_under_its_new_id_and_known_by_the_old(recorded):
    data = {"entities": {"Q990000099": {**recorded[MARA], "redirects": {"from": "Q990000099"}}}}
    answer = read_answer(data, ["Q990000099"], ["en"])
    mara = answer.entities["Q990000099"]
    assert (mara.qid, mara.asked_as) == (MARA, "Q990000099")


def test_wikidata_refusing_is_said_in_its_words():
    data = {"error": {"code": "param-invalid", "info": "Invalid value"}}
    with pytest.raises(WikidataRefused, match="param-invalid: Invalid value"):
        read_answer(data, [MARA], ["en"])


@pytest.mark.parametrize(
    "change, where",
    [
        (lambda a: a.pop("entities"), "no “entities”"),
        (lambda a: a["entities"].pop(MARA), f"{MARA} was asked for"),
        (lambda a: a["entities"][MARA].update(id="P26"), "no item id"),
        (lambda a: a["entities"][MARA].update(claims=[]), f"{MARA}: “claims”"),
        (
            lambda a: a["entities"][MARA]["claims"]["P26"][0].pop("mainsnak"),
            f"{MARA} claims P26[0]",
        ),
        (
            lambda a: a["entities"][MARA]["claims"]["P26"][0]["mainsnak"].pop("datavalue"),
            f"{MARA} claims P26[0] mainsnak",
        ),
        (lambda a: a["entities"][MARA]["claims"]["P26"][0].update(rank="best"), "unknown rank"),
        (
            lambda a: a["entities"][MARA]["claims"]["P569"][0]["mainsnak"]["datavalue"].update(
                type="string"
            ),
            f"{MARA} claims P569[0] mainsnak",
        ),
        (lambda a: a["entities"][MARA]["labels"].update(en="Mara"), "labels en"),
        (lambda a: a["entities"][MARA]["claims"]["P26"][0].update(qualifiers=[]), "qualifiers"),
    ],
)
def test_a_malformed_answer_says_where(recorded, change, where):
    data = {"entities": {MARA: json.loads(json.dumps(recorded[MARA]))}, "success": 1}
    change(data)
    with pytest.raises(MalformedAnswer, match=re.escape(where)):
        read_answer(data, [MARA], ["en"])
