"""A suspended account cannot write by any path; a banned one cannot log in; both are undone cleanly."""

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from bookmarks.models import Bookmark
from comments.models import Comment
from community.models import InboxItem, Kudo, Subscription
from fanarchive.test import work_form_data
from moderation.models import LogEntry, Notice, Standing
from moderation.tests.helpers import ModerationTestCase
from works.models import Chapter, Work


class ASuspendedAccountCannotWrite(ModerationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.alices = self.post_work()
        self.bobs = self.post_work(self.bob, title="Bob's Own")
        self.login(self.bob)
        self.client.post(f"/works/{self.alices.pk}/comments", {"content": "First comment."})
        self.client.post(f"/works/{self.alices.pk}/bookmarks/new", {"pseud": self.bob.default_pseud.pk})
        self.bobs_comment = Comment.objects.get()
        self.bookmark = Bookmark.objects.get()
        self.login(self.alice)
        self.client.post(f"/works/{self.bobs.pk}/comments", {"content": "Hello Bob."})
        self.case = self.report("user", self.bob.pk)
        response = self.act(self.case, "suspend", days=3, reason="Harassing Alice.")
        self.assertEqual(response.status_code, 302)
        self.login(self.bob)

    def write_paths(self) -> dict[str, tuple[str, dict[str, Any]]]:
        chapter = self.bobs.chapters.get()
        inbox_item = InboxItem.objects.get(user=self.bob)
        pseud = self.bob.default_pseud.pk
        return {
            "post a work": ("/works/new", work_form_data(pseuds=[pseud], title="New")),
            "edit a work": (f"/works/{self.bobs.pk}/edit", work_form_data(pseuds=[pseud], title="Edited")),
            "add a chapter": (f"/works/{self.bobs.pk}/chapters/new", {"content": "More.", "action": "post"}),
            "edit a chapter": (f"/works/{self.bobs.pk}/chapters/{chapter.pk}/edit", {"content": "Changed."}),
            "delete a work": (f"/works/{self.bobs.pk}/delete", {}),
            "import a work": ("/works/import", {"file": SimpleUploadedFile("a.txt", b"Title\n\nText.")}),
            "comment": (f"/works/{self.alices.pk}/comments", {"content": "Again!"}),
            "reply": (f"/works/{self.alices.pk}/comments", {"content": "Again!", "parent_id": self.bobs_comment.pk}),
            "edit a comment": (f"/comments/{self.bobs_comment.pk}/edit", {"content": "Edited."}),
            "message from the inbox": (f"/inbox/{inbox_item.pk}/reply", {"content": "Hi."}),
            "kudos": (f"/works/{self.alices.pk}/kudos", {}),
            "bookmark": (f"/works/{self.bobs.pk}/bookmarks/new", {"pseud": pseud}),
            "edit a bookmark": (f"/bookmarks/{self.bookmark.pk}/edit", {"pseud": pseud, "notes": "X"}),
            "subscribe": ("/subscriptions", {"kind": "work", "target": self.alices.pk}),
            "report": (f"/report/work/{self.alices.pk}", {"category": "spam", "description": "Revenge."}),
        }

    def test_every_write_path_is_refused_with_the_reason_and_changes_nothing(self) -> None:
        before = (Work.objects.count(), Chapter.objects.count(), Comment.objects.count(), Kudo.objects.count())
        for name, (path, data) in self.write_paths().items():
            response = self.client.post(path, data)
            self.assertEqual(response.status_code, 403, name)
            self.assertContains(response, "Your account is suspended until", status_code=403)
        after = (Work.objects.count(), Chapter.objects.count(), Comment.objects.count(), Kudo.objects.count())
        self.assertEqual(before, after)
        self.assertEqual(Work.objects.get(pk=self.bobs.pk).title, "Bob's Own")
        self.assertEqual(Comment.objects.get(pk=self.bobs_comment.pk).content.strip(), "<p>First comment.</p>")
        self.assertFalse(Subscription.objects.exists())
        self.assertEqual(Bookmark.objects.count(), 1)

    def test_reading_logging_out_and_answering_the_moderators_still_work(self) -> None:
        self.assertEqual(self.client.get(f"/works/{self.alices.pk}/").status_code, 200)
        self.assertEqual(self.client.get("/works/new").status_code, 200)
        item = InboxItem.objects.get(user=self.bob)
        self.client.post("/inbox", {"items": [item.pk], "action": "read"})
        self.assertTrue(InboxItem.objects.get(pk=item.pk).read)
        notice = Notice.objects.get(user=self.bob, kind=Notice.Kind.SUSPENDED)
        self.assertEqual(notice.reason, "Harassing Alice.")
        response = self.client.post(f"/moderation/messages/{notice.pk}/answer", {"text": "It was a misunderstanding."})
        self.assertRedirects(response, "/moderation/messages")
        self.assertEqual(self.client.post("/account/logout").status_code, 302)

    def test_the_suspension_ends_by_itself_or_when_lifted(self) -> None:
        Standing.objects.filter(user=self.bob).update(suspended_until=timezone.now() - timedelta(seconds=1))
        self.assertEqual(self.client.post(f"/works/{self.alices.pk}/kudos").status_code, 302)
        self.assertTrue(Kudo.objects.filter(user=self.bob).exists())
        self.act(self.case, "suspend", days=1)
        self.login(self.bob)
        self.assertEqual(self.client.post(f"/works/{self.alices.pk}/comments", {"content": "x"}).status_code, 403)
        self.act(self.case, "unsuspend", reason="Served.")
        self.login(self.bob)
        self.assertEqual(self.client.post(f"/works/{self.alices.pk}/comments", {"content": "Sorry."}).status_code, 302)
        self.assertTrue(LogEntry.objects.filter(action=LogEntry.Action.UNSUSPEND, user=self.bob).exists())

    def test_a_suspension_may_hide_the_works_and_its_length_is_bounded(self) -> None:
        for days in (0, -1, 100_000, "soon"):
            self.assertEqual(self.act(self.case, "suspend", days=days).status_code, 400, days)
        self.assertFalse(Work.objects.get(pk=self.bobs.pk).hidden_by_admin)
        self.act(self.case, "suspend", days=30, hide_works="on")
        self.assertTrue(Work.objects.get(pk=self.bobs.pk).hidden_by_admin)
        self.assertFalse(Work.objects.get(pk=self.alices.pk).hidden_by_admin)
        entry = LogEntry.objects.filter(action=LogEntry.Action.SUSPEND).first()
        assert entry is not None
        self.assertEqual((entry.details["days"], entry.details["hidden_works"]), (30, [self.bobs.pk]))
        self.act(self.case, "unsuspend", reason="Lifted early.")
        self.assertFalse(Work.objects.get(pk=self.bobs.pk).hidden_by_admin)


class ABannedAccountCannotLogIn(ModerationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.hidden_before = self.post_work(self.bob, title="Already Hidden")
        self.bobs = self.post_work(self.bob, title="Bob's Own")
        self.login(self.alice)
        self.first = self.report_work(self.hidden_before, self.alice)
        self.act(self.first, "hide_work", reason="Its own problem.")
        self.login(self.alice)
        self.case = self.report("user", self.bob.pk, category="terms")

    def test_a_ban_hides_the_works_ends_the_session_and_refuses_log_in_with_the_reason(self) -> None:
        bob = Client()
        bob.force_login(self.bob)
        self.act(self.case, "ban", reason="Repeated harassment.")
        self.assertTrue(Work.objects.get(pk=self.bobs.pk).hidden_by_admin)
        response = bob.get("/inbox", follow=True)
        self.assertContains(response, "This account has been banned and cannot log in. Reason: Repeated harassment.")
        self.assertFalse(response.wsgi_request.user.is_authenticated)
        self.assertEqual(bob.get("/inbox").status_code, 302)
        self.client.logout()
        response = self.client.post("/account/login", {"username": "bob", "password": self.password}, follow=True)
        self.assertContains(response, "Repeated harassment.")
        self.assertFalse(response.wsgi_request.user.is_authenticated)
        self.assertEqual(self.client.get("/inbox").status_code, 302)

    def test_lifting_the_ban_shows_only_the_works_the_ban_hid(self) -> None:
        self.act(self.case, "ban", reason="Repeated harassment.")
        self.act(self.case, "unban", reason="Appeal granted.")
        self.assertFalse(Work.objects.get(pk=self.bobs.pk).hidden_by_admin)
        self.assertTrue(Work.objects.get(pk=self.hidden_before.pk).hidden_by_admin)
        self.client.logout()
        response = self.client.post("/account/login", {"username": "bob", "password": self.password})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.get("/inbox").status_code, 200)
        response = self.act(self.case, "unban", follow=True)
        self.assertContains(response, "This account is not banned.")

    def test_marking_as_spam_hides_the_works_and_comments(self) -> None:
        self.login(self.bob)
        self.client.post(f"/works/{self.bobs.pk}/comments", {"content": "Buy cheap watches."})
        comment = Comment.objects.get()
        self.act(self.case, "spam", reason="Spam account.")
        comment.refresh_from_db()
        self.assertEqual(comment.status, Comment.Status.HIDDEN)
        self.assertTrue(Work.objects.get(pk=self.bobs.pk).hidden_by_admin)
        self.assertTrue(Standing.objects.get(user=self.bob).spam)
        self.assertTrue(LogEntry.objects.filter(action=LogEntry.Action.SPAM, user=self.bob).exists())
        self.act(self.case, "unban", reason="Not spam after all.")
        comment.refresh_from_db()
        self.assertEqual(comment.status, Comment.Status.PUBLISHED)

    def test_staff_cannot_be_banned(self) -> None:
        self.login(self.alice)
        case = self.report("user", self.staff.pk)
        response = self.act(case, "ban", follow=True)
        self.assertContains(response, "Staff accounts cannot be banned.")
        self.assertFalse(Standing.objects.filter(user=self.staff, banned=True).exists())
