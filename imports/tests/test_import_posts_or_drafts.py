"""The import preview shows each chapter's whole text as it will look, notes as editable text,
and offers Post beside Save as draft (a draft saves with anything filled in)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from fanarchive.test import BaseTestCase
from imports.tests.test_import_page import STORY, preview_data
from works.models import Work

LONG_CHAPTER = " ".join(f"word{n}" for n in range(300))


class ImportPreviewTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.login(self.alice)
        story = STORY.replace("The lamp turned all night.", f"The lamp turned all night. {LONG_CHAPTER} The last word.")
        response = self.client.post("/works/import", {"file": SimpleUploadedFile("night.txt", story.encode())})
        self.url = response["Location"]
        self.preview = self.client.get(self.url)

    def test_the_preview_shows_every_chapter_in_full_and_notes_without_tags(self) -> None:
        page = self.preview.content.decode()
        self.assertIn("The last word.", page)
        self.assertIn("word299", page)
        self.assertIn("<p>In the morning the sea was flat — “grey”.</p>", page)
        self.assertRegex(page, r'<textarea name="notes"[^>]*>\nWritten for the winter exchange.</textarea>')
        self.assertIn('<button type="submit" name="action" value="post" class="primary-action">Post</button>', page)

    def test_post_publishes_the_import_at_once(self) -> None:
        data = preview_data(self.preview, pseuds=[self.alice.default_pseud.pk], action="post")
        response = self.client.post(self.url, data)
        work = Work.objects.get()
        self.assertRedirects(response, work.get_absolute_url(), fetch_redirect_response=False)
        self.assertTrue(work.posted)
        self.assertEqual(work.notes, "<p>Written for the winter exchange.</p>")
        self.assertEqual(work.chapter_count, 2)
        self.assertTrue(all(work.chapters.values_list("posted", flat=True)))

    def test_a_draft_saves_without_a_fandom_and_posting_it_later_asks_for_one(self) -> None:
        data = preview_data(self.preview, pseuds=[self.alice.default_pseud.pk], fandoms="", action="draft")
        response = self.client.post(self.url, data)
        work = Work.objects.get()
        self.assertRedirects(response, f"/works/{work.pk}/preview", fetch_redirect_response=False)
        self.assertFalse(work.posted)
        posted = self.client.post(f"/works/{work.pk}/post", follow=True)
        self.assertContains(posted, "To post this work, fill in: Fandoms.")
