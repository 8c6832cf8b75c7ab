from django.core import mail
from django.core.cache import cache

from bookmarks.models import Bookmark
from comments.models import Comment
from jobs.queue import run_pending
from moderation.models import DESCRIPTION_MAX, LogEntry, Notice, Report
from moderation.ratelimit import REPORT_RATE_LIMIT
from moderation.tests.helpers import ModerationTestCase
from tags.models import Tag


class ReportLinksAreEverywhere(ModerationTestCase):
    def test_work_chapter_comment_bookmark_profile_and_tag_carry_a_report_link(self) -> None:
        work = self.post_work()
        chapter = work.chapters.get()
        self.login(self.bob)
        self.client.post(f"/works/{work.pk}/comments", {"content": "Bob was here.", "chapter_id": chapter.pk})
        self.client.post(f"/works/{work.pk}/bookmarks/new", {"pseud": self.bob.default_pseud.pk, "notes": "Yes."})
        comment = Comment.objects.get()
        bookmark = Bookmark.objects.get()
        self.client.logout()
        page = self.client.get(f"/works/{work.pk}/").content.decode()
        self.assertIn(f'href="/report/work/{work.pk}"', page)
        self.assertIn(f'href="/report/chapter/{chapter.pk}"', page)
        self.assertIn(f'href="/report/comment/{comment.pk}"', page)
        bookmarks = self.client.get(f"/works/{work.pk}/bookmarks").content.decode()
        self.assertIn(f'href="/report/bookmark/{bookmark.pk}"', bookmarks)
        self.assertContains(self.client.get("/users/alice"), f'href="/report/user/{self.alice.pk}"')
        tag = Tag.objects.get(name="Tidewater (TV)")
        self.assertContains(self.client.get(tag.get_absolute_url()), f'href="/report/tag/{tag.pk}"')


class FilingAReport(ModerationTestCase):
    def test_a_reader_reports_a_work_and_gets_a_reference(self) -> None:
        work = self.post_work()
        self.login(self.bob)
        form = self.client.get(f"/report/work/{work.pk}")
        self.assertContains(form, "The Lighthouse Keeper")
        self.assertNotContains(form, 'name="email"')
        data = {"category": "rating", "description": "Explicit, rated General — ça va pas."}
        response = self.client.post(f"/report/work/{work.pk}", data, follow=True)
        report = Report.objects.get()
        self.assertContains(response, report.reference)
        self.assertEqual((report.reporter, report.work, report.target_user), (self.bob, work, self.alice))
        self.assertEqual(report.snapshot["title"], "The Lighthouse Keeper")
        self.assertEqual(report.snapshot["rating"], ["General Audiences"])
        self.assertEqual(report.status, Report.Status.OPEN)
        self.assertTrue(LogEntry.objects.filter(action=LogEntry.Action.REPORT, report=report, work=work).exists())

    def test_every_kind_of_target_can_be_reported(self) -> None:
        work = self.post_work()
        self.login(self.bob)
        self.client.post(f"/works/{work.pk}/comments", {"content": "Spam spam."})
        self.client.post(f"/works/{work.pk}/bookmarks/new", {"pseud": self.bob.default_pseud.pk})
        targets = {
            "chapter": work.chapters.get().pk,
            "comment": Comment.objects.get().pk,
            "bookmark": Bookmark.objects.get().pk,
            "user": self.alice.pk,
            "tag": Tag.objects.get(name="Found Family").pk,
        }
        self.login(self.alice)
        for kind, pk in targets.items():
            report = self.report(kind, pk, category="spam")
            self.assertEqual(report.kind, kind)
        self.assertEqual(Report.objects.get(kind="comment").target_user, self.bob)
        self.assertEqual(Report.objects.get(kind="tag").snapshot["name"], "Found Family")

    def test_a_guest_reports_with_an_email_and_hears_the_outcome_by_email(self) -> None:
        work = self.post_work()
        response = self.client.post(f"/report/work/{work.pk}", {"category": "spam", "description": "Ads."})
        self.assertContains(response, "This field is required", status_code=400)
        self.assertFalse(Report.objects.exists())
        report = self.report_work(work, description="Ads.", email="wanderer@example.net")
        self.assertEqual((report.reporter, report.reporter_email), (None, "wanderer@example.net"))
        self.login(self.moderator)
        self.client.post(f"/moderation/reports/{report.pk}/resolve", {"outcome": "We removed the ads. Merci !"})
        run_pending()
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["wanderer@example.net"])
        self.assertIn(report.reference, mail.outbox[0].subject)
        self.assertIn("We removed the ads. Merci !", mail.outbox[0].body)
        run_pending()
        self.assertEqual(len(mail.outbox), 1)

    def test_a_reader_hears_the_outcome_in_their_messages(self) -> None:
        report = self.report_work(self.post_work(), self.bob)
        self.login(self.moderator)
        self.client.post(f"/moderation/reports/{report.pk}/resolve", {"outcome": "The rating was corrected."})
        notice = Notice.objects.get(user=self.bob)
        self.assertEqual((notice.kind, notice.report), (Notice.Kind.REPORT_OUTCOME, report))
        self.login(self.bob)
        self.assertContains(self.client.get("/inbox"), "1 unread message from the moderators")
        page = self.client.get("/moderation/messages")
        self.assertContains(page, "The rating was corrected.")
        self.assertContains(page, report.reference)
        self.assertNotContains(page, 'name="text"')  # an outcome is not a decision to answer

    def test_a_100000_character_report_is_refused_and_the_text_kept(self) -> None:
        work = self.post_work()
        self.login(self.bob)
        text = "é" * 100_000
        response = self.client.post(f"/report/work/{work.pk}", {"category": "other", "description": text})
        self.assertContains(response, f"at most {DESCRIPTION_MAX} characters", status_code=400)
        self.assertContains(response, text[:1000], status_code=400)
        self.assertFalse(Report.objects.exists())

    def test_a_missing_or_unknown_category_is_refused(self) -> None:
        work = self.post_work()
        self.login(self.bob)
        for category in ("", "appeal", "nonsense"):
            response = self.client.post(f"/report/work/{work.pk}", {"category": category, "description": "Hm."})
            self.assertEqual(response.status_code, 400, category)
        self.assertFalse(Report.objects.exists())

    def test_forged_and_invisible_targets_are_404(self) -> None:
        draft = self.post_work(action="draft")
        work = self.post_work()
        self.login(self.alice)
        self.client.post(f"/works/{work.pk}/bookmarks/new", {"pseud": self.alice.default_pseud.pk, "private": "on"})
        private = Bookmark.objects.get()
        self.login(self.bob)
        for path in (
            "/report/work/999999",
            f"/report/work/{draft.pk}",
            f"/report/chapter/{draft.chapters.get().pk}",
            "/report/comment/999999",
            f"/report/bookmark/{private.pk}",
            "/report/user/999999",
            "/report/tag/999999",
            f"/report/planet/{work.pk}",
        ):
            self.assertEqual(self.client.get(path).status_code, 404, path)
            self.assertEqual(self.client.post(path, {"category": "spam", "description": "x"}).status_code, 404, path)
        self.assertFalse(Report.objects.exists())

    def test_a_restricted_work_sends_guests_to_log_in(self) -> None:
        work = self.post_work(restricted="on")
        response = self.client.get(f"/report/work/{work.pk}")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/account/login", response["Location"])

    def test_flooding_is_refused_after_the_limit(self) -> None:
        work = self.post_work()
        self.login(self.bob)
        data = {"category": "spam", "description": "Again."}
        for _ in range(REPORT_RATE_LIMIT):
            self.assertEqual(self.client.post(f"/report/work/{work.pk}", data).status_code, 302)
        response = self.client.post(f"/report/work/{work.pk}", data)
        self.assertContains(response, "too many times in a short while", status_code=429)
        self.assertGreater(int(response["Retry-After"]), 0)
        self.assertContains(response, "Again.", status_code=429)
        self.assertEqual(Report.objects.count(), REPORT_RATE_LIMIT)
        # Another account from the same address is counted against the address too.
        self.login(self.alice)
        self.assertEqual(self.client.post(f"/report/work/{work.pk}", data).status_code, 429)
        cache.clear()
        self.assertEqual(self.client.post(f"/report/work/{work.pk}", data).status_code, 302)
