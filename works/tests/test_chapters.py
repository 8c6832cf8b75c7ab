"""Adding, editing, deleting, reordering and reading chapters; editing and deleting works."""

from datetime import timedelta

from django.utils import timezone
from django.utils.formats import date_format

from fanarchive.test import work_form_data
from works.models import Chapter, Work
from works.tests.helpers import WorksTestCase

# The first chapter of `work_form_data()`: "The lamp turned all night." and nine more words.
FIRST_CHAPTER_WORDS = 14


def stat(name: str, value: object) -> str:
    return f"<dt>{name}:</dt><dd>{value}</dd>"


class AddChapterTests(WorksTestCase):
    def test_adding_a_chapter_to_a_work_in_progress_updates_its_counts(self):
        work = self.post_work(expected_chapters="")
        chapter = self.add_chapter(work, "Five words in this chapter.", title="The Storm")
        self.assertTrue(chapter.posted)
        self.assertEqual(chapter.position, 2)
        self.assertEqual(chapter.title, "The Storm")
        work.refresh_from_db()
        self.assertEqual(work.chapter_count, 2)
        self.assertEqual(work.word_count, FIRST_CHAPTER_WORDS + 5)
        self.assertFalse(work.complete)
        response = self.client.get(f"/works/{work.pk}/")
        self.assertContains(response, stat("Chapters", "2/?"), html=False)
        self.assertContains(response, stat("Words", FIRST_CHAPTER_WORDS + 5), html=False)
        self.assertContains(self.client.get("/works"), stat("Chapters", "2/?"), html=False)

    def test_the_chapter_form_redirects_to_the_new_chapter(self):
        work = self.post_work()
        self.login(self.alice)
        response = self.client.post(
            f"/works/{work.pk}/chapters/new",
            {"chapter_title": "The Storm", "content": "Five words in this chapter.", "action": "post"},
        )
        chapter = work.chapters.get(position=2)
        self.assertRedirects(response, f"/works/{work.pk}/chapters/{chapter.pk}")
        self.assertContains(self.client.get(response["Location"]), "Five words in this chapter.")

    def test_adding_a_chapter_shows_progress_against_the_expected_count(self):
        work = self.post_work(expected_chapters="3")
        self.add_chapter(work, "Five words in this chapter.")
        work.refresh_from_db()
        self.assertFalse(work.complete)
        self.assertContains(self.client.get(f"/works/{work.pk}/"), stat("Chapters", "2/3"), html=False)

    def test_reaching_the_expected_number_of_chapters_completes_the_work(self):
        work = self.post_work(expected_chapters="2")
        self.assertFalse(work.complete)
        self.add_chapter(work, "Five words in this chapter.")
        work.refresh_from_db()
        self.assertTrue(work.complete)
        response = self.client.get(f"/works/{work.pk}/")
        self.assertContains(response, stat("Chapters", "2/2"), html=False)
        self.assertContains(response, "<dt>Completed:</dt>", html=False)
        self.assertContains(self.client.get("/works"), "Complete work")

    def test_a_chapter_beyond_the_expected_count_raises_it(self):
        work = self.post_work(expected_chapters="1")
        self.add_chapter(work, "Five words in this chapter.")
        work.refresh_from_db()
        self.assertEqual(work.expected_chapters, 2)
        self.assertTrue(work.complete)

    def test_a_draft_chapter_does_not_complete_the_work(self):
        work = self.post_work(expected_chapters="2")
        self.add_chapter(work, "Five words in this chapter.", action="draft")
        work.refresh_from_db()
        self.assertFalse(work.complete)
        self.assertEqual(work.chapter_count, 1)

    def test_adding_a_chapter_updates_the_revised_date(self):
        work = self.post_work(expected_chapters="")
        long_ago = timezone.now() - timedelta(days=30)
        Work.objects.filter(pk=work.pk).update(revised_at=long_ago)
        before = timezone.now()
        self.add_chapter(work, "Five words in this chapter.")
        work.refresh_from_db()
        self.assertGreaterEqual(work.revised_at, before)
        response = self.client.get(f"/works/{work.pk}/")
        today = timezone.localdate()
        self.assertContains(
            response, stat("Updated", f'<time datetime="{today.isoformat()}">{date_format(today)}</time>'), html=False
        )

    def test_a_draft_chapter_does_not_update_the_revised_date(self):
        work = self.post_work(expected_chapters="")
        long_ago = timezone.now() - timedelta(days=30)
        Work.objects.filter(pk=work.pk).update(revised_at=long_ago)
        self.add_chapter(work, "Five words in this chapter.", action="draft")
        work.refresh_from_db()
        self.assertEqual(work.revised_at, long_ago)

    def test_a_chapter_needs_text(self):
        work = self.post_work()
        self.login(self.alice)
        response = self.client.post(f"/works/{work.pk}/chapters/new", {"content": "Too short", "action": "post"})
        self.assertContains(response, "The chapter text must be at least 10 characters long.")
        self.assertEqual(work.chapters.count(), 1)


class EditChapterTests(WorksTestCase):
    def test_the_edit_form_holds_the_chapter(self):
        work = self.post_work()
        chapter = self.add_chapter(work, "Five words in this chapter.", title="The Storm")
        self.login(self.alice)
        response = self.client.get(f"/works/{work.pk}/chapters/{chapter.pk}/edit")
        self.assertContains(response, "Five words in this chapter.")
        self.assertContains(response, 'value="The Storm"', html=False)

    def test_editing_a_chapter_changes_its_text_title_and_the_word_count(self):
        work = self.post_work()
        chapter = self.add_chapter(work, "Five words in this chapter.", title="The Storm")
        self.login(self.alice)
        response = self.client.post(
            f"/works/{work.pk}/chapters/{chapter.pk}/edit",
            {"chapter_title": "The Calm", "content": "Brand new words here for the chapter.", "action": "save"},
        )
        self.assertRedirects(response, f"/works/{work.pk}/chapters/{chapter.pk}")
        chapter.refresh_from_db()
        self.assertEqual(chapter.title, "The Calm")
        self.assertEqual(chapter.content, "<p>Brand new words here for the chapter.</p>")
        self.assertEqual(chapter.word_count, 7)
        work.refresh_from_db()
        self.assertEqual(work.word_count, FIRST_CHAPTER_WORDS + 7)
        page = self.client.get(f"/works/{work.pk}/chapters/{chapter.pk}")
        self.assertContains(page, "Chapter 2: The Calm")
        self.assertContains(page, "Brand new words here for the chapter.")
        self.assertNotContains(page, "Five words in this chapter.")


class DeleteChapterTests(WorksTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.post_work(expected_chapters="")
        self.first = self.work.chapters.get()
        self.second = self.add_chapter(self.work, "The second chapter, doomed.", title="Second")
        self.third = self.add_chapter(self.work, "The third chapter survives.", title="Third")
        self.login(self.alice)

    def test_deleting_asks_for_confirmation_first(self):
        response = self.client.get(f"/works/{self.work.pk}/chapters/{self.second.pk}/delete")
        self.assertContains(response, "Delete Chapter 2: Second of")
        self.assertTrue(Chapter.objects.filter(pk=self.second.pk).exists())

    def test_deleting_a_chapter_closes_the_gap_in_positions(self):
        response = self.client.post(f"/works/{self.work.pk}/chapters/{self.second.pk}/delete")
        self.assertRedirects(response, f"/works/{self.work.pk}/")
        self.assertFalse(Chapter.objects.filter(pk=self.second.pk).exists())
        self.assertEqual(
            list(self.work.chapters.order_by("position").values_list("pk", "position")),
            [(self.first.pk, 1), (self.third.pk, 2)],
        )
        self.work.refresh_from_db()
        self.assertEqual(self.work.chapter_count, 2)
        self.assertEqual(self.work.word_count, FIRST_CHAPTER_WORDS + 4)
        page = self.client.get(f"/works/{self.work.pk}/chapters/{self.third.pk}")
        self.assertContains(page, "Chapter 2: Third")
        self.assertContains(page, stat("Chapters", "2/?"), html=False)
        full = self.client.get(f"/works/{self.work.pk}/?view_full_work=true")
        self.assertNotContains(full, "doomed")

    def test_deleting_the_only_chapter_is_refused(self):
        work = self.post_work(title="One Shot")
        only = work.chapters.get()
        self.login(self.alice)
        for method in ["get", "post"]:
            with self.subTest(method=method):
                response = getattr(self.client, method)(f"/works/{work.pk}/chapters/{only.pk}/delete", follow=True)
                self.assertRedirects(response, f"/works/{work.pk}/")
                self.assertContains(response, "A work needs at least one posted chapter.")
                self.assertTrue(Chapter.objects.filter(pk=only.pk).exists())


class ReorderChapterTests(WorksTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.post_work(chapter_title="Dawn", content="Morning text of the story.", expected_chapters="")
        self.dawn = self.work.chapters.get()
        self.noon = self.add_chapter(self.work, "Midday text of the story.", title="Noon")
        self.dusk = self.add_chapter(self.work, "Evening text of the story.", title="Dusk")
        self.login(self.alice)

    def positions(self) -> list[tuple[int, int]]:
        return list(self.work.chapters.order_by("pk").values_list("pk", "position"))

    def reorder(self, dawn: object, noon: object, dusk: object):
        return self.client.post(
            f"/works/{self.work.pk}/chapters/manage",
            {f"position-{self.dawn.pk}": dawn, f"position-{self.noon.pk}": noon, f"position-{self.dusk.pk}": dusk},
        )

    def test_the_manage_page_lists_the_chapters_with_their_positions(self):
        response = self.client.get(f"/works/{self.work.pk}/chapters/manage")
        self.assertContains(response, f'name="position-{self.noon.pk}"', html=False)
        self.assertContains(response, "Chapter 3: Dusk")

    def test_reordering_moves_chapters_to_their_new_positions(self):
        response = self.reorder(3, 1, 2)
        self.assertRedirects(response, f"/works/{self.work.pk}/navigate")
        self.assertEqual(self.positions(), [(self.dawn.pk, 3), (self.noon.pk, 1), (self.dusk.pk, 2)])
        page = self.client.get(f"/works/{self.work.pk}/navigate").content.decode()
        self.assertLess(page.index("Chapter 1: Noon"), page.index("Chapter 2: Dusk"))
        self.assertLess(page.index("Chapter 2: Dusk"), page.index("Chapter 3: Dawn"))
        full = self.client.get(f"/works/{self.work.pk}/?view_full_work=true").content.decode()
        self.assertLess(full.index("Midday text"), full.index("Evening text"))
        self.assertLess(full.index("Evening text"), full.index("Morning text"))
        self.assertContains(self.client.get(f"/works/{self.work.pk}/"), "Midday text")

    def test_invalid_orders_are_refused_and_change_nothing(self):
        before = self.positions()
        for dawn, noon, dusk in [(1, 1, 2), (1, 2, 4), (0, 1, 2), (3, 3, 3)]:
            with self.subTest(order=(dawn, noon, dusk)):
                response = self.reorder(dawn, noon, dusk)
                self.assertContains(response, "Give each chapter a different position from 1 to 3.", status_code=400)
                self.assertEqual(self.positions(), before)

    def test_positions_that_are_not_whole_numbers_are_refused(self):
        before = self.positions()
        for dawn in ["", "first", "1.5"]:
            with self.subTest(dawn=dawn):
                self.assertEqual(self.reorder(dawn, 2, 3).status_code, 400)
                self.assertEqual(self.positions(), before)

    def test_a_missing_position_is_refused(self):
        before = self.positions()
        response = self.client.post(
            f"/works/{self.work.pk}/chapters/manage", {f"position-{self.dawn.pk}": 2, f"position-{self.noon.pk}": 1}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.positions(), before)


class ChapterNavigationTests(WorksTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.post_work(
            chapter_title="Dawn",
            content="Morning text of the story.",
            notes="Opening note from the author.",
            endnotes="Closing note from the author.",
            expected_chapters="3",
        )
        self.dawn = self.work.chapters.get()
        self.noon = self.add_chapter(self.work, "Midday text of the story.", title="Noon")
        self.dusk = self.add_chapter(self.work, "Evening text of the story.", title="Dusk")

    def chapter_url(self, chapter: Chapter) -> str:
        return f"/works/{self.work.pk}/chapters/{chapter.pk}"

    def test_the_work_page_shows_the_first_chapter_with_a_link_to_the_next(self):
        response = self.client.get(f"/works/{self.work.pk}/")
        self.assertContains(response, "Morning text")
        self.assertNotContains(response, "Midday text")
        self.assertNotContains(response, "Evening text")
        self.assertContains(response, f'rel="next" href="{self.chapter_url(self.noon)}">Next Chapter', html=False)
        self.assertNotContains(response, "Previous Chapter")
        self.assertContains(response, f'href="/works/{self.work.pk}/?view_full_work=true">Entire Work', html=False)

    def test_a_middle_chapter_links_to_the_previous_and_next(self):
        response = self.client.get(self.chapter_url(self.noon))
        self.assertContains(response, "Midday text")
        self.assertNotContains(response, "Morning text")
        self.assertNotContains(response, "Evening text")
        self.assertContains(response, f'rel="prev" href="{self.chapter_url(self.dawn)}">← Previous Chapter', html=False)
        self.assertContains(response, f'rel="next" href="{self.chapter_url(self.dusk)}">Next Chapter', html=False)

    def test_the_last_chapter_links_only_to_the_previous(self):
        response = self.client.get(self.chapter_url(self.dusk))
        self.assertContains(response, "Evening text")
        self.assertContains(response, f'rel="prev" href="{self.chapter_url(self.noon)}"', html=False)
        self.assertNotContains(response, "Next Chapter")

    def test_entire_work_shows_every_chapter_in_order(self):
        page = self.client.get(f"/works/{self.work.pk}/?view_full_work=true").content.decode()
        self.assertLess(page.index("Morning text"), page.index("Midday text"))
        self.assertLess(page.index("Midday text"), page.index("Evening text"))
        for heading in ["Chapter 1: Dawn", "Chapter 2: Noon", "Chapter 3: Dusk"]:
            self.assertIn(heading, page)
        self.assertNotIn("Next Chapter", page)
        self.assertIn("Chapter by chapter", page)

    def test_the_chapter_index_lists_every_chapter(self):
        page = self.client.get(f"/works/{self.work.pk}/navigate").content.decode()
        for chapter in [self.dawn, self.noon, self.dusk]:
            self.assertIn(self.chapter_url(chapter), page)
        self.assertLess(page.index("Chapter 1: Dawn"), page.index("Chapter 2: Noon"))
        self.assertLess(page.index("Chapter 2: Noon"), page.index("Chapter 3: Dusk"))

    def test_beginning_notes_come_before_chapter_one_and_end_notes_after_the_last_chapter_only(self):
        first = self.client.get(f"/works/{self.work.pk}/").content.decode()
        self.assertLess(first.index("Opening note"), first.index("Morning text"))
        self.assertNotIn("Closing note", first)

        middle = self.client.get(self.chapter_url(self.noon)).content.decode()
        self.assertNotIn("Opening note", middle)
        self.assertNotIn("Closing note", middle)

        last = self.client.get(self.chapter_url(self.dusk)).content.decode()
        self.assertNotIn("Opening note", last)
        self.assertLess(last.index("Evening text"), last.index("Closing note"))

        full = self.client.get(f"/works/{self.work.pk}/?view_full_work=true").content.decode()
        self.assertEqual(full.count("Opening note"), 1)
        self.assertEqual(full.count("Closing note"), 1)
        self.assertLess(full.index("Opening note"), full.index("Morning text"))
        self.assertLess(full.index("Evening text"), full.index("Closing note"))


class WordCountTests(WorksTestCase):
    def test_a_japanese_chapter_counts_each_han_hiragana_and_katakana_character(self):
        work = self.post_work(language="ja")
        chapter = self.add_chapter(work, "今日は良い天気です。")
        self.assertEqual(chapter.word_count, 9)
        katakana = self.add_chapter(work, "カタカナで書いた文章です。")
        self.assertEqual(katakana.word_count, 12)
        work.refresh_from_db()
        self.assertEqual(work.word_count, FIRST_CHAPTER_WORDS + 9 + 12)

    def test_a_japanese_work_shows_its_character_count_as_words(self):
        work = self.post_work(language="ja", content="今日は良い天気です。")
        self.assertEqual(work.word_count, 9)
        self.assertContains(self.client.get(f"/works/{work.pk}/"), stat("Words", 9), html=False)

    def test_mixed_text_counts_english_words_plus_cjk_characters(self):
        work = self.post_work(content="Mara said 今日は良い天気です。 and smiled.")
        self.assertEqual(work.word_count, 4 + 9)
        chinese = self.post_work(content="Jonah wrote 你好世界 twice.")
        self.assertEqual(chinese.word_count, 3 + 4)

    def test_thai_counts_characters(self):
        work = self.post_work(language="th", content="สวัสดีครับ ขอบคุณ")
        self.assertEqual(work.word_count, len("สวัสดีครับ") + len("ขอบคุณ"))
        self.assertEqual(work.word_count, 16)


class EditWorkTests(WorksTestCase):
    def edit_data(self, **overrides: object) -> dict[str, object]:
        return work_form_data(**{"pseuds": [self.alice.default_pseud.pk], "action": "save", **overrides})

    def test_editing_a_work_changes_its_title_and_tags(self):
        work = self.post_work(title="Harbour Lights", freeforms="Lanterns, Saltwater")
        self.login(self.alice)
        response = self.client.post(
            f"/works/{work.pk}/edit",
            self.edit_data(title="Beacon at Dusk", freeforms="Lanterns, Driftwood"),
            follow=True,
        )
        self.assertRedirects(response, f"/works/{work.pk}/")
        self.assertContains(response, "Work was successfully updated.")
        work.refresh_from_db()
        self.assertEqual(work.title, "Beacon at Dusk")
        freeforms = set(work.tags.filter(type="freeform").values_list("name", flat=True))
        self.assertEqual(freeforms, {"Lanterns", "Driftwood"})

        removed = self.client.get("/tags/Saltwater/works")
        self.assertNotContains(removed, "Beacon at Dusk")
        self.assertListingCount(removed, 0)
        self.assertContains(self.client.get("/tags/Saltwater"), "0 works tagged Saltwater")
        kept = self.client.get("/tags/Lanterns/works")
        self.assertContains(kept, "Beacon at Dusk")
        self.assertNotContains(kept, "Harbour Lights")
        self.assertListingCount(kept, 1)
        self.assertContains(self.client.get("/tags/Driftwood/works"), "Beacon at Dusk")

    def test_the_edit_form_of_a_one_chapter_work_includes_the_chapter_text(self):
        work = self.post_work(title="Harbour Lights", freeforms="Lanterns, Saltwater")
        self.login(self.alice)
        response = self.client.get(f"/works/{work.pk}/edit")
        self.assertContains(response, 'name="content"', html=False)
        self.assertContains(response, "The lamp turned all night.")
        self.assertContains(response, 'value="Harbour Lights"', html=False)
        self.assertContains(response, 'value="Lanterns, Saltwater"', html=False)

    def test_editing_a_one_chapter_work_changes_its_text(self):
        work = self.post_work()
        self.login(self.alice)
        self.client.post(f"/works/{work.pk}/edit", self.edit_data(content="A different text, five words."))
        self.assertEqual(work.chapters.get().content, "<p>A different text, five words.</p>")
        work.refresh_from_db()
        self.assertEqual(work.word_count, 5)

    def test_the_edit_form_of_a_multi_chapter_work_leaves_chapter_text_to_the_chapters(self):
        work = self.post_work()
        self.add_chapter(work, "Five words in this chapter.")
        self.login(self.alice)
        response = self.client.get(f"/works/{work.pk}/edit")
        self.assertNotContains(response, 'name="content"', html=False)
        self.assertNotContains(response, "The lamp turned all night.")
        data = self.edit_data(title="Renamed")
        del data["content"]
        self.assertRedirects(self.client.post(f"/works/{work.pk}/edit", data), f"/works/{work.pk}/")
        work.refresh_from_db()
        self.assertEqual(work.title, "Renamed")
        self.assertEqual(work.chapter_count, 2)
        self.assertEqual(
            work.chapters.get(position=1).content,
            "<p>The lamp turned all night.</p>\n<p>In the morning the sea was flat and grey.</p>",
        )


class DeleteWorkTests(WorksTestCase):
    def test_deleting_a_work_asks_for_confirmation_first(self):
        work = self.post_work()
        self.login(self.alice)
        response = self.client.get(f"/works/{work.pk}/delete")
        self.assertContains(response, "Are you sure you want to delete “The Lighthouse Keeper”?")
        self.assertTrue(Work.objects.filter(pk=work.pk).exists())

    def test_deleting_a_work_removes_it_and_its_chapters(self):
        work = self.post_work(new_series_title="Short Saga")
        chapter_ids = [work.chapters.get().pk, self.add_chapter(work, "Five words in this chapter.").pk]
        self.login(self.alice)
        response = self.client.post(f"/works/{work.pk}/delete")
        self.assertRedirects(response, "/users/alice")
        self.assertFalse(Work.objects.filter(pk=work.pk).exists())
        self.assertFalse(Chapter.objects.filter(pk__in=chapter_ids).exists())
        self.assertEqual(self.client.get(f"/works/{work.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/works/{work.pk}/chapters/{chapter_ids[0]}").status_code, 404)
        self.assertNotContains(self.client.get("/works"), "The Lighthouse Keeper")
        self.client.logout()
        self.assertEqual(self.client.get(f"/works/{work.pk}/").status_code, 404)


class OnlyPostedChapterTests(WorksTestCase):
    def test_deleting_the_only_posted_chapter_is_refused_while_a_draft_chapter_remains(self):
        work = self.post_work(title="Nearly Empty")
        posted = work.chapters.get()
        self.add_chapter(work, "A chapter still being written.", action="draft")
        self.login(self.alice)
        response = self.client.post(f"/works/{work.pk}/chapters/{posted.pk}/delete", follow=True)
        self.assertRedirects(response, f"/works/{work.pk}/")
        self.assertTrue(Chapter.objects.filter(pk=posted.pk).exists())
        self.client.logout()
        # Otherwise the work stays listed while its page is a 404 to every reader.
        self.assertContains(self.client.get("/works"), "Nearly Empty")
        self.assertEqual(self.client.get(f"/works/{work.pk}/").status_code, 200)
