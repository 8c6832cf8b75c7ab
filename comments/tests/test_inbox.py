"""The inbox collects comments on your works and replies to you: read, unread, delete, reply."""

from comments.models import Comment
from comments.tests.helpers import CommentsTestCase
from community.actions import mute_user
from community.models import InboxItem
from works.models import Work


class InboxTests(CommentsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.make_work()
        self.comment(self.work, "Bob's first comment.", user=self.bob)
        self.bobs = self.last_comment()
        self.comment(self.work, "Alice answers Bob.", user=self.alice, parent=self.bobs)
        self.alices_reply = self.last_comment()

    def test_creators_get_comments_and_commenters_get_replies_but_nobody_hears_of_their_own(self):
        alices = InboxItem.objects.get(user=self.alice)
        self.assertEqual((alices.kind, alices.comment, alices.work), (InboxItem.Kind.COMMENT, self.bobs, self.work))
        self.assertEqual(alices.chapter, self.bobs.chapter)
        bobs = InboxItem.objects.get(user=self.bob)
        self.assertEqual((bobs.kind, bobs.comment), (InboxItem.Kind.REPLY, self.alices_reply))
        self.assertFalse(bobs.read)

    def test_a_reply_to_a_creators_comment_is_one_reply_item_not_two(self):
        self.comment(self.work, "Bob answers Alice.", user=self.bob, parent=self.alices_reply)
        answer = self.last_comment()
        self.assertEqual(list(InboxItem.objects.filter(comment=answer).values_list("user", "kind")), [
            (self.alice.pk, InboxItem.Kind.REPLY)
        ])  # fmt: skip

    def test_every_creator_of_a_shared_work_hears_of_a_comment(self):
        carol = self.make_user("carol")
        shared = self.make_work(author=carol, title="Shared", co_creators="alice")
        self.accept_invitations(self.alice)
        self.comment(shared, "To you both.", user=self.bob)
        self.assertEqual(
            set(InboxItem.objects.filter(comment=self.last_comment()).values_list("user", flat=True)),
            {self.alice.pk, carol.pk},
        )

    def test_the_inbox_lists_items_with_their_comments_and_filters_unread(self):
        self.login(self.alice)
        page = self.client.get("/inbox")
        self.assertContains(page, "Bob's first comment.")
        self.assertContains(page, "commented on")
        self.assertContains(page, "1 unread item.")
        item = InboxItem.objects.get(user=self.alice)
        self.client.post("/inbox", {"items": [item.pk], "action": "read"})
        item.refresh_from_db()
        self.assertTrue(item.read)
        self.assertContains(self.client.get("/inbox"), "0 unread items.")
        unread = self.client.get("/inbox?filter=unread")
        self.assertNotContains(unread, "Bob's first comment.")
        self.assertContains(unread, "No unread items.")
        self.client.post("/inbox", {"items": [item.pk], "action": "unread", "filter": "unread"})
        item.refresh_from_db()
        self.assertFalse(item.read)
        self.assertContains(self.client.get("/inbox?filter=unread"), "Bob's first comment.")

    def test_delete_removes_items_but_not_comments(self):
        self.login(self.alice)
        item = InboxItem.objects.get(user=self.alice)
        self.client.post("/inbox", {"items": [item.pk], "action": "delete"})
        self.assertFalse(InboxItem.objects.filter(pk=item.pk).exists())
        self.assertTrue(Comment.objects.filter(pk=self.bobs.pk).exists())
        self.assertContains(self.client.get("/inbox"), "Your inbox is empty.")

    def test_nobody_touches_anyone_elses_items(self):
        alices = InboxItem.objects.get(user=self.alice)
        self.login(self.bob)
        self.assertNotContains(self.client.get("/inbox"), "Bob's first comment.")
        self.client.post("/inbox", {"items": [alices.pk], "action": "delete"})
        self.client.post("/inbox", {"items": [alices.pk], "action": "read"})
        alices.refresh_from_db()
        self.assertFalse(alices.read)
        response = self.client.post(f"/inbox/{alices.pk}/reply", {"content": "Not mine."})
        self.assertEqual(response.status_code, 404)
        self.client.logout()
        self.assertTrue(self.client.get("/inbox")["Location"].startswith("/account/login"))

    def test_replying_from_the_inbox_posts_a_reply_and_marks_the_item_read(self):
        self.login(self.alice)
        item = InboxItem.objects.get(user=self.alice)
        page = self.client.get("/inbox")
        self.assertContains(page, f'action="/inbox/{item.pk}/reply"')
        response = self.client.post(f"/inbox/{item.pk}/reply", {"content": "Thanks, Bob!", "next": "/inbox?page=1"})
        self.assertRedirects(response, "/inbox?page=1", fetch_redirect_response=False)
        reply = self.last_comment()
        self.assertEqual((reply.parent, reply.user, reply.depth), (self.bobs, self.alice, 1))
        self.assertEqual(reply.content, "<p>Thanks, Bob!</p>")
        item.refresh_from_db()
        self.assertTrue(item.read)
        self.assertTrue(InboxItem.objects.filter(user=self.bob, comment=reply, kind=InboxItem.Kind.REPLY).exists())

    def test_a_bad_reply_from_the_inbox_comes_back_with_its_errors(self):
        self.login(self.alice)
        item = InboxItem.objects.get(user=self.alice)
        response = self.client.post(f"/inbox/{item.pk}/reply", {"content": " "})
        self.assertContains(response, "Comment can&#x27;t be blank.", status_code=400)
        self.assertContains(response, f'action="/inbox/{item.pk}/reply"', status_code=400)
        Work.objects.filter(pk=self.work.pk).update(comment_permission=Work.CommentPermission.OFF)
        response = self.client.post(f"/inbox/{item.pk}/reply", {"content": "Hello"})
        self.assertEqual(response.status_code, 403)

    def test_deleted_comments_and_muted_users_leave_the_inbox(self):
        carol = self.make_user("carol")
        self.comment(self.work, "Carol's comment.", user=carol)
        self.login(self.alice)
        self.assertContains(self.client.get("/inbox"), "Carol's comment.")
        mute_user(self.alice, carol)
        page = self.client.get("/inbox")
        self.assertNotContains(page, "Carol's comment.")
        self.assertContains(page, "1 unread item.")
        # A muted user's new comments aren't delivered at all.
        self.comment(self.work, "Carol again.", user=carol)
        self.assertFalse(InboxItem.objects.filter(user=self.alice, comment=self.last_comment()).exists())
        self.login(self.bob)
        self.client.post(f"/comments/{self.bobs.pk}/delete")
        self.login(self.alice)
        self.assertNotContains(self.client.get("/inbox"), "Bob's first comment.")

    def test_the_inbox_pages_twenty_items(self):
        for number in range(25):
            self.comment(self.work, f"Comment number {number}.", user=self.bob)
        self.login(self.alice)
        first = self.client.get("/inbox")
        self.assertContains(first, "Comment number 24.")
        self.assertNotContains(first, "Comment number 4.")
        second = self.client.get("/inbox?page=2")
        self.assertContains(second, "Comment number 4.")
