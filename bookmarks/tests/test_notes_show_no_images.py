"""Bookmark notes and pseud descriptions take the stricter HTML profile: no <img> (tracking pixels)."""

from accounts.models import Pseud
from bookmarks.models import Bookmark
from fanarchive.test import BaseTestCase

PIXEL = '<p>Loved it <img src="https://tracker.example/p.gif?u=1" alt="" width="1" height="1"> — really.</p>'


class NotesShowNoImagesTests(BaseTestCase):
    def test_a_bookmarks_notes_keep_their_text_and_lose_images(self):
        work = self.make_work()
        self.login(self.bob)
        response = self.client.post(
            f"/works/{work.pk}/bookmarks/new", {"pseud": self.bob.default_pseud.pk, "notes": PIXEL, "tags": ""}
        )
        self.assertEqual(response.status_code, 302)
        notes = Bookmark.objects.get().notes
        self.assertNotIn("<img", notes)
        self.assertIn("Loved it", notes)
        self.assertNotContains(self.client.get("/users/bob/bookmarks"), "tracker.example")

    def test_a_pseud_description_loses_images(self):
        self.login(self.bob)
        response = self.client.post("/account/pseuds/new", {"name": "Quill", "description": PIXEL})
        self.assertEqual(response.status_code, 302)
        description = Pseud.objects.get(name="Quill").description
        self.assertNotIn("<img", description)
        self.assertIn("really.", description)

    def test_chapter_text_still_takes_images(self):
        work = self.make_work(content=PIXEL)
        self.assertIn("<img", work.chapters.get().content)
