"""Wikidata's facts (entities.py) into the archive: proposed, never imposed.

- **Who.** A person is the one with the entity's Wikidata ID; else the one person of the same
  name who has no Wikidata ID and whose date of birth does not say otherwise (they are then
  given the ID); else a new person, named by the entity's label in the first language asked.
- **Blanks are filled**, each fact with its source: the Wikidata statement (entity page and
  property, `https://www.wikidata.org/wiki/Q186304#P26`).
- **A value that differs from what an editor entered is proposed** (`Proposal`), never written
  over it: an editor confirms or dismisses it in the admin. A value Wikidata knows less
  precisely than the archive (1977 against 8 June 1977) agrees with it.
- **Names are only added**: the entity's other labels and aliases become aliases (a one-word
  alias marked ambiguous, so that “Ye” alone never makes a story about this person).
- **Relationships** are matched to the archive's by the pair, the kind and a start date that
  agrees; a tie stated from both sides (her spouse, his spouse) is one relationship citing
  both statements. One with someone not in the archive is left out and said so (`--depth 1`
  brings the people at the other end).
- **Nothing is saved that did not change**: a second run writes nothing — no row, no version,
  no new edition of the archive.

The caller runs `import_entities` inside one transaction (the command does).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models.functions import Lower
from django.utils.text import slugify

from people.models import (
    PRECISION_OF,
    Alias,
    EndReason,
    FormerSlug,
    Person,
    Proposal,
    ProposedField,
    Relationship,
    RelationshipKind,
    Source,
)

from .entities import PROPERTY_NAMES, Dated, Entity, PartialDate, Statement, Tie

CHANGE_REASON = "Imported from Wikidata"
NAME_LENGTH = 200  # Person.name, Alias.name
SYMMETRIC = frozenset(RelationshipKind.values) - Relationship.DIRECTED_KINDS


@dataclass
class Outcome:
    """What a run did, for the operator."""

    people_created: list[str] = field(default_factory=list)
    people_updated: list[str] = field(default_factory=list)
    relationships_created: int = 0
    relationships_updated: int = 0
    proposals: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(
            self.people_created
            or self.people_updated
            or self.relationships_created
            or self.relationships_updated
            or self.proposals
        )


@dataclass
class Fact:
    """One relationship as Wikidata states it, from one side or both."""

    kind: str
    person_a: Person
    person_b: Person
    statements: list[Statement]
    started: PartialDate | None
    ended: PartialDate | None
    end_reason: str

    @property
    def key(self) -> tuple:
        return pair_key(self.kind, self.person_a.pk, self.person_b.pk)


class Agreement:
    FILL, AGREE, PROPOSE = "fill", "agree", "propose"


def compare(current: PartialDate | None, found: PartialDate | None) -> str | None:
    """How a date found relates to the archive's: None when Wikidata says nothing."""
    if found is None:
        return None
    if current is None:
        return Agreement.FILL
    return Agreement.AGREE if found.covers(current) else Agreement.PROPOSE


def agrees(one: PartialDate | None, other: PartialDate | None) -> bool:
    """Whether two dates may be the same date (either unknown, or one covers the other)."""
    return one is None or other is None or one.covers(other) or other.covers(one)


def finer(one: PartialDate | None, other: PartialDate | None) -> PartialDate | None:
    if one is None or (other is not None and one.covers(other)):
        return other
    return one


def partial(day: datetime.date | None, precision: str) -> PartialDate | None:
    return None if day is None else PartialDate(day, precision)


class Importer:
    def __init__(self, entities: dict[str, Entity], entity_url: str, depth: int = 0) -> None:
        self.depth = depth
        # By their canonical ids (an id asked for may have been merged into another).
        self.entities = {entity.qid: entity for entity in entities.values()}
        self.entity_url = entity_url
        self.outcome = Outcome()
        self.people: dict[str, Person] = {}
        self.sources: dict[str, Source] = {}
        self.slugs_taken: set[str] = set()
        self.by_hand: dict[tuple, bool] = {}
        self.recorded: dict[tuple, list[Relationship]] = defaultdict(list)

    def run(self) -> Outcome:
        for entity in self.entities.values():
            self.outcome.notes += entity.notes
        self.load_sources()
        self.find_people()
        for qid in sorted(self.entities, key=lambda q: int(q[1:])):
            self.import_person(self.entities[qid])
        self.import_relationships()
        return self.outcome

    # --- sources ------------------------------------------------------------------------

    def url(self, qid: str, pid: str = "") -> str:
        return f"{self.entity_url}{qid}" + (f"#{pid}" if pid else "")

    def load_sources(self) -> None:
        urls = set()
        for entity in self.entities.values():
            urls.add(self.url(entity.qid))
            for dated in (entity.born, entity.died):
                if dated:
                    urls.update(self.url(s.entity, s.property) for s in dated.statements)
            urls.update(self.url(t.statement.entity, t.statement.property) for t in entity.ties)
        for source in Source.objects.filter(url__in=urls).order_by("-id"):
            self.sources[source.url] = source  # the oldest one citing the address wins

    def source(self, qid: str, pid: str = "") -> Source:
        """The source citing entity `qid` (its property `pid`), made once."""
        url = self.url(qid, pid)
        if url not in self.sources:
            name = self.name_of(qid)
            label = f"Wikidata: {name} ({qid})" if name else f"Wikidata: {qid}"
            if pid:
                label += f", {PROPERTY_NAMES.get(pid, pid)} ({pid})"
            # None cites this address yet (load_sources read every one that does).
            self.sources[url] = Source.objects.create(label=label, url=url, outlet="Wikidata")
        return self.sources[url]

    def name_of(self, qid: str) -> str:
        if qid in self.entities and self.entities[qid].name:
            return self.entities[qid].name
        person = self.people.get(qid)
        return person.name if person else ""

    def cite(self, target: Person | Relationship, sources: list[Source]) -> bool:
        """Add the sources `target` lacks; whether it lacked any."""
        have = {source.pk for source in target.sources.all()}
        missing = [source for source in dict.fromkeys(sources) if source.pk not in have]
        if missing:
            target.sources.add(*missing)
        return bool(missing)

    # --- people -------------------------------------------------------------------------

    def find_people(self) -> None:
        wanted = set(self.entities)
        merged = {e.asked_as: e.qid for e in self.entities.values() if e.asked_as}
        for entity in self.entities.values():
            wanted.update(tie.other(entity.qid) for tie in entity.ties)
        people = Person.objects.filter(wikidata_id__in=wanted | set(merged)).prefetch_related(
            "aliases", "sources"
        )
        for person in people:
            # A person recorded under an id Wikidata has since merged into another is the
            # same person (given the id Wikidata uses now).
            qid = person.wikidata_id
            if qid in merged and merged[qid] in self.people:
                continue
            self.people[merged.get(qid, qid)] = person
        # The same name, no Wikidata ID, no date of birth saying otherwise: the same person.
        unmatched = [e for e in self.entities.values() if e.qid not in self.people and e.name]
        by_name = defaultdict(list)
        for entity in unmatched:
            by_name[entity.name.lower()].append(entity)
        candidates = defaultdict(list)
        for person in (
            Person.objects.filter(wikidata_id="")
            .annotate(lowered=Lower("name"))
            .filter(lowered__in=list(by_name))
            .prefetch_related("aliases", "sources")
        ):
            candidates[person.name.lower()].append(person)
        for name, entities in by_name.items():
            namesakes = candidates.get(name, [])
            if len(entities) != 1 or len(namesakes) != 1:
                continue
            (entity,), (person,) = entities, namesakes
            born = partial(person.born_on, person.born_precision)
            if entity.born and not agrees(born, entity.born.date):
                entity.note(
                    f"not taken for {person.name} (/people/{person.slug}/): "
                    "the dates of birth differ"
                )
                self.outcome.notes.append(entity.notes[-1])
                continue
            self.people[entity.qid] = person

    def free_slug(self, entity: Entity) -> str:
        base = slugify(entity.name)[:NAME_LENGTH] or entity.qid.lower()
        for slug in (base, f"{base[: NAME_LENGTH - 12]}-{entity.qid.lower()}"):
            if (
                slug not in self.slugs_taken
                and not Person.objects.filter(slug=slug).exists()
                and not FormerSlug.objects.filter(slug=slug).exists()
            ):
                self.slugs_taken.add(slug)
                return slug
        raise ValueError(f"{entity.qid}: no free address for “{entity.name}”")

    def import_person(self, entity: Entity) -> None:
        person = self.people.get(entity.qid)
        if person is None:
            if not entity.name:
                return  # said in the entity's notes
            if len(entity.name) > NAME_LENGTH:
                self.note(entity, f"a name longer than {NAME_LENGTH} characters: left out")
                return
            self.create_person(entity)
        else:
            self.update_person(entity, person)

    def life_dates(self, entity: Entity) -> tuple[Dated | None, Dated | None]:
        born, died = entity.born, entity.died
        if born and died and died.date.day < born.date.day:
            self.note(entity, "the date of death comes before the date of birth: left out")
            died = None
        return born, died

    def create_person(self, entity: Entity) -> None:
        born, died = self.life_dates(entity)
        person = Person(name=entity.name, slug=self.free_slug(entity), wikidata_id=entity.qid)
        sources = [self.source(entity.qid)]
        if born:
            person.born_on, person.born_precision = born.date.day, born.date.precision
            sources += [self.source(s.entity, s.property) for s in born.statements]
        if died:
            person.died_on, person.died_precision = died.date.day, died.date.precision
            sources += [self.source(s.entity, s.property) for s in died.statements]
        person._change_reason = CHANGE_REASON  # type: ignore[attr-defined]  # simple-history's
        person.save()
        self.people[entity.qid] = person
        self.add_aliases(entity, person, existing=set())
        person.sources.add(*dict.fromkeys(sources))
        self.outcome.people_created.append(f"{person.name} ({entity.qid}, /people/{person.slug}/)")

    def update_person(self, entity: Entity, person: Person) -> None:
        changed = []
        if person.wikidata_id != entity.qid:
            person.wikidata_id = entity.qid
            changed.append("Wikidata ID")
        sources = [self.source(entity.qid)]
        born, died = self.life_dates(entity)
        for dated, field_name in ((born, ProposedField.BORN_ON), (died, ProposedField.DIED_ON)):
            if dated is None:
                continue
            found = dated.date
            precision_field = PRECISION_OF[field_name]
            current = partial(getattr(person, field_name), getattr(person, precision_field))
            agreement = compare(current, found)
            if agreement == Agreement.PROPOSE and not self.edited_by_hand(person):
                agreement = Agreement.FILL  # the import's own value, now known better
            statement_sources = [self.source(s.entity, s.property) for s in dated.statements]
            if agreement == Agreement.FILL:
                died_too_soon = (
                    field_name == ProposedField.DIED_ON
                    and person.born_on
                    and found.day < person.born_on
                )
                born_too_late = (
                    field_name == ProposedField.BORN_ON
                    and person.died_on
                    and found.day > person.died_on
                )
                if died_too_soon or born_too_late:
                    self.note(entity, f"Wikidata's {field_name.label} does not fit the archive's")
                    continue
                setattr(person, field_name, found.day)
                setattr(person, precision_field, found.precision)
                changed.append(field_name.label)
                sources += statement_sources
            elif agreement == Agreement.AGREE:
                sources += statement_sources
            else:
                self.propose(person, field_name, found, statement_sources[0])
        if changed:
            person._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
            person.save()
        existing = {person.name.casefold(), person.full_name.casefold()}
        existing |= {alias.name.casefold() for alias in person.aliases.all()}
        added = self.add_aliases(entity, person, existing)
        cited = self.cite(person, sources)
        if changed or added or cited:
            self.outcome.people_updated.append(f"{person.name} ({entity.qid})")

    def add_aliases(self, entity: Entity, person: Person, existing: set[str]) -> int:
        existing = existing | {person.name.casefold()}
        added = 0
        for name in [entity.name, *entity.aliases]:
            if not name or name.casefold() in existing:
                continue
            existing.add(name.casefold())
            if len(name) > NAME_LENGTH:
                self.note(entity, f"an alias longer than {NAME_LENGTH} characters: left out")
                continue
            alias = Alias(person=person, name=name, is_ambiguous=len(name.split()) == 1)
            alias._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
            alias.save()
            added += 1
        return added

    def propose(
        self,
        target: Person | Relationship,
        field_name: str,
        found: PartialDate | str,
        source: Source,
    ) -> None:
        if isinstance(found, PartialDate):
            value, precision = found.day.isoformat(), found.precision
        else:
            value, precision = found, ""
        owner: dict[str, Person | Relationship] = (
            {"person": target} if isinstance(target, Person) else {"relationship": target}
        )
        proposal, created = Proposal.objects.get_or_create(
            **owner,
            field=field_name,
            value=value,
            precision=precision,
            defaults={"source": source},
        )
        if created:
            self.outcome.proposals.append(
                f"{target}: {proposal.get_field_display()} {proposal.value_display} "
                f"(the archive has {proposal.current_display})"
            )

    def edited_by_hand(self, target: Person | Relationship) -> bool:
        """Whether anyone but this import ever saved `target` (a version without the
        import's reason: an editor's, a fixture's). Values only the import wrote are
        Wikidata's, and follow it; an editor's are only ever proposed changes."""
        key = (type(target), target.pk)
        if key not in self.by_hand:
            self.by_hand[key] = (
                target.history.exclude(history_change_reason=CHANGE_REASON).exists()
                or not target.history.exists()
            )
        return self.by_hand[key]

    def note(self, entity: Entity, text: str) -> None:
        entity.note(text)
        self.outcome.notes.append(entity.notes[-1])

    # --- relationships ------------------------------------------------------------------

    def facts(self) -> list[Fact]:
        """Every tie between two people of the archive, a tie stated from both sides once."""
        groups: dict[tuple, list[Fact]] = defaultdict(list)
        ties = [tie for entity in self.entities.values() for tie in entity.ties]
        # Ties with dates first, so that an undated statement of the same tie joins them.
        ties.sort(key=lambda t: (t.started is None, t.statement.entity, t.statement.id))
        for tie in ties:
            a, b = self.people.get(tie.person_a), self.people.get(tie.person_b)
            if a is None or b is None:
                missing = tie.person_b if a is not None else tie.person_a
                if missing not in self.entities:
                    hint = " (--depth 1 brings them)" if self.depth == 0 else ""
                    self.outcome.notes.append(
                        f"{tie.statement.entity}: {PROPERTY_NAMES[tie.statement.property]} "
                        f"{missing} is not in the archive: left out{hint}"
                    )
                continue
            facts = groups[pair_key(tie.kind, a.pk, b.pk)]
            for fact in facts:
                if agrees(fact.started, tie.started):
                    merge(fact, tie)
                    break
            else:
                facts.append(
                    Fact(tie.kind, a, b, [tie.statement], tie.started, tie.ended, tie.end_reason)
                )
        return [fact for facts in groups.values() for fact in facts]

    def import_relationships(self) -> None:
        facts = self.facts()
        if not facts:
            return
        pks = {person.pk for fact in facts for person in (fact.person_a, fact.person_b)}
        # Every relationship between these people, read once: matched to the facts, and
        # what a new one must not repeat (relationship_unique_pair_kind_start).
        for relationship in Relationship.objects.filter(
            person_a__in=pks, person_b__in=pks
        ).prefetch_related("sources"):
            key = pair_key(relationship.kind, relationship.person_a_id, relationship.person_b_id)
            self.recorded[key].append(relationship)
        existing = {key: list(found) for key, found in self.recorded.items()}
        facts_per_key: dict[tuple, int] = defaultdict(int)
        for fact in facts:
            facts_per_key[fact.key] += 1
        for fact in facts:
            key = fact.key
            candidates = existing.get(key, [])
            match = next(
                (r for r in candidates if agrees(started_of(r), fact.started)),
                # One tie and one relationship of this kind between the two: the same one,
                # whatever the dates say (their difference is proposed).
                candidates[0] if len(candidates) == 1 and facts_per_key[key] == 1 else None,
            )
            sources = [self.source(s.entity, s.property) for s in fact.statements]
            if match is None:
                self.create_relationship(fact, sources)
            else:
                candidates.remove(match)  # one relationship answers one fact
                self.update_relationship(match, fact, sources)

    def create_relationship(self, fact: Fact, sources: list[Source]) -> Relationship | None:
        started, ended = fact.started, fact.ended
        if fact.kind == RelationshipKind.PARENT and started is None and fact.person_b.born_on:
            # As the archive records parenthood: from the child's birth.
            started = PartialDate(fact.person_b.born_on, fact.person_b.born_precision)
        relationship = Relationship(
            person_a=fact.person_a,
            person_b=fact.person_b,
            kind=fact.kind,
            end_reason=fact.end_reason,
        )
        if started:
            relationship.started_on, relationship.started_precision = started.day, started.precision
        if ended:
            if started and ended.day < started.day:
                self.outcome.notes.append(
                    f"{relationship}: the end comes before the start in Wikidata; end left out"
                )
            else:
                relationship.ended_on, relationship.ended_precision = ended.day, ended.precision
        if any(r.started_on == relationship.started_on for r in self.recorded[fact.key]):
            self.outcome.notes.append(f"{relationship}: already recorded with this start; left out")
            return None
        relationship._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
        relationship.save()
        relationship.sources.add(*dict.fromkeys(sources))
        self.recorded[fact.key].append(relationship)
        self.outcome.relationships_created += 1
        return relationship

    def update_relationship(
        self, relationship: Relationship, fact: Fact, sources: list[Source]
    ) -> None:
        changed = False
        agreed = True
        for found, field_name in (
            (fact.started, ProposedField.STARTED_ON),
            (fact.ended, ProposedField.ENDED_ON),
        ):
            if found is None:
                continue  # Wikidata says nothing of it
            precision_field = PRECISION_OF[field_name]
            current = partial(
                getattr(relationship, field_name), getattr(relationship, precision_field)
            )
            agreement = compare(current, found)
            if agreement == Agreement.PROPOSE and not self.edited_by_hand(relationship):
                agreement = Agreement.FILL  # the import's own value, now known better
            if agreement == Agreement.FILL:
                other = (
                    relationship.ended_on
                    if field_name == ProposedField.STARTED_ON
                    else relationship.started_on
                )
                wrong_way = other is not None and (
                    (field_name == ProposedField.STARTED_ON and found.day > other)
                    or (field_name == ProposedField.ENDED_ON and found.day < other)
                )
                if wrong_way:
                    self.outcome.notes.append(
                        f"{relationship}: Wikidata's {field_name.label} {found.day} does not "
                        "fit the archive's dates; left out"
                    )
                    agreed = False
                    continue
                setattr(relationship, field_name, found.day)
                setattr(relationship, precision_field, found.precision)
                changed = True
            elif agreement == Agreement.PROPOSE:
                self.propose(relationship, field_name, found, sources[0])
                agreed = False
        reason = fact.end_reason
        if reason:
            if reason == relationship.end_reason:
                pass
            elif not relationship.end_reason or (
                reason != EndReason.OTHER and not self.edited_by_hand(relationship)
            ):
                relationship.end_reason = reason
                changed = True
            elif reason != EndReason.OTHER:
                self.propose(relationship, ProposedField.END_REASON, reason, sources[0])
                agreed = False
        if changed:
            relationship._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
            relationship.save()
        cited = self.cite(relationship, sources) if (changed or agreed) else False
        if changed or cited:
            self.outcome.relationships_updated += 1


def pair_key(kind: str, a: int, b: int) -> tuple:
    """Which relationships are the same two people and kind: either way round, but for a
    parent's."""
    if kind in SYMMETRIC:
        return (kind, min(a, b), max(a, b))
    return (kind, a, b)


def started_of(relationship: Relationship) -> PartialDate | None:
    return partial(relationship.started_on, relationship.started_precision)


def merge(fact: Fact, tie: Tie) -> None:
    """The same tie stated again (from the other side, or twice): the most precise dates and
    the most telling end reason of the two, citing both statements."""
    fact.statements.append(tie.statement)
    fact.started = finer(fact.started, tie.started)
    if agrees(fact.ended, tie.ended):
        fact.ended = finer(fact.ended, tie.ended)
    if tie.end_reason and fact.end_reason in {"", EndReason.OTHER}:
        fact.end_reason = tie.end_reason


def import_entities(entities: dict[str, Entity], *, entity_url: str, depth: int = 0) -> Outcome:
    """Write what `entities` say into the archive; run it inside a transaction. `depth` is
    how far the entities were gathered (for the notes' hints)."""
    return Importer(entities, entity_url, depth).run()
