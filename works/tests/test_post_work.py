from fanarchive.test import BaseTestCase, work_form_data
from works.models import Work


class PostWorkTests(BaseTestCase):
    def test_it_posts_a_work_with_every_field(self):
        self.login(self.alice)
        second = self.alice.pseuds.create(name="Quill Writes")
        data = work_form_data(
            pseuds=[self.alice.default_pseud.pk, second.pk],
            co_creators="bob",
            rating="Teen And Up Audiences",
            warnings=["Graphic Depictions Of Violence", "Major Character Death"],
            categories=["F/F", "Gen"],
            fandoms="Tidewater (TV), Saltmarsh Chronicles",
            relationships="Mara Quill/Ida Fenn",
            characters="Mara Quill, Ida Fenn",
            freeforms="Angst, Hurt/Comfort",
            summary="A <em>storm</em>.",
            notes="Beginning note.",
            endnotes="End note.",
            language="fr",
            restricted="on",
            new_series_title="Tidewater Tales",
            expected_chapters="3",
            chapter_title="The Lamp",
            content="First paragraph.\n\nSecond paragraph.",
        )
        response = self.client.post("/works/new", data)
        work = Work.objects.get()
        self.assertRedirects(response, f"/works/{work.pk}/")
        self.assertTrue(work.posted)
        self.assertTrue(work.restricted)
        self.assertEqual(work.language, "fr")
        self.assertEqual(work.summary, "<p>A <em>storm</em>.</p>")
        self.assertEqual(work.expected_chapters, 3)
        self.assertFalse(work.complete)
        self.assertEqual(work.chapter_count, 1)
        self.assertEqual(work.word_count, 4)
        names = {(t.type, t.name) for t in work.tags.all()}
        self.assertIn(("rating", "Teen And Up Audiences"), names)
        self.assertIn(("warning", "Major Character Death"), names)
        self.assertIn(("category", "F/F"), names)
        self.assertIn(("fandom", "Saltmarsh Chronicles"), names)
        self.assertIn(("relationship", "Mara Quill/Ida Fenn"), names)
        self.assertIn(("character", "Ida Fenn"), names)
        self.assertIn(("freeform", "Hurt/Comfort"), names)
        # Bob is invited, and credited only once he accepts (moderation/tests/test_co_creators.py).
        self.assertEqual({p.name for p in work.pseuds.all()}, {"alice", "Quill Writes"})
        self.accept_invitations(self.bob)
        self.assertEqual({p.name for p in work.pseuds.all()}, {"alice", "Quill Writes", "bob"})
        self.assertEqual(work.serial_works.get().series.title, "Tidewater Tales")
        chapter = work.chapters.get()
        self.assertEqual(chapter.title, "The Lamp")
        self.assertEqual(chapter.content, "<p>First paragraph.</p>\n<p>Second paragraph.</p>")

        page = self.client.get(f"/works/{work.pk}/").content.decode()
        for text in ["Mara Quill/Ida Fenn", "Hurt/Comfort", "Tidewater Tales", "1/3", "Français", "Beginning note."]:
            self.assertIn(text, page)

    def test_form_labels_use_ao3_words(self):
        self.login(self.alice)
        page = self.client.get("/works/new").content.decode()
        for label in [
            "Title", "Summary", "Rating", "Archive Warnings", "Fandoms", "Categories",
            "Relationships", "Characters", "Additional Tags", "Language", "Work Text",
        ]:  # fmt: skip
            self.assertRegex(page, f">{label}:?</(label|legend)>")

    def test_guests_are_sent_to_log_in(self):
        response = self.client.get("/works/new")
        self.assertRedirects(response, "/account/login?next=/works/new")

    def test_it_saves_a_draft_visible_only_to_its_creator(self):
        self.login(self.alice)
        self.client.post("/works/new", work_form_data(pseuds=[self.alice.default_pseud.pk], action="draft"))
        work = Work.objects.get()
        self.assertFalse(work.posted)
        self.assertEqual(self.client.get(f"/works/{work.pk}/").status_code, 200)
        self.assertContains(self.client.get("/account/drafts"), work.title)
        self.client.logout()
        self.assertEqual(self.client.get(f"/works/{work.pk}/").status_code, 404)
        self.login(self.bob)
        self.assertEqual(self.client.get(f"/works/{work.pk}/").status_code, 404)

    def test_preview_then_post(self):
        self.login(self.alice)
        response = self.client.post(
            "/works/new", work_form_data(pseuds=[self.alice.default_pseud.pk], action="preview")
        )
        work = Work.objects.get()
        self.assertRedirects(response, f"/works/{work.pk}/preview")
        self.assertContains(self.client.get(f"/works/{work.pk}/preview"), "Preview")
        self.assertFalse(work.posted)
        self.client.post(f"/works/{work.pk}/post")
        work.refresh_from_db()
        self.assertTrue(work.posted)
        self.assertTrue(work.chapters.get().posted)

    def test_backdating_sets_the_publication_date(self):
        work = self.post_work(backdate="on", published_at="2015-03-04")
        self.assertEqual(str(work.published_at), "2015-03-04")
        self.assertEqual(work.revised_at.date().isoformat(), "2015-03-04")
        self.assertContains(self.client.get(f"/works/{work.pk}/"), "2015-03-04")

    def test_wip_shows_a_question_mark(self):
        work = self.post_work(expected_chapters="")
        self.assertIsNone(work.expected_chapters)
        self.assertContains(self.client.get(f"/works/{work.pk}/"), "1/?")

    def test_existing_series_gets_the_next_position(self):
        first = self.post_work(new_series_title="Saga")
        series = first.serial_works.get().series
        second = self.post_work(title="Second", series=str(series.pk))
        self.assertEqual(second.serial_works.get().position, 2)
        page = self.client.get(f"/works/{second.pk}/").content.decode()
        self.assertIn("Part 2 of", page)
        self.assertIn("Previous Work", page)
