"""Every numeric parameter of the account and posting forms is bounded: a value past 2⁶³, a word or
a negative number gets the page with a clear message, never a 500 (review finding 5; the listing and
search parameters are tested with the listings)."""

from typing import Any

from django.test import override_settings

from community.models import Subscription
from fanarchive.test import BaseTestCase, work_form_data
from works.models import Work

HUGE = "9223372036854775808"  # 2**63: one past the largest id either database stores
BAD_VALUES = [HUGE, "99999999999999999999999999", "abc", "-1", "1e5", "١٢"]


@override_settings(COMMENT_RATE_LIMIT=1000)
class BadNumbersTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.make_work()
        self.chapter = self.work.chapters.get()
        self.login(self.alice)

    def post(self, url: str, data: dict[str, Any]) -> int:
        response = self.client.post(url, data)
        self.assertLess(response.status_code, 500, f"{url} {data}")
        return response.status_code

    def test_inbox_items(self):
        for value in BAD_VALUES:
            with self.subTest(value=value):
                self.post("/inbox", {"items": [value], "action": "read"})

    def test_saved_filter_delete_and_exclusion_remove(self):
        for value in BAD_VALUES:
            with self.subTest(value=value):
                self.post("/account/saved_filters", {"delete": value})
                self.post("/account/exclusions", {"remove": value})

    def test_posting_with_bad_pseuds_series_and_numbers_shows_the_form_again(self):
        for value in BAD_VALUES:
            with self.subTest(value=value):
                before = Work.objects.count()
                status = self.post("/works/new", work_form_data(pseuds=[value]))
                self.assertEqual(status, 200)
                self.assertEqual(Work.objects.count(), before)
                self.post("/works/new", work_form_data(pseuds=[self.alice.default_pseud.pk], series=value))
                self.post(f"/works/{self.work.pk}/edit", work_form_data(pseuds=[value]))

    def test_comment_parent_chapter_and_pseud(self):
        for value in BAD_VALUES:
            with self.subTest(value=value):
                url = f"/works/{self.work.pk}/comments"
                self.assertIn(self.post(url, {"parent_id": value, "content": "Hi."}), (302, 400, 404))
                self.assertIn(self.post(url, {"chapter_id": value, "content": "Hi."}), (302, 400, 404))
                self.post(url, {"pseud": value, "content": "Hi."})

    def test_bookmark_pseud(self):
        self.login(self.bob)
        for value in BAD_VALUES:
            with self.subTest(value=value):
                self.assertEqual(self.post(f"/works/{self.work.pk}/bookmarks/new", {"pseud": value}), 200)

    def test_subscribing_to_a_bad_target(self):
        self.login(self.bob)
        for value in BAD_VALUES:
            for kind in ["work", "series"]:
                with self.subTest(value=value, kind=kind):
                    self.post("/subscriptions", {"kind": kind, "target": value})
        self.assertFalse(Subscription.objects.exists())

    def test_chapter_positions(self):
        for value in BAD_VALUES:
            with self.subTest(value=value):
                response = self.client.post(
                    f"/works/{self.work.pk}/chapters/manage", {f"position-{self.chapter.pk}": value}
                )
                self.assertContains(response, "Give each chapter a different position from 1 to 1.", status_code=400)

    def test_ids_in_the_path_past_the_largest_id_are_404(self):
        for url in [f"/works/{HUGE}/", f"/works/{HUGE}/chapters/1", f"/comments/{HUGE}", f"/series/{HUGE}"]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
