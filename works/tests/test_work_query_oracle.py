"""Listings and search against a plain ORM oracle, on random archives.

A generated archive (real wrangled tags: synonyms, meta tags, crossovers) gets random
sort and filter values with many collisions and the extremes a real archive reaches
(epoch seconds before 1970 and after 2038, counts past 2³¹, equal titles, non-ASCII,
titles sharing a long prefix). Then random filter specs are asked through the HTTP
client, of the works index (the in-memory filter index) and of the search page with an
empty query (the Tantivy index), as a guest and as a reader with mutes and an exclusion
list: the total and the ids of the first, a middle and the last page must equal what
the ORM query below gives, for every sort in both directions. The oracle is written
from the rules, not from the code under test.
"""

import random
import re
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.db.models.functions import Collate

from accounts.models import TagExclusion, User
from accounts.reader import reader_changed
from community.models import Mute
from fanarchive.test import BaseTestCase
from search.indexer import apply_pending, queue_updates, rebuild
from tags.models import Tag, TagType
from works.filters import note_changed
from works.models import Creatorship, FilterTagging, Work

WORKS = 1500
PER_PAGE = settings.WORKS_PER_PAGE
BLURB_ID = re.compile(r'<h3 class="blurb-title">\s*<a href="/works/(\d+)/"')
TOTAL = re.compile(r'<p class="listing-count">[^<]*? of ([\d,]+) Works?')

# Sort name -> (column, descending by default). Written out here, not imported: it is the spec.
ORACLE_SORTS = {
    "updated": ("revised_at", True),
    "posted": ("published_at", True),
    "title": ("title_sort", False),
    "creator": ("creator_sort", False),
    "words": ("word_count", True),
    "hits": ("hits", True),
    "kudos": ("kudos_count", True),
    "comments": ("comments_count", True),
    "bookmarks": ("bookmarks_count", True),
}


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


REVISED = [_when(t) for t in ("1967-09-08T00:00:00", "2038-01-19T03:14:08", "2026-12-03T09:30:00",
                              "2026-12-03T09:30:01", "2009-11-01T00:00:00", "2026-06-26T23:59:59")]  # fmt: skip
PUBLISHED = [date(1966, 1, 1), date(2001, 9, 9), date(2026, 12, 3), date(2026, 12, 2)]
COUNTS = [0, 0, 1, 2**31 - 1, 2**31 + 7, 2**40, 2**62]
WORDS = [0, 1, 1000, 1000, 2**31 - 1]
TITLES = ["", "a", "école", "ecole", "untitled work 1", "untitled work 2", "日本語のタイトル", "zz", "ß"]
CREATORS = ["", "anon", "émile", "ämile", "zed", "名無し"]
LANGUAGES = ["en", "en", "fr", "ja", "de"]


def scramble(rng: random.Random, works: list[Work]) -> None:
    """Random listing values, about half drawn from small pools of colliding and extreme values."""
    for work in works:
        work.revised_at = (
            rng.choice(REVISED)
            if rng.random() < 0.5
            else _when("2010-01-01T00:00:00") + timedelta(seconds=rng.randrange(600_000_000))
        )
        work.published_at = (
            rng.choice(PUBLISHED) if rng.random() < 0.5 else date(2008, 1, 1) + timedelta(days=rng.randrange(7000))
        )
        work.word_count = rng.choice(WORDS) if rng.random() < 0.5 else rng.randrange(200_000)
        for name in ("hits", "kudos_count", "comments_count", "bookmarks_count"):
            setattr(work, name, rng.choice(COUNTS) if rng.random() < 0.5 else rng.randrange(5000))
        if rng.random() < 0.4:
            work.title_sort = rng.choice(TITLES)
        if rng.random() < 0.4:
            work.creator_sort = rng.choice(CREATORS)
        work.posted = rng.random() > 0.08
        work.hidden_by_admin = rng.random() < 0.04
        work.restricted = rng.random() < 0.3
        work.complete = rng.random() < 0.5
        work.crossover = rng.random() < 0.15
        work.language = rng.choice(LANGUAGES)
    fields = ["revised_at", "published_at", "word_count", "hits", "kudos_count", "comments_count"]
    fields += ["bookmarks_count", "title_sort", "creator_sort", "posted", "hidden_by_admin", "restricted"]
    fields += ["complete", "crossover", "language"]
    # One UPDATE per work: bulk_update's CASE expressions are far slower on SQLite.
    with transaction.atomic():
        for work in works:
            Work.objects.filter(pk=work.pk).update(**{name: getattr(work, name) for name in fields})


class Oracle:
    """What a listing must show, from the rules, in plain ORM."""

    def __init__(self, reader: User | None, params: dict[str, Any]) -> None:
        self.reader = reader
        self.params = params

    @staticmethod
    def meaning(tag_ids: list[int]) -> list[Tag]:
        tags = list(Tag.objects.filter(pk__in=tag_ids).select_related("merger"))
        # A synonym means its canonical tag (as on AO3).
        return [t.merger if t.merger is not None and not t.canonical and t.merger.canonical else t for t in tags]

    @staticmethod
    def tagged(tag_ids: list[int]) -> Exists:
        return Exists(FilterTagging.objects.filter(work_id=OuterRef("pk"), tag_id__in=tag_ids))

    def works(self) -> QuerySet[Work]:
        params = self.params
        works = Work.objects.filter(posted=True, hidden_by_admin=False)
        if self.reader is None:
            works = works.filter(restricted=False)
        included = self.meaning(params.get("include", []))
        ratings = [t.pk for t in included if t.type == TagType.RATING]
        if ratings:
            works = works.filter(self.tagged(ratings))
        for tag in included:
            if tag.type != TagType.RATING:
                works = works.filter(self.tagged([tag.pk]))
        excluded = [t.pk for t in self.meaning(params.get("exclude", []))]
        if self.reader is not None:
            if params.get("exclusions") != "off":
                mine = [
                    t.pk
                    for t in self.meaning(
                        list(TagExclusion.objects.filter(user=self.reader).values_list("tag_id", flat=True))
                    )
                ]
                excluded += mine
            muted = Mute.objects.filter(muter=self.reader).values("muted_id")
            works = works.exclude(Exists(Creatorship.objects.filter(work_id=OuterRef("pk"), pseud__user_id__in=muted)))
        if excluded:
            works = works.exclude(self.tagged(excluded))
        crossover = params.get("crossover")
        if crossover in ("exclude", "only"):
            works = works.filter(crossover=crossover == "only")
        if params.get("complete") in ("complete", "wip"):
            works = works.filter(complete=params["complete"] == "complete")
        if "words_from" in params:
            works = works.filter(word_count__gte=params["words_from"])
        if "words_to" in params:
            works = works.filter(word_count__lte=params["words_to"])
        if "updated_from" in params:
            works = works.filter(revised_at__date__gte=params["updated_from"])
        if "updated_to" in params:
            works = works.filter(revised_at__date__lte=params["updated_to"])
        if params.get("language"):
            works = works.filter(language=params["language"])
        return works

    def ordered_ids(self, sort: str, descending: bool) -> list[int]:
        column, _default = ORACLE_SORTS[sort]
        key: Any = F(column)
        if column in ("title_sort", "creator_sort"):
            # Code point order on both databases (PostgreSQL's default collation is the locale's).
            key = Collate(column, "C" if connection.vendor == "postgresql" else "BINARY")
        order = [key.desc(), F("pk").desc()] if descending else [key.asc(), F("pk").asc()]
        return list(self.works().order_by(*order).values_list("pk", flat=True))


class WorkQueryOracleTests(BaseTestCase):
    """One archive for the class, made once (each test's changes are rolled back; the in-memory
    indexes are emptied and rebuilt between tests)."""

    @classmethod
    def setUpTestData(cls) -> None:
        call_command("generate_archive", works=WORKS, seed=11, stdout=StringIO(), stderr=StringIO())
        scramble(random.Random(20261202), list(Work.objects.all()))

    def setUp(self) -> None:
        super().setUp()
        self.rng = random.Random(20261203)
        self.filter_tags = list(FilterTagging.objects.values_list("tag_id", flat=True).distinct())
        self.synonyms = list(Tag.objects.filter(merger__isnull=False).values_list("pk", flat=True)[:50])
        self.ratings = list(Tag.objects.filter(type=TagType.RATING).values_list("pk", flat=True))
        # Bob mutes two prolific creators and excludes a few common tags everywhere.
        prolific = (
            Creatorship.objects.values_list("pseud__user_id", flat=True).order_by("pseud__user_id").distinct()[:40]
        )
        for muted in self.rng.sample(list(prolific), 2):
            Mute.objects.create(muter=self.bob, muted_id=muted)
        for tag_id in self.rng.sample(self.filter_tags, 3):
            TagExclusion.objects.create(user=self.bob, tag_id=tag_id)
        # Written directly (the oracle's own rows): the reader's record is told, as actions tell it.
        reader_changed(self.bob)

    def random_params(self, *, for_search: bool) -> dict[str, Any]:
        rng = self.rng
        params: dict[str, Any] = {}
        if rng.random() < 0.6:
            params["include"] = rng.sample(self.filter_tags, rng.choice([1, 1, 2]))
        if rng.random() < 0.3:
            params.setdefault("include", []).extend(rng.sample(self.ratings, 2))
        if rng.random() < 0.2 and self.synonyms:
            params.setdefault("include", []).append(rng.choice(self.synonyms))
        if rng.random() < 0.5:
            params["exclude"] = rng.sample(self.filter_tags, rng.choice([1, 3]))
        for name, choices, chance in [("crossover", ["exclude", "only"], 0.2), ("complete", ["complete", "wip"], 0.3),
                                      ("language", ["en", "ja"], 0.2), ("exclusions", ["off"], 0.3)]:  # fmt: skip
            if rng.random() < chance:
                params[name] = rng.choice(choices)
        if rng.random() < 0.3:
            params["words_from"] = rng.choice([0, 1, 1000, 50_000])
        if rng.random() < 0.3:
            params["words_to"] = rng.choice([1000, 2**31 - 1, 100_000])
        if rng.random() < 0.2:
            params["updated_from"] = rng.choice(["2026-12-03", "2015-01-01", "1960-01-01"])
        if rng.random() < 0.2:
            params["updated_to"] = rng.choice(["2026-12-02", "2038-01-19", "2020-06-30"])
        if for_search and not (set(params) - {"exclusions"}):
            params["words_from"] = 0  # an empty search with no filter shows only the form
        return params

    def fetch(self, path: str, params: dict[str, Any]) -> tuple[int, list[int]]:
        response = self.client.get(f"{path}?{urlencode(params, doseq=True)}")
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        ids = [int(pk) for pk in BLURB_ID.findall(page)]
        total = TOTAL.search(page)
        return (int(total.group(1).replace(",", "")) if total else 0), ids

    def check(self, path: str, reader: User | None, params: dict[str, Any], sort: str, descending: bool) -> None:
        expected = Oracle(reader, params).ordered_ids(sort, descending)
        pages = max(1, -(-min(len(expected), settings.MAX_PAGED_RESULTS) // PER_PAGE))
        for number in sorted({1, (pages + 1) // 2, pages}):
            asked = {**params, "sort": sort, "direction": "desc" if descending else "asc", "page": number}
            with self.subTest(path=path, reader=reader and reader.username, **asked):
                total, ids = self.fetch(path, asked)
                self.assertEqual(total, len(expected))
                self.assertEqual(ids, expected[(number - 1) * PER_PAGE : number * PER_PAGE])

    def run_oracle(self, path: str, *, for_search: bool) -> None:
        for reader in (None, self.bob):
            self.client.logout()
            if reader is not None:
                self.login(reader)
            for sort in ORACLE_SORTS:
                for descending in (True, False):
                    self.check(path, reader, self.random_params(for_search=for_search), sort, descending)

    def mutate(self) -> None:
        """Change some works after the indexes were built: they must catch up through the change log."""
        works = self.rng.sample(list(Work.objects.all()), 60)
        scramble(self.rng, works)
        note_changed([w.pk for w in works])
        # Dates, words, titles and visibility reach the search documents through the worker (counts
        # are not in them: search orders by counts from the filter index).
        queue_updates([w.pk for w in works])

    def test_the_filter_index_agrees_with_the_database(self) -> None:
        self.run_oracle("/works", for_search=False)
        self.mutate()
        self.run_oracle("/works", for_search=False)

    def test_search_with_an_empty_query_agrees_with_the_database(self) -> None:
        rebuild(threads=1)
        self.run_oracle("/search/", for_search=True)
        self.mutate()
        apply_pending()
        self.run_oracle("/search/", for_search=True)


class BestMatchTiesTests(BaseTestCase):
    """Best Match orders exactly as `ORDER BY score DESC, id`, across pages too: works whose
    scores tie are in id order even when the tie runs over a page boundary and Tantivy holds
    them in another order (here: half of them rewritten into a later segment)."""

    def test_tied_scores_across_page_boundaries_are_in_id_order_on_every_page(self) -> None:
        text = "The ferryman rowed past the quillwort beds at dawn.\n\nNobody else was awake."
        # Each stronger work also has the word in its summary; the tied ones are the same in every
        # searched field (creator and tags too), so their scores are equal.
        stronger = [self.make_work(title="River", summary="Quillwort again.", content=text) for _ in range(3)]
        tied = [self.make_work(title="River", content=text) for _ in range(44)]
        apply_pending()
        # Rewritten works go to a new segment, after the others in Tantivy's own order.
        queue_updates([w.pk for w in tied[::2]])
        apply_pending()
        expected = [w.pk for w in stronger] + [w.pk for w in tied]
        shown: list[int] = []
        for number in (1, 2, 3):
            response = self.client.get("/search/", {"q": "quillwort", "page": number})
            self.assertContains(response, f"of {len(expected)} Works found")
            shown += [int(pk) for pk in BLURB_ID.findall(response.content.decode())]
        self.assertEqual(shown, expected)


class GuestBestMatchTests(BaseTestCase):
    """A guest's search leaves restricted works out of the word's ranking: its pages and total are
    the public works' in (score, id) order, with restricted works among the stronger matches and
    all through a long tie across two index segments; a member's are every work's."""

    def test_pages_and_totals_are_as_ordered_by_score_then_id_for_guests_and_members(self) -> None:
        text = "Über die Brücke ging die Fährfrau.\n\nThe quillwort beds were silver at dawn."
        stronger = [
            self.make_work(title="Fluss", summary="Quillwort again.", content=text, restricted=on)
            for on in ("", "on", "", "on", "")
        ]
        # Every fifth tied work is restricted, so restricted works sit all through the tie.
        tied = [self.make_work(title="Fluss", content=text, restricted="on" if n % 5 == 2 else "") for n in range(160)]
        apply_pending()
        # Rewritten works go to a new segment, after the others in Tantivy's own order.
        queue_updates([w.pk for w in tied[::2]])
        apply_pending()
        everyone = [w.pk for w in stronger] + [w.pk for w in tied]
        restricted = set(Work.objects.filter(restricted=True).values_list("pk", flat=True))
        public = [pk for pk in everyone if pk not in restricted]
        self.assertEqual(len(restricted), 2 + 32)

        self.assertEqual(self.best_match_pages(), public)
        self.client.force_login(self.bob)
        self.assertEqual(self.best_match_pages(), everyone)

    def best_match_pages(self) -> list[int]:
        """The ids on every results page for the word, in order; each page states the whole total."""
        shown: list[int] = []
        total = 0
        for number in range(1, 10):
            response = self.client.get("/search/", {"q": "QUILLWORT", "page": str(number)})
            html = response.content.decode()
            page = [int(pk) for pk in BLURB_ID.findall(html)]
            stated = TOTAL.search(html)
            assert stated is not None
            total = total or int(stated.group(1).replace(",", ""))
            self.assertEqual(int(stated.group(1).replace(",", "")), total)
            if len(shown) + len(page) > total:
                break  # past the end: the last page again
            shown += page
        self.assertEqual(len(shown), total)
        return shown
