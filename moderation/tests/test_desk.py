from comments.models import Comment
from moderation.models import CaseNote, LogEntry, Notice, Report
from moderation.tests.helpers import ModerationTestCase
from works.models import Work


class WorkingTheQueue(ModerationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.post_work()
        self.harassment = self.report_work(self.work, self.bob)
        self.spam = self.report_work(self.work, category="spam")
        self.login(self.bob)
        self.profile = self.report("user", self.alice.pk, category="other")
        self.login(self.moderator)

    def test_the_queue_lists_open_cases_oldest_first(self) -> None:
        page = self.queue()
        positions = [page.index(r.reference) for r in (self.harassment, self.spam, self.profile)]
        self.assertEqual(positions, sorted(positions))

    def test_the_queue_filters_by_category_status_and_target(self) -> None:
        spam = self.queue("?category=spam")
        self.assertIn(self.spam.reference, spam)
        self.assertNotIn(self.harassment.reference, spam)
        profiles = self.queue("?kind=user")
        self.assertIn(self.profile.reference, profiles)
        self.assertNotIn(self.spam.reference, profiles)
        self.client.post(f"/moderation/reports/{self.spam.pk}/resolve", {"outcome": "Done."})
        self.assertNotIn(self.spam.reference, self.queue())
        self.assertIn(self.spam.reference, self.queue("?status=resolved"))
        self.assertIn(self.spam.reference, self.queue("?status=all"))
        # Unknown filter values are ignored rather than failing.
        self.assertEqual(self.client.get("/moderation?category=%00&kind=planet&page=zz").status_code, 200)

    def test_claiming_a_case_shows_who_has_it(self) -> None:
        self.assertRedirects(
            self.client.post(f"/moderation/reports/{self.spam.pk}/claim"), f"/moderation/reports/{self.spam.pk}"
        )
        self.spam.refresh_from_db()
        self.assertEqual((self.spam.status, self.spam.claimed_by), (Report.Status.CLAIMED, self.moderator))
        self.assertIn(self.spam.reference, self.queue("?mine=1&status=claimed"))
        self.assertTrue(LogEntry.objects.filter(action=LogEntry.Action.CLAIM, report=self.spam).exists())

    def test_a_resolved_case_cannot_be_claimed_or_resolved_again(self) -> None:
        self.client.post(f"/moderation/reports/{self.spam.pk}/resolve", {"outcome": "Done."})
        response = self.client.post(f"/moderation/reports/{self.spam.pk}/claim", follow=True)
        self.assertContains(response, "cannot be claimed")
        response = self.client.post(f"/moderation/reports/{self.spam.pk}/resolve", {"outcome": "Again."}, follow=True)
        self.assertContains(response, "already resolved")
        self.spam.refresh_from_db()
        self.assertEqual(self.spam.outcome, "Done.")

    def test_internal_comments_stay_internal(self) -> None:
        self.client.post(f"/moderation/reports/{self.harassment.pk}/note", {"text": "Looks like a pattern; see R-1."})
        self.assertEqual(CaseNote.objects.get().text, "Looks like a pattern; see R-1.")
        self.assertContains(self.client.get(f"/moderation/reports/{self.harassment.pk}"), "Looks like a pattern")
        self.login(self.alice)
        self.assertEqual(self.client.get(f"/moderation/reports/{self.harassment.pk}").status_code, 403)
        self.assertNotContains(self.client.get("/moderation/messages"), "pattern")

    def test_an_empty_or_huge_note_or_outcome_is_refused(self) -> None:
        for path, field in (("note", "text"), ("resolve", "outcome")):
            for value in ("", "x" * 100_000):
                response = self.client.post(f"/moderation/reports/{self.harassment.pk}/{path}", {field: value})
                self.assertEqual(response.status_code, 400, (path, len(value)))
        self.assertFalse(CaseNote.objects.exists())
        self.harassment.refresh_from_db()
        self.assertEqual(self.harassment.status, Report.Status.OPEN)

    def test_forged_case_ids_and_verbs_are_404(self) -> None:
        self.assertEqual(self.client.get("/moderation/reports/999999").status_code, 404)
        self.assertEqual(self.client.post("/moderation/reports/999999/claim").status_code, 404)
        self.assertEqual(self.act(self.spam, "explode").status_code, 404)
        self.assertEqual(self.client.get(f"/moderation/reports/{self.spam.pk}/claim").status_code, 405)

    def test_readers_cannot_work_cases(self) -> None:
        self.login(self.bob)
        self.assertEqual(self.client.post(f"/moderation/reports/{self.spam.pk}/claim").status_code, 403)
        self.assertEqual(
            self.client.post(f"/moderation/reports/{self.spam.pk}/resolve", {"outcome": "x"}).status_code, 403
        )
        response = self.client.post(f"/moderation/reports/{self.spam.pk}/act/hide_work", {"hide_work-reason": "x"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Work.objects.get(pk=self.work.pk).hidden_by_admin)


class DecisionsOnAWork(ModerationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.post_work()
        self.case = self.report_work(self.work, self.bob, category="plagiarism")

    def test_hiding_a_work_tells_the_creator_why_and_they_may_answer_which_reopens_the_case(self) -> None:
        response = self.act(self.case, "hide_work", reason="Copied from “Salt Roads” — see the original.")
        self.assertRedirects(response, f"/moderation/reports/{self.case.pk}")
        self.assertTrue(Work.objects.get(pk=self.work.pk).hidden_by_admin)
        entry = LogEntry.objects.get(action=LogEntry.Action.HIDE_WORK)
        self.assertEqual(
            (entry.actor, entry.work, entry.user, entry.report), (self.moderator, self.work, self.alice, self.case)
        )
        self.assertEqual(entry.snapshot["title"], "The Lighthouse Keeper")
        self.client.post(f"/moderation/reports/{self.case.pk}/resolve", {"outcome": "Hidden."})
        # The creator sees the reason on the work and in their messages.
        self.login(self.alice)
        page = self.client.get(f"/works/{self.work.pk}/")
        self.assertContains(page, "hidden by the archive")
        self.assertContains(page, "Copied from “Salt Roads”")
        notice = Notice.objects.get(user=self.alice, kind=Notice.Kind.WORK_HIDDEN)
        self.assertContains(self.client.get("/moderation/messages"), 'name="text"')
        response = self.client.post(f"/moderation/messages/{notice.pk}/answer", {"text": "I wrote “Salt Roads” too!"})
        self.assertRedirects(response, "/moderation/messages")
        self.case.refresh_from_db()
        self.assertEqual((self.case.status, self.case.claimed_by), (Report.Status.OPEN, None))
        self.assertTrue(
            LogEntry.objects.filter(action=LogEntry.Action.APPEAL, report=self.case, actor=self.alice).exists()
        )
        self.assertEqual(self.case.notes.get().text, "I wrote “Salt Roads” too!")
        # Once only, and only one's own.
        response = self.client.post(f"/moderation/messages/{notice.pk}/answer", {"text": "Again!"}, follow=True)
        self.assertContains(response, "cannot be answered")
        self.login(self.bob)
        self.assertEqual(self.client.post(f"/moderation/messages/{notice.pk}/answer", {"text": "Me"}).status_code, 404)
        self.assertEqual(self.case.notes.count(), 1)

    def test_a_message_links_its_work_only_while_the_member_may_open_it(self) -> None:
        self.act(self.case, "hide_work", reason="Copied.")
        link = f'href="/works/{self.work.pk}/"'
        # Hidden, but still hers: she may open it (and read why), so her message links it.
        self.login(self.alice)
        self.assertEqual(self.client.get(f"/works/{self.work.pk}/").status_code, 200)
        self.assertContains(self.client.get("/moderation/messages"), link)
        # Orphaned since: the hidden work is a 404 to her now, so the message names it without a link.
        response = self.client.post(f"/works/{self.work.pk}/orphan", {"keep_pseud_names": "on"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.get(f"/works/{self.work.pk}/").status_code, 404)
        page = self.client.get("/moderation/messages")
        self.assertContains(page, "The Lighthouse Keeper")
        self.assertNotContains(page, link)
        # Visible again: anyone may open it, so the link comes back.
        self.act(self.case, "unhide_work", reason="Original after all.")
        self.login(self.alice)
        self.assertContains(self.client.get("/moderation/messages"), link, count=1)

    def test_an_answer_too_long_is_refused_and_kept(self) -> None:
        self.act(self.case, "hide_work")
        notice = Notice.objects.get(user=self.alice)
        self.login(self.alice)
        text = "Ж" * 100_000
        response = self.client.post(f"/moderation/messages/{notice.pk}/answer", {"text": text})
        self.assertContains(response, text[:500], status_code=400)
        notice.refresh_from_db()
        self.assertIsNone(notice.answered_at)

    def test_unhiding_shows_the_work_again(self) -> None:
        self.act(self.case, "hide_work")
        self.act(self.case, "unhide_work", reason="The creator showed it is theirs.")
        self.assertFalse(Work.objects.get(pk=self.work.pk).hidden_by_admin)
        self.assertEqual(self.client.get(f"/works/{self.work.pk}/").status_code, 200)
        self.assertTrue(Notice.objects.filter(user=self.alice, kind=Notice.Kind.WORK_UNHIDDEN).exists())

    def test_a_decision_needs_a_reason(self) -> None:
        response = self.act(self.case, "hide_work", reason="")
        self.assertContains(response, "This field is required", status_code=400)
        self.assertFalse(Work.objects.get(pk=self.work.pk).hidden_by_admin)
        self.assertFalse(LogEntry.objects.filter(action=LogEntry.Action.HIDE_WORK).exists())

    def test_deleting_a_work_keeps_the_case_and_the_log_readable(self) -> None:
        self.act(self.case, "delete_work", reason="Plagiarism, confirmed.")
        self.assertFalse(Work.objects.filter(pk=self.work.pk).exists())
        entry = LogEntry.objects.get(action=LogEntry.Action.DELETE_WORK)
        self.assertEqual(
            (entry.work, entry.snapshot["title"], entry.reason),
            (None, "The Lighthouse Keeper", "Plagiarism, confirmed."),
        )
        notice = Notice.objects.get(user=self.alice, kind=Notice.Kind.WORK_DELETED)
        self.assertEqual(notice.subject, "The Lighthouse Keeper")
        self.login(self.moderator)
        self.assertContains(self.client.get(f"/moderation/reports/{self.case.pk}"), "The Lighthouse Keeper")
        self.assertContains(self.client.get("/moderation/log?q=Plagiarism"), "The Lighthouse Keeper")
        response = self.act(self.case, "hide_work", follow=True)
        self.assertContains(response, "the work is gone")

    def test_correcting_the_rating_goes_through_the_works_filters(self) -> None:
        self.assertNotContains(self.client.get("/tags/Explicit/works"), "The Lighthouse Keeper")
        response = self.act(
            self.case, "correct_rating", rating="Explicit", warnings=["Graphic Depictions Of Violence"], reason="It is."
        )
        self.assertEqual(response.status_code, 302)
        names = set(self.work.taggings.values_list("tag__name", flat=True))
        self.assertIn("Explicit", names)
        self.assertIn("Graphic Depictions Of Violence", names)
        self.assertNotIn("General Audiences", names)
        self.assertNotIn("No Archive Warnings Apply", names)
        self.assertIn("Found Family", names)
        entry = LogEntry.objects.get(action=LogEntry.Action.CORRECT_RATING)
        self.assertEqual(entry.details["old_rating"], ["General Audiences"])
        self.assertTrue(Notice.objects.filter(user=self.alice, kind=Notice.Kind.RATING_CORRECTED).exists())
        self.client.logout()
        self.assertContains(self.client.get("/tags/Explicit/works"), "The Lighthouse Keeper")
        self.assertNotContains(self.client.get("/tags/General Audiences/works"), "The Lighthouse Keeper")

    def test_a_made_up_rating_is_refused(self) -> None:
        response = self.act(self.case, "correct_rating", rating="Wholesome", warnings=["No Archive Warnings Apply"])
        self.assertEqual(response.status_code, 400)
        self.assertFalse(LogEntry.objects.filter(action=LogEntry.Action.CORRECT_RATING).exists())


class DecisionsOnAComment(ModerationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.post_work()
        self.login(self.bob)
        self.client.post(f"/works/{self.work.pk}/comments", {"content": "You are the worst writer alive."})
        self.comment = Comment.objects.get()
        self.login(self.alice)
        self.case = self.report("comment", self.comment.pk)

    def test_hiding_a_comment_removes_it_from_the_work_and_the_count_and_tells_its_author(self) -> None:
        self.assertEqual(Work.objects.get(pk=self.work.pk).comments_count, 1)
        self.act(self.case, "hide_comment", reason="Harassment.")
        self.comment.refresh_from_db()
        self.assertEqual(self.comment.status, Comment.Status.HIDDEN)
        self.assertEqual(Work.objects.get(pk=self.work.pk).comments_count, 0)
        self.client.logout()
        self.assertNotContains(self.client.get(f"/works/{self.work.pk}/"), "worst writer")
        self.assertEqual(self.client.get(f"/report/comment/{self.comment.pk}").status_code, 404)
        notice = Notice.objects.get(user=self.bob, kind=Notice.Kind.COMMENT_HIDDEN)
        self.assertEqual((notice.reason, notice.subject), ("Harassment.", "You are the worst writer alive."))
        self.act(self.case, "unhide_comment", reason="On appeal.")
        self.comment.refresh_from_db()
        self.assertEqual(self.comment.status, Comment.Status.PUBLISHED)
        self.assertEqual(Work.objects.get(pk=self.work.pk).comments_count, 1)

    def test_deleting_a_comment_keeps_its_text_in_the_log_only(self) -> None:
        self.act(self.case, "delete_comment", reason="Harassment.")
        self.comment.refresh_from_db()
        self.assertEqual((self.comment.status, self.comment.content), (Comment.Status.DELETED, ""))
        entry = LogEntry.objects.get(action=LogEntry.Action.DELETE_COMMENT)
        self.assertEqual(entry.snapshot["content"], "You are the worst writer alive.")
        # A deleted comment can be neither hidden nor deleted again from the desk.
        self.assertNotContains(self.client.get(f"/moderation/reports/{self.case.pk}"), "act/hide_comment")

    def test_work_decisions_on_a_comment_case_hit_the_comment_s_work_not_a_forged_one(self) -> None:
        response = self.act(self.case, "hide_work", follow=True)
        self.assertContains(response, "not about a work")
        self.assertFalse(Work.objects.get(pk=self.work.pk).hidden_by_admin)
