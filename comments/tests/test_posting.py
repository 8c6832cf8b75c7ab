"""Readers and guests comment on chapters and on the entire work; bad input is refused with reasons."""

from typing import Any

from comments.models import COMMENT_MAX, Comment
from comments.tests.helpers import GUEST, CommentsTestCase, comments_count_shown
from works.models import Chapter


class PostingTests(CommentsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.make_work()

    def test_a_user_comments_on_a_chapter_and_sees_it_on_the_page(self):
        page = self.work_page(self.work, self.bob)
        chapter = self.first_chapter(self.work)
        # The form on a one-chapter work comments on its chapter.
        self.assertContains(page, f'<input type="hidden" name="chapter_id" value="{chapter.pk}">', html=True)
        response = self.comment(self.work, "What a *storm*.", chapter=chapter)
        comment = self.last_comment()
        self.assertRedirects(
            response, f"/works/{self.work.pk}/chapters/{self.first_chapter(self.work).pk}#comment-{comment.pk}"
        )
        self.assertEqual(comment.user, self.bob)
        self.assertEqual(comment.pseud, self.bob.default_pseud)
        self.assertEqual(comment.status, Comment.Status.PUBLISHED)
        self.assertEqual(comment.thread_id, comment.pk)
        self.assertEqual(comment.depth, 0)
        self.assertEqual(comment.chapter, self.first_chapter(self.work))
        self.assertEqual(comment.content, "<p>What a *storm*.</p>")
        self.assertEqual(self.count_of(self.work), 1)
        page = self.work_page(self.work)
        self.assertContains(page, "What a *storm*.")
        self.assertContains(page, f'id="comment-{comment.pk}"')
        self.assertContains(page, '<a href="/users/bob/pseuds/bob">bob</a>', html=True)
        self.assertEqual(comments_count_shown(page), 1)

    def test_a_guest_comments_with_a_name_and_email_and_the_name_is_shown_but_never_the_email(self):
        response = self.guest_comment(self.work, "Hello from outside.", chapter=self.first_chapter(self.work))
        self.assertEqual(response.status_code, 302)
        comment = self.last_comment()
        self.assertIsNone(comment.user)
        self.assertEqual(comment.guest_name, GUEST["guest_name"])
        self.assertEqual(comment.guest_email, GUEST["guest_email"])
        self.assertTrue(comment.ip_hash)
        self.assertNotIn("127.0.0.1", comment.ip_hash)
        page = self.work_page(self.work, self.bob)
        self.assertContains(page, "Wanderer")
        self.assertContains(page, "(Guest)")
        self.assertNotContains(page, GUEST["guest_email"])

    def test_the_form_asks_guests_for_name_and_email_and_users_for_neither(self):
        guest_page = self.work_page(self.work)
        self.assertContains(guest_page, 'name="guest_name"')
        self.assertContains(guest_page, 'name="guest_email"')
        self.assertContains(guest_page, f'maxlength="{COMMENT_MAX}"')
        user_page = self.work_page(self.work, self.bob)
        self.assertNotContains(user_page, 'name="guest_name"')
        self.assertContains(user_page, 'name="content"')

    def test_a_user_with_several_pseuds_chooses_one_and_only_their_own(self):
        other = self.bob.pseuds.create(name="Bobbin")
        self.comment(self.work, "As Bobbin.", user=self.bob, pseud=other.pk)
        self.assertEqual(self.last_comment().pseud, other)
        response = self.comment(self.work, "As Alice?", user=self.bob, pseud=self.alice.default_pseud.pk)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Comment.objects.count(), 1)

    def test_empty_and_whitespace_comments_are_refused(self):
        for content in ["", "   \n  ", "<p></p>", "<script>alert(1)</script>"]:
            with self.subTest(content=content):
                response = self.comment(self.work, content, user=self.bob)
                self.assertContains(response, "Comment can&#x27;t be blank.", status_code=400)
        self.assertEqual(Comment.objects.count(), 0)
        self.assertEqual(self.count_of(self.work), 0)

    def test_a_comment_over_the_limit_is_refused_and_one_at_the_limit_is_taken(self):
        response = self.comment(self.work, "x" * (COMMENT_MAX + 1), user=self.bob)
        self.assertContains(response, f"at most {COMMENT_MAX:,} characters", status_code=400)
        # The refused text comes back in the form, so nothing typed is lost.
        self.assertContains(response, "x" * 100, status_code=400)
        self.assertEqual(Comment.objects.count(), 0)
        # Browsers send line breaks as CR LF but count them once, as the limit does.
        at_limit = ("y" * 99 + "\r\n") * (COMMENT_MAX // 100)
        self.assertEqual(self.comment(self.work, at_limit, user=self.bob).status_code, 302)

    def test_guests_must_give_a_name_and_a_valid_email(self):
        self.client.logout()
        cases: list[tuple[dict[str, Any], str]] = [
            ({"guest_email": "a@example.org"}, "Please enter your name."),
            ({"guest_name": "Ann"}, "Please enter your email address."),
            ({"guest_name": "Ann", "guest_email": "not-an-email"}, "Please enter a valid email address."),
            ({"guest_name": "   ", "guest_email": "a@example.org"}, "Please enter your name."),
        ]
        for extra, message in cases:
            with self.subTest(message=message, extra=extra):
                response = self.comment(self.work, "Hi!", **extra)
                self.assertContains(response, message, status_code=400)
        self.assertEqual(Comment.objects.count(), 0)

    def test_comments_belong_to_their_chapter_and_the_entire_work_shows_all_of_them(self):
        second = Chapter.objects.create(work=self.work, position=2, content="<p>Second.</p>", posted=True)
        first = self.first_chapter(self.work)
        self.comment(self.work, "About chapter one.", user=self.bob, chapter=first)
        self.comment(self.work, "About chapter two.", user=self.bob, chapter=second)
        chapter_two = self.client.get(f"/works/{self.work.pk}/chapters/{second.pk}")
        self.assertContains(chapter_two, "About chapter two.")
        self.assertNotContains(chapter_two, "About chapter one.")
        self.assertEqual(comments_count_shown(chapter_two), 1)
        # The entire work shows every comment, each saying which chapter it is about.
        entire = self.client.get(f"/works/{self.work.pk}/?view_full_work=true")
        self.assertContains(entire, "About chapter one.")
        self.assertContains(entire, "About chapter two.")
        self.assertContains(entire, "on <a href=")
        self.assertEqual(comments_count_shown(entire), 2)
        # A comment posted from the entire work is about the work as a whole.
        response = self.comment(self.work, "About all of it.", user=self.bob)
        comment = self.last_comment()
        self.assertIsNone(comment.chapter)
        self.assertRedirects(response, f"/works/{self.work.pk}/?view_full_work=true#comment-{comment.pk}")
        self.assertEqual(self.count_of(self.work), 3)

    def test_a_comment_names_a_chapter_or_comment_of_this_work_only(self):
        other_work = self.make_work(title="Other")
        self.comment(other_work, "Elsewhere.", user=self.bob)
        elsewhere = self.last_comment()
        self.assertEqual(self.comment(self.work, "Reply?", user=self.bob, parent=elsewhere).status_code, 404)
        other_chapter = self.first_chapter(other_work)
        self.assertEqual(self.comment(self.work, "Here?", user=self.bob, chapter=other_chapter).status_code, 404)
        self.assertEqual(self.comment(self.work, "Junk ids.", user=self.bob, chapter_id="x").status_code, 302)

    def test_commenting_needs_a_post(self):
        self.login(self.bob)
        self.assertEqual(self.client.get(f"/works/{self.work.pk}/comments").status_code, 405)


class ListingCountTests(CommentsTestCase):
    def test_listings_sorted_by_comments_follow_new_and_deleted_comments_at_once(self):
        quiet = self.make_work(title="Quiet Harbour")
        busy = self.make_work(title="Busy Harbour")

        def order() -> list[str]:
            page = self.client.get("/works?sort=comments").content.decode()
            return sorted(["Quiet Harbour", "Busy Harbour"], key=page.index)

        self.client.get("/works")  # builds the in-memory filter index
        self.comment(busy, "One.", user=self.bob)
        self.comment(busy, "Two.", user=self.bob)
        self.comment(quiet, "Only one.", user=self.bob)
        self.assertEqual(order(), ["Busy Harbour", "Quiet Harbour"])
        for comment in Comment.objects.filter(work=busy):
            self.client.post(f"/comments/{comment.pk}/delete")
        self.assertEqual(order(), ["Quiet Harbour", "Busy Harbour"])


class ConfirmationBesideTheCommentTests(CommentsTestCase):
    """Without JavaScript the page lands on the new comment: its confirmation is there, not at the top."""

    def test_a_new_comments_confirmation_is_beside_it_and_only_there(self):
        work = self.make_work()
        self.login(self.bob)
        response = self.client.post(
            f"/works/{work.pk}/comments",
            {"content": "Ça m'a fait pleurer.", "chapter_id": self.first_chapter(work).pk},
            follow=True,
        )
        comment = self.last_comment()
        page = response.content.decode()
        self.assertNotIn('<ul class="messages">', page)
        beside = (
            rf'<li class="comment" id="comment-{comment.pk}">\s*'
            r'<p class="message message-success stay-message" role="status">Comment created!</p>\s*'
            r'<article class="comment-body"'
        )
        self.assertRegex(page, beside)
        self.assertEqual(page.count("Comment created!"), 1)
        # Shown once: the next page has no confirmation anywhere.
        self.assertNotContains(self.client.get(response.request["PATH_INFO"]), "Comment created!")

    def test_a_reply_is_confirmed_beside_it_on_its_thread_page(self):
        work = self.make_work()
        first = self.comment(work, "First!", user=self.alice, chapter=self.first_chapter(work))
        self.client.get(first["Location"])  # its confirmation, seen
        parent = self.last_comment()
        response = self.client.post(
            f"/works/{work.pk}/comments", {"content": "Réponse.", "parent_id": parent.pk}, follow=True
        )
        reply = self.last_comment()
        self.assertEqual(reply.parent, parent)
        self.assertInHTML(
            '<p class="message message-success stay-message" role="status">Comment created!</p>',
            response.content.decode(),
            count=1,
        )
        self.assertContains(response, f'id="comment-{reply.pk}"')
        self.assertNotContains(response, '<ul class="messages">')

    def test_a_comment_held_for_review_is_confirmed_at_the_top(self):
        work = self.make_work(moderated_comments="on")
        response = self.client.post(
            f"/works/{work.pk}/comments",
            {"content": "Waiting.", "chapter_id": self.first_chapter(work).pk, **GUEST},
            follow=True,
        )
        self.assertContains(response, '<ul class="messages">')
        self.assertContains(response, "It will appear publicly after the work&#x27;s creator has approved it.")
