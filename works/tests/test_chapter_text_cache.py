"""A chapter's text as shown (its paragraph anchors added) is cached by the chapter's version:
edits and reorders show at once, and the cache never lets anyone read what they may not."""

import random
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.text import anchor_paragraphs
from works.models import Chapter, Work
from works.tests.helpers import WorksTestCase

_CHAPTER_TEXT = re.compile(r'<div class="userstuff chapter-text">(.*?)</div>', re.DOTALL)


def shown_texts(html: str) -> list[str]:
    return _CHAPTER_TEXT.findall(html)


def reads_chapter_text(queries: CaptureQueriesContext) -> bool:
    return any('"works_chapter"."content"' in query["sql"] for query in queries.captured_queries)


class ChapterTextCacheTests(WorksTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.post_work(
            chapter_title="Dawn", content="Ærøskøbing at dawn.\n\nThe gulls woke.", expected_chapters=""
        )
        self.dawn = self.work.chapters.get()
        self.noon = self.add_chapter(self.work, "Midday on the quay.\n\nNets dried.\n\nNobody spoke.", title="Noon")

    def edit(self, chapter: Chapter, content: str) -> None:
        self.login(self.alice)
        self.edit_chapter(chapter, content)
        self.client.logout()

    def test_a_second_view_does_not_read_the_chapter_text_again(self):
        url = f"/works/{self.work.pk}/chapters/{self.noon.pk}"
        with CaptureQueriesContext(connection) as first:
            self.assertContains(self.client.get(url), '<p id="c2p3">Nobody spoke.</p>', html=False)
        self.assertTrue(reads_chapter_text(first))
        with CaptureQueriesContext(connection) as second:
            self.assertContains(self.client.get(url), '<p id="c2p3">Nobody spoke.</p>', html=False)
        self.assertFalse(reads_chapter_text(second))

    def test_the_entire_work_reads_the_texts_not_cached_in_one_query(self):
        url = f"/works/{self.work.pk}/?view_full_work=true"
        with CaptureQueriesContext(connection) as cold:
            self.assertEqual(len(shown_texts(self.client.get(url).content.decode())), 2)
        self.assertEqual(sum('"works_chapter"."content"' in q["sql"] for q in cold.captured_queries), 1)
        with CaptureQueriesContext(connection) as warm:
            self.assertEqual(len(shown_texts(self.client.get(url).content.decode())), 2)
        self.assertFalse(reads_chapter_text(warm))

    def test_an_edit_shows_at_once_in_the_chapter_and_the_entire_work(self):
        chapter_url = f"/works/{self.work.pk}/chapters/{self.dawn.pk}"
        full_url = f"/works/{self.work.pk}/?view_full_work=true"
        self.assertContains(self.client.get(chapter_url), "Ærøskøbing at dawn.")
        self.assertContains(self.client.get(full_url), "Ærøskøbing at dawn.")
        self.edit(self.dawn, "Ærøskøbing at first light.\n\nThe gulls slept on.")
        for url in (chapter_url, full_url):
            response = self.client.get(url)
            self.assertContains(response, '<p id="c1p1">Ærøskøbing at first light.</p>', html=False)
            self.assertContains(response, '<p id="c1p2">The gulls slept on.</p>', html=False)
            self.assertNotContains(response, "at dawn.")

    def test_reordered_chapters_carry_the_anchors_of_their_new_positions(self):
        self.client.get(f"/works/{self.work.pk}/?view_full_work=true")
        self.login(self.alice)
        response = self.client.post(
            f"/works/{self.work.pk}/chapters/manage", {f"position-{self.dawn.pk}": 2, f"position-{self.noon.pk}": 1}
        )
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        page = self.client.get(f"/works/{self.work.pk}/?view_full_work=true").content.decode()
        self.assertIn('<p id="c1p1">Midday on the quay.</p>', page)
        self.assertIn('<p id="c2p1">Ærøskøbing at dawn.</p>', page)
        self.assertNotIn('id="c1p3"', page.replace('<p id="c1p3">Nobody spoke.</p>', ""))

    def test_a_cached_draft_chapter_stays_hidden_from_readers(self):
        draft = self.add_chapter(self.work, "A secret draft chapter.", action="draft")
        self.login(self.alice)
        self.assertContains(self.client.get(f"/works/{self.work.pk}/chapters/{draft.pk}"), "A secret draft chapter.")
        self.assertContains(self.client.get(f"/works/{self.work.pk}/?view_full_work=true"), "A secret draft chapter.")
        for reader in (None, self.bob):
            self.client.logout()
            if reader:
                self.login(reader)
            self.assertEqual(self.client.get(f"/works/{self.work.pk}/chapters/{draft.pk}").status_code, 404)
            full = self.client.get(f"/works/{self.work.pk}/?view_full_work=true")
            self.assertContains(full, "Midday on the quay.")
            self.assertNotContains(full, "A secret draft chapter.")

    def test_a_cached_restricted_or_hidden_work_stays_closed(self):
        url = f"/works/{self.work.pk}/chapters/{self.dawn.pk}"
        self.login(self.bob)
        self.assertContains(self.client.get(url), "Ærøskøbing at dawn.")
        Work.objects.filter(pk=self.work.pk).update(restricted=True)
        self.client.logout()
        response = self.client.get(url)
        self.assertEqual(response.status_code, 302)
        self.assertNotContains(response, "Ærøskøbing", status_code=302)
        Work.objects.filter(pk=self.work.pk).update(restricted=False, hidden_by_admin=True)
        self.login(self.bob)
        self.assertEqual(self.client.get(url).status_code, 404)


class ChapterTextOracleTests(WorksTestCase):
    """Random edits, reorders and views: every page shows exactly what the stored HTML gives."""

    def test_pages_always_match_the_stored_chapters(self):
        rng = random.Random(11)
        work = self.post_work(content="Opening line.", expected_chapters="")
        for n in range(3):
            self.add_chapter(work, f"Chapter {n + 2} begins.")
        words = ["sea", "lamp", "ŝipo", "灯台", "gull", "storm", "quay"]
        for step in range(25):
            chapters = list(work.chapters.order_by("position"))
            action = rng.choice(["edit", "reorder", "view", "view"])
            self.login(self.alice)
            if action == "edit":
                chapter = rng.choice(chapters)
                # At least 10 characters (the form's minimum): the first paragraph has 4 words or more.
                paragraphs = [
                    " ".join(rng.choices(words, k=rng.randint(4 if i == 0 else 1, 8))) for i in range(rng.randint(1, 5))
                ]
                response = self.client.post(
                    f"/works/{work.pk}/chapters/{chapter.pk}/edit",
                    {"chapter_title": "", "content": "\n\n".join(paragraphs), "action": "post"},
                )
                self.assertEqual(response.status_code, 302)
            elif action == "reorder":
                order = list(range(1, len(chapters) + 1))
                rng.shuffle(order)
                data = {f"position-{c.pk}": p for c, p in zip(chapters, order, strict=True)}
                self.assertEqual(self.client.post(f"/works/{work.pk}/chapters/manage", data).status_code, 302)
            self.client.logout()
            stored = list(work.chapters.order_by("position"))
            expected = [anchor_paragraphs(c.content, c.position) for c in stored]
            with self.subTest(step=step, action=action):
                full = self.client.get(f"/works/{work.pk}/?view_full_work=true").content.decode()
                self.assertEqual(shown_texts(full), expected)
                one = rng.choice(stored)
                page = self.client.get(f"/works/{work.pk}/chapters/{one.pk}").content.decode()
                self.assertEqual(shown_texts(page), [anchor_paragraphs(one.content, one.position)])
