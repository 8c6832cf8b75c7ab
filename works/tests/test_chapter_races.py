"""Works and chapters written at the same moment (review findings 10 and 11), on both databases: edits of two
chapters of one work leave the work's word count equal to the sum of its chapters, and parallel
"add chapter" requests all succeed with positions 1…n, and editing a work while readers leave kudos
loses none of them."""

from typing import Any

from django.test import Client

from accounts.actions import create_account
from community.models import Kudo
from fanarchive.test import ParallelTestCase, work_form_data
from works.models import Chapter, Work

THREADS = 6


class ChapterRaceTests(ParallelTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.make_work(expected_chapters="")
        self.author = self.client_for(self.alice)

    def add(self, text: str) -> int:
        response = self.author.post(f"/works/{self.work.pk}/chapters/new", {"content": text, "action": "post"})
        return response.status_code

    def test_parallel_edits_of_different_chapters_keep_the_word_count_the_sum_of_the_chapters(self):
        for n in range(THREADS - 1):
            self.assertEqual(self.add(f"Kapitel {n} beginnt."), 302)
        chapters = list(self.work.chapters.order_by("position"))
        requests = [
            (
                self.client_for(self.alice),
                f"/works/{self.work.pk}/chapters/{chapter.pk}/edit",
                {"content": " ".join(["Wort"] * (10 * (n + 1))), "chapter_title": ""},
            )
            for n, chapter in enumerate(chapters)
        ]
        for trial in range(3):
            with self.subTest(trial=trial):
                self.assertEqual(set(self.post_in_parallel(requests)), {302})
                work = Work.objects.get(pk=self.work.pk)
                words = sum(Chapter.objects.filter(work=work, posted=True).values_list("word_count", flat=True))
                self.assertEqual(work.word_count, words)
                self.assertEqual(work.word_count, sum(len(data["content"].split()) for _client, _url, data in requests))
                requests = [
                    (client, url, {**data, "content": data["content"] + " mehr"}) for client, url, data in requests
                ]

    def test_parallel_add_chapter_requests_all_succeed_with_distinct_positions(self):
        url = f"/works/{self.work.pk}/chapters/new"
        data = {"content": "Ein neues Kapitel.", "action": "post"}
        statuses = self.post_in_parallel([(self.client_for(self.alice), url, data) for _ in range(THREADS)])
        self.assertEqual(statuses, [302] * THREADS)
        positions = sorted(Chapter.objects.filter(work=self.work).values_list("position", flat=True))
        self.assertEqual(positions, list(range(1, THREADS + 2)))
        self.assertEqual(Work.objects.get(pk=self.work.pk).chapter_count, THREADS + 1)

    def test_editing_a_work_while_readers_leave_kudos_loses_no_kudos(self):
        readers = [create_account(f"reader{n}", f"reader{n}@example.org", self.password) for n in range(THREADS)]
        kudos: list[tuple[Client, str, dict[str, Any]]] = [
            (self.client_for(reader), f"/works/{self.work.pk}/kudos", {}) for reader in readers
        ]
        edit = work_form_data(pseuds=[self.alice.default_pseud.pk], title="Der Leuchtturmwärter")
        edits = [(self.client_for(self.alice), f"/works/{self.work.pk}/edit", edit) for _ in range(2)]
        self.assertEqual(set(self.post_in_parallel(kudos + edits)), {302})
        self.assertEqual(Kudo.objects.filter(work=self.work).count(), THREADS)
        self.assertEqual(Work.objects.get(pk=self.work.pk).kudos_count, THREADS)
