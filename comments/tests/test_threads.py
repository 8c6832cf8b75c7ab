"""Replies nest under what they answer; deep threads continue on a page of their own; pages cost fixed queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import THREAD_DISPLAY_DEPTH, Comment
from comments.tests.helpers import CommentsTestCase, comments_count_shown


class ThreadTests(CommentsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.make_work()
        self.chapter = self.first_chapter(self.work)

    def chain(self, length: int) -> list[Comment]:
        """A top-level comment and replies to replies, alternating Bob and Alice, `length` comments in all."""
        comments: list[Comment] = []
        for level in range(length):
            user = self.bob if level % 2 == 0 else self.alice
            parent = comments[-1] if comments else None
            response = self.comment(
                self.work, f"Level {level} says hi.", user=user, chapter=self.chapter, parent=parent
            )
            assert response.status_code == 302, response.content.decode()[:2000]
            comments.append(self.last_comment())
        return comments

    def test_a_reply_knows_its_parent_thread_and_depth_and_keeps_the_chapter(self):
        top, reply, reply_to_reply = self.chain(3)
        self.assertEqual((reply.parent, reply.thread, reply.depth, reply.chapter), (top, top, 1, self.chapter))
        self.assertEqual((reply_to_reply.parent, reply_to_reply.thread, reply_to_reply.depth), (reply, top, 2))
        page = self.work_page(self.work).content.decode()
        self.assertEqual(comments_count_shown(self.work_page(self.work)), 3)
        # Nested lists: each reply sits inside its parent's <li>.
        top_li = page.index(f'id="comment-{top.pk}"')
        self.assertLess(top_li, page.index(f'id="comment-{reply.pk}"'))
        self.assertLess(page.index(f'id="comment-{reply.pk}"'), page.index(f'id="comment-{reply_to_reply.pk}"'))
        self.assertEqual(page.count('<ol class="thread">'), 2)

    def test_a_reply_redirects_to_its_parent_thread(self):
        top = self.chain(1)[0]
        response = self.comment(self.work, "A reply.", user=self.alice, parent=top)
        reply = self.last_comment()
        self.assertRedirects(response, f"/comments/{top.pk}#comment-{reply.pk}")
        thread = self.client.get(f"/comments/{top.pk}")
        self.assertContains(thread, "A reply.")
        self.assertContains(thread, 'id="reply"')

    def test_threads_deeper_than_the_display_depth_continue_on_their_own_page(self):
        comments = self.chain(THREAD_DISPLAY_DEPTH + 3)
        page = self.work_page(self.work)
        # Depths 0 to THREAD_DISPLAY_DEPTH are on the chapter page, and the count includes the rest.
        for comment in comments[: THREAD_DISPLAY_DEPTH + 1]:
            self.assertContains(page, f'id="comment-{comment.pk}"')
        for comment in comments[THREAD_DISPLAY_DEPTH + 1 :]:
            self.assertNotContains(page, f'id="comment-{comment.pk}"')
        self.assertEqual(comments_count_shown(page), THREAD_DISPLAY_DEPTH + 3)
        last_shown = comments[THREAD_DISPLAY_DEPTH]
        self.assertContains(page, f'<a href="/comments/{last_shown.pk}">Continue thread</a>', html=True)
        self.assertContains(page, "Continue thread", count=1)
        continued = self.client.get(f"/comments/{last_shown.pk}")
        for comment in comments[THREAD_DISPLAY_DEPTH:]:
            self.assertContains(continued, f'id="comment-{comment.pk}"')
        self.assertNotContains(continued, f'id="comment-{comments[0].pk}"')
        self.assertContains(continued, f'href="/comments/{comments[THREAD_DISPLAY_DEPTH - 1].pk}">Parent Thread')
        self.assertNotContains(continued, "Continue thread")

    def test_a_reply_deep_in_a_thread_can_still_be_made(self):
        comments = self.chain(THREAD_DISPLAY_DEPTH + 3)
        self.assertEqual(comments[-1].depth, THREAD_DISPLAY_DEPTH + 2)
        response = self.comment(self.work, "Deeper still.", user=self.bob, parent=comments[-1])
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.last_comment().depth, THREAD_DISPLAY_DEPTH + 3)

    def test_threads_are_paged_twenty_at_a_time_oldest_first(self):
        for number in range(23):
            Comment.objects.create(
                work=self.work, chapter=self.chapter, user=self.bob, pseud=self.bob.default_pseud,
                content=f"<p>Thread number {number:02d}.</p>",
            )  # fmt: skip
        for comment in Comment.objects.all():
            Comment.objects.filter(pk=comment.pk).update(thread=comment)
        page_one = self.work_page(self.work)
        self.assertContains(page_one, "Thread number 00.")
        self.assertContains(page_one, "Thread number 19.")
        self.assertNotContains(page_one, "Thread number 20.")
        page_two = self.client.get(self.work.get_absolute_url() + "?page=2")
        self.assertContains(page_two, "Thread number 22.")
        self.assertNotContains(page_two, "Thread number 00.")
        # A new comment lands on the last page, and the redirect goes there.
        response = self.comment(self.work, "Newest.", user=self.bob, chapter=self.chapter)
        self.assertRedirects(
            response,
            f"/works/{self.work.pk}/chapters/{self.chapter.pk}?page=2#comment-{self.last_comment().pk}",
            fetch_redirect_response=False,
        )

    def test_a_thread_page_for_an_unknown_or_unreadable_comment_is_a_404(self):
        self.assertEqual(self.client.get("/comments/999999").status_code, 404)
        draft = self.make_work(title="Draft", action="draft")
        hidden = Comment.objects.create(work=draft, user=self.alice, content="<p>Secret.</p>")
        self.client.logout()
        self.assertEqual(self.client.get(f"/comments/{hidden.pk}").status_code, 404)
        self.login(self.bob)
        self.assertEqual(self.client.get(f"/comments/{hidden.pk}").status_code, 404)

    def test_comments_load_in_a_fixed_number_of_queries(self):
        self.chain(2)
        for user in (self.bob, None):
            with self.subTest(user=user):
                self.work_page(self.work, user)  # warm up: sessions, the filter index
                with CaptureQueriesContext(connection) as few:
                    self.work_page(self.work, user)
                # Many more comments, with guests, deep threads and a deleted comment with replies.
                self.chain(THREAD_DISPLAY_DEPTH + 3)
                self.guest_comment(self.work, "Guest one.", chapter=self.chapter)
                self.guest_comment(self.work, "Guest two.", chapter=self.chapter)
                Comment.objects.filter(pk=self.last_comment().pk).update(status=Comment.Status.DELETED, content="")
                self.work_page(self.work, user)
                with CaptureQueriesContext(connection) as many:
                    self.work_page(self.work, user)
                self.assertEqual(len(few), len(many), "\n".join(q["sql"][:150] for q in many.captured_queries))
