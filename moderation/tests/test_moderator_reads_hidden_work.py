"""Moderators read a hidden work's full text from its case (works.access.get_work_for_moderator): every
posted chapter, marked as hidden; never a draft or a draft chapter; nobody else gets anything."""

from django.test import Client

from community.models import Reading
from jobs.queue import run_pending
from moderation.tests.helpers import ModerationTestCase
from works import actions as work_actions
from works.hits import flush_hits
from works.models import Work

FIRST = "Die Möwen schrien über dem Kai."
SECOND = "第二章：潮水退去。"
DRAFT_CHAPTER = "An unposted chapter, still a draft."


class AModeratorReadsAHiddenWorkInFull(ModerationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.post_work(title="Ebbe und Flut", content=FIRST, summary="Zwei Kapitel.", rating="Explicit")
        work_actions.add_chapter(self.work, {"content": SECOND, "chapter_title": "Zwei"}, post=True)
        work_actions.add_chapter(self.work, {"content": DRAFT_CHAPTER, "chapter_title": "Drei"}, post=False)
        self.case = self.report_work(self.work, self.bob)
        self.act(self.case, "hide_work", reason="Under review: plagiarism.")
        self.url = f"/moderation/works/{self.work.pk}"

    def test_the_moderator_reads_every_posted_chapter_marked_as_hidden(self) -> None:
        self.login(self.moderator)
        case = self.client.get(f"/moderation/reports/{self.case.pk}")
        self.assertContains(case, f'href="{self.url}"')
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Moderators' copy")
        self.assertContains(response, "This work has been hidden by the archive's staff.")
        self.assertContains(response, "Under review: plagiarism.")
        self.assertContains(response, "Die Möwen schrien über dem Kai.")
        self.assertContains(response, "第二章：潮水退去。")
        self.assertContains(response, "Zwei Kapitel.")
        self.assertContains(response, self.case.reference)
        self.assertNotContains(response, DRAFT_CHAPTER)
        self.assertNotContains(response, "Drei")
        # No adult gate for the moderators' copy, and nothing kept or indexed for anyone else.
        self.assertNotContains(response, "This work could have adult content")
        self.assertEqual(response["Cache-Control"], "private, no-store")
        self.assertEqual(response["X-Robots-Tag"], "noindex")
        self.assertContains(response, '<meta name="robots" content="noindex">', html=True)
        # Reading it for a case is not a hit and not in the moderator's history.
        flush_hits()
        run_pending()
        self.assertEqual(Work.objects.get(pk=self.work.pk).hits, 0)
        self.assertFalse(Reading.objects.filter(user=self.moderator).exists())

    def test_the_public_work_page_stays_a_404_to_the_moderator_and_everyone_else(self) -> None:
        for user in (self.moderator, self.bob, None):
            client = Client()
            if user is not None:
                client.force_login(user)
            self.assertEqual(client.get(f"/works/{self.work.pk}/").status_code, 404, user)
            self.assertEqual(client.get(f"/works/{self.work.pk}/?view_full_work=true").status_code, 404, user)

    def test_nobody_else_reads_it_here(self) -> None:
        self.login(self.bob)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.login(self.alice)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.client.logout()
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/account/login", response["Location"])

    def test_staff_read_it_too(self) -> None:
        self.login(self.staff)
        self.assertContains(self.client.get(self.url), "第二章：潮水退去。")

    def test_a_visible_work_is_readable_here_and_says_so(self) -> None:
        self.act(self.case, "unhide_work", reason="Not plagiarism.")
        response = self.client.get(self.url)
        self.assertContains(response, "This work is visible to readers.")
        self.assertNotContains(response, "hidden by the archive")
        self.assertContains(response, FIRST)

    def test_a_moderator_gets_a_404_on_a_draft_and_on_forged_ids(self) -> None:
        draft = self.post_work(title="Nur ein Entwurf", content="Secret draft text.", action="draft")
        self.login(self.moderator)
        for path in (f"/moderation/works/{draft.pk}", "/moderation/works/99999999", f"/works/{draft.pk}/"):
            response = self.client.get(path)
            self.assertEqual(response.status_code, 404, path)
            self.assertNotContains(response, "Secret draft text.", status_code=404)
        self.assertEqual(self.client.get("/moderation/works/123456789012345678901234").status_code, 404)
