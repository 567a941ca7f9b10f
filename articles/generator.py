"""A synthetic archive at any scale, for benchmarks: `generate_archive --articles N --seed S`.

Realistic in the ways that matter to speed: stories spread over 20 years, about three quotes
each, people in proportion — a few very famous people in a large share of the stories (Zipf),
a long tail of others — relationships, tags, outlets, sources, some drafts and scheduled
stories. Reproducible: the same seed on an empty archive gives the same rows.

Rows are written in batches, in constant memory: PostgreSQL's COPY, or executemany on
SQLite. The GIN search indexes are dropped during the load and built once at the end, and the
tables are analysed, so the planner sees the new sizes.
"""

import datetime
import io
import random
import time
import uuid
from bisect import bisect
from itertools import accumulate

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from people.fulltext import fold, name_keys

FIRST = (
    "Ava Leo Mia Noah Zoe Liam Ruby Kai Nadia Omar Ines Felix Maya Theo Lena Jude Iris Ezra "
    "Nora Milo Clara Hugo Alma Otto Vera Luca Rosa Ivan Ada Remy Sasha Bruno Greta Elio Nina "
    "Jonah Lucia Marco Freya Tobias Amara Dario Selma Arlo Imani Cyrus Talia Rafael Keira Soren"
).split()
LAST = (
    "Stone Marsh Chen Ortiz Petrova Okoye Vance Rivers Hale Moreau Kowalski Lindqvist Banerjee "
    "Castillo Dufresne Achterberg Nakamura Oduya Ferreira Whitlock Sandoval Novak Halloran "
    "Mbeki Rossi Delacroix Thorne Vasquez Ito Brennan Quist Abernathy Lowell Sato Fontaine "
    "Mercer Okafor Varga Blackwood Reyes Lund Marchetti Holm Sutherland Amari Kessler Navarro"
).split()
OUTLETS = (
    "Vogue|Instagram|Rolling Stone|Harper’s Bazaar|The Guardian|Vanity Fair|People|Variety|"
    "Billboard|Elle|GQ|Esquire|The Cut|Glamour|InStyle|Marie Claire|Cosmopolitan|TikTok|"
    "X|YouTube|E! News|Us Weekly|Entertainment Weekly|The Hollywood Reporter|Deadline|"
    "Teen Vogue|W Magazine|Interview|Paper|Dazed|i-D|Hello!|OK!|Grazia|Tatler|The Times|"
    "The New Yorker|Time|Allure|Wired"
).split("|")
WORDS = (
    "album tour premiere wedding divorce custody engagement ring red carpet festival fashion "
    "collection brand launch interview podcast documentary series season finale award "
    "nomination ceremony gala charity foundation campaign lawsuit settlement statement "
    "apology rumour reunion feud friendship romance holiday vacation yacht villa mansion "
    "studio record label single video choreography rehearsal stage audience fans followers "
    "post caption story photo shoot cover magazine editor stylist designer couture sneaker "
    "perfume skincare makeup line business empire investment startup venture contract deal "
    "streaming film role director producer script sequel casting audition training fitness "
    "wellness therapy motherhood fatherhood children family parents siblings twins baby "
    "birthday party dinner restaurant chef recipe garden ranch farm horse dog cat puppy "
    "birthday anniversary vows honeymoon proposal breakup split reconciliation comeback "
    "retirement legacy memoir book chapter publisher tour bus arena stadium concert encore "
    "setlist guitar piano drums vocals lyrics chorus verse melody producer collaboration duet "
    "remix chart streams sales platinum gold trophy statue speech tears laughter surprise "
    "secret confession revelation candid honest emotional vulnerable private public career "
    "journey chapter change growth healing peace gratitude love heartbreak support cheerleader "
    "co-parenting schedule school weekend morning night city hometown country island beach "
    "mountain snow summer winter spring autumn january february march april may june july "
    "august september october november december tiktok instagram youtube livestream"
).split()
VERBS = (
    "opens up about|reveals|confirms|denies|celebrates|addresses|talks|reflects on|"
    "shares|responds to|announces|teases|defends|jokes about|explains"
).split("|")
SAYINGS = [
    "told {outlet}",
    "wrote on {outlet}",
    "said in an interview with {outlet}",
    "added",
    "told reporters",
    "posted on {outlet}",
]
KINDS = ["interview", "profile", "news", "statement", "feature", "opinion", "social_post"]
KIND_WEIGHTS = [30, 12, 35, 8, 8, 3, 4]
PRONOUNS = ["she/her", "he/him", "they/them"]


def zipf(count, exponent=1.07):
    """Cumulative weights for picking index i with probability ∝ 1 / (i + 1) ** exponent."""
    return list(accumulate(1 / (rank + 1) ** exponent for rank in range(count)))


class Picker:
    def __init__(self, rng, cumulative):
        self.rng, self.cumulative, self.total = rng, cumulative, cumulative[-1]

    def __call__(self):
        return bisect(self.cumulative, self.rng.random() * self.total)


class RowWriter:
    """Rows to tables, batch by batch: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.pending = {}

    def add(self, table, columns, row):
        self.pending.setdefault((table, columns), []).append(row)

    def flush(self):
        with connection.cursor() as cursor:
            for (table, columns), rows in self.pending.items():
                names = ", ".join(columns)
                if self.postgres:
                    buffer = io.StringIO()
                    for row in rows:
                        buffer.write("\t".join(map(copy_value, row)))
                        buffer.write("\n")
                    with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                        copy.write(buffer.getvalue())
                else:
                    marks = ", ".join(["%s"] * len(columns))
                    cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        self.pending = {}


def copy_value(value):
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = value if isinstance(value, str) else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def next_id(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]


SEARCH_INDEXES = {
    "article_search_vector_idx": "articles_article USING gin (search_vector)",
    "quote_search_vector_idx": "articles_quote USING gin (search_vector)",
}
TABLES = [
    "people_person",
    "people_alias",
    "people_relationship",
    "articles_publication",
    "taggit_tag",
    "articles_article",
    "articles_mention",
    "articles_taggedarticle",
    "articles_quote",
    "articles_sourcelink",
]


class Generator:
    def __init__(self, articles, seed=1, batch_size=5000, report=print, today=None):
        self.total = articles
        self.rng = random.Random(seed)
        self.batch_size = batch_size
        self.report = report
        self.today = today or timezone.localdate()
        self.writer = RowWriter()
        self.people_count = max(50, articles // 10)

    def run(self):
        """Each batch is its own transaction: a million stories in one would queue millions of
        deferred foreign-key checks in memory. An interrupted run leaves whole batches."""
        started = time.monotonic()
        self.drop_search_indexes()
        with transaction.atomic():
            self.people = self.make_people()
            self.outlets = self.make_outlets()
            self.tags = self.make_tags()
        self.make_stories(started)
        self.finish()
        self.report(f"done in {time.monotonic() - started:.0f} s")

    # --- reference data -------------------------------------------------------------------

    def make_people(self):
        rng, people = self.rng, []
        first_id = next_id("people_person")
        now = timezone.now()
        taken = set()
        for index in range(self.people_count):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            name = f"{first} {last}" if (first, last) not in taken else f"{first} {last} {index}"
            taken.add((first, last))
            pk = first_id + index
            born = self.today - datetime.timedelta(days=rng.randint(16 * 365, 80 * 365))
            pronouns = rng.choice(PRONOUNS)
            alias = first if rng.random() < 0.2 else ""
            names = fold(f"{name} {alias}".strip())
            self.writer.add(
                "people_person",
                (
                    "id",
                    "created_at",
                    "updated_at",
                    "name",
                    "slug",
                    "full_name",
                    "born_on",
                    "died_on",
                    "pronouns",
                    "bio",
                    "wikidata_id",
                    "search_names",
                    "name_keys",
                    "revision",
                ),
                (
                    pk,
                    now,
                    now,
                    name,
                    f"{slugify(name)}-g{pk}",
                    "",
                    born,
                    None,
                    pronouns,
                    f"{name} is a performer in the generated archive.",
                    "",
                    names,
                    name_keys(names),
                    1,
                ),
            )
            if alias:
                self.writer.add(
                    "people_alias", ("person_id", "name", "is_ambiguous"), (pk, alias, False)
                )
            people.append((pk, name, pronouns, born))
        self.make_relationships(people, now)
        self.writer.flush()
        self.report(f"people: {len(people):,}")
        return people

    def make_relationships(self, people, now):
        rng, pairs = self.rng, set()
        columns = (
            "created_at",
            "updated_at",
            "person_a_id",
            "kind",
            "person_b_id",
            "started_on",
            "started_precision",
            "ended_on",
            "ended_precision",
            "end_reason",
            "place",
            "note",
            "revision",
        )
        for pk, _, _, born in people:
            for _ in range(rng.choice((0, 1, 1, 2, 3))):
                other = rng.choice(people)
                kind = rng.choice(
                    (
                        "married",
                        "dating",
                        "parent",
                        "friends",
                        "collaborators",
                        "feud",
                        "sibling",
                        "engaged",
                    )
                )
                key = (min(pk, other[0]), max(pk, other[0]), kind)
                if other[0] == pk or key in pairs or (key[0], key[1], "parent") in pairs:
                    continue
                pairs.add(key)
                start = born + datetime.timedelta(days=rng.randint(18 * 365, 30 * 365))
                start = min(start, self.today)
                ended = rng.random() < 0.4 and kind != "parent"
                end = min(start + datetime.timedelta(days=rng.randint(100, 4000)), self.today)
                self.writer.add(
                    "people_relationship",
                    columns,
                    (
                        now,
                        now,
                        pk,
                        kind,
                        other[0],
                        start,
                        rng.choice(("day", "month", "year")),
                        end if ended else None,
                        "day",
                        "breakup" if ended else "",
                        "",
                        "",
                        1,
                    ),
                )

    def make_outlets(self):
        first_id = next_id("articles_publication")
        outlets = []
        with connection.cursor() as cursor:
            cursor.execute("SELECT slug FROM articles_publication")
            existing = {row[0] for row in cursor.fetchall()}
        for index, name in enumerate(OUTLETS):
            slug = slugify(name) or f"outlet-{index}"
            if slug in existing:
                slug = f"{slug}-g{first_id + index}"
            self.writer.add(
                "articles_publication",
                ("id", "name", "slug", "url"),
                (first_id + index, f"{name} (generated {first_id + index})", slug, ""),
            )
            outlets.append((first_id + index, name))
        self.writer.flush()
        return outlets

    def make_tags(self):
        first_id = next_id("taggit_tag")
        tags = []
        for index, word in enumerate(WORDS[:300]):
            name = f"{word} {first_id + index}"
            self.writer.add(
                "taggit_tag", ("id", "name", "slug"), (first_id + index, name, slugify(name))
            )
            tags.append(first_id + index)
        self.writer.flush()
        return tags

    # --- stories ----------------------------------------------------------------------------

    def make_stories(self, started):
        rng = self.rng
        pick_person = Picker(rng, zipf(len(self.people)))
        pick_tag = Picker(rng, zipf(len(self.tags)))
        pick_kind = Picker(rng, list(accumulate(KIND_WEIGHTS)))
        article_id = next_id("articles_article")
        quote_id = next_id("articles_quote")
        now = timezone.now()
        for number in range(self.total):
            people = list(
                dict.fromkeys(
                    self.people[pick_person()] for _ in range(rng.choice((1, 2, 2, 3, 4)))
                )
            )
            self.story(article_id, quote_id, number, people, pick_tag, KINDS[pick_kind()], now)
            quote_id += self.last_quote_count
            article_id += 1
            if (number + 1) % self.batch_size == 0 or number + 1 == self.total:
                with transaction.atomic():
                    self.writer.flush()
                elapsed = time.monotonic() - started
                self.report(
                    f"stories: {number + 1:,} / {self.total:,} "
                    f"({100 * (number + 1) / self.total:.0f}%), {(number + 1) / elapsed:,.0f}/s"
                )

    def story(self, pk, first_quote, number, people, pick_tag, kind, now):
        rng, writer = self.rng, self.writer
        subject = people[0]
        outlet_id, outlet = rng.choice(self.outlets)
        day = self.today - datetime.timedelta(days=rng.randint(0, 20 * 365))
        roll = rng.random()
        status = "draft" if roll < 0.03 else "published"
        if 0.03 <= roll < 0.035:
            day = self.today + datetime.timedelta(days=rng.randint(1, 30))  # scheduled
        words = rng.sample(WORDS, 12)
        title = (
            f"{subject[1]} {rng.choice(VERBS).title()} {words[0].title()} And {words[1].title()}"
        )
        dek = (
            f"{subject[1]} spoke about the {words[2]}, the {words[3]} and what comes next "
            f"after the {words[4]}."
        )
        quotes, paragraphs = [], []
        for position in range(rng.choice((1, 2, 3, 3, 4, 5))):
            speaker = rng.choice(people)
            said = (
                f"The {rng.choice(WORDS)} was never about the {rng.choice(WORDS)}; it was "
                f"about the {rng.choice(WORDS)} and the {rng.choice(WORDS)}"
            )
            saying = rng.choice(SAYINGS).format(outlet=outlet)
            pronoun = {"she/her": "she", "he/him": "he"}.get(speaker[2], "they")
            quotes.append((first_quote + position, speaker[0], said, saying, position))
            paragraphs.append(
                f"“{said},” {pronoun} {saying}. {speaker[1]} has been open about the "
                f"{rng.choice(WORDS)} since the {rng.choice(WORDS)}."
            )
        for person in people[1:]:
            paragraphs.insert(
                rng.randint(0, len(paragraphs)),
                f"{person[1]} was also seen at the {rng.choice(WORDS)} with "
                f"{subject[1]} during the {rng.choice(WORDS)}.",
            )
        paragraphs.append(
            f"The {words[5]} follows the {words[6]} and the {words[7]}, "
            f"according to a {words[8]} close to the {words[9]}."
        )
        created = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        writer.add(
            "articles_article",
            (
                "id",
                "created_at",
                "updated_at",
                "title",
                "slug",
                "dek",
                "body",
                "kind",
                "published_on",
                "status",
                "publication_id",
                "byline",
                "revision",
            ),
            (
                pk,
                created,
                created,
                title,
                f"{slugify(title)[:180]}-{pk}",
                dek,
                "\n\n".join(paragraphs),
                kind,
                day,
                status,
                outlet_id,
                f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                1,
            ),
        )
        for index, person in enumerate(people):
            writer.add(
                "articles_mention",
                ("article_id", "person_id", "role", "status"),
                (pk, person[0], "subject" if index == 0 else "mentioned", "confirmed"),
            )
        for tag in {self.tags[pick_tag()] for _ in range(rng.choice((1, 2, 3)))}:
            writer.add("articles_taggedarticle", ("tag_id", "content_object_id"), (tag, pk))
        for quote_pk, speaker, text, saying, position in quotes:
            writer.add(
                "articles_quote",
                (
                    "id",
                    "uid",
                    "article_id",
                    "speaker_id",
                    "text",
                    "context",
                    "said_on",
                    "position",
                    "status",
                ),
                (
                    quote_pk,
                    str(uuid.UUID(int=rng.getrandbits(128))),
                    pk,
                    speaker,
                    text,
                    saying,
                    None,
                    position,
                    "confirmed",
                ),
            )
        writer.add(
            "articles_sourcelink",
            (
                "url",
                "label",
                "uid",
                "article_id",
                "quote_id",
                "publication_id",
                "published_on",
                "check_error",
            ),
            (
                "",
                f"{outlet}, {day:%-d %B %Y}",
                str(uuid.UUID(int=rng.getrandbits(128))),
                pk,
                None,
                outlet_id,
                day,
                "",
            ),
        )
        self.last_quote_count = len(quotes)

    # --- indexes and statistics ---------------------------------------------------------------

    def drop_search_indexes(self):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for name in SEARCH_INDEXES:
                    cursor.execute(f"DROP INDEX IF EXISTS {name}")

    def finish(self):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Run any foreign-key checks still deferred (when called inside a larger
                # transaction): PostgreSQL builds no index over pending trigger events.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                self.report("building search indexes…")
                for name, definition in SEARCH_INDEXES.items():
                    cursor.execute(f"CREATE INDEX {name} ON {definition}")
                for table in TABLES:
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                    )
            if connection.vendor == "postgresql":
                # The first queries after the load must be planned for the real sizes.
                for table in TABLES:
                    cursor.execute(f"ANALYZE {table}")
