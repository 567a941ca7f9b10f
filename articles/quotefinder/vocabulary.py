"""Stage 0, the words the finder knows: speech verbs, the nouns that describe a person (“the
singer”, “her mother”), group nouns (“the couple”), honorifics, months, and the words that mark
a capitalised phrase as a place or an organisation rather than a person.

Everything here is data; the stages after it read a story with these words.
"""

import re
from collections.abc import Iterable
from enum import StrEnum


class Pronoun(StrEnum):
    SHE = "she"
    HE = "he"
    THEY = "they"


def pronoun_keys(pronouns: str) -> frozenset[Pronoun]:
    """The pronouns a person's `pronouns` field (“she/her”, “he/they”) lets a story use."""
    words = set(re.findall(r"[a-z]+", pronouns.lower()))
    keys = set()
    if words & {"she", "her", "hers"}:
        keys.add(Pronoun.SHE)
    if words & {"he", "him", "his"}:
        keys.add(Pronoun.HE)
    if words & {"they", "them", "their", "theirs"}:
        keys.add(Pronoun.THEY)
    return frozenset(keys)


# A word right before an ambiguous alias that makes it a place, or a thing: “of Chicago”.
PLACE_WORDS = frozenset(
    "in of from to at near around outside inside into across through throughout toward towards "
    "via within between past beyond a an the".split()
)
# Capitalised words that may stand before a surname without making it someone else's name.
HONORIFICS = frozenset(
    "Mr Mrs Ms Miss Mx Dr Sir Dame Lady Lord Prince Princess King Queen Judge Coach Captain "
    "President Senator Officer Detective Professor Aunt Uncle Grandma Grandpa Madame Monsieur "
    "Signora Señora Señor Frau Herr".split()
)
HONORIFIC_PRONOUNS = {"Mrs": "she/her", "Ms": "she/her", "Miss": "she/her", "Madame": "she/her"}
HONORIFIC_PRONOUNS |= {"Mr": "he/him", "Monsieur": "he/him", "Sir": "he/him", "Herr": "he/him"}
HONORIFIC_PRONOUNS |= {"Dame": "she/her", "Lady": "she/her", "Frau": "she/her"}
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
    "reflected reflects mused muses sighed sighs whispered whispers shouted agreed agrees "
    "argued argues warned warns promised promises acknowledged acknowledges concluded concludes "
    "penned raved raves boasted boasts conceded concedes clarified confirmed confirms hinted "
    "hints reminisced reminisces messaged texted began begins wondered wonders offers offered "
    "jokes shrugs shrugged smiles smiled grins grinned deadpans deadpanned protests protested "
    "counters countered recounts recounted muttered mutters snapped snaps remember remembers "
    "remembered corrects corrected observes observed confides confided enthuses enthused "
    "beams beamed retorts retorted interjects interjected answers answered repeats repeated "
    "stresses stressed emphasises emphasised emphasizes emphasized maintains maintained "
    "predicts predicted suggests suggested vows vowed swears swore yelled screamed cried "
    "sobbed emailed tells asks replied gasps gasped marvels marvelled marveled laughed "
    "chuckles chuckled giggles giggled groans groaned"
).split()
PHRASAL_SPEECH_VERBS = (
    "went on",
    "goes on",
    "chimed in",
    "chimes in",
    "chipped in",
    "chips in",
    "cut in",
    "cuts in",
    "pointed out",
    "points out",
)
ADVERB = (
    r"(?:\w+ly|later|then|also|once|previously|recently|simply|just|even|still|first|again|"
    r"soon|further|finally|now|always|never|has|had|have|would|will|both|together)"
)

# Nouns that describe the person a phrase like “the singer” stands for.
SHE_NOUNS = frozenset(
    "actress mother mom mum mama wife girlfriend fiancée fiancee sister daughter businesswoman "
    "songstress queen princess duchess diva starlet heiress woman girl lady grandmother aunt "
    "niece ballerina chairwoman congresswoman spokeswoman granddaughter stepmother "
    "stepdaughter waitress hostess".split()
)
HE_NOUNS = frozenset(
    "actor father dad husband boyfriend fiancé fiance brother son businessman king prince duke "
    "man boy guy grandfather uncle nephew frontman chairman congressman spokesman grandson "
    "stepfather stepson".split()
)
RELATION_NOUNS = frozenset(
    "mother mom mum mama wife girlfriend fiancée fiancee sister daughter father dad husband "
    "boyfriend fiancé fiance brother son partner spouse ex friend grandmother grandfather "
    "aunt uncle niece nephew cousin child kid baby granddaughter grandson stepmother stepfather "
    "stepdaughter stepson bandmate co-star costar girlfriend widow widower bride groom".split()
)
# Said of a child: “the actress” is not the person the story introduced as her daughter.
CHILD_NOUNS = frozenset("daughter son child kid baby granddaughter grandson".split())
# A profession tells people apart: “the singer” is not the person introduced as a producer.
PROFESSIONS = frozenset(
    "singer rapper actor actress musician model supermodel designer producer director filmmaker "
    "novelist author writer poet comedian presenter host chef footballer athlete player champion "
    "boxer golfer swimmer dancer ballerina dj drummer guitarist bassist songwriter journalist "
    "politician entrepreneur influencer youtuber photographer painter architect coach skater "
    "gymnast sprinter cyclist driver founder mogul businesswoman businessman frontman "
    "broadcaster columnist critic teacher cinematographer stylist editor reporter chef cook "
    "baker sculptor pianist violinist cellist composer conductor playwright screenwriter "
    "quarterback striker goalkeeper jockey surgeon doctor judge "
    "choreographer dramatist novelist restaurateur dj vocalist lyricist".split()
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
    "official officials police team camp band group trio family people someone "
    "friends relatives".split()
)
# Two people spoken of together: “the couple said in a statement” is both of them.
PAIR_NOUNS = frozenset(
    "couple pair duo exes newlyweds twins siblings parents spouses lovebirds two".split()
)
# Words that introduce someone by their role in a stranger's life: “her publicist, Jo Lane”.
ROLE_WORDS = PERSON_NOUNS | frozenset(
    "publicist spokesperson spokesman spokeswoman manager agent lawyer attorney assistant "
    "neighbour neighbor colleague classmate teammate bandmate mentor coach trainer therapist "
    "doctor nanny housekeeper bodyguard friend pal roommate flatmate landlord boss "
    "collaborator co-founder cofounder co-writer owner chief executive ceo head mayor governor "
    "minister chancellor principal headteacher priest pastor vicar rabbi imam professor "
    "researcher scientist historian biographer curator organiser organizer promoter "
    "sommelier barista farmer landlady proprietor caretaker nurse midwife vet detective "
    "officer sergeant captain commander aide adviser advisor consultant planner "
    "hairdresser understudy".split()
)

# Capitalised words that end the names of places, events and organisations, not of people.
INSTITUTION_WORDS = frozenset(
    "Hall Awards Award Festival Street Road Avenue Square Park Centre Center Theatre Theater "
    "Hotel Club Stadium Arena University College School Gallery Museum Church Cathedral "
    "Bridge House Palace Times Post News Magazine Week Prize Studios Studio Pictures Records "
    "Entertainment Group Foundation Trust Institute Academy Society Company Network Channel "
    "Airport Station Island Islands Mountains River Lake Beach Valley County City Village "
    "Show Tour Games Cup League Championship Open Series Festival Gala Ball Fashion Music "
    "Radio Television TV Times Journal Gazette Herald Tribune Globe Review Daily Weekly Sunday "
    "Monthly Press Books Publishing Inc Ltd Co Corp Bank Court Council Party Ministry "
    "Department Office Agency Restaurant Bar Cafe Café Kitchen Bakery Boulevard Lane Drive "
    "Way Place Gardens Garden Market Mall Tower Towers Castle Abbey Hospital Clinic Prison "
    "Kingdom Republic States Coast Bay Hills Heights Springs Falls Ocean Sea Bros Brothers "
    "Sisters Lanterns Dimanche Monde Vogue Elle".split()
)
# Capitalised words that never start a person's name in running text.
NOT_NAMES = frozenset(
    "The A An This That These Those His Her Their Our My Your Its It He She They We I You "
    "But And Or So Yet When While After Before As If Then There Here What Who Why How Where "
    "Asked Speaking Talking According Meanwhile However Still Now Later Earlier Today "
    "Yesterday Tomorrow Last Next Every Each Both Some Many Most Such Not No Yes Oh Well "
    "Mr Mrs Ms Miss Dr Sir Dame Lady Lord Saint St On In At Of For From With By To Into "
    "Over Under About Since Until During Without Within Through Like Unlike Despite "
    "Instagram Twitter Facebook TikTok YouTube Netflix Hulu Spotify Apple Google "
    "Christmas Easter Halloween Thanksgiving God Dear Happy Thank Thanks Congratulations "
    "Love Hello Goodbye Update Note Editor Editors Pictured Photo Photograph Source Credit "
    "Read Watch Listen Related See Also Plus More Q A".split()
)
# Labels that open a paragraph with a colon and are not anyone speaking: “Update: …”.
NOT_SPEAKER_LABELS = frozenset(
    {
        *"update note pictured photo photograph source credit credits correction clarification "
        "warning spoiler disclaimer watch listen read related see also plus bonus verdict rating "
        "location venue tickets price when where time date dates details info background".split(),
        "editor's note",
        "editor’s note",
        "read more",
        "the verdict",
        "fun fact",
        "the details",
    }
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


def words_pattern(words: Iterable[str]) -> str:
    """One regex alternative for a list of words or phrases, longest first."""
    return "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len)[::-1])


AGE = re.compile(r"(\d{1,3})-year-old")


def person_nouns(phrase: str) -> list[str]:
    """The words of a phrase that describe a person, possessives left out (“the rapper’s team”
    is about a team); an age (“41-year-old”) is kept as it is written."""
    nouns = []
    for word in phrase.split():
        word = word.strip(",.;:").lower()
        if word.endswith(("’s", "'s")):
            continue
        if AGE.fullmatch(word):
            nouns.append(word)
            continue
        for part in [word, *word.split("-")]:
            if part in PERSON_NOUNS or part in OTHER_SPEAKERS or part in PAIR_NOUNS:
                nouns.append(part)
                break
    return nouns


def gender_of(noun: str) -> Pronoun | None:
    if noun in SHE_NOUNS:
        return Pronoun.SHE
    if noun in HE_NOUNS:
        return Pronoun.HE
    return None
