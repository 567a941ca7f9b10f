"""Find the known people a story names, and its direct quotes with who said them.

Plain text in, plain dataclasses out: no models and no request, so the admin (when an editor
saves a story) and the importer (when story files are read) share one reading of a story, and
it can be tested on stories alone. The caller turns people rows into `PersonRef`s.

The conventions are the newsroom's annotation rules (tests/data/stories, practice/gold.json):

- A person is named by full name or alias: whole words, case-sensitive, possessives included.
  A name two people share is never taken; an alias marked ambiguous (“Chicago”) only when the
  sentence also names a relative, or it stands in a list of people, and never as a place
  (“his hometown of Chicago”). A one-word alias inside a longer proper noun (“Rolling Stone”)
  is not the person.
- A direct quote stands as its own sentence or is attributed (“…,” she told Vogue.); scare
  quotes, titles and fragments woven into the reporter's sentence are not quotes. A quote
  broken by its attribution is two quotes; a quote over two paragraphs is one.
- An unattributed quote right after an attributed one is by the same speaker; otherwise it is
  by the person the sentence before it is about.
- “she”, “he”, “they” are the most recent person whose pronouns agree; “the singer” is the most
  recent person who fits (not one the story introduced as a producer), “a source” is no one.
"""

import datetime
import re
from bisect import bisect_left, bisect_right, insort
from collections import defaultdict
from dataclasses import dataclass

SUBJECT = "subject"
MENTIONED = "mentioned"


@dataclass(frozen=True)
class PersonRef:
    id: int
    name: str  # "Kim Kardashian"
    aliases: tuple[tuple[str, bool], ...] = ()  # (("Kim", False), ("Chicago", True)): ambiguous
    pronouns: str = ""  # "she/her", "he/him", "they/them" or ""
    related_ids: frozenset[int] = frozenset()  # people this person has any relationship with


@dataclass
class FoundMention:
    person_id: int
    role: str  # SUBJECT if named in the headline, else MENTIONED


@dataclass
class FoundQuote:
    text: str  # without the quotation marks around it or a trailing comma of the sentence
    speaker_id: int | None
    context: str  # how it was said: "told Vogue", "wrote on February 4", "added"
    said_on: datetime.date | None
    position: int  # 1, 2, 3… in order of appearance


def find_mentions(
    title: str, dek: str, paragraphs: list[str], people: list[PersonRef]
) -> list[FoundMention]:
    """The people the story names, in order of first appearance; named in the headline, a
    person is a subject of the story."""
    directory = Directory(people)
    found: dict[int, FoundMention] = {}
    for index, text in enumerate([title, dek, *paragraphs]):
        for name in Block(text, directory, headline=index == 0).names:
            if name.person_id is None:
                continue
            mention = found.setdefault(name.person_id, FoundMention(name.person_id, MENTIONED))
            if index == 0:
                mention.role = SUBJECT
    return list(found.values())


def find_quotes(
    dek: str, paragraphs: list[str], people: list[PersonRef], published_on: datetime.date
) -> list[FoundQuote]:
    """The direct quotes of the dek and body, in order, each with its speaker when known.

    The headline is not read for quotes: quotation marks there are scare quotes."""
    return Story([dek, *paragraphs], Directory(people), published_on).quotes()


# Words --------------------------------------------------------------------------------------

# A word right before an ambiguous alias that makes it a place, or a thing: “of Chicago”.
PLACE_WORDS = frozenset(
    "in of from to at near around outside inside into across through throughout toward towards "
    "via within between past beyond a an the".split()
)
# Capitalised words that may stand before a surname without making it someone else's name.
HONORIFICS = frozenset(
    "Mr Mrs Ms Miss Mx Dr Sir Dame Lady Lord Prince Princess King Queen Judge Coach Captain "
    "President Senator Officer Detective Professor Aunt Uncle Grandma Grandpa".split()
)
# Not sentence ends: “Mr. West”, “Feb. 4”.
ABBREVIATIONS = frozenset(
    "Mr Mrs Ms Dr St Jr Sr Mt Prof Gen Sen Rep Gov Lt Col Capt Sgt Rev vs No Jan Feb Mar Apr "
    "Jun Jul Aug Sep Sept Oct Nov Dec Inc Co Corp Ltd".split()
)
SPEECH_VERBS = (
    "say says said saying tell tells told telling add adds added adding write writes wrote "
    "writing captioned captions posted shared explain explains explained explaining reveal "
    "reveals revealed admit admits admitted insist insists insisted recall recalls recalled "
    "continue continues continued continuing joke jokes joked joking tweeted tweets confess "
    "confesses confessed stated replied replies responded responds noted notes noting gushed "
    "gushes laughed laughs ask asks asked declared declares announced announces claimed claims "
    "commented comments quipped quips teased teases exclaimed exclaims remarked remarks "
    "reflected reflects mused muses sighed whispered shouted agreed agrees argued warned "
    "promised acknowledged concluded penned raved boasted conceded clarified confirmed hinted "
    "reminisced messaged texted began wondered"
).split()
PHRASAL_SPEECH_VERBS = ("went on", "chimed in", "pointed out", "opened up")
ADVERB = (
    r"(?:\w+ly|later|then|also|once|previously|recently|simply|just|even|still|first|again|"
    r"soon|further|finally|now|always|never|has|had|have|would|will)"
)

# Nouns that describe the person a phrase like “the singer” stands for.
SHE_NOUNS = frozenset(
    "actress mother mom mum mama wife girlfriend fiancée fiancee sister daughter businesswoman "
    "songstress queen princess duchess diva starlet heiress woman girl lady grandmother aunt "
    "niece ballerina chairwoman congresswoman".split()
)
HE_NOUNS = frozenset(
    "actor father dad husband boyfriend fiancé fiance brother son businessman king prince duke "
    "man boy guy grandfather uncle nephew frontman chairman congressman".split()
)
RELATION_NOUNS = frozenset(
    "mother mom mum mama wife girlfriend fiancée fiancee sister daughter father dad husband "
    "boyfriend fiancé fiance brother son partner spouse ex friend grandmother grandfather "
    "aunt uncle niece nephew cousin".split()
)
# A profession tells people apart: “the singer” is not the person introduced as a producer.
PROFESSIONS = frozenset(
    "singer rapper actor actress musician model supermodel designer producer director filmmaker "
    "novelist author writer poet comedian presenter host chef footballer athlete player champion "
    "boxer golfer swimmer dancer ballerina dj drummer guitarist bassist songwriter journalist "
    "politician entrepreneur influencer youtuber photographer painter architect coach skater "
    "gymnast sprinter cyclist driver founder mogul businesswoman businessman frontman "
    "broadcaster columnist".split()
)
GENERAL_NOUNS = frozenset(
    "star superstar icon celebrity legend personality artist performer hitmaker entertainer "
    "creator alum winner nominee veteran newcomer socialite parent".split()
)
PERSON_NOUNS = SHE_NOUNS | HE_NOUNS | RELATION_NOUNS | PROFESSIONS | GENERAL_NOUNS
# People who speak but are not anyone the archive knows: “a source close to the pair”.
OTHER_SPEAKERS = frozenset(
    "source sources insider insiders pal pals rep reps representative representatives "
    "spokesperson spokesman spokeswoman publicist publicists lawyer lawyers attorney agent "
    "manager statement eyewitness witness onlooker fan fans neighbour neighbor staffer "
    "official officials police team camp couple pair duo family parents band group trio "
    "siblings newlyweds exes twins people someone".split()
)

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sept", "Sep"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()


def words_pattern(words) -> str:
    return "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len)[::-1])


MONTH = rf"(?P<month>{words_pattern(MONTHS)})"
MONTH_DAY = re.compile(
    rf"\b{MONTH}\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{{4}}))?"
)
DAY_MONTH = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}\b(?:,?\s+(?P<year>\d{{4}}))?"
)
WEEKDAY = re.compile(rf"\b(?:on|last)\s+(?P<weekday>{'|'.join(WEEKDAYS)})\b")
RELATIVE_DAY = re.compile(r"\b(?P<word>yesterday|today)\b")

# Patterns ------------------------------------------------------------------------------------

VERB = rf"(?:{words_pattern([*SPEECH_VERBS, *PHRASAL_SPEECH_VERBS])})"
VERB_WORD = re.compile(rf"(?<![\w-]){VERB}\b")
NAME_WORD = r"[A-Z][\w’'-]*"
# Capitalised words that start a name, not pronouns or sentence openers.
NAME = (
    r"(?!(?:She|He|They|It|We|I|You|The|A|An|His|Her|Their|This|That|These|Those|But|And)\b)"
    rf"{NAME_WORD}(?:\s+{NAME_WORD}){{0,3}}"
)
PHRASE_WORDS = r"(?:[\w’'-]+\s+){0,5}?[\w’'-]+"
THE_PHRASE = rf"the\s+{PHRASE_WORDS}"
OTHER_PHRASE = rf"(?:(?:[Aa]n?|[Oo]ne|[Hh]is|[Hh]er|[Tt]heir)\s+|[A-Z][\w-]*[’']s\s+){PHRASE_WORDS}"
# Where a phrase after an inverted verb ends: “said the singer in a statement”.
PHRASE_END = (
    r"(?=\s*(?:[,.;:!?—–)]|$)|\s+(?:in|on|at|to|of|about|during|while|when|after|before|as|"
    r"from|with|via|who|and)\b)"
)
SUBJECT_BEFORE_VERB = rf"(?P<subject>\b(?:(?:she|he|they)\b|{NAME}|{THE_PHRASE}|{OTHER_PHRASE}))"
SUBJECT_AFTER_VERB = (
    rf"(?P<subject>\b(?:(?:she|he|they)\b|{NAME}|the\s+{PHRASE_WORDS}{PHRASE_END}|"
    rf"(?:a|an|one|his|her|their)\s+{PHRASE_WORDS}{PHRASE_END}))"
)
APPOSITION = r"(?P<apposition>,\s[^,“”\"]{1,80}?,)?"
INTRO = r"\s*,?\s*(?:[—–]\s*)?"
# After a quote: “…,” she told Vogue. / “…,” Stone, 31, added. / “…,” said Kim.
SAID_AFTER = re.compile(
    rf"{INTRO}{SUBJECT_BEFORE_VERB}{APPOSITION}\s+(?:{ADVERB}\s+){{0,2}}(?P<verb>{VERB})\b"
)
SAID_AFTER_INVERTED = re.compile(rf"{INTRO}(?P<verb>{VERB})\s+{SUBJECT_AFTER_VERB}")
ACCORDING_AFTER = re.compile(rf"{INTRO}according\s+to\s+{SUBJECT_AFTER_VERB}")
# Before a quote, the speaker right before the verb: “Speaking to Vogue, Stone, 31, said:”.
SUBJECT_ENDING = re.compile(
    rf"(?P<subject>\b(?:(?:[Ss]he|[Hh]e|[Tt]hey)\b|{NAME}|[Tt]he\s+{PHRASE_WORDS}|{OTHER_PHRASE}))"
    rf"{APPOSITION}\s+(?:{ADVERB}\s+){{0,2}}$"
)
ACCORDING_BEFORE = re.compile(
    rf"(?:^|[\s(])[Aa]ccording\s+to\s+(?P<subject>(?:she|he|they)\b|{NAME}|"
    rf"the\s+{PHRASE_WORDS}|(?:a|an|his|her|their)\s+{PHRASE_WORDS})\s*,\s*$"
)
# What may follow the verb of a lead-in (“told Vogue:”) without being a clause of its own
# (“told Rolling Stone that Ortiz had “taught me…”” is the reporter's sentence).
LEAD_IN_REST = re.compile(r"[^,;:“”\"]{0,60}?[,:]?\s*")
CLAUSE_WORD = re.compile(
    r"\b(?:that|she|he|they|I|we|it|was|is|were|are|had|has|have|be|who|which|if|whether)\b"
)
PRONOUN = re.compile(r"\b(?:[Ss]he|[Hh]e|[Tt]hey)\b")
DESCRIPTOR_OPENING = re.compile(r"\s*[Tt]he\s+(?:[\w’'-]+\s+){0,5}[\w’'-]+")
OUTLET = re.compile(
    r"(?:\btold|[Ss]peaking\s+to|[Tt]alking\s+to|interview\s+with|[Ii]nterviewed\s+by)\s+"
    r"(?P<outlet>(?:[Tt]he\s+)?[A-Z][\w’'&-]*(?:\s+[A-Z][\w’'&-]*){0,3})"
)
# Between two items of a list of people: “North8, Saint6, ”, “Paris, 7, and ”.
LIST_SEPARATOR = re.compile(
    r"(?:\s*\(?\d{1,3}\)?)?(?:,\s*\d{1,3})?(?:,\s+(?:and\s+|&\s+)?|\s+(?:and|&)\s+)"
)
SENTENCE_END = re.compile(r"([.!?…]+)[”’\"»')\]]*(?=\s+(?:[“\"«‘(\[]|[A-Z0-9]))")
ENDS_WITH_STOP = re.compile(r"[.!?…][’'”»\"]*\s*$")
CONTEXT_STOP = re.compile(r"[,;:!?“”\"()—–]|\.(?=\s|$)")
CONTEXT_STOPWORDS = frozenset(
    "that who which while when as after before because adding explaining referring and but "
    "about published alongside where if".split()
)
CONTEXT_TRAILING = frozenset("of the a an on in to with for at by from".split())
QUOTE_MARKS = '“”"«»'


def name_key(name: str) -> str:
    return " ".join(name.replace("’", "'").split())


def pronoun_keys(pronouns: str) -> frozenset[str]:
    words = set(re.findall(r"[a-z]+", pronouns.lower()))
    keys = set()
    if words & {"she", "her", "hers"}:
        keys.add("she")
    if words & {"he", "him", "his"}:
        keys.add("he")
    if words & {"they", "them", "their", "theirs"}:
        keys.add("they")
    return frozenset(keys)


def person_nouns(phrase: str) -> list[str]:
    """The words of a phrase that describe a person, possessives left out (“the rapper’s team”
    is about a team), “41-year-old” kept as a general description."""
    nouns = []
    for word in phrase.split():
        word = word.strip(",.;:").lower()
        if word.endswith(("’s", "'s")):
            continue
        if re.fullmatch(r"\d+-year-old", word):
            nouns.append("star")
            continue
        for part in [word, *word.split("-")]:
            if part in PERSON_NOUNS or part in OTHER_SPEAKERS:
                nouns.append(part)
                break
    return nouns


# Reading names -------------------------------------------------------------------------------


class Directory:
    """The names a list of people go by, and what reading needs to know about each person."""

    def __init__(self, people: list[PersonRef]):
        self.people = {person.id: person for person in people}
        self.owners: dict[str, dict[int, bool]] = {}
        for person in people:
            for name, ambiguous in [(person.name, False), *person.aliases]:
                key = name_key(name)
                if key:
                    by_person = self.owners.setdefault(key, {})
                    # Known plainly by a name as well as ambiguously, a person is known by it.
                    by_person[person.id] = by_person.get(person.id, True) and ambiguous
        self.pronouns = {person.id: pronoun_keys(person.pronouns) for person in people}
        # Longest first, so “Kim Kardashian” wins over “Kim” at the same place. A digit may
        # follow a name (“North8, Saint6” where the ages lost their commas); a letter may not.
        names = sorted(self.owners, key=len, reverse=True)
        alternatives = "|".join(re.escape(name).replace("'", "['’]") for name in names)
        self.pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?![^\W\d_])") if names else None


@dataclass
class Name:
    start: int
    end: int
    key: str
    person_id: int | None  # None: shared by two people, or an ambiguous alias not taken
    possessive: bool


class Block:
    """One paragraph (or the dek, or the headline): its quoted spans, sentences and names."""

    def __init__(self, text: str, directory: Directory, headline: bool = False):
        self.text = text
        self.headline = headline
        self.spans = quoted_spans(text)
        self.masked = mask_quotes(text, self.spans)
        self.sentences = split_sentences(self.masked)
        self.sentence_starts = [start for start, _ in self.sentences]
        self.names = self.read_names(directory)

    def sentence_index(self, offset: int) -> int:
        return max(bisect_right(self.sentence_starts, offset) - 1, 0)

    def in_quote(self, offset: int) -> bool:
        return any(opening < offset < end for opening, end, _ in self.spans)

    def read_names(self, directory: Directory) -> list[Name]:
        if directory.pattern is None:
            return []
        names = []
        for match in directory.pattern.finditer(self.text):
            key = name_key(match.group())
            owners = directory.owners[key]
            (owner, ambiguous), *others = owners.items()
            name = Name(
                match.start(),
                match.end(),
                key,
                owner if not others and not ambiguous else None,
                bool(re.match(r"[’']s\b", self.text[match.end() :])),
            )
            if name.person_id is not None and self.part_of_other_name(name, directory):
                name.person_id = None
            names.append(name)
        # An ambiguous alias is taken from its sentence: a relative named beside it, or a list
        # of people it stands in. Taking one can vouch for the next, hence the rounds.
        for _ in range(3):
            taken = False
            for index, name in enumerate(names):
                owners = directory.owners[name.key]
                if name.person_id is not None or len(owners) != 1:
                    continue
                owner = next(iter(owners))
                if self.looks_like_place_or_thing(name):
                    continue
                sentence = self.sentence_index(name.start)
                named = {
                    other.person_id
                    for other in names
                    if other.person_id not in (None, owner)
                    and self.sentence_index(other.start) == sentence
                }
                if directory.people[owner].related_ids & named or self.in_list_of_people(
                    names, index, owner
                ):
                    name.person_id = owner
                    taken = True
            if not taken:
                break
        return names

    def part_of_other_name(self, name: Name, directory: Directory) -> bool:
        """A one-word alias inside a longer proper noun: “Rolling Stone” is not Ava Stone, nor
        “Stone Roses”. Headlines capitalise every word, so there it is taken as it stands."""
        person = directory.people[name.person_id]
        if self.headline or " " in name.key or name.key == name_key(person.name):
            return False
        if re.match(r"\s+[A-Z]", self.text[name.end :]):
            return True
        word = re.search(r"(?<![\w’'-])([A-Z][\w’'-]*)\s+$", self.text[: name.start])
        if word is None or word.group(1) in HONORIFICS or word.group(1).endswith(("’s", "'s")):
            return False
        # A capitalised word opening a sentence or a clause is just that: “Then Stone said”.
        opening = self.text[: word.start()].rstrip()
        return not (
            word.start() in self.sentence_starts or not opening or opening[-1] in ':;“"‘(—–'
        )

    def looks_like_place_or_thing(self, name: Name) -> bool:
        word_before = re.search(r"(?<![\w’'-])([A-Za-z]+)\s+$", self.text[: name.start])
        if word_before and word_before.group(1).lower() in PLACE_WORDS:
            return True
        # Part of a longer proper noun: “Chicago Bulls”, “Paris Fashion Week”.
        return bool(re.match(r"\s+[A-Z]", self.text[name.end :]))

    def in_list_of_people(self, names: list[Name], index: int, owner: int) -> bool:
        name = names[index]
        neighbours = []
        if index > 0:
            neighbours.append((names[index - 1], self.text[names[index - 1].end : name.start]))
        if index + 1 < len(names):
            neighbours.append((names[index + 1], self.text[name.end : names[index + 1].start]))
        return any(
            other.person_id not in (None, owner) and LIST_SEPARATOR.fullmatch(between)
            for other, between in neighbours
        )


def quoted_spans(text: str) -> list[tuple[int, int, bool]]:
    """(opening mark, end of the quoted text, closed) for each double-quoted span.

    Curly marks say which way they face, straight ones are read from the spaces around them; a
    mark facing the wrong way (a typo) is read from its spaces too. A span still open at the
    end of the text is not closed: it may go on in the next paragraph."""
    spans, opening = [], None
    for index, mark in enumerate(text):
        if mark not in QUOTE_MARKS:
            continue
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        opens_by_spacing = (before.isspace() or before in "([{—–-/") and not after.isspace()
        closes_by_spacing = not before.isspace() and (after.isspace() or not after.isalnum())
        if mark in "“«":
            is_opening = opening is None or not closes_by_spacing or opens_by_spacing
        elif mark in "”»":
            is_opening = opening is None and opens_by_spacing and not closes_by_spacing
        else:
            is_opening = (
                not closes_by_spacing or opens_by_spacing
                if opening is None
                else opens_by_spacing and not closes_by_spacing
            )
        if is_opening:
            if opening is not None:  # an unclosed span ends where the next opens
                spans.append((opening, index, False))
            opening = index
        elif opening is not None:
            spans.append((opening, index, True))
            opening = None
    if opening is not None:
        spans.append((opening, len(text), False))
    return spans


def mask_quotes(text: str, spans: list[tuple[int, int, bool]]) -> str:
    """The text with quoted words masked, so that sentences are split around quotes, not in
    them; a quote's own closing stop is kept, as it ends the reporter's sentence too."""
    chars = list(text)
    for opening, end, _ in spans:
        inner = text[opening + 1 : end]
        stop = ENDS_WITH_STOP.search(inner)
        for index in range(opening + 1, opening + 1 + (stop.start() if stop else len(inner))):
            if not chars[index].isspace():
                chars[index] = "x"
    return "".join(chars)


def split_sentences(masked: str) -> list[tuple[int, int]]:
    sentences, start = [], 0
    for match in SENTENCE_END.finditer(masked):
        word = re.search(r"(\S+)$", masked[: match.start()])
        word = word.group(1) if word else ""
        if match.group(1) == "." and (
            word in ABBREVIATIONS or re.fullmatch(r"[A-Z]|(?:[A-Za-z]\.)+[A-Za-z]", word)
        ):
            continue
        sentences.append((start, match.end()))
        start = match.end() + len(masked[match.end() :]) - len(masked[match.end() :].lstrip())
    sentences.append((start, len(masked)))
    return sentences


# Reading quotes ------------------------------------------------------------------------------


@dataclass
class QuoteSpan:
    parts: list[tuple[int, int, int]]  # (block, opening mark, end of the quoted text)
    closed: bool

    def text(self, blocks: list[Block]) -> str:
        text = " ".join(
            blocks[block].text[opening + 1 : end].strip() for block, opening, end in self.parts
        ).strip()
        # The comma before the closing mark belongs to the reporter's sentence; a nested
        # quote's own comma (“…‘Your dad’s the best,’”) does not sit last.
        return text[:-1].rstrip() if text.endswith(",") else text


@dataclass
class Attribution:
    block: int
    subject: str | None  # the words naming the speaker, or None when the speaker is inherited
    subject_start: int
    context: str
    clause: str  # where a date may be given: “wrote on February 4”


@dataclass
class Kept:
    span: QuoteSpan
    speaker_id: int | None
    context: str
    said_on: datetime.date | None


class Story:
    def __init__(self, texts: list[str], directory: Directory, published_on: datetime.date):
        self.directory = directory
        self.published_on = published_on
        self.blocks = [Block(text, directory) for text in texts]
        # (block, offset, person id) of every name outside quotes: who “she” can be.
        self.named = sorted(
            (index, name.start, name.person_id)
            for index, block in enumerate(self.blocks)
            for name in block.names
            if name.person_id is not None and not block.in_quote(name.start)
        )
        self.roles = self.read_roles()

    def quote_spans(self) -> list[QuoteSpan]:
        """Quoted spans across paragraphs: a paragraph ending inside a quote goes on in the next
        when that one opens with a quotation mark."""
        found, running = [], None
        for index, block in enumerate(self.blocks):
            for number, (opening, end, closed) in enumerate(block.spans):
                if running and number == 0 and not block.text[:opening].strip():
                    running.parts.append((index, opening, end))
                else:
                    if running:
                        found.append(running)
                    running = QuoteSpan([(index, opening, end)], closed)
                running.closed = closed
                if closed or end < len(block.text):
                    found.append(running)
                    running = None
            if running and not block.spans:
                found.append(running)
                running = None
        if running:
            found.append(running)
        return found

    def quotes(self) -> list[FoundQuote]:
        found: list[FoundQuote] = []
        previous: Kept | None = None
        for span in self.quote_spans():
            kept = self.read_quote(span, previous)
            if kept is None:
                continue
            previous = kept
            text = span.text(self.blocks)
            if any(q.text == text and q.speaker_id == kept.speaker_id for q in found):
                continue  # a dek repeating a quote of the body
            found.append(
                FoundQuote(text, kept.speaker_id, kept.context, kept.said_on, len(found) + 1)
            )
        return found

    def read_quote(self, span: QuoteSpan, previous: Kept | None) -> Kept | None:
        text = span.text(self.blocks)
        if not re.search(r"\w", text):
            return None
        first_block, opening, _ = span.parts[0]
        last_block, last_opening, end = span.parts[-1]
        block = self.blocks[first_block]

        # What comes before it: a sentence start, a lead-in (“Stone said:”) or the middle of the
        # reporter's sentence (the “power couple”).
        sentence_start = block.sentences[block.sentence_index(opening)][0]
        previous_end = max(
            (e for o, e, closed in block.spans if closed and e < opening), default=-1
        )
        lead_start = max(sentence_start, previous_end + 1)
        lead = block.text[lead_start:opening]
        # Right after the kept quote before it, in one sentence: “A,” she said, adding: “B.”
        after_previous = (
            previous is not None
            and previous_end >= sentence_start
            and previous.span.parts[-1][::2] == (first_block, previous_end)
        )

        # What comes after it: an attribution, the end of the sentence, or more of it.
        closing = self.blocks[last_block]
        if span.closed:
            next_opening = min(
                (o for o, _, _ in closing.spans if o > end), default=len(closing.text)
            )
            after = closing.text[end + 1 : next_opening]
        else:
            after = ""
        inner = closing.text[last_opening + 1 : end]
        attribution = self.attribution_after(last_block, end + 1, after, inner)
        ends = ends_sentence(inner, after)

        if not lead.strip():
            kind = "start" if lead_start == sentence_start else "middle"
            lead_in = None
        else:
            kind, lead_in = self.lead_in(first_block, lead_start, lead)
        if kind == "middle":
            return None
        if kind == "clause" and attribution is None:
            return None
        if kind in ("start", "colon", "bare") and attribution is None and not ends:
            return None

        if attribution is not None:
            return self.keep(span, attribution, previous, after_previous)
        if lead_in is not None and kind in ("lead", "colon", "bare"):
            return self.keep(span, lead_in, previous, after_previous)
        if previous is not None and self.follows(previous.span, span):
            return Kept(span, previous.speaker_id, previous.context, previous.said_on)
        # Standing alone after a sentence about someone, the quote is theirs, and that sentence
        # may say to whom (“Speaking to The Guardian, Petrova described…”).
        about = self.sentence_before(first_block, opening)
        speaker = self.first_person(*about) if about else None
        self.note_speaker(speaker, first_block, opening)
        outlet = about and OUTLET.search(self.blocks[about[0]].masked[about[1] : about[2]])
        return Kept(span, speaker, f"told {outlet['outlet']}" if outlet else "said", None)

    def keep(
        self, span: QuoteSpan, said: Attribution, previous: Kept | None, after_previous: bool
    ) -> Kept:
        first_block, opening, _ = span.parts[0]
        if said.subject is not None:
            speaker = self.resolve_subject(said.block, said.subject_start, said.subject)
        elif after_previous:  # “A,” she said, adding: “B.”
            speaker = previous.speaker_id
        else:
            block = self.blocks[first_block]
            start = block.sentences[block.sentence_index(opening)][0]
            speaker = self.first_person(first_block, start, opening)
            if speaker is None and (about := self.sentence_before(first_block, opening)):
                speaker = self.first_person(*about)
        self.note_speaker(speaker, said.block, said.subject_start)
        return Kept(span, speaker, said.context, self.date_in(said.clause))

    def note_speaker(self, speaker: int | None, block: int, offset: int) -> None:
        if speaker is not None:
            insort(self.named, (block, offset, speaker))

    def follows(self, earlier: QuoteSpan, later: QuoteSpan) -> bool:
        """Whether `later` opens the sentence right after the one `earlier` ends in (its
        attribution, if any), in the same paragraph or at the start of the next."""
        earlier_block, _, earlier_end = earlier.parts[-1]
        later_block, later_opening, _ = later.parts[0]
        before, after = self.blocks[earlier_block], self.blocks[later_block]
        if later_block == earlier_block:
            return after.sentence_index(later_opening) - before.sentence_index(earlier_end) <= 1
        return (
            later_block == earlier_block + 1
            and after.sentence_index(later_opening) == 0
            and before.sentence_index(earlier_end) == len(before.sentences) - 1
        )

    def attribution_after(
        self, block: int, offset: int, after: str, inner: str
    ) -> Attribution | None:
        closing = self.blocks[block]
        # The rest of the sentence, quotes masked: “said on “The Late Show” on Tuesday”.
        clause = closing.masked[offset : closing.sentences[closing.sentence_index(offset)][1]]
        match = ACCORDING_AFTER.match(after)
        if match:
            return Attribution(
                block, match["subject"], offset + match.start("subject"), "said", clause
            )
        for pattern in (SAID_AFTER, SAID_AFTER_INVERTED):
            match = pattern.match(after)
            if not match or not self.names_a_speaker(match["subject"]):
                continue
            # After a full stop a capitalised name opens the next sentence (“…more.” Okoye,
            # a novelist…): only “she said”, “said Kim” style attributions follow a full stop.
            if (
                inner.rstrip().endswith(".")
                and match.start("subject") < match.start("verb")
                and not match["subject"][0].islower()
            ):
                continue
            rest_start = max(match.end("verb"), match.end("subject"))
            return Attribution(
                block,
                match["subject"],
                offset + match.start("subject"),
                verb_phrase(match["verb"], after[rest_start:]),
                clause,
            )
        return None

    def lead_in(self, block_index: int, lead_start: int, lead: str) -> tuple[str, Attribution]:
        """How the text before a quote leads into it: ("lead", …) for “Stone said:”,
        “According to Kim,”; ("bare", …) for “he wrote “…””; ("colon", …) for other colons;
        ("clause", …) after a comma or a dash; ("middle", …) inside the reporter's sentence."""
        stripped = lead.rstrip()
        according = ACCORDING_BEFORE.search(stripped + " ")
        if according:
            start = lead_start + according.start("subject")
            return "lead", Attribution(block_index, according["subject"], start, "said", lead)
        verbs = list(VERB_WORD.finditer(lead))
        if verbs:
            verb = verbs[-1]
            rest = lead[verb.end() :]
            said = Attribution(block_index, None, lead_start, verb_phrase(verb.group(), rest), lead)
            subject = SUBJECT_ENDING.search(lead[: verb.start()])
            inverted = re.match(rf"\s+{SUBJECT_AFTER_VERB}", rest)
            if subject and self.names_a_speaker(subject["subject"]):
                said.subject = subject["subject"]
                said.subject_start = lead_start + subject.start("subject")
            elif inverted and self.names_a_speaker(inverted["subject"]):
                said.subject = inverted["subject"]
                said.subject_start = lead_start + verb.end() + inverted.start("subject")
                rest = rest[inverted.end() :]
            # “said, “…”, “told Vogue: “…”; not “says their film “Salt Lake””. A verb right
            # before the quote with no stop between (“he wrote “…””) leads in a quote that ends
            # the sentence, not one woven into it (“he said “no comment” and left”).
            if LEAD_IN_REST.fullmatch(rest) and not CLAUSE_WORD.search(rest):
                if stripped.endswith((",", ":")):
                    return "lead", said
                if not rest.strip():
                    return "bare", said
            if stripped.endswith(":"):
                return "colon", said
        if stripped.endswith(":"):
            return "colon", Attribution(block_index, None, lead_start, "said", lead)
        if stripped.endswith((",", ";", "—", "–", "(")):
            return "clause", Attribution(block_index, None, lead_start, "said", lead)
        return "middle", Attribution(block_index, None, lead_start, "said", lead)

    def names_a_speaker(self, subject: str) -> bool:
        """A pronoun, a name, or a phrase about a person: “the singer”, “a source”, not “the
        story” (“Blue Hour” told the story of…)."""
        if subject.lower() in ("she", "he", "they"):
            return True
        first = subject.split()[0]
        if first.lower() in ("the", "a", "an", "one", "his", "her", "their") or first.endswith(
            ("’s", "'s")
        ):
            return bool(person_nouns(subject))
        return True

    def resolve_subject(self, block_index: int, start: int, subject: str) -> int | None:
        at = (block_index, start)
        if subject.lower() in ("she", "he", "they"):
            return self.resolve_pronoun(subject.lower(), at)
        # A name heading the words, or right after a description of its person: “Kim”, “the
        # rapper Kanye West”; not “Kanye’s rep”, “a source close to Nell”.
        block = self.blocks[block_index]
        for name in block.names:
            if not start <= name.start < start + len(subject) or name.possessive:
                continue
            word_before = block.text[start : name.start].rstrip(" ,").rsplit(" ", 1)[-1]
            if name.start == start or person_nouns(word_before):
                return name.person_id
        nouns = person_nouns(subject)
        if subject.lower().startswith("the ") and nouns and nouns[0] not in OTHER_SPEAKERS:
            return self.resolve_descriptor(nouns[-1] if len(nouns) > 1 else nouns[0], at)
        return None  # a source, a rep, or someone the archive does not know

    def recent(self, at: tuple[int, int]) -> list[tuple[int, int]]:
        """(block, person id) of the people named before `at`, the most recent first."""
        index = bisect_left(self.named, at)
        return [(block, person) for block, _, person in reversed(self.named[:index])]

    def resolve_pronoun(self, pronoun: str, at: tuple[int, int]) -> int | None:
        """The most recent person whose pronouns agree. Someone whose pronouns are unknown may
        agree too, unless an agreeing person is named in the same paragraph."""
        unknown = None
        for block, person in self.recent(at):
            if unknown is not None and block != unknown[0]:
                break
            keys = self.directory.pronouns[person]
            if pronoun in keys:
                return person
            if not keys and unknown is None:
                unknown = (block, person)
        return unknown[1] if unknown else None

    def resolve_descriptor(self, noun: str, at: tuple[int, int]) -> int | None:
        """“The singer”: the most recent person who fits the description."""
        if noun in OTHER_SPEAKERS:
            return None
        people = list(dict.fromkeys(person for _, person in self.recent(at)))
        if noun in PROFESSIONS or noun in RELATION_NOUNS:
            holders = [person for person in people if noun in self.roles[person]]
            if holders:
                return holders[0]
        if noun in PROFESSIONS:
            people = [person for person in people if not self.roles[person] & PROFESSIONS]
        gender = "she" if noun in SHE_NOUNS else "he" if noun in HE_NOUNS else None
        if gender:
            agreeing = [p for p in people if gender in self.directory.pronouns[p]]
            if agreeing:
                return agreeing[0]
            people = [p for p in people if not self.directory.pronouns[p]]
        return people[0] if people else None

    def read_roles(self) -> dict[int, set[str]]:
        """What the story calls each person: “producer Theo Blake”, “Okoye, a novelist”."""
        roles = defaultdict(set)
        for block in self.blocks:
            for name in block.names:
                if name.person_id is None:
                    continue
                before = re.search(r"([\w-]+),?\s+$", block.text[: name.start])
                if before:
                    roles[name.person_id].update(person_nouns(before.group(1)))
                apposition = re.match(
                    r",\s+(?:a|an|the|who\s+is\s+an?)\s+((?:[^\s,.;:“”\"]+\s*){1,6})",
                    block.text[name.end :],
                )
                if apposition and not name.possessive:
                    roles[name.person_id].update(person_nouns(apposition.group(1)))
        return roles

    def sentence_before(self, block_index: int, offset: int) -> tuple[int, int, int] | None:
        block = self.blocks[block_index]
        index = block.sentence_index(offset)
        if index > 0:
            return (block_index, *block.sentences[index - 1])
        if block_index > 0:
            return (block_index - 1, *self.blocks[block_index - 1].sentences[-1])
        return None

    def first_person(self, block_index: int, start: int, end: int) -> int | None:
        """Whom a stretch of the reporter's text is about: the first person it names (not in
        a possessive if it can help it), refers to as “she”, or describes as “the actress”."""
        block = self.blocks[block_index]
        candidates = []
        names = [
            name
            for name in block.names
            if start <= name.start < end
            and name.person_id is not None
            and not block.in_quote(name.start)
        ]
        plain = [name for name in names if not name.possessive] or names
        if plain:
            candidates.append((plain[0].start, plain[0].person_id))
        pronoun = PRONOUN.search(block.masked, start, end)
        if pronoun:
            at = (block_index, pronoun.start())
            candidates.append((pronoun.start(), self.resolve_pronoun(pronoun.group().lower(), at)))
        descriptor = DESCRIPTOR_OPENING.match(block.masked, start, end)
        if descriptor and (nouns := person_nouns(descriptor.group())):
            person = self.resolve_descriptor(nouns[0], (block_index, start))
            candidates.append((start, person))
        candidates = [c for c in candidates if c[1] is not None]
        return min(candidates)[1] if candidates else None

    def date_in(self, clause: str) -> datetime.date | None:
        return date_in(clause, self.published_on)


def ends_sentence(inner: str, after: str) -> bool:
    if not after.strip() or re.match(r"\s*[.!?…]", after):
        return True
    return bool(ENDS_WITH_STOP.search(inner)) and bool(
        re.match(r"\s+(?:[“\"«‘(\[]|[A-Z0-9])", after)
    )


def verb_phrase(verb: str, rest: str) -> str:
    """The verb and its few words: “told Vogue”, “wrote on February 4”, “captioned the post”."""
    end = len(rest)
    for stop in CONTEXT_STOP.finditer(rest):
        word = re.search(r"(\S+)$", rest[: stop.start()])
        if stop.group() == "." and word and word.group(1) in ABBREVIATIONS:
            continue
        end = stop.start()
        break
    words = []
    for word in rest[:end].split():
        if word.lower() in CONTEXT_STOPWORDS or len(words) == 4:
            break
        words.append(word)
    while words and words[-1].lower() in CONTEXT_TRAILING:
        words.pop()
    return " ".join([" ".join(verb.split()), *words])


def date_in(text: str, published_on: datetime.date) -> datetime.date | None:
    """The day a clause gives (“on February 4”, “on Monday”), in the year that puts it on or
    before the story's date."""
    found = []
    for pattern in (MONTH_DAY, DAY_MONTH):
        for match in pattern.finditer(text):
            found.append((match.start(), "date", match))
    for match in WEEKDAY.finditer(text):
        found.append((match.start(), "weekday", match))
    for match in RELATIVE_DAY.finditer(text):
        found.append((match.start(), "relative", match))
    for _, kind, match in sorted(found, key=lambda item: item[0]):
        if kind == "weekday":
            back = (published_on.weekday() - WEEKDAYS.index(match["weekday"])) % 7
            return published_on - datetime.timedelta(days=back)
        if kind == "relative":
            days = 1 if match["word"] == "yesterday" else 0
            return published_on - datetime.timedelta(days=days)
        month, day = MONTHS[match["month"]], int(match["day"])
        year = int(match["year"]) if match["year"] else published_on.year
        try:
            date = datetime.date(year, month, day)
            if not match["year"] and date > published_on:
                date = datetime.date(year - 1, month, day)
        except ValueError:
            continue
        return date
    return None
