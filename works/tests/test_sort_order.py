"""Listings sort exactly as `ORDER BY key, id` would, for the values a real archive holds.

The default sort ("Date Updated") once clipped epoch seconds to 30 bits, so every work tied
and the listing came out in id order; these tests use real timestamps and counts so that
any clipping or loss of precision shows.
"""

import gc
import re
from datetime import UTC, date, datetime

from fanarchive.test import BaseTestCase
from works.filter_index import INDEX
from works.filters import note_changed
from works.models import Work
from works.tests.test_filtering import FilterTestCase


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class DateUpdatedSortTests(FilterTestCase):
    def test_the_default_listing_is_newest_update_first_with_real_timestamps(self):
        # Posted in this order (ids ascending), updated on dates that are not in id order.
        updated = {
            "May": "2026-05-17T08:00:00",
            "Dec": "2026-12-03T09:30:00",
            "Jun": "2026-06-26T23:59:59",
            "Oct": "2026-10-31T12:00:00",
            "Nov": "2026-11-29T07:15:00",
        }
        for title, when in updated.items():
            work = self.make_work(title=title)
            Work.objects.filter(pk=work.pk).update(revised_at=at(when))
            note_changed([work.pk])

        newest_first = ["Dec", "Nov", "Oct", "Jun", "May"]
        self.assertEqual(self.titles("/works"), newest_first)
        self.assertEqual(self.titles("/works?sort=updated"), newest_first)
        self.assertEqual(self.titles("/works?sort=updated&direction=asc"), newest_first[::-1])

    def test_updates_a_second_apart_and_before_1970_order_exactly(self):
        # An imported zine story from 1967 (negative epoch seconds) and two updates one second apart.
        for title, when in [("Later", "2026-03-01T10:00:01"), ("Zine", "1967-09-08T00:00:00"),
                            ("Earlier", "2026-03-01T10:00:00")]:  # fmt: skip
            work = self.make_work(title=title)
            Work.objects.filter(pk=work.pk).update(revised_at=at(when))
            note_changed([work.pk])
        self.assertEqual(self.titles("/works"), ["Later", "Earlier", "Zine"])

    def test_a_rebuilt_index_counts_seconds_as_updates_do(self):
        # 10:00:01.1 is newer than 10:00:00.6. A rebuild that rounded (PostgreSQL's ::bigint) made
        # both 10:00:01 and showed them by id; updates (Python) truncate. Both must agree.
        for title, when in [("Newer", "2026-03-01T10:00:01.100000"), ("Older", "2026-03-01T10:00:00.600000")]:
            work = self.make_work(title=title)
            Work.objects.filter(pk=work.pk).update(revised_at=at(when))
            note_changed([work.pk])
        self.assertEqual(self.titles("/works"), ["Newer", "Older"])
        INDEX.reset()  # the next listing rebuilds the index from the database in bulk
        self.assertEqual(self.titles("/works"), ["Newer", "Older"])


class CountAndDateSortTests(FilterTestCase):
    def test_counts_past_two_to_the_31_and_ties_break_by_id_in_the_sort_direction(self):
        hits = {"Small": 5, "Huge": 2**31 + 7, "Huger": 2**33, "TieA": 2**31 - 1, "TieB": 2**31 - 1}
        ids = {}
        for title, count in hits.items():
            work = self.make_work(title=title)
            ids[title] = work.pk
            Work.objects.filter(pk=work.pk).update(hits=count)
            note_changed([work.pk])
        self.assertEqual(Work.objects.get(pk=ids["Huger"]).hits, 2**33)
        # Descending: equal counts show the newer work (higher id) first, as ORDER BY hits DESC, id DESC.
        self.assertEqual(self.titles("/works?sort=hits"), ["Huger", "Huge", "TieB", "TieA", "Small"])
        self.assertEqual(self.titles("/works?sort=hits&direction=asc"), ["Small", "TieA", "TieB", "Huge", "Huger"])

    def test_date_posted_sorts_backdated_works_by_their_day(self):
        for title, day in [("Recent", date(2025, 1, 2)), ("Old", date(1968, 7, 1)), ("Same1", date(2001, 9, 9)),
                           ("Same2", date(2001, 9, 9))]:  # fmt: skip
            work = self.make_work(title=title)
            Work.objects.filter(pk=work.pk).update(published_at=day)
            note_changed([work.pk])
        self.assertEqual(self.titles("/works?sort=posted"), ["Recent", "Same2", "Same1", "Old"])


class TitleSortAfterChangesTests(FilterTestCase):
    def test_works_added_and_renamed_after_the_index_was_built_sort_by_title_then_id(self):
        for title in ["Bravo", "Delta"]:
            self.make_work(title=title)
        self.client.get("/works")  # the index is built now; what follows reaches it through the log
        # Several works land in the same gap between built neighbours, in an order unlike their ids.
        for title in ["Charlie", "Cab", "Candle", "Cab"]:
            self.make_work(title=title)
        renamed = Work.objects.get(title="Delta")
        Work.objects.filter(pk=renamed.pk).update(title="Able", title_sort="able")
        note_changed([renamed.pk])
        self.assertEqual(self.titles("/works?sort=title"), ["Able", "Bravo", "Cab", "Cab", "Candle", "Charlie"])
        cabs = list(Work.objects.filter(title="Cab").order_by("pk").values_list("pk", flat=True))
        page = self.client.get("/works?sort=title").content.decode()
        self.assertLess(page.index(f"/works/{cabs[0]}/"), page.index(f"/works/{cabs[1]}/"))


class BadSortValuesTests(BaseTestCase):
    def test_an_unknown_sort_or_direction_falls_back_to_the_default(self):
        response = self.client.get("/works?sort=nonsense&direction=sideways")
        self.assertEqual(response.status_code, 200)


class DirectionControlTests(FilterTestCase):
    """The sidebar's Order choice: the sort's usual direction, or either one on purpose."""

    def test_the_order_choice_shows_what_the_url_asks_for_and_applies_it(self):
        for title in ["Alder", "Birch", "Ćedar"]:
            self.make_work(title=title)
        for direction, selected in [("", "Usual"), ("asc", "Ascending"), ("desc", "Descending")]:
            page = self.client.get(f"/works?sort=title&direction={direction}").content.decode()
            chosen = re.findall(r'<option value="(?:|asc|desc)" selected>([A-Z][a-z]+)', page)
            self.assertEqual(chosen, [selected], direction)
        self.assertEqual(self.titles("/works?sort=title"), ["Alder", "Birch", "Ćedar"])
        self.assertEqual(self.titles("/works?sort=title&direction=desc"), ["Ćedar", "Birch", "Alder"])
        self.assertEqual(self.titles("/works?sort=title&direction=asc"), ["Alder", "Birch", "Ćedar"])
        page = self.client.get("/works").content.decode()
        self.assertIn('<label for="filter-direction">Order</label>', page)
        self.assertIn('<select id="filter-direction" name="direction" aria-describedby="filter-direction-help">', page)
        # The search page's sidebar has the same choice.
        search = self.client.get("/search/?q=x").content.decode()
        self.assertIn('<select id="filter-direction" name="direction"', search)


class SortKeysAndTheGarbageCollectorTests(FilterTestCase):
    def test_the_built_title_and_creator_keys_are_not_walked_by_full_collections(self):
        # At a million works each full collection walked both key lists (~145 ms of CPU, the
        # p95 of whichever request it fell on); a tuple of strings and ints is left untracked.
        for title in ["Żółw", "Äpfel", "apple"]:
            self.make_work(title=title)
        self.assertEqual(self.titles("/works?sort=title"), ["apple", "Äpfel", "Żółw"])
        state = INDEX.ensure_current()
        gc.collect()
        gc.collect()
        self.assertEqual(len(state.title_keys), 3)
        self.assertFalse(gc.is_tracked(state.title_keys))
        self.assertFalse(gc.is_tracked(state.creator_keys))
