"""Comments on news posts: threaded, spam-checked, rate limited, reportable and moderated like work comments."""

from typing import Any

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from accounts.actions import create_account
from accounts.models import User
from comments.models import COMMENT_MAX, THREAD_DISPLAY_DEPTH
from community.actions import mute_user
from community.models import Block
from fanarchive.test import ParallelTestCase
from moderation.models import LogEntry, Notice, Report
from moderation.tests.helpers import ModerationTestCase
from news.models import NewsComment, NewsPost

Status = NewsComment.Status


class NewsCommentsTestCase(ModerationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.login(self.staff)
        self.client.post(
            "/news/new", {"title": "Archive opens — ünïcode", "body": "<p>Hi.</p>", "comments_enabled": "on"}
        )
        self.post = NewsPost.objects.get()
        self.client.logout()

    def say(self, user: User | None, content: str, parent: NewsComment | None = None, **extra: Any) -> Any:
        if user is None:
            self.client.logout()
        else:
            self.login(user)
        data = {"content": content, **extra}
        if parent is not None:
            data["parent_id"] = str(parent.pk)
        return self.client.post(f"/news/{self.post.pk}/comments", data)

    def last(self) -> NewsComment:
        comment = NewsComment.objects.order_by("-id").first()
        assert comment is not None
        return comment

    def page(self, user: User | None = None) -> str:
        if user is None:
            self.client.logout()
        else:
            self.login(user)
        return self.client.get(self.post.get_absolute_url()).content.decode()


class ThreadTests(NewsCommentsTestCase):
    def test_a_reply_is_threaded_under_its_parent_and_redirects_to_the_parents_thread(self) -> None:
        self.say(self.alice, "<p>First post, 🎉</p>")
        top = self.last()
        response = self.say(self.bob, "<p>Reply to Alice</p>", parent=top)
        reply = self.last()
        self.assertRedirects(response, f"/news/comments/{top.pk}#news-comment-{reply.pk}")
        self.assertEqual((reply.parent_id, reply.thread_id, reply.depth), (top.pk, top.pk, 1))
        self.assertEqual(top.thread_id, top.pk)
        page = self.page()
        self.assertIn("Comments (2)", page)
        # The reply is inside the parent's list item.
        parent_item = page.split(f'id="news-comment-{top.pk}"', 1)[1]
        self.assertIn(f'id="news-comment-{reply.pk}"', parent_item.split('<ol class="thread">', 1)[1])

    def test_replies_deeper_than_the_display_depth_continue_on_the_thread_page(self) -> None:
        self.say(self.alice, "Depth 0")
        parent = self.last()
        for depth in range(1, THREAD_DISPLAY_DEPTH + 2):
            self.say(self.bob if depth % 2 else self.alice, f"Depth {depth}", parent=parent)
            parent = self.last()
        page = self.page()
        self.assertIn(f"Depth {THREAD_DISPLAY_DEPTH}", page)
        self.assertNotIn(f"Depth {THREAD_DISPLAY_DEPTH + 1}", page)
        deepest_shown = NewsComment.objects.get(depth=THREAD_DISPLAY_DEPTH)
        self.assertIn(f'href="/news/comments/{deepest_shown.pk}">Continue thread', page)
        thread = self.client.get(f"/news/comments/{deepest_shown.pk}")
        self.assertContains(thread, f"Depth {THREAD_DISPLAY_DEPTH + 1}")

    def test_a_reply_to_a_comment_of_another_post_or_a_forged_id_is_a_404(self) -> None:
        self.login(self.staff)
        self.client.post("/news/new", {"title": "Other", "body": "<p>Other.</p>", "comments_enabled": "on"})
        other = NewsPost.objects.exclude(pk=self.post.pk).get()
        self.client.post(f"/news/{other.pk}/comments", {"content": "Elsewhere"})
        elsewhere = self.last()
        self.assertEqual(self.say(self.bob, "Sneaky", parent=elsewhere).status_code, 404)
        self.assertEqual(self.say(self.bob, "Forged", parent_id="99999999999999999999").status_code, 404)
        self.assertEqual(self.say(self.bob, "Forged", parent_id="abc").status_code, 404)
        self.assertEqual(NewsComment.objects.count(), 1)

    def test_html_goes_through_the_sanitizer(self) -> None:
        self.say(self.bob, '<p onclick="x()">Nice <script>alert(1)</script><em>news</em></p>')
        self.assertEqual(self.last().body, "<p>Nice <em>news</em></p>")
        self.assertNotIn("alert(1)", self.page())

    def test_muted_users_comments_and_their_replies_are_left_out(self) -> None:
        self.say(self.bob, "Bob's thoughts")
        self.say(self.staff, "Answer to Bob", parent=self.last())
        mute_user(self.alice, self.bob)
        page = self.page(self.alice)
        self.assertNotIn("Bob's thoughts", page)
        self.assertNotIn("Answer to Bob", page)
        self.assertIn("Bob's thoughts", self.page(self.staff))


@override_settings(COMMENT_RATE_LIMIT=1000)
class QueryCountTests(NewsCommentsTestCase):
    def test_the_news_page_reads_its_comments_in_a_fixed_number_of_queries(self) -> None:
        self.say(self.bob, "The first")
        self.login(self.alice)
        with CaptureQueriesContext(connection) as one:
            self.client.get(self.post.get_absolute_url())
        parent = self.last()
        for n in range(40):
            self.say(self.alice if n % 2 else self.bob, f"Comment {n}", parent=parent if n % 3 else None)
            parent = self.last()
        self.login(self.alice)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(self.post.get_absolute_url())
        self.assertContains(response, "Comments (41)")
        self.assertEqual(len(many), len(one), [q["sql"][:100] for q in many.captured_queries])


class RefusalTests(NewsCommentsTestCase):
    def test_guests_are_sent_to_log_in_and_nothing_is_stored(self) -> None:
        response = self.say(None, "Guest words")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login", response["Location"])
        self.assertEqual(NewsComment.objects.count(), 0)

    def test_an_oversized_comment_is_refused_with_its_text_kept(self) -> None:
        text = "ä" * (COMMENT_MAX + 1)
        response = self.say(self.bob, text)
        self.assertContains(
            response, "Comment must be at most 10,000 characters long (it has 10,001).", status_code=400
        )
        self.assertContains(response, text, status_code=400)
        self.assertEqual(self.say(self.bob, "   ").status_code, 400)
        self.assertEqual(NewsComment.objects.count(), 0)

    def test_spam_is_stored_as_spam_and_shown_to_nobody(self) -> None:
        response = self.say(self.bob, "Buy cheap viagra at my online casino")
        self.assertRedirects(response, self.post.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual(self.last().status, Status.SPAM)
        self.assertNotIn("online casino", self.page(self.bob))
        self.assertNotIn("online casino", self.page())

    @override_settings(COMMENT_RATE_LIMIT=2, COMMENT_RATE_WINDOW_SECONDS=600)
    def test_flooding_is_rate_limited_and_the_text_kept(self) -> None:
        self.say(self.bob, "One")
        self.say(self.bob, "Two")
        response = self.say(self.bob, "Three, kept")
        self.assertEqual(response.status_code, 429)
        self.assertTrue(int(response["Retry-After"]) > 0)
        self.assertContains(response, "Three, kept", status_code=429)
        self.assertContains(response, "Please wait a few minutes", status_code=429)
        self.assertEqual(NewsComment.objects.count(), 2)

    def test_someone_blocked_by_a_commenter_cannot_reply_to_them(self) -> None:
        self.say(self.alice, "Alice speaks")
        alices = self.last()
        Block.objects.create(blocker=self.alice, blocked=self.bob)
        self.login(self.bob)
        thread = self.client.get(f"/news/comments/{alices.pk}")
        self.assertNotContains(thread, 'id="reply"')
        response = self.say(self.bob, "Let me in", parent=alices)
        self.assertContains(response, "you have been blocked by that comment", status_code=403)
        self.assertEqual(NewsComment.objects.count(), 1)
        # A top-level comment on the post is still fine: nobody owns the news.
        self.assertEqual(self.say(self.bob, "On the post").status_code, 302)

    def test_a_suspended_member_cannot_comment(self) -> None:
        self.login(self.moderator)
        report = self.report("user", self.bob.pk)
        self.act(report, "suspend", days=3)
        self.assertNotEqual(self.say(self.bob, "Still here").status_code, 302)
        self.assertEqual(NewsComment.objects.count(), 0)


class EditAndDeleteTests(NewsCommentsTestCase):
    def test_authors_edit_their_own_comment_and_others_cannot(self) -> None:
        self.say(self.bob, "Frist")
        comment = self.last()
        self.assertEqual(self.client.get(f"/news/comments/{comment.pk}/edit").status_code, 200)
        response = self.client.post(f"/news/comments/{comment.pk}/edit", {"content": "<p>First, ünïcode</p>"})
        self.assertRedirects(response, f"/news/{self.post.pk}#news-comment-{comment.pk}")
        comment.refresh_from_db()
        self.assertEqual(comment.body, "<p>First, ünïcode</p>")
        self.assertIsNotNone(comment.edited_at)
        self.assertIn("(Edited", self.page())
        self.login(self.alice)
        self.assertEqual(self.client.post(f"/news/comments/{comment.pk}/edit", {"content": "Alice"}).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.post(f"/news/comments/{comment.pk}/edit", {"content": "Guest"}).status_code, 302)
        comment.refresh_from_db()
        self.assertEqual(comment.body, "<p>First, ünïcode</p>")

    def test_an_oversized_edit_is_refused_and_keeps_the_text(self) -> None:
        self.say(self.bob, "Short")
        comment = self.last()
        text = "x" * (COMMENT_MAX + 5)
        response = self.client.post(f"/news/comments/{comment.pk}/edit", {"content": text})
        self.assertContains(response, text, status_code=400)
        comment.refresh_from_db()
        self.assertEqual(comment.body, "<p>Short</p>")

    def test_an_edit_into_spam_hides_the_comment(self) -> None:
        self.say(self.bob, "Harmless")
        comment = self.last()
        self.client.post(f"/news/comments/{comment.pk}/edit", {"content": "CLICK HERE TO CLAIM free followers"})
        comment.refresh_from_db()
        self.assertEqual(comment.status, Status.SPAM)
        self.assertNotIn("free followers", self.page())

    def test_deleting_keeps_the_replies_under_a_placeholder_and_only_the_author_or_staff_may(self) -> None:
        self.say(self.bob, "Bob's comment")
        bobs = self.last()
        self.say(self.alice, "Alice's reply", parent=bobs)
        alices = self.last()
        self.assertEqual(self.client.post(f"/news/comments/{bobs.pk}/delete").status_code, 403)
        self.login(self.bob)
        self.assertContains(self.client.get(f"/news/comments/{bobs.pk}/delete"), "Delete this comment?")
        self.client.post(f"/news/comments/{bobs.pk}/delete")
        bobs.refresh_from_db()
        self.assertEqual((bobs.status, bobs.body), (Status.DELETED, ""))
        page = self.page()
        self.assertIn("(Previous comment deleted.)", page)
        self.assertIn("Alice's reply", page)
        self.assertIn("Comments (1)", page)
        self.login(self.staff)
        self.client.post(f"/news/comments/{alices.pk}/delete")
        alices.refresh_from_db()
        self.assertEqual(alices.status, Status.DELETED)
        self.assertIn("No comments yet.", self.page())

    def test_a_deleted_account_leaves_its_comments_signed_deleted_account(self) -> None:
        self.say(self.bob, "Bob was here")
        bobs = self.last()
        self.say(self.alice, "Reply to Bob", parent=bobs)
        User.objects.filter(pk=self.bob.pk).delete()
        page = self.page()
        self.assertIn("(deleted account)", page)
        self.assertIn("Reply to Bob", page)


class PostEditAndDeleteTests(NewsCommentsTestCase):
    def test_staff_edit_a_post_in_place_and_deleting_it_takes_its_comments_but_not_the_desks_record(self) -> None:
        self.say(self.bob, "Something nasty")
        comment = self.last()
        self.client.logout()
        report = self.report("news_comment", comment.pk, email="guest@example.net")
        before = NewsPost.objects.get()
        self.login(self.staff)
        data = {"title": "Archive reopens — ünïcode", "body": "<p>Back <script>x()</script>again.</p>"}
        self.assertRedirects(self.client.post(f"/news/{self.post.pk}/edit", data), f"/news/{self.post.pk}")
        after = NewsPost.objects.get()
        self.assertEqual((after.title, after.body), (data["title"], "<p>Back again.</p>"))
        self.assertFalse(after.comments_enabled)
        self.assertEqual((after.published_at, after.author_id), (before.published_at, self.staff.pk))
        self.assertGreater(after.updated_at, before.updated_at)
        # A refused edit changes nothing.
        response = self.client.post(f"/news/{self.post.pk}/edit", {"title": "Empty", "body": "<script></script>"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(NewsPost.objects.get().title, data["title"])
        self.assertRedirects(self.client.post(f"/news/{self.post.pk}/delete"), "/news")
        self.assertFalse(NewsPost.objects.exists())
        self.assertFalse(NewsComment.objects.exists())
        report.refresh_from_db()
        self.assertEqual((report.news_comment_id, report.snapshot["content"]), (None, "Something nasty"))
        self.assertContains(self.client.get(f"/moderation/reports/{report.pk}"), "Something nasty")


class ModerationTests(NewsCommentsTestCase):
    def test_a_news_comment_is_reported_hidden_unhidden_and_deleted_from_the_desk(self) -> None:
        self.say(self.bob, "Something nasty")
        comment = self.last()
        self.assertIn(f'href="/report/news_comment/{comment.pk}"', self.page())
        self.client.logout()
        report = self.report("news_comment", comment.pk, email="guest@example.net")
        self.assertEqual(
            (report.kind, report.news_comment_id, report.target_user_id), ("news_comment", comment.pk, self.bob.pk)
        )
        self.assertEqual(report.snapshot["content"], "Something nasty")
        self.login(self.moderator)
        self.assertContains(self.client.get("/moderation?kind=news_comment"), report.reference)
        case = self.client.get(f"/moderation/reports/{report.pk}")
        self.assertContains(case, "Hide the comment")
        self.act(report, "hide_comment", reason="Unkind to other members.")
        comment.refresh_from_db()
        self.assertEqual(comment.status, Status.HIDDEN)
        self.assertNotIn("Something nasty", self.page())
        self.assertEqual(self.client.get(f"/news/comments/{comment.pk}").status_code, 404)
        entry = LogEntry.objects.get(action=LogEntry.Action.HIDE_COMMENT)
        self.assertEqual(
            (entry.target_kind, entry.news_comment_id, entry.user_id), ("news_comment", comment.pk, self.bob.pk)
        )
        self.assertEqual(entry.snapshot["content"], "Something nasty")
        self.login(self.bob)
        notices = self.client.get("/moderation/messages")
        self.assertContains(notices, "Your comment was hidden")
        self.assertContains(notices, "Unkind to other members.")
        # The author answers, which reopens the case.
        notice = Notice.objects.get(user=self.bob)
        self.client.post(f"/moderation/messages/{notice.pk}/answer", {"text": "It was a joke."})
        self.assertEqual(Report.objects.get(pk=report.pk).status, Report.Status.OPEN)
        self.act(report, "unhide_comment", reason="On reflection, fine.")
        self.assertIn("Something nasty", self.page())
        self.act(report, "delete_comment", reason="No, against the rules.")
        comment.refresh_from_db()
        self.assertEqual((comment.status, comment.body), (Status.DELETED, ""))
        self.assertEqual(
            set(LogEntry.objects.filter(news_comment=comment).values_list("action", flat=True)),
            {"report", "hide_comment", "unhide_comment", "delete_comment"},
        )
        self.assertTrue(Notice.objects.filter(user=self.bob, kind=Notice.Kind.COMMENT_DELETED).exists())

    def test_members_cannot_act_and_hidden_or_forged_comments_cannot_be_reported(self) -> None:
        self.say(self.bob, "Hello")
        comment = self.last()
        self.login(self.alice)
        report = self.report("news_comment", comment.pk)
        self.assertEqual(
            self.client.post(
                f"/moderation/reports/{report.pk}/act/hide_comment", {"hide_comment-reason": "x"}
            ).status_code,
            403,
        )
        self.assertEqual(self.last().status, Status.PUBLISHED)
        self.act(report, "hide_comment")
        self.login(self.alice)
        self.assertEqual(self.client.get(f"/report/news_comment/{comment.pk}").status_code, 404)
        self.assertEqual(self.client.get("/report/news_comment/99999999").status_code, 404)

    def test_marking_an_account_as_spam_hides_its_news_comments_and_lifting_it_shows_them(self) -> None:
        self.say(self.bob, "Spam account words")
        self.login(self.alice)
        report = self.report("user", self.bob.pk)
        self.act(report, "spam")
        self.assertEqual(self.last().status, Status.HIDDEN)
        self.assertNotIn("Spam account words", self.page())
        self.act(report, "unban")
        self.assertEqual(self.last().status, Status.PUBLISHED)


@override_settings(COMMENT_RATE_LIMIT=3, COMMENT_RATE_WINDOW_SECONDS=600)
class ParallelNewsCommentTests(ParallelTestCase):
    def test_parallel_comments_from_one_member_stop_exactly_at_the_rate_limit(self) -> None:
        staff = create_account("sam", "sam@example.org", self.password)
        post = NewsPost.objects.create(title="Open", body="<p>Open.</p>", author=staff)
        url = f"/news/{post.pk}/comments"
        requests = [(self.client_for(self.bob), url, {"content": f"Comment {n}"}) for n in range(6)]
        statuses = self.post_in_parallel(requests)
        self.assertEqual(sorted(statuses), [302, 302, 302, 429, 429, 429])
        comments = list(NewsComment.objects.all())
        self.assertEqual(len(comments), 3)
        self.assertTrue(all(c.thread_id == c.pk for c in comments))

    @override_settings(COMMENT_RATE_LIMIT=100)
    def test_parallel_replies_to_one_comment_all_land_in_its_thread(self) -> None:
        staff = create_account("sam", "sam@example.org", self.password)
        post = NewsPost.objects.create(title="Open", body="<p>Open.</p>", author=staff)
        self.client_for(self.alice).post(f"/news/{post.pk}/comments", {"content": "Top"})
        top = NewsComment.objects.get()
        readers = [create_account(f"reader{n}", f"reader{n}@example.org", self.password) for n in range(4)]
        requests = [
            (self.client_for(r), f"/news/{post.pk}/comments", {"content": "Reply", "parent_id": str(top.pk)})
            for r in readers
        ]
        self.assertEqual(self.post_in_parallel(requests), [302] * 4)
        self.assertEqual(NewsComment.objects.filter(parent=top, thread=top, depth=1).count(), 4)
