"""Counters (hits, kudos, comments, bookmarks) never rewrite a search document, and searches
sorted by them are still exact.

A page view used to queue a rewrite of the work's whole search document, chapter text and
all. The counters are now kept out of the index; a search sorted by one takes its order from
the in-memory filter index, which follows every counter change.
"""

import json
from contextlib import ExitStack
from pathlib import Path
from unittest import mock

from django.db.models import F
from django.db.models.expressions import OrderBy

from search import backend, engine
from search.models import SearchUpdate
from search.tests.test_search import STORY, SearchTestCase
from works import hits
from works.filters import note_changed
from works.models import Work


def index_meta() -> dict[str, object]:
    """The live index's meta.json: every commit changes its opstamp and segment list."""
    name = (engine.search_dir() / "CURRENT").read_text().strip()
    return dict(json.loads(Path(engine.search_dir() / name / "meta.json").read_text()))


class CountersCostNoIndexWriteTests(SearchTestCase):
    def test_a_hit_and_kudos_queue_no_search_rewrite_and_the_index_is_not_committed(self):
        work = self.post_work(title="Harbour Lights", content=STORY)
        self.index_search()
        before = index_meta()
        self.client.get(f"/works/{work.pk}/")  # a guest's hit
        self.assertEqual(hits.flush_hits(), 1)
        self.login(self.bob)
        self.assertEqual(self.client.post(f"/works/{work.pk}/kudos").status_code, 302)
        self.assertFalse(SearchUpdate.objects.exists(), "a counter queued a search rewrite")
        self.assertEqual(self.index_search(), 0)
        self.assertEqual(index_meta(), before, "the index was written")
        work.refresh_from_db()
        self.assertEqual((work.hits, work.kudos_count), (1, 1))

    def test_a_hit_reorders_a_search_sorted_by_hits_at_once(self):
        first = self.post_work(title="Harbour Lights", content=STORY)
        second = self.post_work(title="Harbour Fog", content=STORY)
        self.index_search()
        # Equal hits: ties by id, newest first (the sort's direction).
        self.assertEqual(self.search("harbour", sort="hits"), ["Harbour Fog", "Harbour Lights"])
        self.client.get(f"/works/{first.pk}/")
        hits.flush_hits()
        self.assertEqual(self.search("harbour", sort="hits"), ["Harbour Lights", "Harbour Fog"])
        self.assertEqual(self.search("harbour", sort="hits", direction="asc"), ["Harbour Fog", "Harbour Lights"])
        self.assertEqual(Work.objects.get(pk=second.pk).hits, 0)


class CounterSortsAreExactTests(SearchTestCase):
    def test_a_text_search_sorted_by_each_counter_orders_as_the_database(self):
        # Counts past 2^31 and 2^53, ties, zeros; works that don't match the words but lead every
        # counter (so a walk in counter order must skip them); a draft.
        values = [
            (5_000_000_000, 3, 0, 7),
            (5_000_000_000, 2**53 + 1, 0, 7),
            (0, 2**53, 12, 0),
            (17, 3, 12, 2**40),
            (2**62, 0, 1, 7),
            (17, 3, 12, 2**40),
        ]
        matching = []
        for number, (hit_count, kudos, comments, bookmarks) in enumerate(values):
            work = self.make_work(title=f"Harbour №{number} — Ærø", content=STORY)
            Work.objects.filter(pk=work.pk).update(
                hits=hit_count, kudos_count=kudos, comments_count=comments, bookmarks_count=bookmarks
            )
            matching.append(work.pk)
        others = [self.make_work(title=f"Dry Land {n}", content="Fields and a barn.") for n in range(3)]
        Work.objects.filter(pk__in=[w.pk for w in others]).update(
            hits=2**62 + 5, kudos_count=2**62, comments_count=2**62, bookmarks_count=2**62
        )
        draft = self.make_work(title="Harbour Draft", content=STORY, action="save")
        Work.objects.filter(pk=draft.pk).update(hits=2**62 + 9)
        note_changed([*matching, *[w.pk for w in others], draft.pk])
        self.index_search()
        # Few matches: every matching id is read and ordered. Many: a walk in counter order, from
        # the smallest prefix, growing until the page is full.
        for path, constants in [
            ("read every match", {}),
            ("walk", {"COLLECT_ALL_MATCHES": 0, "WALK_SLACK": 0, "WALK_FRACTION": 100}),
        ]:
            with ExitStack() as stack:
                for name, value in constants.items():
                    stack.enter_context(mock.patch.object(backend, name, value))
                self.assert_counter_sorts(matching, path)

    def assert_counter_sorts(self, matching: list[int], path: str) -> None:
        for sort, column in [("hits", "hits"), ("kudos", "kudos_count"), ("comments", "comments_count"),
                             ("bookmarks", "bookmarks_count")]:  # fmt: skip
            orders: list[tuple[str, tuple[str | OrderBy, ...]]] = [
                ("desc", (F(column).desc(), F("pk").desc())),
                ("asc", (column, "pk")),
            ]
            for direction, order in orders:
                expected = list(Work.objects.filter(pk__in=matching).order_by(*order).values_list("title", flat=True))
                with self.subTest(path=path, sort=sort, direction=direction):
                    self.assertEqual(self.search("harbour", sort=sort, direction=direction), expected)
                    if direction == "asc":
                        continue
                    # Pages of two: the same order, cut at the same places.
                    with self.settings(WORKS_PER_PAGE=2):
                        pages = [
                            self.search("harbour", sort=sort, direction=direction, page=str(page)) for page in (1, 2, 3)
                        ]
                    self.assertEqual(pages, [expected[0:2], expected[2:4], expected[4:6]])
