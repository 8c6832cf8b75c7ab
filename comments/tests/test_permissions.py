"""Who may comment: the work's comment setting, blocks, drafts and restricted works."""

from comments.actions import BLOCKED_MESSAGE, GUESTS_MESSAGE, OFF_MESSAGE, REPLY_BLOCKED_MESSAGE
from comments.models import Comment
from comments.tests.helpers import CommentsTestCase
from community.models import Block
from works.models import Chapter, Work


class CommentSettingTests(CommentsTestCase):
    def test_when_comments_are_off_nobody_may_comment_and_the_form_is_gone(self):
        work = self.make_work(comment_permission="off")
        self.assertEqual(work.comment_permission, Work.CommentPermission.OFF)
        page = self.work_page(work, self.bob)
        self.assertNotContains(page, 'name="content"')
        self.assertContains(page, "doesn&#x27;t allow comments")
        response = self.comment(work, "Let me in.", user=self.bob)
        self.assertContains(response, "doesn&#x27;t allow comments", status_code=403)
        self.assertEqual(self.guest_comment(work).status_code, 403)
        # Not even the creator.
        self.assertEqual(self.comment(work, "My own.", user=self.alice).status_code, 403)
        self.assertEqual(Comment.objects.count(), 0)
        self.assertIn("comments", OFF_MESSAGE)

    def test_registered_only_refuses_guests_and_takes_users(self):
        work = self.make_work(comment_permission="registered")
        guest_page = self.work_page(work)
        self.assertNotContains(guest_page, 'name="guest_name"')
        self.assertContains(guest_page, "non-Archive users")
        self.assertContains(guest_page, "Log in</a>")
        response = self.guest_comment(work)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.context["message"], GUESTS_MESSAGE)
        self.assertEqual(self.comment(work, "Registered here.", user=self.bob).status_code, 302)
        self.assertEqual(Comment.objects.get().user, self.bob)

    def test_everyone_lets_guests_comment(self):
        work = self.make_work(comment_permission="everyone")
        self.assertEqual(self.guest_comment(work).status_code, 302)


class BlockTests(CommentsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.make_work()
        Block.objects.create(blocker=self.alice, blocked=self.bob)

    def test_a_user_blocked_by_the_creator_cannot_comment_on_the_work(self):
        page = self.work_page(self.work, self.bob)
        self.assertNotContains(page, 'name="content"')
        self.assertContains(page, "you have been blocked")
        response = self.comment(self.work, "Hello?", user=self.bob)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.context["message"], BLOCKED_MESSAGE)
        self.assertEqual(Comment.objects.count(), 0)
        self.assertEqual(self.count_of(self.work), 0)

    def test_a_block_by_any_one_of_several_creators_is_enough(self):
        carol = self.make_user("carol")
        shared = self.make_work(author=carol, title="Shared", co_creators="alice")
        self.accept_invitations(self.alice)
        self.assertEqual(self.comment(shared, "Hello?", user=self.bob).status_code, 403)

    def test_a_user_blocked_by_a_commenter_cannot_reply_to_that_comment_but_can_comment_elsewhere(self):
        carol = self.make_user("carol")
        work = self.make_work(author=carol, title="Carol's")
        self.comment(work, "Alice was here.", user=self.alice)
        alices = self.last_comment()
        self.comment(work, "Carol was here.", user=carol)
        carols = self.last_comment()
        # Bob may comment on Carol's work and reply to Carol...
        self.assertEqual(self.comment(work, "Bob too.", user=self.bob).status_code, 302)
        self.assertEqual(self.comment(work, "Hi Carol.", user=self.bob, parent=carols).status_code, 302)
        # ...but not to Alice, who blocked him; the reply link is not offered either.
        response = self.comment(work, "Hi Alice.", user=self.bob, parent=alices)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.context["message"], REPLY_BLOCKED_MESSAGE)
        page = self.work_page(work, self.bob)
        self.assertNotContains(page, f'href="/comments/{alices.pk}#reply"')
        self.assertContains(page, f'href="/comments/{carols.pk}#reply"')
        thread = self.client.get(f"/comments/{alices.pk}")
        self.assertNotContains(thread, 'name="content"')
        self.assertEqual(Comment.objects.filter(user=self.bob).count(), 2)

    def test_the_blocker_may_still_comment_and_reply(self):
        self.assertEqual(self.comment(self.work, "My own work.", user=self.alice).status_code, 302)


class VisibilityTests(CommentsTestCase):
    def test_guests_are_sent_to_log_in_before_commenting_on_a_restricted_work(self):
        work = self.make_work(restricted="on")
        response = self.guest_comment(work)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/account/login"))
        self.assertEqual(Comment.objects.count(), 0)
        # Logged-in readers may.
        self.assertEqual(self.comment(work, "Members only.", user=self.bob).status_code, 302)
        # And a guest can't read its comments on a thread page either.
        self.client.logout()
        response = self.client.get(f"/comments/{self.last_comment().pk}")
        self.assertTrue(response["Location"].startswith("/account/login"))

    def test_comments_on_a_draft_are_a_404_for_everyone_but_its_creators(self):
        draft = self.make_work(action="draft")
        self.assertEqual(self.comment(draft, "Sneaky.", user=self.bob).status_code, 404)
        self.assertEqual(self.guest_comment(draft).status_code, 404)
        self.assertEqual(Comment.objects.count(), 0)

    def test_creators_cannot_comment_on_their_own_draft_yet(self):
        draft = self.make_work(action="draft")
        page = self.work_page(draft, self.alice)
        self.assertNotContains(page, 'name="content"')
        self.assertContains(page, "Comments open when the work is posted.")
        self.assertEqual(self.comment(draft, "Note.", user=self.alice).status_code, 403)

    def test_works_hidden_by_staff_take_no_comments(self):
        work = self.make_work()
        Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
        self.assertEqual(self.comment(work, "Hm.", user=self.bob).status_code, 404)

    def test_a_draft_chapter_takes_no_comments_from_readers(self):
        work = self.make_work()
        draft_chapter = Chapter.objects.create(work=work, position=2, content="<p>Not yet.</p>", posted=False)
        response = self.comment(work, "Early!", user=self.bob, chapter=draft_chapter)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Comment.objects.count(), 0)
        # A creator's note on their own draft chapter never shows on the public entire-work page.
        self.assertEqual(self.comment(work, "Note to self.", user=self.alice, chapter=draft_chapter).status_code, 302)
        self.client.logout()
        page = self.client.get(work.get_absolute_url() + "?view_full_work=true")
        self.assertNotContains(page, "Note to self.")
        self.assertEqual(self.client.get(f"/comments/{self.last_comment().pk}").status_code, 404)

    def test_replies_only_to_published_comments(self):
        work = self.make_work()
        self.comment(work, "Soon gone.", user=self.bob)
        gone = self.last_comment()
        Comment.objects.filter(pk=gone.pk).update(status=Comment.Status.DELETED, content="")
        # Not a comment anyone may see any more, so not one to reply to (or to quote on the form page).
        self.assertEqual(self.comment(work, "Reply?", user=self.alice, parent=gone).status_code, 404)
