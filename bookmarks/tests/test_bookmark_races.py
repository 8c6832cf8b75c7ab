"""Parallel deletes and privacy edits of one bookmark keep the work's public-bookmark count equal to
its public bookmarks (review finding 9), on both databases."""

from accounts.actions import create_account
from bookmarks.models import Bookmark
from fanarchive.test import ParallelTestCase
from works.models import Work

THREADS = 10


class BookmarkRaceTests(ParallelTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.make_work()
        self.client_bob = self.client_for(self.bob)
        data = {"pseud": self.bob.default_pseud.pk, "notes": "Zweimal gelesen.", "tags": "Comfort"}
        self.assertEqual(self.client_bob.post(f"/works/{self.work.pk}/bookmarks/new", data).status_code, 302)
        self.bookmark = Bookmark.objects.get()
        # Another reader's public bookmark, so a count that drifts below it shows.
        carol = create_account("carol", "carol@example.org", self.password)
        self.client_for(carol).post(f"/works/{self.work.pk}/bookmarks/new", {"pseud": carol.default_pseud.pk})
        self.assertEqual(self.counted(), 2)

    def counted(self) -> int:
        return Work.objects.get(pk=self.work.pk).bookmarks_count

    def public(self) -> int:
        return Bookmark.objects.filter(work=self.work, private=False).count()

    def test_ten_parallel_deletes_of_one_bookmark_count_once(self):
        url = f"/bookmarks/{self.bookmark.pk}/delete"
        statuses = self.post_in_parallel([(self.client_for(self.bob), url, {}) for _ in range(THREADS)])
        self.assertTrue(all(status in (302, 404) for status in statuses), statuses)
        self.assertEqual(self.public(), 1)
        self.assertEqual(self.counted(), 1)

    def test_ten_parallel_make_private_edits_count_once(self):
        url = f"/bookmarks/{self.bookmark.pk}/edit"
        data = {"pseud": self.bob.default_pseud.pk, "notes": "Jetzt privat.", "tags": "Comfort", "private": "on"}
        statuses = self.post_in_parallel([(self.client_for(self.bob), url, data) for _ in range(THREADS)])
        self.assertEqual(set(statuses), {302})
        self.assertEqual(self.public(), 1)
        self.assertEqual(self.counted(), 1)
