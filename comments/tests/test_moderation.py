"""Moderated works: comments wait, unseen and uncounted, until a creator approves them."""

from comments.models import Comment
from comments.tests.helpers import CommentsTestCase, comments_count_shown
from community.models import InboxItem


class ModerationTests(CommentsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.make_work(moderated_comments="on")
        self.assertTrue(self.work.moderated_comments)

    def test_a_comment_waits_unseen_and_uncounted_until_approved(self):
        response = self.comment(self.work, "Please approve me.", user=self.bob)
        self.assertEqual(response.status_code, 302)
        comment = self.last_comment()
        self.assertEqual(comment.status, Comment.Status.UNREVIEWED)
        self.assertEqual(self.count_of(self.work), 0)
        # Other readers don't see it.
        guest_page = self.work_page(self.work)
        self.assertNotContains(guest_page, "Please approve me.")
        self.assertEqual(comments_count_shown(guest_page), 0)
        # Its author sees it, marked as waiting; it is not counted.
        bobs_page = self.work_page(self.work, self.bob)
        self.assertContains(bobs_page, "Please approve me.")
        self.assertContains(bobs_page, "waiting for the creator")
        self.assertEqual(comments_count_shown(bobs_page), 0)
        # The creator is told, on the work page and in the inbox, and reviews it on its own page.
        alices_page = self.work_page(self.work, self.alice)
        self.assertContains(alices_page, "1 unreviewed comment</a>")
        self.assertNotContains(alices_page, "Please approve me.")
        self.assertTrue(InboxItem.objects.filter(user=self.alice, comment=comment).exists())
        unreviewed = self.client.get(f"/works/{self.work.pk}/comments/unreviewed")
        self.assertContains(unreviewed, "Please approve me.")
        self.assertEqual(self.client.post(f"/comments/{comment.pk}/approve").status_code, 302)
        comment.refresh_from_db()
        self.assertEqual(comment.status, Comment.Status.PUBLISHED)
        self.assertEqual(self.count_of(self.work), 1)
        guest_page = self.work_page(self.work)
        self.assertContains(guest_page, "Please approve me.")
        self.assertEqual(comments_count_shown(guest_page), 1)
        # Approving again changes nothing.
        self.login(self.alice)
        self.client.post(f"/comments/{comment.pk}/approve")
        self.assertEqual(self.count_of(self.work), 1)

    def test_a_rejected_comment_is_gone(self):
        self.comment(self.work, "Rude words.", user=self.bob)
        comment = self.last_comment()
        self.login(self.alice)
        self.client.post(f"/comments/{comment.pk}/reject")
        comment.refresh_from_db()
        self.assertEqual(comment.status, Comment.Status.DELETED)
        self.assertEqual(comment.content, "")
        self.assertEqual(self.count_of(self.work), 0)
        self.assertNotContains(self.work_page(self.work, self.bob), "Rude words.")
        self.assertFalse(InboxItem.objects.filter(comment=comment).exists())

    def test_only_the_works_creators_see_the_queue_and_moderate(self):
        self.comment(self.work, "Pending.", user=self.bob)
        comment = self.last_comment()
        for user in (self.bob, self.make_user("carol")):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(f"/works/{self.work.pk}/comments/unreviewed").status_code, 403)
                self.assertEqual(self.client.post(f"/comments/{comment.pk}/approve").status_code, 403)
                self.assertEqual(self.client.post(f"/comments/{comment.pk}/reject").status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.post(f"/comments/{comment.pk}/approve").status_code, 302)
        comment.refresh_from_db()
        self.assertEqual(comment.status, Comment.Status.UNREVIEWED)

    def test_the_creators_own_comments_and_replies_are_published_at_once(self):
        self.comment(self.work, "Author's note.", user=self.alice)
        self.assertEqual(self.last_comment().status, Comment.Status.PUBLISHED)
        self.assertEqual(self.count_of(self.work), 1)

    def test_guests_comments_wait_too(self):
        self.guest_comment(self.work, "Guest waiting.")
        self.assertEqual(self.last_comment().status, Comment.Status.UNREVIEWED)

    def test_a_reply_is_announced_to_the_parents_author_only_once_approved(self):
        self.comment(self.work, "Author's note.", user=self.alice)
        carol = self.make_user("carol")
        self.comment(self.work, "Reader one.", user=carol)
        carols = self.last_comment()
        Comment.objects.filter(pk=carols.pk).update(status=Comment.Status.PUBLISHED)
        self.comment(self.work, "Reader two answers.", user=self.bob, parent=carols)
        reply = self.last_comment()
        self.assertFalse(InboxItem.objects.filter(user=carol, comment=reply).exists())
        self.login(self.alice)
        self.client.post(f"/comments/{reply.pk}/approve")
        self.assertTrue(InboxItem.objects.filter(user=carol, comment=reply, kind=InboxItem.Kind.REPLY).exists())
        # The creator heard of it when it arrived, and only once.
        self.assertEqual(InboxItem.objects.filter(user=self.alice, comment=reply).count(), 1)
