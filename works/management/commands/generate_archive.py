"""Fill the database with a realistic synthetic archive, for benchmarks and load tests.

What it makes:

- Fandoms with Zipf-distributed popularity, each under its media. Some are
  franchises: a canonical "<Name> - All Media Types" meta fandom over two or
  three sub fandoms ("(TV)", "(Movies)", "(Comics)"…) that share characters.
  Part of the long tail is unwrangled (not canonical, no media).
- Characters and relationships that belong to their fandom (TagParent) and
  are picked, Zipf again, by the fandom's works; fandom-specific and general
  additional tags; a long tail of non-canonical tags, most used only once.
- Wrangling: popular tags canonical; about a tenth of the canonical ones have
  one to three synonyms, which a tenth of their uses pick instead; meta tags
  ("Alternate Universe" over 50+ AU tags, "Fluff" over "Tooth-Rotting Fluff"…).
- Works with varied ratings, warnings, chapters, word counts, dates and
  engagement counts, and one 100,000-word chapter every 5,000 works.
- FilterTagging rows and the crossover flag, computed in memory by the rules
  of works.filters. No FilterChange rows: a filter index built from the tables
  sees the new works.

Speed (a million works in minutes): ids are assigned here, so rows go in
without round trips, as INSERTs of many rows (SQLite) or binary COPY
(PostgreSQL), BATCH works per transaction; a forked process generates the
next batch while this one writes; the big tables' secondary indexes are
re-created at the end rather than kept up to date; the connection skips
fsync while it works.

Statistics: the run ends with ANALYZE, so both planners know the new table sizes. On SQLite another
connection to the file (a server, a bench, a sqlite3 shell) can hold it: a read transaction open
while the run is in its rollback-journal mode keeps ANALYZE from committing, and a file already open
elsewhere keeps the run from leaving WAL at all (it then keeps WAL: slower, but never blocked by
readers). ANALYZE and putting WAL back wait for such a connection, up to LOCK_WAIT_SECONDS, then stop
with a message naming `--analyze-only`, which writes the statistics alone.
"""

import json
import marshal
import multiprocessing
import random
import time
import traceback
from bisect import bisect, bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from itertools import accumulate
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import DatabaseError, OperationalError, connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Pseud, User
from jobs.queue import enqueue
from lib.languages import LANGUAGES
from tags.fixed import CATEGORIES, RATINGS, WARNINGS
from tags.models import MetaTagging, Tag, TagParent, TagType, tag_name_key
from works.actions import title_sort_key
from works.filters import TagGraph, is_crossover
from works.models import Chapter, Creatorship, FilterTagging, Tagging, Work

Row = tuple[Any, ...]

BATCH = 5000
# How long the end of a run (ANALYZE, then WAL back on) waits for other connections to an SQLite file to
# let go, retrying every LOCK_RETRY_SECONDS on top of the connection's busy timeout.
LOCK_WAIT_SECONDS = 600.0
LOCK_RETRY_SECONDS = 0.5
# Words a long work's single chapter gets, so there is always a 100,000-word chapter to time.
LONG_CHAPTER_WORDS = 100_000
LONG_WORK_EVERY = 5000
# Share of canonical tags that get synonyms, and share of their uses that pick one.
SYNONYM_SHARE = 0.1
SYNONYM_USE = 0.1
# Works are spread over ten years, more of them recent (the archive grows).
ARCHIVE_DAYS = 3650
# Slots in the paragraph pool that take the names of the work's characters.
NAME_SLOTS = ("\x01", "\x02")
# Filled, per chapter, with a word from the long tail of the vocabulary, so rare words
# are rare in the archive too (a pool paragraph is reused by many chapters).
RARE_SLOT = "\x03"

# Popular additional tags, most used first (after the first few, the order is shuffled).
COMMON_FREEFORMS = (
    "Fluff",
    "Angst",
    "Hurt/Comfort",
    "Romance",
    "Alternate Universe - Canon Divergence",
    "Friendship",
    "Humor",
    "Established Relationship",
    "Alternate Universe",
    "Smut",
    "Found Family",
    "Slow Burn",
    "Fluff and Angst",
    "Canon Compliant",
    "Post-Canon",
    "Pre-Canon",
    "Missing Scene",
    "Character Study",
    "Drabble",
    "Fix-It",
    "Angst with a Happy Ending",
    "Tooth-Rotting Fluff",
    "Domestic Fluff",
    "Fluff and Smut",
    "Porn With Plot",
    "Porn Without Plot",
    "Emotional Hurt/Comfort",
    "Physical Hurt/Comfort",
    "Enemies to Lovers",
    "Friends to Lovers",
    "Mutual Pining",
    "Pining",
    "First Kiss",
    "Getting Together",
    "Kissing",
    "Cuddling & Snuggling",
    "Whump",
    "Crack",
    "Crack Treated Seriously",
    "Parody",
    "Songfic",
    "Poetry",
    "Time Travel",
    "Magic",
    "Slice of Life",
    "Family",
    "Sibling Bonding",
    "Parent-Child Relationship",
    "Bad Parenting",
    "Trauma",
    "Nightmares",
    "Insomnia",
    "Panic Attacks",
    "Depression",
    "Anxiety",
    "Recovery",
    "Hospitals",
    "Blood and Injury",
    "Violence",
    "Character Death",
    "Temporary Character Death",
    "Horror",
    "Mystery",
    "Adventure",
    "Road Trips",
    "Holidays",
    "Christmas",
    "Halloween",
    "Valentine's Day",
    "New Year's Eve",
    "Birthday",
    "Weddings",
    "Kid Fic",
    "Cats",
    "Dogs",
    "Cooking",
    "Baking",
    "Stargazing",
    "Dancing",
    "Letters",
    "Texting",
    "Fake Dating",
    "Secret Relationship",
    "Jealousy",
    "Miscommunication",
    "Unrequited Love",
    "Love Confessions",
    "Soulmates",
    "Reincarnation",
    "Ghosts",
    "Amnesia",
    "Dystopia",
    "Post-Apocalypse",
    "Superpowers",
    "Vampires",
    "Werewolves",
    "Dragons",
    "Mythology",
    "Heavy Angst",
    "Mild Angst",
    "Angst and Hurt/Comfort",
    "Fluff and Humor",
    "First Time",
    "Feels",
    "One Shot",
)
AU_SETTINGS = (
    "Coffee Shops & Cafés",
    "College/University",
    "High School",
    "Office",
    "Roommates/Housemates",
    "Modern Setting",
    "Royalty",
    "Soulmates",
    "Human",
    "Vampire",
    "Werewolf",
    "Pirate",
    "Space",
    "Mafia",
    "Fantasy",
    "Magic",
    "Medieval",
    "Historical",
    "Regency",
    "Victorian",
    "Wild West",
    "Zombie Apocalypse",
    "Post-Apocalypse",
    "Dystopia",
    "Cyberpunk",
    "Steampunk",
    "Superheroes",
    "Hogwarts",
    "Fairy Tale",
    "Mermaids",
    "Angels & Demons",
    "Gods & Goddesses",
    "Band",
    "Musicians",
    "Sports",
    "Figure Skating",
    "Hockey",
    "Dancer",
    "Actors",
    "Celebrity",
    "Hospital",
    "Police",
    "Military",
    "Spies & Secret Agents",
    "Detectives",
    "Time Travel",
    "Reincarnation",
    "Ghosts",
    "Witches",
    "Dragons",
    "Role Reversal",
    "Everyone Lives/Nobody Dies",
    "Canon Divergence",
    "Soulmate-Identifying Marks",
    "Soulmate Timer",
    "Bakery",
    "Florist",
    "Tattoo Artist",
    "Bookstore",
    "Neighbors",
    "Summer Camp",
    "Road Trip",
    "Flower Shop",
    "Library",
)
# Meta tag -> sub tags (additional tags). "Alternate Universe" gets every AU tag not placed below another.
FREEFORM_METAS: dict[str, tuple[str, ...]] = {
    "Alternate Universe - Modern Setting": tuple(
        f"Alternate Universe - {s}"
        for s in ("Coffee Shops & Cafés", "College/University", "High School", "Office", "Roommates/Housemates")
    ),
    "Alternate Universe - Soulmates": (
        "Alternate Universe - Soulmate-Identifying Marks",
        "Alternate Universe - Soulmate Timer",
    ),
    "Fluff": ("Tooth-Rotting Fluff", "Domestic Fluff", "Fluff and Angst", "Fluff and Smut", "Fluff and Humor"),
    "Angst": ("Angst with a Happy Ending", "Fluff and Angst", "Angst and Hurt/Comfort", "Heavy Angst", "Mild Angst"),
    "Hurt/Comfort": ("Emotional Hurt/Comfort", "Physical Hurt/Comfort", "Angst and Hurt/Comfort", "Whump"),
    "Smut": ("Fluff and Smut", "Porn With Plot", "Porn Without Plot", "First Time"),
    "Humor": ("Crack", "Fluff and Humor", "Parody"),
    "Crack": ("Crack Treated Seriously",),
    "Holidays": ("Christmas", "Halloween", "Valentine's Day", "New Year's Eve"),
    "Canon Divergence": ("Fix-It", "Alternate Universe - Canon Divergence"),
    "Romance": ("Slow Burn", "Enemies to Lovers", "Friends to Lovers", "Fake Dating", "Getting Together"),
}
FREEFORM_METAS["Alternate Universe"] = tuple(
    f"Alternate Universe - {s}"
    for s in AU_SETTINGS
    if f"Alternate Universe - {s}" not in FREEFORM_METAS["Alternate Universe - Modern Setting"]
    and f"Alternate Universe - {s}" not in FREEFORM_METAS["Alternate Universe - Soulmates"]
)
# (media, how fandom names of it read, weight)
FANDOM_STYLES = (
    ("TV Shows", "{} (TV)", 25),
    ("Movies", "{} (Movies)", 14),
    ("Anime & Manga", "{} (Anime & Manga)", 15),
    ("Video Games", "{} (Video Games)", 10),
    ("Books & Literature", "{} - {author}", 15),
    ("Cartoons & Comics & Graphic Novels", "{} (Comics)", 6),
    ("Music & Bands", "{} (Band)", 4),
    ("Celebrities & Real People", "{} RPF", 5),
    ("Theater", "{} - {author}", 2),
    ("Other Media", "{} (Podcast)", 4),
)
FRANCHISE_PARTS = (
    ("TV Shows", "(TV)"),
    ("Movies", "(Movies)"),
    ("Cartoons & Comics & Graphic Novels", "(Comics)"),
    ("Video Games", "(Video Games)"),
    ("Books & Literature", "(Novels)"),
)
FANDOM_FREEFORM_PATTERNS = (
    "{name} Needs a Hug",
    "{name}-centric",
    "Protective {name}",
    "{name} Whump",
    "{name} Has Issues",
    "Post-Season {n}",
    "Season {n} Spoilers",
    "Canon-Typical {word}",
    "{place} ({fandom})",
    "{word} Magic ({fandom})",
)
SYNTHETIC_FREEFORM_NOUNS = (
    "Magic Culture Festival Lore Politics Rituals Traditions Trials Academy Wars Curse Feels Bonding Rivalry "
    "Prophecy Rebellion Heist Tournament Expedition Pact Legacy Court Guild Exile Heritage"
).split()
LOOSE_PATTERNS = (
    "{w} {w}",
    "lots of {w}",
    "{w} but {w}",
    "the {w} thing",
    "{w} energy",
    "{w} au",
    "{w} feels",
    "very {w}",
)
ONCE_PATTERNS = (
    "{w} {w} {w}",
    "author is {w} about {w}",
    "i can't believe i wrote {w} {w}",
    "this is just {w} {w} tbh",
    "{w} and {w} being {w}",
    "no beta we die like {w}",
    "{W} {W} Week {year}",
    "{w} {w} (kind of)",
    "{w}!!! {w}!!!",
    "my {w} {w} brainrot",
)


@cache
def zipf_cumulative(n: int, s: float, offset: int = 0) -> list[float]:
    """Cumulative weights of ranks 0..n-1 with probability proportional to 1/(rank+1+offset)^s."""
    return list(accumulate(1 / (rank + 1 + offset) ** s for rank in range(n)))


class Zipf:
    """Draw indices 0..n-1 with probability proportional to 1/(rank+1)^s."""

    def __init__(self, n: int, s: float, rng: random.Random) -> None:
        self.cumulative = zipf_cumulative(n, s)
        self.total = self.cumulative[-1]
        self.rng = rng

    def draw(self) -> int:
        return bisect(self.cumulative, self.rng.random() * self.total)


class Prose:
    """Prose-like text from an invented vocabulary: sentences, dialogue, paragraphs.

    Chapters are runs of consecutive paragraphs from a precomputed pool, with the
    work's characters' names and words from a 200,000-word long tail filled in,
    so common words are in most works and rare words in a few dozen.
    """

    FUNCTION_WORDS = (
        "the and of to a in that it was he she her his they said for on with as at but "
        "not had be by from this you there were so all would what which when them one"
    ).split()

    def __init__(
        self, rng: random.Random, vocabulary_size: int = 8000, pool_size: int = 20000, rare_words: int = 200_000
    ) -> None:
        self.rng = rng
        syllables = [c + v for c in "bcdfghklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou", "ee")]
        words: set[str] = set()
        while len(words) < vocabulary_size:
            words.add("".join(rng.choice(syllables) for _ in range(rng.choice((1, 2, 2, 3)))))
        self.vocabulary = self.FUNCTION_WORDS + sorted(words)
        rare: set[str] = set()
        while len(rare) < rare_words:
            rare.add("".join(rng.choice(syllables) for _ in range(rng.choice((3, 3, 4)))))
        self.rare = sorted(rare - words)
        self.zipf = Zipf(len(self.vocabulary), 1.05, rng)
        self.sentences = [self._sentence() for _ in range(20000)]
        pool, counts = [], []
        for _ in range(pool_size):
            sentences = rng.choices(self.sentences, k=rng.randint(2, 7))
            words_in = sum(s.count(" ") + 1 for s in sentences)
            if rng.random() < 0.3:
                sentences.append(f"It was {RARE_SLOT}.")
                words_in += 3
            if rng.random() < 0.5:
                # A character's full name ("First Last": two words) opens the paragraph.
                first = sentences[0]
                sentences[0] = f"{rng.choice(NAME_SLOTS)} {first[0].lower()}{first[1:]}"
                words_in += 2
            pool.append(f"<p>{' '.join(sentences)}</p>")
            counts.append(words_in)
        # Doubled, so a run starting anywhere can wrap around without copying.
        self.pool = pool + pool
        self.pool_size = pool_size
        self.pool_words = sum(counts)
        self.cumulative = [0, *accumulate(counts + counts)]
        self.whole = "\n".join(pool)

    def _sentence(self) -> str:
        words = [self.vocabulary[self.zipf.draw()] for _ in range(self.rng.randint(5, 18))]
        text = " ".join(words).capitalize() + self.rng.choice(".....?!")
        if self.rng.random() < 0.2:
            # Straight quotes: ASCII-only text is cheaper to copy, encode and store.
            speaker = self.rng.choice(["she said", "he said", "they said", "someone said"])
            text = f'"{text}" {speaker}.'
        return text

    def chapter(self, random_: Callable[[], float], words: int, names: tuple[str, str]) -> tuple[str, int]:
        """A chapter of at least `words` words mentioning these two names, and its exact word count.

        A run of consecutive paragraphs from the pool: a slice and a join, however long.
        """
        repeats, words = divmod(words, self.pool_words)
        start = int(random_() * self.pool_size)
        end = bisect_left(self.cumulative, self.cumulative[start] + words, start + 1)
        text = "\n".join(self.pool[start:end])
        if repeats:
            text = "\n".join([self.whole] * repeats + [text])
        text = text.replace(NAME_SLOTS[0], names[0]).replace(NAME_SLOTS[1], names[1])
        pieces = text.split(RARE_SLOT)
        if len(pieces) > 1:
            rare, count = self.rare, len(self.rare)
            mixed = [pieces[0]]
            for piece in pieces[1:]:
                mixed.append(rare[int(random_() * count)])
                mixed.append(piece)
            text = "".join(mixed)
        return text, self.cumulative[end] - self.cumulative[start] + repeats * self.pool_words

    def word(self, rng: random.Random) -> str:
        """A content word (not one of the function words)."""
        return self.vocabulary[rng.randint(len(self.FUNCTION_WORDS), len(self.vocabulary) - 1)]


@dataclass
class Franchise:
    """What the works of one fandom (or of the sub fandoms of one meta fandom) pick their tags from."""

    rank: int
    characters: list[int] = field(default_factory=list)
    character_names: list[str] = field(default_factory=list)
    character_weights: list[float] = field(default_factory=list)
    indices: range = range(0)
    relationships: list[int] = field(default_factory=list)
    relationship_weights: list[float] = field(default_factory=list)
    freeforms: list[int] = field(default_factory=list)
    freeform_weights: list[float] = field(default_factory=list)


@dataclass
class Leaf:
    """A fandom works are tagged with."""

    tag: int
    franchise: Franchise
    meta: int | None = None
    siblings: list[int] = field(default_factory=list)  # indices of the other sub fandoms of the meta


class TagSet:
    """The generated tags, their wrangling, and the rows that store them."""

    def __init__(self, next_id: int, taken: set[str], created: Any) -> None:
        self.first_id = self.next_id = next_id
        self.created = created
        self.taken = taken
        self.rows: list[Row] = []
        self.graph = TagGraph()
        self.names: dict[int, str] = {}
        self.parents: list[tuple[int, int]] = []
        self.meta_links: list[tuple[int, int]] = []
        self.synonyms: dict[int, list[int]] = {}

    def add(
        self, name: str, tag_type: str, *, canonical: bool = False, merger: int | None = None, disambiguation: str = ""
    ) -> int | None:
        """A new tag's id, or None if the name is taken and there is no disambiguation to add."""
        key = tag_name_key(name)
        if key in self.taken:
            if not disambiguation:
                return None
            name = f"{name} ({disambiguation})"
            key = tag_name_key(name)
            number = 2
            while key in self.taken:
                key = tag_name_key(f"{name} {number}")
                number += 1
            if number > 2:
                name = f"{name} {number - 1}"
        pk = self.next_id
        self.next_id += 1
        self.taken.add(key)
        self.rows.append((pk, name, key, tag_type, canonical, merger, self.created))
        self.graph.canonical[pk], self.graph.merger[pk], self.graph.type[pk] = canonical, merger, tag_type
        self.names[pk] = name
        return pk

    def add_once(self, name: str) -> int | None:
        """An unwrangled additional tag, kept out of the graph (there are many; they filter as themselves)."""
        key = tag_name_key(name)
        if key in self.taken:
            return None
        pk = self.next_id
        self.next_id += 1
        self.taken.add(key)
        self.rows.append((pk, name, key, TagType.FREEFORM.value, False, None, self.created))
        return pk

    def add_synonyms(self, rng: random.Random, pk: int, variants: list[str]) -> None:
        tag_type = self.graph.type[pk]
        for name in rng.sample(variants, min(len(variants), rng.randint(1, 3))):
            synonym = self.add(name, tag_type, merger=pk)
            if synonym is not None:
                self.synonyms.setdefault(pk, []).append(synonym)

    def link_meta(self, meta: int, sub: int) -> None:
        metas = self.graph.metas.setdefault(sub, set())
        if meta not in metas:
            metas.add(meta)
            self.meta_links.append((meta, sub))

    def take_rows(self) -> list[Row]:
        rows, self.rows = self.rows, []
        return rows


class Writer:
    """Bulk inserts through the raw connection: many rows per INSERT on SQLite, COPY on PostgreSQL."""

    def __init__(self, now: Any) -> None:
        connection.ensure_connection()
        self.raw = connection.connection
        self.postgres = connection.vendor == "postgresql"
        self.now = now
        self.layouts: dict[tuple[type[models.Model], tuple[str, ...]], tuple[list[str], Row]] = {}

    def _layout(self, model: type[models.Model], names: tuple[str, ...]) -> tuple[list[str], Row]:
        """All the columns, these first, and the values of the others (their defaults)."""
        key = (model, names)
        if key not in self.layouts:
            columns, tail = [str(getattr(model._meta.get_field(name), "column", name)) for name in names], []
            for model_field in model._meta.concrete_fields:
                if model_field.attname in names or model_field.primary_key:
                    continue
                if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
                    value = self.now
                else:
                    value = model_field.get_default()
                if value is None and not model_field.null:
                    raise CommandError(f"generate_archive does not know what to put in {model.__name__}.{model_field}.")
                columns.append(str(model_field.column))
                tail.append(model_field.get_db_prep_save(value, connection))
            self.layouts[key] = (columns, tuple(tail))
        return self.layouts[key]

    @staticmethod
    def _table(model: type[models.Model], columns: list[str]) -> str:
        quote = connection.ops.quote_name
        return f"{quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)})"

    def insert_filters(self, taggings: list[Row], extra: list[Row]) -> None:
        """FilterTagging rows: one per tagging (not inherited), and the extra ones."""
        self._copy_own_filters(taggings[0][0], taggings[-1][0])
        self.insert(FilterTagging, ("work_id", "tag_id", "inherited"), extra)

    def _copy_own_filters(self, first_work: int, last_work: int) -> None:
        """FilterTagging rows for these works' own tags, copied from their taggings inside the database
        (quicker than sending them again)."""
        columns, tail = self._layout(FilterTagging, ("work_id", "tag_id", "inherited"))
        work, tag = map(connection.ops.quote_name, self._layout(Tagging, ("work_id", "tag_id"))[0][:2])
        values = ", ".join(["%s"] * (1 + len(tail)))
        sql = (
            f"INSERT INTO {self._table(FilterTagging, columns)} SELECT {work}, {tag}, {values} "  # noqa: S608
            f"FROM {connection.ops.quote_name(Tagging._meta.db_table)} WHERE {work} BETWEEN %s AND %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [False, *tail, first_work, last_work])

    def _copy(self, model: type[models.Model], columns: list[str], rows: list[Row]) -> None:
        """COPY in binary: a third faster than text for chapters (no escaping of their text on either side).

        Binary wants Python dates for date columns; the rows carry them as text.
        """
        types, parse = [], []
        by_column = {model_field.column: model_field for model_field in model._meta.concrete_fields}
        for index, column in enumerate(columns):
            db_type = str(by_column[column].db_type(connection)).split("(")[0]
            types.append(db_type)
            if db_type in BINARY_PARSERS:
                parse.append((index, BINARY_PARSERS[db_type]))
        sql = f"COPY {self._table(model, columns)} FROM STDIN (FORMAT BINARY)"
        with self.raw.cursor() as cursor, cursor.copy(sql) as copy:
            copy.set_types(types)
            write = copy.write_row
            for row in rows:
                if parse:
                    values = list(row)
                    for index, parser in parse:
                        if isinstance(values[index], str):
                            values[index] = parser(values[index])
                    write(values)
                else:
                    write(row)

    def insert(self, model: type[models.Model], names: Iterable[str], rows: list[Row]) -> None:
        if not rows:
            return
        columns, tail = self._layout(model, tuple(names))
        if tail:
            rows = [row + tail for row in rows]
        if self.postgres:
            self._copy(model, columns, rows)
            return
        # Many rows per statement: SQLite's cost is mostly per statement, so this is 2-3 times faster.
        # Names from the models' metadata, values as parameters.
        sql = f"INSERT INTO {self._table(model, columns)} VALUES "  # noqa: S608
        width = len(rows[0])
        placeholder = f"({', '.join('?' * width)})"
        per = max(1, min(500, (connection.features.max_query_params or 999) // width))
        full = len(rows) - len(rows) % per
        if full:
            values = [value for row in rows[:full] for value in row]
            step = per * width
            self.raw.executemany(
                sql + ", ".join([placeholder] * per), [values[i : i + step] for i in range(0, len(values), step)]
            )
        if full < len(rows):
            self.raw.executemany(sql + placeholder, rows[full:])


BINARY_PARSERS: dict[str, Callable[[str], Any]] = {
    "date": date.fromisoformat,
    "timestamp with time zone": datetime.fromisoformat,
}
BatchSpec = tuple[int, int, int, int]  # batch number, index of its first work in this run, size, first work id


@dataclass
class Batch:
    """The rows of a batch of works."""

    size: int
    tags: list[Row] = field(default_factory=list)
    works: list[Row] = field(default_factory=list)
    chapters: list[Row] = field(default_factory=list)
    creatorships: list[Row] = field(default_factory=list)
    taggings: list[Row] = field(default_factory=list)
    # FilterTagging rows besides one per tagging: canonical mergers and meta tags above.
    extra_filters: list[Row] = field(default_factory=list)

    def pack(self) -> bytes:
        # marshal: plain values only, and twice as fast as pickle.
        data = (self.size, self.tags, self.works, self.chapters, self.creatorships, self.taggings, self.extra_filters)
        return marshal.dumps(data)

    @classmethod
    def unpack(cls, data: bytes | memoryview) -> "Batch":
        return cls(*marshal.loads(data))  # noqa: S302 (our own bytes, from our own child process)


TAG_COLUMNS = ("id", "name", "name_key", "type", "canonical", "merger_id", "created_at")
WORK_COLUMNS = (
    "id",
    "title",
    "title_sort",
    "creator_sort",
    "summary",
    "notes",
    "language",
    "expected_chapters",
    "complete",
    "posted",
    "restricted",
    "hidden_by_admin",
    "word_count",
    "chapter_count",
    "hits",
    "kudos_count",
    "comments_count",
    "bookmarks_count",
    "crossover",
    "published_at",
    "revised_at",
    "created_at",
)
CHAPTER_COLUMNS = (
    "work_id",
    "position",
    "title",
    "content",
    "word_count",
    "posted",
    "published_at",
    "created_at",
    "updated_at",
)


class Command(BaseCommand):
    help = "Generate a synthetic archive of N works (for benchmarks). Adds to what is there."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--works", type=int, help="How many works to create (required unless --analyze-only).")
        parser.add_argument(
            "--analyze-only",
            action="store_true",
            help="Create nothing: only write the planner statistics (ANALYZE), for a run that could not.",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same archive.")
        parser.add_argument(
            "--words-per-chapter",
            type=int,
            default=400,
            help="Median words of story text per chapter (log-normal around it). Default 400.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["analyze_only"]:
            self._analyze()
            return
        count = options["works"]
        if count is None or count < 1:
            raise CommandError("--works must be at least 1.")
        seed = options["seed"]
        self.median_words = max(1, options["words_per_chapter"])
        started = time.monotonic()
        existing_works = Work.objects.count()
        # The seed and the archive's size pick the names, so a second run adds new tags and users.
        self.seed_key = f"{seed}:{existing_works}"
        rng = random.Random(self.seed_key)
        self.prose = Prose(rng)
        self.now = timezone.now()
        self.writer = Writer(self.now)
        self._setup_time(rng)
        restore = self._fast_session()
        try:
            with transaction.atomic():
                self._make_tags(rng, count)
                self._make_users(rng, count)
            self._note(self._describe_tags(), started)
            # Building an index from scratch beats keeping it up to date, unless the tables hold more already.
            recreate = self._defer_indexes() if count >= existing_works else (lambda: None)
            try:
                self._make_all_works(count, started)
            finally:
                recreate()
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [Tag, User, Pseud, Work]):
                    cursor.execute(sql)
            self._analyze()
        finally:
            restore()
        # The works went in without search updates: the worker's index check sees the index short
        # of works and rebuilds it in the background (or run `manage.py rebuild_search_index`).
        enqueue("check_search_index", key="periodic:check_search_index")
        self.stdout.write(
            self.style.SUCCESS(f"Created {count:,} works in {time.monotonic() - started:.1f} s (seed {seed}).")
        )

    def _describe_tags(self) -> str:
        graph, tags = self.tags.graph, self.tags
        new = [pk for pk in graph.type if pk >= tags.first_id]
        fandoms = sum(graph.type[pk] == TagType.FANDOM for pk in new)
        subs: dict[int, int] = {}
        for meta, _sub in tags.meta_links:
            subs[meta] = subs.get(meta, 0) + 1
        return (
            f"{len(new):,} tags ({fandoms:,} fandoms, {sum(graph.canonical[pk] for pk in new):,} canonical, "
            f"{sum(map(len, tags.synonyms.values())):,} synonyms, {len(subs)} meta tags, the biggest over "
            f"{max(subs.values(), default=0)} sub tags), {len(self.pseuds):,} pseuds"
        )

    def _note(self, what: str, since: float) -> None:
        self.stderr.write(f"{what}: {time.monotonic() - since:.1f} s")

    def _analyze(self) -> None:
        """Fresh statistics, so both engines' planners know the new table sizes."""
        analyzing = time.monotonic()
        if not self._when_unlocked("ANALYZE", "ANALYZE"):
            raise CommandError(
                f"ANALYZE gave up: another connection kept the SQLite database locked for {LOCK_WAIT_SECONDS:.0f} s. "
                "The works are saved, but the planner has no statistics for them. Close the other connections "
                "(the server, a bench, a sqlite3 shell) and run `manage.py generate_archive --analyze-only`."
            )
        self._note("ANALYZE", analyzing)

    def _when_unlocked(self, what: str, sql: str) -> bool:
        """Run `sql`, waiting while another connection holds the SQLite file (up to LOCK_WAIT_SECONDS);
        False if it never let go. Any other error, and any on PostgreSQL (whose ANALYZE waits on its own
        locks), is raised."""
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        waiting = False
        while True:
            try:
                with connection.cursor() as cursor:
                    cursor.execute(sql)
                return True
            except OperationalError as error:
                if connection.vendor != "sqlite" or "locked" not in str(error):
                    raise
                if time.monotonic() >= deadline:
                    return False
                if not waiting:
                    self.stderr.write(
                        f"{what}: another connection holds the database ({error}); "
                        f"waiting up to {LOCK_WAIT_SECONDS:.0f} s for it to let go"
                    )
                    waiting = True
            time.sleep(LOCK_RETRY_SECONDS)

    def _fast_session(self) -> Callable[[], None]:
        """Speed settings for this connection while generating (synthetic data: a crash loses nothing).

        Returns what puts them back. Inside an outer transaction (tests) they can't change.
        """
        if connection.in_atomic_block:
            return lambda: None
        undo: list[str] = []
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                # No fsync, no write-ahead log (pages would be written twice), a big page cache; the
                # foreign keys are right by construction.
                for pragma, value in (
                    ("synchronous", "OFF"),
                    ("cache_size", "-524288"),
                    ("foreign_keys", "OFF"),
                    ("journal_mode", "MEMORY"),
                ):
                    cursor.execute(f"PRAGMA {pragma}")
                    before = f"PRAGMA {pragma} = {cursor.fetchone()[0]}"
                    try:
                        cursor.execute(f"PRAGMA {pragma} = {value}")
                    except OperationalError as error:
                        # Leaving WAL needs the file to itself; opened elsewhere, it keeps WAL, whose
                        # readers never block the writes.
                        if pragma != "journal_mode" or "locked" not in str(error):
                            raise
                        self.stderr.write("journal_mode: another connection has the database open; keeping WAL")
                        continue
                    undo.append(before)
            elif connection.vendor == "postgresql":
                for name, value in (("synchronous_commit", "off"), ("maintenance_work_mem", "'512MB'")):
                    cursor.execute(f"SET {name} = {value}")
                    undo.append(f"RESET {name}")
                try:
                    # lz4 compresses chapter text several times faster than the default pglz.
                    cursor.execute("SET default_toast_compression = lz4")
                    undo.append("RESET default_toast_compression")
                except DatabaseError:
                    pass  # a server built without lz4
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                if cursor.fetchone()[0]:
                    # Skip the foreign-key triggers, as pg_restore --disable-triggers does: the ids are ours.
                    cursor.execute("SET session_replication_role = replica")
                    undo.append("RESET session_replication_role")

        def restore() -> None:
            for sql in reversed(undo):
                # Back to WAL needs the file to itself too; each connection Django opens asks for WAL
                # again, but one left in rollback mode would be blocked by every reader meanwhile.
                if not self._when_unlocked("WAL", sql):
                    self.stderr.write(f"{sql}: another connection kept the database locked; not restored")

        return restore

    def _defer_indexes(self) -> Callable[[], None]:
        """Drop the plain indexes of the big tables, for re-creating them at the end (faster than keeping them).

        Unique indexes stay. Returns what re-creates the dropped ones.
        """
        tables = [model._meta.db_table for model in (Work, Chapter, Creatorship, Tagging, FilterTagging)]
        with connection.cursor() as cursor:
            # Indexes led by work_id only grow at their end as works are added: cheap to keep.
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                    "AND sql NOT LIKE 'CREATE UNIQUE%%' AND tbl_name IN (SELECT value FROM json_each(%s)) "
                    "AND (SELECT name FROM pragma_index_info(sqlite_master.name) WHERE seqno = 0) != 'work_id'",
                    [json.dumps(tables)],
                )
            elif connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                    "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
                    "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
                    "WHERE t.relname = ANY(%s) AND t.relnamespace = current_schema()::regnamespace "
                    "AND NOT i.indisunique AND a.attname != 'work_id'",
                    [tables],
                )
            else:
                return lambda: None
            indexes = cursor.fetchall()
            for name, _sql in indexes:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")

        def recreate() -> None:
            started = time.monotonic()
            with connection.cursor() as cursor:
                # Inside an outer transaction (tests), pending foreign-key checks forbid CREATE INDEX: run them.
                checks_pending = connection.vendor == "postgresql" and connection.in_atomic_block
                if checks_pending:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for _name, sql in indexes:
                    cursor.execute(sql)
                if checks_pending:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            self._note(f"{len(indexes)} indexes re-created", started)

        return recreate

    def _setup_time(self, rng: random.Random) -> None:
        # Day 0 is yesterday, so no date lies in the future.
        today = self.now.date() - timedelta(days=1)
        suffix = "+00" if connection.vendor == "postgresql" else ""
        self.days = [str(today - timedelta(days=d)) for d in range(ARCHIVE_DAYS + 1)]
        self.clock = [f" {h:02d}:{m:02d}:{s:02d}{suffix}" for h in range(24) for m in range(60) for s in range(60)]
        # Timestamps as text, as Django writes them on SQLite; with an offset for PostgreSQL.
        self.now_value = f"{self.now:%Y-%m-%d %H:%M:%S}{suffix}"

    # Names

    def _proper(self, rng: random.Random, syllables: tuple[int, ...] = (1, 2, 2, 3)) -> str:
        return "".join(rng.choice(self.name_syllables) for _ in range(rng.choice(syllables))).capitalize()

    def _fandom_base(self, rng: random.Random) -> str:
        a, b = self._proper(rng), self._proper(rng)
        return rng.choice((a, a, f"The {a} {b}", f"{a} {b}", f"{a}: {b}", f"{a} of {b}"))

    def _person(self, rng: random.Random) -> str:
        return f"{self._proper(rng, (2, 2, 3))} {self._proper(rng, (2, 3))}"

    # Tags

    def _make_tags(self, rng: random.Random, works: int) -> None:
        syllables = ("ka", "ri", "mo", "ta", "le", "si", "na", "vo", "el", "an", "dra", "th", "is", "or", "u", "ya")
        self.name_syllables = (*syllables, "mi", "ren", "sa", "jo", "bel", "cor", "fi", "lu", "ne", "ro", "ze")
        fixed = dict(Tag.objects.filter(type__in=["rating", "warning", "category", "media"]).values_list("name", "pk"))
        start_id = (Tag.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        self.tags = tags = TagSet(start_id, set(Tag.objects.values_list("name_key", flat=True)), self.now_value)
        # Fixed tags are in the graph too, in case someone has wrangled them.
        tags.graph.load(fixed.values())
        self.rating_ids = [fixed[name] for name, _s, _a in RATINGS]
        self.rating_weights = list(accumulate([5, 30, 30, 17, 18]))
        self.no_warnings, self.chose_not = fixed[WARNINGS[1]], fixed[WARNINGS[0]]
        self.other_warnings = [fixed[name] for name in WARNINGS[2:]]
        self.category_ids = [fixed[name] for name in CATEGORIES]
        self._make_fandoms(rng, max(10, works // 100), fixed)
        self._make_freeforms(rng, max(300, works // 20))
        # What each tag adds to a work's filters: its canonical merger, and that tag's meta ancestors.
        graph = tags.graph
        self.direct: dict[int, int] = {}
        self.ancestors: dict[int, tuple[int, ...]] = {}
        for pk in graph.type:
            target = graph.filter_tag(pk)
            if target != pk:
                self.direct[pk] = target
            above = graph.ancestors(target)
            if above:
                self.ancestors[pk] = tuple(sorted(above))
        self.writer.insert(Tag, TAG_COLUMNS, tags.take_rows())
        self.writer.insert(TagParent, ("child_id", "parent_id"), tags.parents)
        self.writer.insert(MetaTagging, ("meta_tag_id", "sub_tag_id"), tags.meta_links)

    def _make_fandoms(self, rng: random.Random, leaf_count: int, fixed: dict[str, int]) -> None:
        tags = self.tags
        fandom, character, relationship = TagType.FANDOM.value, TagType.CHARACTER.value, TagType.RELATIONSHIP.value
        freeform = TagType.FREEFORM.value
        self.leaves: list[Leaf] = []
        style_weights = list(accumulate(weight for _m, _f, weight in FANDOM_STYLES))
        rank = 0
        while len(self.leaves) < leaf_count:
            franchise = Franchise(rank)
            base = self._fandom_base(rng)
            # Some popular fandoms, and a few others, span media under one meta fandom.
            grouped = rank == 0 or rng.random() < (0.25 if rank < 50 else 0.03)
            canonical = grouped or len(self.leaves) < leaf_count // 2 or rng.random() < 0.7
            leaves: list[Leaf] = []
            if grouped:
                meta = tags.add(f"{base} - All Media Types", fandom, canonical=True, disambiguation=str(rank))
                assert meta is not None
                self._fandom_synonyms(rng, meta, base)
                parts = rng.sample(FRANCHISE_PARTS, rng.choice((2, 3, 3)))
                for media, suffix in parts:
                    pk = tags.add(f"{base} {suffix}", fandom, canonical=True, disambiguation=str(rank))
                    assert pk is not None
                    tags.link_meta(meta, pk)
                    tags.parents += [(pk, fixed[media]), (meta, fixed[media])]
                    self._fandom_synonyms(rng, pk, base)
                    leaves.append(Leaf(pk, franchise, meta))
                offset = len(self.leaves)
                for number, leaf in enumerate(leaves):
                    leaf.siblings = [offset + other for other in range(len(leaves)) if other != number]
            else:
                media, pattern, _weight = FANDOM_STYLES[bisect(style_weights, rng.random() * style_weights[-1])]
                name = pattern.format(base, author=self._person(rng))
                pk = tags.add(name, fandom, canonical=canonical, disambiguation=str(rank))
                assert pk is not None
                if canonical:
                    tags.parents.append((pk, fixed[media]))
                    self._fandom_synonyms(rng, pk, base)
                leaves.append(Leaf(pk, franchise))
            self.leaves += leaves
            fandom_tags = [leaf.tag for leaf in leaves]

            def wrangled(tag_id: int, fandoms: list[int] = fandom_tags) -> None:
                tags.parents.extend((tag_id, f) for f in fandoms)

            # Characters, most popular first; the rarest of lesser fandoms are left unwrangled.
            size = max(3, int(80 / (rank + 1) ** 0.5))
            short = base.removeprefix("The ").split(":")[0]
            for number in range(size):
                person = self._person(rng)
                is_canonical = canonical and (rank < 20 or number < size * 0.85)
                pk = tags.add(person, character, canonical=is_canonical, disambiguation=short)
                assert pk is not None
                franchise.characters.append(pk)
                franchise.character_names.append(person)
                if is_canonical:
                    wrangled(pk)
                    if rng.random() < SYNONYM_SHARE:
                        first, last = person.split(" ")
                        tags.add_synonyms(
                            rng, pk, [first, f"{first} {last[0]}.", f"{last} {first}", f"{first[0]}. {last}"]
                        )
            franchise.character_weights = zipf_cumulative(size, 1.0)
            franchise.indices = range(size)
            character_draw = Zipf(size, 1.0, rng)
            for number in range(max(2, int(size * 0.8))):
                people = {character_draw.draw() for _ in range(3 if rng.random() < 0.04 else 2)}
                if len(people) < 2:
                    continue
                names = [tags.names[franchise.characters[p]] for p in sorted(people)]
                romantic = rng.random() < 0.7
                name = ("/" if romantic else " & ").join(names)
                is_canonical = canonical and (rank < 20 or number < size * 0.7)
                pk = tags.add(name, relationship, canonical=is_canonical)
                if pk is None:
                    continue
                franchise.relationships.append(pk)
                if is_canonical:
                    wrangled(pk)
                    if rng.random() < SYNONYM_SHARE:
                        firsts = [n.split(" ")[0] for n in names]
                        glue = "/" if romantic else " & "
                        variants = [glue.join(reversed(names)), glue.join(firsts), " x ".join(firsts)]
                        tags.add_synonyms(rng, pk, variants)
            franchise.relationship_weights = zipf_cumulative(max(1, len(franchise.relationships)), 1.0)
            # Additional tags of this fandom only.
            if canonical and rank < 300:
                for _ in range(max(1, int(25 / (rank + 1) ** 0.5))):
                    person = franchise.character_names[character_draw.draw()].split(" ")[0]
                    name = rng.choice(FANDOM_FREEFORM_PATTERNS).format(
                        name=person,
                        n=rng.randint(1, 9),
                        word=self.prose.word(rng).capitalize(),
                        place=self._proper(rng),
                        fandom=short,
                    )
                    pk = tags.add(name, freeform, canonical=True)
                    if pk is not None:
                        franchise.freeforms.append(pk)
                        wrangled(pk)
                franchise.freeform_weights = zipf_cumulative(max(1, len(franchise.freeforms)), 1.0)
            rank += 1
        # A flattened head again: the biggest fandom holds a few percent of the works, not a tenth.
        self.leaf_weights = zipf_cumulative(len(self.leaves), 1.0, offset=2)

    def _fandom_synonyms(self, rng: random.Random, pk: int, base: str) -> None:
        if rng.random() < SYNONYM_SHARE:
            initials = "".join(word[0] for word in base.split(" ") if word[:1].isupper())
            name = self.tags.names[pk]
            self.tags.add_synonyms(rng, pk, [base, f"{name.replace('(', '').replace(')', '')}", f"{initials} (fandom)"])

    def _make_freeforms(self, rng: random.Random, pool_size: int) -> None:
        """General additional tags: wrangled ones with their metas, most used first, then unwrangled ones."""
        tags = self.tags
        freeform = TagType.FREEFORM.value
        names = list(dict.fromkeys([*COMMON_FREEFORMS, *(f"Alternate Universe - {s}" for s in AU_SETTINGS)]))
        names += [name for name in FREEFORM_METAS if name not in names]
        keys = {tag_name_key(name): name for name in names}
        found = Tag.objects.filter(name_key__in=keys, type=freeform).values_list("name_key", "pk")
        existing = {keys[key]: pk for key, pk in found}
        canonical_count = max(len(names), int(pool_size * 0.4))
        # The first few lead; the other known tags are spread over the first 2,000 ranks among made-up ones.
        popular, rest = names[:10], names[10:]
        ranks = rng.sample(range(len(popular), max(len(names), min(canonical_count, 2000))), len(rest))
        planned = dict(enumerate(popular)) | dict(zip(ranks, rest, strict=True))
        ids: list[int] = []
        by_name: dict[str, int] = {}
        for rank in range(pool_size):
            canonical = rank < canonical_count
            while True:
                name = planned.pop(rank, "") or self._made_up_freeform(rng, canonical)
                pk = tags.add(name, freeform, canonical=canonical)
                if pk is not None:
                    if canonical and rng.random() < SYNONYM_SHARE:
                        tags.add_synonyms(rng, pk, self._freeform_variants(name))
                    break
                if name in existing:
                    # An archive that has this tag already (an earlier run, the demo): use it as it is.
                    pk = existing[name]
                    break
            ids.append(pk)
            by_name[name] = pk
        tags.graph.load(existing.values())
        for meta, subs in FREEFORM_METAS.items():
            for sub in subs:
                # Only new tags get metas: existing works' filters must stay right.
                if meta in by_name and sub in by_name and sub not in existing:
                    tags.link_meta(by_name[meta], by_name[sub])
        self.freeform_ids = ids
        # Zipf with a flattened head (Zipf-Mandelbrot): the most used tag on some 7% of works, not 40%.
        self.freeform_weights = zipf_cumulative(len(ids), 1.0, offset=10)

    def _made_up_freeform(self, rng: random.Random, canonical: bool) -> str:
        if canonical:
            return f"{self.prose.word(rng).capitalize()} {rng.choice(SYNTHETIC_FREEFORM_NOUNS)}"
        name = rng.choice(LOOSE_PATTERNS).replace("{w}", self.prose.word(rng), 1)
        return name.replace("{w}", self.prose.word(rng))

    @staticmethod
    def _freeform_variants(name: str) -> list[str]:
        if name.startswith("Alternate Universe - "):
            setting = name.removeprefix("Alternate Universe - ")
            return [f"{setting} AU", f"AU - {setting}", f"{setting} Alternate Universe"]
        return [f"{name}!", f"lots of {name.lower()}", f"{name} (kind of)", f"a little bit of {name.lower()}"]

    def _once_tag(self, rng: random.Random) -> int:
        """A new unwrangled tag that (most likely) only this work uses."""
        word = self.prose.word
        while True:
            name = rng.choice(ONCE_PATTERNS)
            while "{w}" in name:
                name = name.replace("{w}", word(rng), 1)
            while "{W}" in name:
                name = name.replace("{W}", word(rng).capitalize(), 1)
            pk = self.tags.add_once(name.replace("{year}", str(rng.randint(2012, 2025))))
            if pk is not None:
                return pk

    # Users

    def _make_users(self, rng: random.Random, works: int) -> None:
        taken = {name.casefold() for name in User.objects.values_list("username", flat=True)}
        user_id = (User.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        pseud_id = (Pseud.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        # Unusable, as make_password(None) would give, but reproducible (hashing is slow anyway).
        password = "!" + "".join(rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=40))
        users: list[Row] = []
        pseuds: list[Row] = []
        self.pseuds: list[tuple[int, str]] = []
        for _ in range(max(5, works // 5)):
            while True:
                word = self.prose.word(rng)
                username = rng.choice((word, f"{word}{rng.randint(1, 9999)}", f"{word}_{self.prose.word(rng)}"))[:40]
                if username.casefold() not in taken:
                    break
            taken.add(username.casefold())
            users.append((user_id, password, username, f"{username}@example.invalid", self.now_value))
            pseuds.append((pseud_id, user_id, username, True, self.now_value))
            self.pseuds.append((pseud_id, username))
            pseud_id += 1
            if rng.random() < 0.1:
                other = self._proper(rng)[:40]
                if other.casefold() != username.casefold():
                    pseuds.append((pseud_id, user_id, other, False, self.now_value))
                    self.pseuds.append((pseud_id, other))
                    pseud_id += 1
            user_id += 1
        self.writer.insert(User, ("id", "password", "username", "email", "date_joined"), users)
        self.writer.insert(Pseud, ("id", "user_id", "name", "is_default", "created_at"), pseuds)
        # Prolific authors are few (Zipf over pseuds, in a shuffled order).
        rng.shuffle(self.pseuds)
        self.pseud_weights = zipf_cumulative(len(self.pseuds), 0.6)

    # Works

    def _make_all_works(self, count: int, started: float) -> None:
        first_id = (Work.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        self.languages = [code for code, _name in LANGUAGES if code != "en"]
        specs = [
            (number, first, min(BATCH, count - first), first_id + first)
            for number, first in enumerate(range(0, count, BATCH))
        ]
        done = 0
        for batch in self._batches(specs):
            with transaction.atomic():
                self._write(batch)
            done += batch.size
            rate = done / (time.monotonic() - started)
            self.stderr.write(f"\r{done:,}/{count:,} works ({rate:,.0f}/s)", ending="")
            self.stderr.flush()
        self.stderr.write("")

    def _batches(self, specs: list[BatchSpec]) -> Iterator[Batch]:
        """The batches, generated in a forked process while this one writes, where that is possible."""
        if len(specs) < 2 or "fork" not in multiprocessing.get_all_start_methods():
            for spec in specs:
                yield self._make_works(spec)
            return
        # The child inherits the tag graph by forking and never touches the database.
        context = multiprocessing.get_context("fork")
        reader, sender = context.Pipe(duplex=False)
        producer = context.Process(target=self._produce, args=(specs, sender), daemon=True)
        producer.start()
        sender.close()
        try:
            for _spec in specs:
                try:
                    data = memoryview(reader.recv_bytes())
                except EOFError:
                    raise CommandError("The process generating works died.") from None
                if data[0] == ord("E"):
                    raise CommandError(f"Generating works failed:\n{bytes(data[1:]).decode()}")
                yield Batch.unpack(data[1:])
        finally:
            reader.close()
            if producer.is_alive():
                producer.kill()
            producer.join()

    def _produce(self, specs: list[BatchSpec], sender: Any) -> None:
        try:
            for spec in specs:
                # Blocks while the parent is still writing the previous batch: one batch ahead at most.
                sender.send_bytes(b"B" + self._make_works(spec).pack())
        except BaseException:
            sender.send_bytes(b"E" + traceback.format_exc().encode())

    def _make_works(self, spec: BatchSpec) -> Batch:
        """Rows for `size` works, from a generator seeded for this batch alone: reproducible in any process."""
        number, first, size, pk = spec
        rng = random.Random(f"{self.seed_key}:{number}")
        random_, choices, choice = rng.random, rng.choices, rng.choice
        leaves, leaf_weights = self.leaves, self.leaf_weights
        leaf_total = leaf_weights[-1]
        synonyms, direct, ancestors, graph = self.tags.synonyms, self.direct, self.ancestors, self.tags.graph
        freeform_ids, freeform_weights = self.freeform_ids, self.freeform_weights
        pseuds, pseud_weights = self.pseuds, self.pseud_weights
        pseud_total = pseud_weights[-1]
        rating_ids, rating_weights = self.rating_ids, self.rating_weights
        no_warnings, chose_not, other_warnings = self.no_warnings, self.chose_not, self.other_warnings
        category_ids, languages = self.category_ids, self.languages
        days, clock, median = self.days, self.clock, self.median_words
        prose = self.prose
        chapter, sentences, vocabulary = prose.chapter, prose.sentences, prose.vocabulary
        first_word, word_span = len(prose.FUNCTION_WORDS), len(vocabulary) - len(prose.FUNCTION_WORDS)
        lognormvariate, paretovariate = rng.lognormvariate, rng.paretovariate
        batch = Batch(size)
        works, chapters, creatorships = batch.works, batch.chapters, batch.creatorships
        taggings, extra_filters = batch.taggings, batch.extra_filters
        for number in range(first, first + size):
            # Tags: required ones, one fandom (sometimes more), its characters and relationships, additional tags.
            own = [rating_ids[bisect(rating_weights, random_() * rating_weights[-1])]]
            roll = random_()
            if roll < 0.45:
                own.append(no_warnings)
            elif roll < 0.75:
                own.append(chose_not)
            else:
                own.append(other_warnings[int(random_() * len(other_warnings))])
                if roll > 0.95:
                    own.append(other_warnings[int(random_() * len(other_warnings))])
            own.append(category_ids[int(random_() * len(category_ids))])
            if random_() < 0.2:
                own.append(category_ids[int(random_() * len(category_ids))])
            leaf = leaves[bisect(leaf_weights, random_() * leaf_total)]
            work_leaves = [leaf]
            roll = random_()
            if roll < 0.09:
                if leaf.siblings and roll < 0.06:
                    work_leaves.append(leaves[choice(leaf.siblings)])
                else:
                    work_leaves.append(leaves[bisect(leaf_weights, random_() * leaf_total)])
                if roll < 0.02:
                    work_leaves.append(leaves[bisect(leaf_weights, random_() * leaf_total)])
            fandoms = [item.tag for item in work_leaves]
            if leaf.meta is not None and random_() < 0.05:
                fandoms.append(leaf.meta)
            names: list[str] = []
            franchises = (
                [leaf.franchise]
                if len(work_leaves) == 1
                else list({id(lf.franchise): lf.franchise for lf in work_leaves}.values())
            )
            for franchise in franchises:
                people = choices(franchise.indices, cum_weights=franchise.character_weights, k=1 + int(random_() * 5))
                own += [franchise.characters[p] for p in people]
                names += [franchise.character_names[p] for p in people]
                if franchise.relationships:
                    own += choices(
                        franchise.relationships, cum_weights=franchise.relationship_weights, k=int(random_() * 2.6)
                    )
                if franchise.freeforms and random_() < 0.3:
                    own += choices(franchise.freeforms, cum_weights=franchise.freeform_weights, k=1 + (random_() < 0.4))
            own += choices(freeform_ids, cum_weights=freeform_weights, k=3 + int(random_() * 7))
            if random_() < 0.25:
                own.append(self._once_tag(rng))
                if random_() < 0.4:
                    own.append(self._once_tag(rng))
            # A tenth of the uses of a tag with synonyms pick one of them instead.
            for index, tag in enumerate(own):
                if tag in synonyms and random_() < SYNONYM_USE:
                    own[index] = choice(synonyms[tag])
            for index, tag in enumerate(fandoms):
                if tag in synonyms and random_() < SYNONYM_USE:
                    fandoms[index] = choice(synonyms[tag])
            own_set = set(own)
            own_set.update(fandoms)
            taggings += [(pk, tag) for tag in own_set]
            # Filters as works.filters computes them: the work's own tags (the writer copies them from
            # its taggings), the canonical tags its synonyms merge into, then the meta tags above those.
            extra: dict[int, bool] = {}
            above: list[int] = []
            for tag in own_set:
                if tag in direct and direct[tag] not in own_set:
                    extra[direct[tag]] = False
                if tag in ancestors:
                    above += ancestors[tag]
            for tag in above:
                if tag not in own_set:
                    extra.setdefault(tag, True)
            extra_filters += [(pk, tag, inherited) for tag, inherited in extra.items()]
            crossover = False
            if len(fandoms) > 1:
                fandom_filters = {direct.get(tag, tag) for tag in fandoms}
                crossover = len(fandom_filters) > 1 and is_crossover(fandom_filters, graph)

            # Chapters, dates and text.
            if number % LONG_WORK_EVERY == 0:
                words = [LONG_CHAPTER_WORDS]
            elif random_() < 0.6:
                words = [max(50, int(lognormvariate(0, 0.8) * median))]
            else:
                words = [
                    max(50, int(lognormvariate(0, 0.8) * median)) for _ in range(min(200, int(paretovariate(1.2)) + 1))
                ]
            chapter_total = len(words)
            roll = random_()
            expected = (
                chapter_total if roll < 0.7 else (None if roll < 0.85 else chapter_total + 1 + int(random_() * 10))
            )
            posted = random_() > 0.02
            # Some works in progress have a draft chapter after the posted ones.
            posted_chapters = chapter_total - (posted and chapter_total > 1 and random_() < 0.05)
            age = int(ARCHIVE_DAYS * (1 - random_() ** 0.5))
            created = days[age] + clock[int(random_() * 86400)]
            if chapter_total > 1:
                revised_age = age - int(random_() * min(age, 400))
                revised = days[revised_age] + clock[int(random_() * 86400)] if revised_age != age else created
                step = (age - revised_age) / (chapter_total - 1)
            else:
                revised, step = created, 0.0
            word_count = 0
            mentioned = (names[0], names[-1])
            for position, chapter_words in enumerate(words, start=1):
                text, actual = chapter(random_, chapter_words, mentioned)
                chapter_posted = posted and position <= posted_chapters
                if chapter_posted:
                    word_count += actual
                if position == 1:
                    day, stamp = days[age], created
                else:
                    day = days[age - int(step * (position - 1))]
                    stamp = day + clock[int(random_() * 86400)]
                chapter_title = (
                    "" if random_() < 0.7 else vocabulary[first_word + int(random_() * word_span)].capitalize()
                )
                chapters.append((pk, position, chapter_title, text, actual, chapter_posted, day, stamp, stamp))
            posted_count = posted_chapters if posted else 0
            if not posted:
                word_count = 0
            if expected is not None and expected < posted_count:
                expected = posted_count

            # Creators, engagement, and what the blurb shows.
            pseud_id, pseud_name = pseuds[bisect(pseud_weights, random_() * pseud_total)]
            creatorships.append((pk, pseud_id, 0))
            if random_() < 0.03:
                other = pseuds[bisect(pseud_weights, random_() * pseud_total)][0]
                if other != pseud_id:
                    creatorships.append((pk, other, 1))
            hits = min(50_000_000, int(paretovariate(1.1) * 300 * (0.3 + age / ARCHIVE_DAYS)))
            kudos = int(hits * (0.02 + random_() * 0.12))
            a = vocabulary[first_word + int(random_() * word_span)].capitalize()
            b = vocabulary[first_word + int(random_() * word_span)].capitalize()
            title = (a, f"{a} {b}", f"The {a} of {b}", f"{a} and {b}", f"Where the {a} {b}s")[int(random_() * 5)]
            works.append(
                (
                    pk,
                    title,
                    title_sort_key(title),
                    pseud_name.casefold()[:40],
                    f"<p>{' '.join(choices(sentences, k=1 + int(random_() * 4)))}</p>",
                    f"<p>{choice(sentences)}</p>" if random_() < 0.3 else "",
                    "en" if random_() < 0.85 else choice(languages),
                    expected,
                    expected is not None and posted_count >= expected,
                    posted,
                    random_() < 0.05,
                    random_() < 0.001,
                    word_count,
                    posted_count,
                    hits,
                    kudos,
                    int(kudos * random_() * 0.3),
                    int(kudos * (0.05 + random_() * 0.25)),
                    crossover,
                    days[age],
                    revised,
                    created,
                )
            )
            pk += 1
        batch.tags = self.tags.take_rows()
        return batch

    def _write(self, batch: Batch) -> None:
        insert = self.writer.insert
        insert(Tag, TAG_COLUMNS, batch.tags)
        insert(Work, WORK_COLUMNS, batch.works)
        insert(Creatorship, ("work_id", "pseud_id", "position"), batch.creatorships)
        insert(Chapter, CHAPTER_COLUMNS, batch.chapters)
        insert(Tagging, ("work_id", "tag_id"), batch.taggings)
        self.writer.insert_filters(batch.taggings, batch.extra_filters)
