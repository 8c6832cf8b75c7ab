"""Writing: drafts save with anything filled in while posting asks for AO3's fields; drafts count
their words and chapters; Markdown goes through the same sanitizer; the form marks what is required."""

import re

from fanarchive.test import BaseTestCase, work_form_data
from works.models import Work


class DraftTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.login(self.alice)
        self.pseud = self.alice.default_pseud.pk

    def test_a_draft_saves_with_only_some_text(self) -> None:
        response = self.client.post(
            "/works/new",
            {"pseuds": [self.pseud], "language": "en", "content": "Half a thought about the sea.", "action": "draft"},
        )
        work = Work.objects.get()
        self.assertRedirects(response, work.get_absolute_url(), fetch_redirect_response=False)
        self.assertFalse(work.posted)
        self.assertEqual((work.title, work.word_count, work.chapter_count), ("", 6, 1))
        drafts = self.client.get("/account/drafts").content.decode()
        self.assertIn(">Untitled draft</a>", drafts)
        self.assertIn("<dt>Words:</dt><dd>6</dd>", drafts)

    def test_a_draft_saves_with_nothing_but_a_title_and_previews(self) -> None:
        response = self.client.post(
            "/works/new", {"pseuds": [self.pseud], "language": "en", "title": "Später", "action": "preview"}
        )
        work = Work.objects.get(title="Später")
        self.assertRedirects(response, f"/works/{work.pk}/preview", fetch_redirect_response=False)
        self.assertContains(self.client.get(f"/works/{work.pk}/preview"), "Später")

    def test_posting_still_needs_rating_warnings_fandom_title_and_text(self) -> None:
        response = self.client.post(
            "/works/new", {"pseuds": [self.pseud], "language": "en", "content": "Too little.", "action": "post"}
        )
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        for message in [
            "Choose a rating.",
            "Choose at least one archive warning.",
            '<a href="#id_fandoms">Fandoms</a>',
        ]:
            self.assertIn(message, page)
        self.assertFalse(Work.objects.exists())

    def test_posting_an_incomplete_draft_from_its_preview_says_what_is_missing(self) -> None:
        self.client.post(
            "/works/new", {"pseuds": [self.pseud], "language": "en", "title": "Low Tide", "action": "draft"}
        )
        work = Work.objects.get()
        response = self.client.post(f"/works/{work.pk}/post", follow=True)
        self.assertRedirects(response, f"/works/{work.pk}/edit")
        self.assertContains(response, "To post this work, fill in: Rating, Archive Warnings, Fandoms, Work Text.")
        work.refresh_from_db()
        self.assertFalse(work.posted)

    def test_a_complete_draft_posts_from_its_preview(self) -> None:
        self.client.post("/works/new", work_form_data(pseuds=[self.pseud], action="draft", expected_chapters="3"))
        work = Work.objects.get()
        preview = self.client.get(f"/works/{work.pk}/preview").content.decode()
        self.assertRegex(preview, r"<dt>Chapters:</dt><dd>1/3</dd>")
        self.assertNotIn("<dt>Words:</dt><dd>0</dd>", preview)
        self.client.post(f"/works/{work.pk}/post")
        work.refresh_from_db()
        self.assertTrue(work.posted)
        self.assertEqual((work.word_count, work.chapter_count), (14, 1))

    def test_a_posted_works_edit_still_needs_every_required_field(self) -> None:
        work = self.post_work()
        self.login(self.alice)
        data = work_form_data(pseuds=[self.pseud], action="save", rating="")
        response = self.client.post(f"/works/{work.pk}/edit", data)
        self.assertContains(response, "Choose a rating.")


class MarkdownTests(BaseTestCase):
    def test_markdown_is_rendered_and_sanitized_when_saved(self) -> None:
        text = (
            "She said *nothing* at all.\n\n**Ever.**\n\n> a quote\n\n---\n\n"
            "<script>alert(1)</script><a href='javascript:x'>x</a>"
        )
        work = self.post_work(content=text, text_format="markdown")
        content = work.chapters.get().content
        self.assertIn("<p>She said <em>nothing</em> at all.</p>", content)
        self.assertIn("<strong>Ever.</strong>", content)
        self.assertIn("<blockquote>", content)
        self.assertIn("<hr>", content)
        self.assertNotIn("script", content)
        self.assertNotIn("javascript", content)

    def test_plain_text_keeps_its_asterisks(self) -> None:
        work = self.post_work(content="She said *nothing* at all, and then some more.")
        self.assertIn("*nothing*", work.chapters.get().content)


class PostingFormTests(BaseTestCase):
    def test_post_is_the_one_primary_action_and_required_fields_are_marked(self) -> None:
        self.login(self.alice)
        page = self.client.get("/works/new").content.decode()
        buttons = re.findall(r'<button type="submit" name="action" value="(\w+)"(?: class="([\w-]+)")?>', page)
        self.assertEqual(buttons, [("preview", "secondary"), ("draft", "secondary"), ("post", "primary-action")])
        for label in ["Rating", "Fandoms", "Title", "Work Text"]:
            self.assertRegex(page, rf'<label[^>]* class="required"[^>]*>{label}:</label>')
        self.assertRegex(page, r'<legend class="required">Archive Warnings:</legend>')
        self.assertNotRegex(page, r'class="required"[^>]*>Summary')
        self.assertIn("Formatting help", page)
