"""Wikidata entities (the JSON of `wbgetentities`) read as the archive's facts.

Plain data in, plain data out: `read_answer` takes one decoded answer and gives an `Entity`
per item — its name and other names in the languages asked for, its dates of birth and death
with their precision, and its ties to other people (`Tie`), each with the statement that
states it, so every fact can cite its source. What is left out, and why, is said in
`Entity.notes`. An answer that is not what Wikidata sends raises `MalformedAnswer`, naming
where.

How Wikidata says things (https://www.mediawiki.org/wiki/Wikibase/DataModel/JSON):
- a time is `+1977-06-08T00:00:00Z` with a `precision`: 9 the year, 10 the month, 11 the
  day; the parts not known are `00` (`+1977-00-00T00:00:00Z`). Coarser precisions (a decade, a
  century) are too vague for the archive and are left out.
- a snak is a `value`, `somevalue` (there is one, unknown) or `novalue` (there is none).
- a statement's rank is `preferred`, `normal` or `deprecated`; deprecated statements are
  known to be wrong and are never read.
"""

import datetime
import re
from dataclasses import dataclass, field

from common.text import without_control_characters
from people.dates import Precision
from people.models import EndReason, RelationshipKind

QID = re.compile(r"^Q[1-9][0-9]*$")
TIME = re.compile(r"^([+-])(\d{1,16})-(\d{2})-(\d{2})T\d{2}:\d{2}:\d{2}Z$")
GREGORIAN = "http://www.wikidata.org/entity/Q1985727"

PRECISIONS = {9: Precision.YEAR, 10: Precision.MONTH, 11: Precision.DAY}
FINEST = 11  # hours, minutes and seconds (12–14) are unused: read as the day

BORN, DIED = "P569", "P570"
STARTED, ENDED, END_CAUSE = "P580", "P582", "P1534"


@dataclass(frozen=True)
class TieProperty:
    """How a statement of this property reads as a relationship: of what kind, and whether
    the entity stating it is person A (“Kim: spouse North's father”) or person B (“North:
    father Kanye” is Kanye parent of North)."""

    kind: str
    subject_is_a: bool
    name: str
    dated: bool  # whether start and end qualifiers mean anything for the archive


TIES = {
    "P26": TieProperty(RelationshipKind.MARRIED, True, "spouse", True),
    "P451": TieProperty(RelationshipKind.DATING, True, "unmarried partner", True),
    "P40": TieProperty(RelationshipKind.PARENT, True, "child", False),
    "P22": TieProperty(RelationshipKind.PARENT, False, "father", False),
    "P25": TieProperty(RelationshipKind.PARENT, False, "mother", False),
    "P3373": TieProperty(RelationshipKind.SIBLING, True, "sibling", False),
}
PROPERTY_NAMES = {
    BORN: "date of birth",
    DIED: "date of death",
    **{pid: tie.name for pid, tie in TIES.items()},
}

# Values of “end cause” (P1534) as the archive's end reasons. Any other cause, or one not
# known (somevalue), or an end date without a cause, is “other”: ended, reason not stated.
END_CAUSES = {
    "Q93190": EndReason.DIVORCE,  # divorce
    "Q701040": EndReason.ANNULMENT,  # annulment
    "Q1299585": EndReason.ANNULMENT,  # declaration of nullity
    "Q4": EndReason.DEATH,  # death
    "Q24037741": EndReason.DEATH,  # death of spouse
    "Q99521170": EndReason.DEATH,  # death of subject
    "Q90110620": EndReason.DEATH,  # death of partner
    "Q8445": EndReason.MARRIAGE,  # marriage (a partnership that became one)
}


class MalformedAnswer(ValueError):
    """The answer is not shaped as Wikidata answers: the message says where."""


class WikidataRefused(ValueError):
    """Wikidata answered with an error of its own (its code and words in the message)."""


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the month or the year; `day` is the first day of what is
    known (people/dates.py), so “1977” is 1977-01-01 at year precision — never 1 January."""

    day: datetime.date
    precision: str

    def covers(self, other: "PartialDate") -> bool:
        """Whether `other` says the same as this or more precisely (“1977” covers
        “8 June 1977”)."""
        order: list[str] = [Precision.YEAR, Precision.MONTH, Precision.DAY]
        if order.index(other.precision) < order.index(self.precision):
            return False
        return truncated(other.day, self.precision) == self.day


def truncated(day: datetime.date, precision: str) -> datetime.date:
    if precision == Precision.YEAR:
        return day.replace(month=1, day=1)
    if precision == Precision.MONTH:
        return day.replace(day=1)
    return day


@dataclass(frozen=True)
class Statement:
    """Where a fact comes from: a statement of `entity` about `property`."""

    entity: str
    property: str
    id: str = ""


@dataclass(frozen=True)
class Tie:
    """A relationship as one statement tells it. `person_a` and `person_b` are Q-ids; for a
    parent, A is the parent."""

    kind: str
    person_a: str
    person_b: str
    statement: Statement
    started: PartialDate | None = None
    ended: PartialDate | None = None
    end_reason: str = ""

    def other(self, qid: str) -> str:
        return self.person_b if qid == self.person_a else self.person_a


@dataclass
class Dated:
    """A date of birth or death, and the statements that give it."""

    date: PartialDate
    statements: list[Statement]


@dataclass
class Entity:
    qid: str
    name: str
    aliases: list[str] = field(default_factory=list)
    born: Dated | None = None
    died: Dated | None = None
    ties: list[Tie] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # The id asked for when Wikidata answered with another (a merged item's redirect).
    asked_as: str = ""

    def note(self, text: str) -> None:
        self.notes.append(f"{self.qid}: {text}")


@dataclass
class Answer:
    entities: dict[str, Entity]  # by the id asked for
    missing: list[str]  # ids Wikidata does not know


def read_answer(data: object, asked: list[str], languages: list[str]) -> Answer:
    """The entities of one `wbgetentities` answer, for the ids `asked`."""
    if not isinstance(data, dict):
        raise MalformedAnswer("the answer is not a JSON object")
    if "error" in data:
        error = data["error"]
        if not isinstance(error, dict):
            raise MalformedAnswer("“error” is not an object")
        code, info = error.get("code", "?"), error.get("info", "")
        if code == "no-such-entity":
            # Said of the whole request: the id named, or else every id asked.
            named = error.get("id")
            return Answer({}, [named] if isinstance(named, str) and named else list(asked))
        raise WikidataRefused(f"Wikidata refused the request: {code}: {info}".rstrip(": "))
    found = data.get("entities")
    if not isinstance(found, dict):
        raise MalformedAnswer("the answer has no “entities” object")
    entities, missing = {}, []
    for qid in asked:
        item = found.get(qid)
        if item is None:
            raise MalformedAnswer(f"{qid} was asked for and is not in the answer")
        if not isinstance(item, dict):
            raise MalformedAnswer(f"{qid}: not an object")
        if "missing" in item:
            missing.append(qid)
            continue
        entity = read_entity(item, languages)
        if entity.qid != qid:
            entity.asked_as = qid
        entities[qid] = entity
    return Answer(entities, missing)


def read_entity(item: dict, languages: list[str]) -> Entity:
    qid = item.get("id")
    if not isinstance(qid, str) or not QID.match(qid):
        raise MalformedAnswer(f"an entity has no item id (“id”: {qid!r})")
    where = qid
    names = read_names(item, languages, where)
    entity = Entity(qid=qid, name=names[0] if names else "", aliases=names[1:])
    if not names:
        entity.note(f"no name in {', '.join(languages)}")
    claims = item.get("claims", {})
    if not isinstance(claims, dict):
        raise MalformedAnswer(f"{where}: “claims” is not an object")
    entity.born = read_life_date(entity, claims, BORN)
    entity.died = read_life_date(entity, claims, DIED)
    for pid, tie in TIES.items():
        for index, statement in enumerate(statements(claims, pid, where)):
            here = f"{where} claims {pid}[{index}]"
            other = read_item(statement["mainsnak"], f"{here} mainsnak")
            if other is None:
                continue  # somevalue (someone unknown) or novalue (nobody)
            if other == qid:
                entity.note(f"{PROPERTY_NAMES[pid]} ({pid}) names the person themselves")
                continue
            a, b = (qid, other) if tie.subject_is_a else (other, qid)
            started = ended = None
            end_reason = ""
            if tie.dated:
                qualifiers = read_qualifiers(statement, here)
                started = first_date(entity, qualifiers.get(STARTED, []), f"{here} {STARTED}")
                ended = first_date(entity, qualifiers.get(ENDED, []), f"{here} {ENDED}")
                cause = first_cause(qualifiers.get(END_CAUSE, []), f"{here} {END_CAUSE}")
                if cause is not None:
                    end_reason = END_CAUSES.get(cause, EndReason.OTHER)
                elif ended is not None:
                    end_reason = EndReason.OTHER
            entity.ties.append(
                Tie(
                    kind=tie.kind,
                    person_a=a,
                    person_b=b,
                    statement=Statement(qid, pid, str(statement.get("id", ""))),
                    started=started,
                    ended=ended,
                    end_reason=end_reason,
                )
            )
    return entity


def read_names(item: dict, languages: list[str], where: str) -> list[str]:
    """The label in the first language that has one, then the other languages' labels and
    the aliases, each once (compared without case)."""
    labels = item.get("labels", {})
    aliases = item.get("aliases", {})
    if not isinstance(labels, dict) or not isinstance(aliases, dict):
        raise MalformedAnswer(f"{where}: “labels” or “aliases” is not an object")
    names, seen = [], set()

    def add(term: object, path: str) -> None:
        if not isinstance(term, dict) or not isinstance(term.get("value"), str):
            raise MalformedAnswer(f"{where} {path}: a term without a text “value”")
        # One line of plain text, as every name in the archive (common/text.py).
        value = " ".join(without_control_characters(term["value"], lines=False).split())
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            names.append(value)

    # “mul” is the label Wikidata gives every language at once (names written the same way).
    for language in [*languages, "mul"]:
        if language in labels:
            add(labels[language], f"labels {language}")
    for language in languages:
        terms = aliases.get(language, [])
        if not isinstance(terms, list):
            raise MalformedAnswer(f"{where} aliases {language}: not a list")
        for index, term in enumerate(terms):
            add(term, f"aliases {language}[{index}]")
    return names


def statements(claims: dict, pid: str, where: str) -> list[dict]:
    """The statements about `pid` that are not deprecated, checked for shape."""
    found = claims.get(pid, [])
    if not isinstance(found, list):
        raise MalformedAnswer(f"{where} claims {pid}: not a list")
    kept = []
    for index, statement in enumerate(found):
        here = f"{where} claims {pid}[{index}]"
        if not isinstance(statement, dict) or not isinstance(statement.get("mainsnak"), dict):
            raise MalformedAnswer(f"{here}: a statement without a “mainsnak”")
        rank = statement.get("rank", "normal")
        if rank not in {"preferred", "normal", "deprecated"}:
            raise MalformedAnswer(f"{here}: unknown rank {rank!r}")
        if rank != "deprecated":
            kept.append(statement)
    return kept


def best_ranked(found: list[dict]) -> list[dict]:
    """Wikidata's own rule for “the” value: the preferred statements if any, else the normal."""
    preferred = [s for s in found if s.get("rank") == "preferred"]
    return preferred or found


def value_of(snak: dict, where: str, value_type: str) -> object | None:
    """A snak's value, or None for somevalue and novalue."""
    kind = snak.get("snaktype")
    if kind in {"somevalue", "novalue"}:
        return None
    if kind != "value":
        raise MalformedAnswer(f"{where}: unknown snak type {kind!r}")
    datavalue = snak.get("datavalue")
    if not isinstance(datavalue, dict) or "value" not in datavalue:
        raise MalformedAnswer(f"{where}: a value snak without a “datavalue”")
    if datavalue.get("type") != value_type:
        raise MalformedAnswer(f"{where}: a {datavalue.get('type')!r} where a {value_type} was due")
    return datavalue["value"]


def read_item(snak: dict, where: str) -> str | None:
    value = value_of(snak, where, "wikibase-entityid")
    if value is None:
        return None
    qid = value.get("id") if isinstance(value, dict) else None
    if not isinstance(qid, str) or not QID.match(qid):
        raise MalformedAnswer(f"{where}: an item value without an item id")
    return qid


class Unusable(ValueError):
    """A well-formed time the archive cannot keep (too vague, another calendar…)."""


def read_time(snak: dict, where: str) -> PartialDate | None:
    """A time snak as a PartialDate; None when unknown or none. Raises Unusable for a time
    that is well formed but cannot be kept, MalformedAnswer for one that is not well formed."""
    value = value_of(snak, where, "time")
    if value is None:
        return None
    if not isinstance(value, dict):
        raise MalformedAnswer(f"{where}: a time value that is not an object")
    text, precision = value.get("time"), value.get("precision")
    match = TIME.match(text) if isinstance(text, str) else None
    if match is None or not isinstance(precision, int):
        raise MalformedAnswer(f"{where}: a time not written as Wikidata writes one: {text!r}")
    sign, year, month, day = match[1], int(match[2]), int(match[3]), int(match[4])
    if precision < 9:
        raise Unusable(f"known only to the decade or coarser ({text})")
    if value.get("calendarmodel", GREGORIAN) != GREGORIAN:
        raise Unusable(f"a date in another calendar than the Gregorian ({text})")
    if sign == "-" or not 1 <= year <= 9999:
        raise Unusable(f"a year the archive cannot hold ({text})")
    # The parts written 00 are unknown, whatever the precision says.
    known = PRECISIONS[min(precision, FINEST)]
    if known == Precision.DAY and day == 0:
        known = Precision.MONTH
    if known in {Precision.DAY, Precision.MONTH} and month == 0:
        known = Precision.YEAR
    try:
        first = datetime.date(
            year,
            month if known != Precision.YEAR else 1,
            day if known == Precision.DAY else 1,
        )
    except ValueError:
        raise Unusable(f"not a day of the calendar ({text})") from None
    return PartialDate(first, known)


def read_life_date(entity: Entity, claims: dict, pid: str) -> Dated | None:
    """The date of birth or death: the most precise of the best-ranked values, provided
    every other one agrees with it (a year and a day of that year do; two days do not)."""
    dates: list[tuple[PartialDate, Statement]] = []
    found = statements(claims, pid, entity.qid)
    for index, statement in enumerate(best_ranked(found)):
        where = f"{entity.qid} claims {pid}[{index}] mainsnak"
        try:
            date = read_time(statement["mainsnak"], where)
        except Unusable as reason:
            entity.note(f"{PROPERTY_NAMES[pid]} left out: {reason}")
            continue
        if date is not None:
            dates.append((date, Statement(entity.qid, pid, str(statement.get("id", "")))))
    if not dates:
        return None
    order: list[str] = [Precision.YEAR, Precision.MONTH, Precision.DAY]
    finest = max(dates, key=lambda pair: order.index(pair[0].precision))[0]
    if not all(date.covers(finest) for date, _ in dates):
        shown = ", ".join(sorted({str(date.day) for date, _ in dates}))
        entity.note(f"{PROPERTY_NAMES[pid]} left out: Wikidata gives several ({shown})")
        return None
    return Dated(finest, [statement for _, statement in dates])


def read_qualifiers(statement: dict, where: str) -> dict[str, list[dict]]:
    qualifiers = statement.get("qualifiers", {})
    if not isinstance(qualifiers, dict) or not all(
        isinstance(snaks, list) and all(isinstance(s, dict) for s in snaks)
        for snaks in qualifiers.values()
    ):
        raise MalformedAnswer(f"{where}: “qualifiers” is not an object of lists of snaks")
    return qualifiers


def first_date(entity: Entity, snaks: list[dict], where: str) -> PartialDate | None:
    for snak in snaks:
        try:
            date = read_time(snak, where)
        except Unusable as reason:
            entity.note(f"{where} left out: {reason}")
            continue
        if date is not None:
            return date
    return None


def first_cause(snaks: list[dict], where: str) -> str | None:
    """The first end cause given: an item id, “” when Wikidata says there is one but not
    which (somevalue), None when there is none."""
    for snak in snaks:
        if snak.get("snaktype") == "somevalue":
            return ""
        qid = read_item(snak, where)
        if qid is not None:
            return qid
    return None
