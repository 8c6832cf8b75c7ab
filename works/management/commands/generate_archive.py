"""Fill the database with a realistic synthetic archive, for benchmarks and load tests.

Popularity follows Zipf's law: a few fandoms hold most works, characters and
relationships follow their fandom, additional tags have a long tail. Inserts
go in bulk, so a million works take minutes, not hours.
"""

import random
import string
import time
from bisect import bisect
from datetime import timedelta
from itertools import accumulate
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Pseud, User
from lib.languages import LANGUAGES
from tags.fixed import CATEGORIES, MEDIA, RATINGS, WARNINGS
from tags.models import Tag, TagParent, TagType, tag_name_key
from works.actions import title_sort_key
from works.models import Chapter, Creatorship, Tagging, Work

BATCH = 2000
# Words a long work's single chapter gets, so there is always a 100,000-word chapter to time.
LONG_CHAPTER_WORDS = 100_000


class Zipf:
    """Draw indices 0..n-1 with probability proportional to 1/(rank+1)^s."""

    def __init__(self, n: int, s: float, rng: random.Random) -> None:
        self.cumulative = list(accumulate(1 / (rank + 1) ** s for rank in range(n)))
        self.rng = rng

    def draw(self) -> int:
        return bisect(self.cumulative, self.rng.random() * self.cumulative[-1])


class Prose:
    """Prose-like text from an invented vocabulary: sentences, dialogue, paragraphs."""

    FUNCTION_WORDS = (
        "the and of to a in that it was he she her his they said for on with as at but "
        "not had be by from this you there were so all would what which when them one"
    ).split()

    def __init__(self, rng: random.Random, vocabulary_size: int = 8000) -> None:
        self.rng = rng
        syllables = [c + v for c in "bcdfghklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou", "ee")]
        words: set[str] = set()
        while len(words) < vocabulary_size:
            words.add("".join(rng.choice(syllables) for _ in range(rng.choice((1, 2, 2, 3)))))
        self.vocabulary = self.FUNCTION_WORDS + sorted(words)
        self.zipf = Zipf(len(self.vocabulary), 1.05, rng)
        self.sentences = [self._sentence() for _ in range(4000)]

    def _sentence(self) -> str:
        words = [self.vocabulary[self.zipf.draw()] for _ in range(self.rng.randint(5, 18))]
        text = " ".join(words).capitalize() + self.rng.choice(".....?!")
        if self.rng.random() < 0.2:
            text = f"“{text}” {self.rng.choice(['she said', 'he said', 'they said', 'someone said'])}."
        return text

    def paragraphs(self, words: int, names: list[str]) -> str:
        out, total = [], 0
        while total < words:
            sentences = self.rng.choices(self.sentences, k=self.rng.randint(2, 7))
            if names and self.rng.random() < 0.5:
                sentences[0] = f"{self.rng.choice(names)} {sentences[0][0].lower()}{sentences[0][1:]}"
            paragraph = " ".join(sentences)
            total += paragraph.count(" ") + 1
            out.append(f"<p>{paragraph}</p>")
        return "\n".join(out)


class Command(BaseCommand):
    help = "Generate a synthetic archive of N works (for benchmarks). Adds to what is there."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--works", type=int, required=True, help="How many works to create.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same archive.")
        parser.add_argument(
            "--words-per-chapter",
            type=int,
            default=400,
            help="Median words of story text per chapter (log-normal around it). Default 400.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = options["works"]
        if count < 1:
            raise CommandError("--works must be at least 1.")
        self.rng = random.Random(options["seed"])
        self.prose = Prose(self.rng)
        self.median_words = options["words_per_chapter"]
        self.prefix = f"g{options['seed']}-{Work.objects.count()}"
        started = time.monotonic()
        with transaction.atomic():
            self._make_tags(count)
            self._make_users(count)
        done = 0
        while done < count:
            size = min(BATCH, count - done)
            with transaction.atomic():
                self._make_works(size, first=done)
            done += size
            rate = done / (time.monotonic() - started)
            self.stderr.write(f"\r{done:,}/{count:,} works ({rate:,.0f}/s)", ending="")
        self.stderr.write("")
        # Fresh statistics, so both engines' planners know the new table sizes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {count:,} works in {time.monotonic() - started:.1f} s (seed {options['seed']})."
            )
        )

    # Tags and users

    def _name(self) -> str:
        first = "".join(self.rng.choices(string.ascii_lowercase, k=self.rng.randint(3, 7))).capitalize()
        last = "".join(self.rng.choices(string.ascii_lowercase, k=self.rng.randint(4, 9))).capitalize()
        return f"{first} {last}"

    def _bulk_tags(self, names: list[str], tag_type: TagType) -> list[Tag]:
        tags = [Tag(name=name, name_key=tag_name_key(name), type=tag_type) for name in names]
        Tag.objects.bulk_create(tags, batch_size=BATCH)
        # SQLite and PostgreSQL both return ids from bulk_create; fetch to be sure on older SQLite.
        by_key = dict(Tag.objects.filter(name_key__in=[t.name_key for t in tags]).values_list("name_key", "pk"))
        for tag in tags:
            tag.pk = by_key[tag.name_key]
        return tags

    def _make_tags(self, works: int) -> None:
        fixed = {tag.name: tag.pk for tag in Tag.objects.filter(type__in=["rating", "warning", "category", "media"])}
        self.rating_ids = [fixed[name] for name, _s, _a in RATINGS]
        self.rating_weights = [10, 30, 30, 15, 15]
        self.warning_ids = [fixed[name] for name in WARNINGS]
        self.category_ids = [fixed[name] for name in CATEGORIES]
        fandom_count = max(10, works // 100)
        fandoms = self._bulk_tags([f"{self._name()} ({self.prefix}-{i})" for i in range(fandom_count)], TagType.FANDOM)
        media_ids = [fixed[name] for name in MEDIA]
        TagParent.objects.bulk_create(
            [TagParent(child_id=f.pk, parent_id=self.rng.choice(media_ids)) for f in fandoms], batch_size=BATCH
        )
        self.fandom_ids = [f.pk for f in fandoms]
        self.fandom_zipf = Zipf(len(fandoms), 1.1, self.rng)
        # Characters and relationships belong to a fandom: bigger fandoms get more of them.
        self.characters: list[list[tuple[int, str]]] = []
        self.relationships: list[list[int]] = []
        character_names, relationship_names = [], []
        plan = []
        for rank in range(fandom_count):
            size = max(4, int(60 / (rank + 1) ** 0.5))
            names = [f"{self._name()} {self.prefix}-{rank}-{i}" for i in range(size)]
            pairs = [(self.rng.choice(names), self.rng.choice(names)) for _ in range(size)]
            rels = sorted({f"{a}/{b}" if self.rng.random() < 0.7 else f"{a} & {b}" for a, b in pairs if a != b})
            plan.append((names, rels))
            character_names += names
            relationship_names += rels
        character_tags = iter(self._bulk_tags(character_names, TagType.CHARACTER))
        relationship_tags = iter(self._bulk_tags(relationship_names, TagType.RELATIONSHIP))
        for names, rels in plan:
            self.characters.append([(next(character_tags).pk, name.rsplit(" ", 1)[0]) for name in names])
            self.relationships.append([next(relationship_tags).pk for _ in rels])
        freeform_count = max(200, works // 20)
        freeforms = self._bulk_tags([f"Freeform {self.prefix}-{i}" for i in range(freeform_count)], TagType.FREEFORM)
        self.freeform_ids = [t.pk for t in freeforms]
        self.freeform_zipf = Zipf(len(freeforms), 1.0, self.rng)

    def _make_users(self, works: int) -> None:
        # One password hash for everyone: hashing is deliberately slow.
        password = make_password(None)
        users = [
            User(username=f"{self.prefix}-user{i}", email=f"user{i}@example.invalid", password=password)
            for i in range(max(5, works // 5))
        ]
        User.objects.bulk_create(users, batch_size=BATCH)
        users = list(User.objects.filter(username__startswith=f"{self.prefix}-user"))
        Pseud.objects.bulk_create([Pseud(user=u, name=u.username, is_default=True) for u in users], batch_size=BATCH)
        self.pseuds = list(Pseud.objects.filter(user__in=users).values_list("pk", "name"))
        self.pseud_zipf = Zipf(len(self.pseuds), 0.8, self.rng)

    # Works

    def _make_works(self, size: int, first: int) -> None:
        now = timezone.now()
        works, plans = [], []
        languages = [code for code, _name in LANGUAGES]
        for number in range(first, first + size):
            rng = self.rng
            published = now - timedelta(days=rng.uniform(0, 3650))
            chapters = 1 if rng.random() < 0.6 else min(200, int(rng.paretovariate(1.2)) + 1)
            expected = chapters if rng.random() < 0.7 else rng.choice([None, chapters + rng.randint(1, 10)])
            long_work = number % 5000 == 0
            words = [
                LONG_CHAPTER_WORDS if long_work else max(50, int(rng.lognormvariate(0, 0.8) * self.median_words))
                for _ in range(chapters)
            ]
            title = f"{self.prose.vocabulary[rng.randint(40, 3000)]} {self.prose.vocabulary[rng.randint(40, 8000)]}"
            title = title.title()
            pseud_id, pseud_name = self.pseuds[self.pseud_zipf.draw()]
            revised = min(now, published + timedelta(days=rng.uniform(0, 400) if chapters > 1 else 0))
            works.append(
                Work(
                    title=title,
                    title_sort=title_sort_key(title),
                    creator_sort=pseud_name.casefold()[:40],
                    summary=f"<p>{' '.join(rng.choices(self.prose.sentences, k=rng.randint(1, 4)))}</p>",
                    language="en" if rng.random() < 0.85 else rng.choice(languages),
                    expected_chapters=expected,
                    complete=expected == chapters,
                    posted=rng.random() > 0.02,
                    restricted=rng.random() < 0.05,
                    word_count=sum(words),
                    chapter_count=chapters,
                    hits=int(rng.paretovariate(1.1) * 20),
                    published_at=published.date(),
                    revised_at=revised,
                )
            )
            plans.append((pseud_id, words, published))
        Work.objects.bulk_create(works, batch_size=BATCH)
        creatorships, taggings, chapter_rows = [], [], []
        for work, (pseud_id, words, published) in zip(works, plans, strict=True):
            creatorships.append(Creatorship(work_id=work.pk, pseud_id=pseud_id))
            tag_ids, names = self._tags_for_work()
            taggings += [Tagging(work_id=work.pk, tag_id=tag_id) for tag_id in tag_ids]
            for position, count in enumerate(words, start=1):
                chapter_rows.append(
                    Chapter(
                        work_id=work.pk,
                        position=position,
                        content=self.prose.paragraphs(count, names),
                        word_count=count,
                        posted=work.posted,
                        published_at=(published + timedelta(days=position - 1)).date(),
                    )
                )
        Creatorship.objects.bulk_create(creatorships, batch_size=BATCH)
        Tagging.objects.bulk_create(taggings, batch_size=BATCH)
        Chapter.objects.bulk_create(chapter_rows, batch_size=200)

    def _tags_for_work(self) -> tuple[set[int], list[str]]:
        rng = self.rng
        tags = {rng.choices(self.rating_ids, weights=self.rating_weights)[0]}
        roll = rng.random()
        if roll < 0.45:
            tags.add(self.warning_ids[1])
        elif roll < 0.75:
            tags.add(self.warning_ids[0])
        else:
            tags.update(rng.sample(self.warning_ids[2:], rng.randint(1, 2)))
        tags.update(rng.sample(self.category_ids, rng.choice((1, 1, 1, 2))))
        fandom_ranks = {self.fandom_zipf.draw() for _ in range(1 if rng.random() < 0.9 else 2)}
        names: list[str] = []
        for rank in fandom_ranks:
            tags.add(self.fandom_ids[rank])
            characters = self.characters[rank]
            chosen = rng.sample(characters, min(len(characters), rng.randint(1, 5)))
            tags.update(pk for pk, _name in chosen)
            names += [name for _pk, name in chosen]
            relationships = self.relationships[rank]
            if relationships:
                tags.update(rng.sample(relationships, min(len(relationships), rng.randint(0, 2))))
        tags.update(self.freeform_ids[self.freeform_zipf.draw()] for _ in range(rng.randint(2, 8)))
        return tags, names
