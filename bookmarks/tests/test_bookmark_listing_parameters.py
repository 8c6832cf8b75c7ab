"""Bookmark listings read tag ids from their URL; nonsense in them is ignored, never a server error."""

from fanarchive.test import BaseTestCase


class BookmarkListingParameterTests(BaseTestCase):
    def test_tag_ids_out_of_range_or_not_ascii_digits_are_ignored(self):
        work = self.post_work()
        for value in ("9223372036854775808", "99999999999999999999999", "²", "٣"):
            for name in ("tag", "fandom"):
                with self.subTest(name=name, value=value):
                    self.assertEqual(self.client.get(f"/users/alice/bookmarks?{name}={value}").status_code, 200)
                    self.assertEqual(self.client.get(f"/works/{work.pk}/bookmarks?{name}={value}").status_code, 200)
