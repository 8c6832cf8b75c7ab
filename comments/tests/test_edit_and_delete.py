"""Authors edit their comments (marked edited); deleting keeps the thread's shape; counts follow."""

from comments.models import Comment
from comments.tests.helpers import CommentsTestCase, comments_count_shown
from works.models import Chapter


class EditTests(CommentsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.make_work()
        self.comment(self.work, "First thoughts.", user=self.bob)
        self.bobs = self.last_comment()

    def test_the_author_edits_a_comment_and_it_is_marked_edited(self):
        self.assertIsNone(self.bobs.edited_at)
        form = self.client.get(f"/comments/{self.bobs.pk}/edit")
        self.assertContains(form, "First thoughts.")
        response = self.client.post(f"/comments/{self.bobs.pk}/edit", {"content": "Second <em>thoughts</em>."})
        self.assertEqual(response.status_code, 302)
        self.bobs.refresh_from_db()
        self.assertEqual(self.bobs.content, "<p>Second <em>thoughts</em>.</p>")
        self.assertIsNotNone(self.bobs.edited_at)
        page = self.work_page(self.work)
        self.assertContains(page, "Second <em>thoughts</em>.")
        self.assertContains(page, "(Edited <time")
        self.assertEqual(self.count_of(self.work), 1)

    def test_an_edit_is_validated_like_a_new_comment(self):
        response = self.client.post(f"/comments/{self.bobs.pk}/edit", {"content": "   "})
        self.assertContains(response, "Comment can&#x27;t be blank.")
        self.bobs.refresh_from_db()
        self.assertEqual(self.bobs.content, "<p>First thoughts.</p>")
        self.assertIsNone(self.bobs.edited_at)

    def test_nobody_else_may_edit_not_even_the_works_creator(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(f"/comments/{self.bobs.pk}/edit").status_code, 403)
        self.assertEqual(self.client.post(f"/comments/{self.bobs.pk}/edit", {"content": "Hacked."}).status_code, 403)
        self.assertNotContains(self.work_page(self.work, self.alice), f"/comments/{self.bobs.pk}/edit")
        self.client.logout()
        response = self.client.post(f"/comments/{self.bobs.pk}/edit", {"content": "Hacked."})
        self.assertTrue(response["Location"].startswith("/account/login"))
        self.bobs.refresh_from_db()
        self.assertEqual(self.bobs.content, "<p>First thoughts.</p>")

    def test_guest_comments_cannot_be_edited(self):
        self.guest_comment(self.work)
        guests = self.last_comment()
        self.login(self.bob)
        self.assertEqual(self.client.get(f"/comments/{guests.pk}/edit").status_code, 403)


class DeleteTests(CommentsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.make_work()
        self.comment(self.work, "The top comment.", user=self.bob)
        self.top = self.last_comment()
        self.comment(self.work, "A reply from Alice.", user=self.alice, parent=self.top)
        self.reply = self.last_comment()

    def test_deleting_a_comment_with_replies_leaves_a_placeholder_and_keeps_the_replies(self):
        self.login(self.bob)
        confirm = self.client.get(f"/comments/{self.top.pk}/delete")
        self.assertContains(confirm, "Delete this comment?")
        self.assertEqual(self.count_of(self.work), 2)
        response = self.client.post(f"/comments/{self.top.pk}/delete")
        self.assertEqual(response.status_code, 302)
        self.top.refresh_from_db()
        self.assertEqual(self.top.status, Comment.Status.DELETED)
        self.assertEqual(self.top.content, "")
        self.assertEqual(self.count_of(self.work), 1)
        page = self.work_page(self.work)
        self.assertContains(page, "(Previous comment deleted.)")
        self.assertNotContains(page, "The top comment.")
        self.assertContains(page, "A reply from Alice.")
        self.assertEqual(comments_count_shown(page), 1)
        # The reply still sits under the placeholder.
        html = page.content.decode()
        self.assertLess(html.index("(Previous comment deleted.)"), html.index("A reply from Alice."))
        self.assertEqual(self.client.get(f"/comments/{self.top.pk}").status_code, 200)

    def test_a_deleted_comment_without_replies_disappears(self):
        self.login(self.alice)
        self.client.post(f"/comments/{self.reply.pk}/delete")
        self.login(self.bob)
        self.client.post(f"/comments/{self.top.pk}/delete")
        page = self.work_page(self.work)
        self.assertNotContains(page, "(Previous comment deleted.)")
        self.assertNotContains(page, f'id="comment-{self.top.pk}"')
        self.assertNotContains(page, f'id="comment-{self.reply.pk}"')
        self.assertEqual(comments_count_shown(page), 0)
        self.assertEqual(self.count_of(self.work), 0)
        self.assertEqual(self.client.get(f"/comments/{self.top.pk}").status_code, 404)

    def test_the_works_creator_may_delete_any_comment_on_it_and_others_may_not(self):
        carol = self.make_user("carol")
        self.login(carol)
        self.assertEqual(self.client.get(f"/comments/{self.top.pk}/delete").status_code, 403)
        self.assertEqual(self.client.post(f"/comments/{self.top.pk}/delete").status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.post(f"/comments/{self.top.pk}/delete").status_code, 302)
        self.top.refresh_from_db()
        self.assertEqual(self.top.status, Comment.Status.PUBLISHED)
        self.login(self.alice)  # the work's creator
        self.assertContains(self.work_page(self.work, self.alice), f"/comments/{self.top.pk}/delete")
        self.client.post(f"/comments/{self.top.pk}/delete")
        self.top.refresh_from_db()
        self.assertEqual(self.top.status, Comment.Status.DELETED)

    def test_deleting_twice_counts_once(self):
        self.login(self.bob)
        self.client.post(f"/comments/{self.top.pk}/delete")
        self.assertEqual(self.client.post(f"/comments/{self.top.pk}/delete").status_code, 403)
        self.assertEqual(self.count_of(self.work), 1)

    def test_deleting_a_chapter_takes_its_comments_out_of_the_count(self):
        second = Chapter.objects.create(work=self.work, position=2, content="<p>Two.</p>", posted=True)
        self.comment(self.work, "On two.", user=self.bob, chapter=second)
        self.assertEqual(self.count_of(self.work), 3)
        self.login(self.alice)
        self.client.post(f"/works/{self.work.pk}/chapters/{second.pk}/delete")
        self.assertFalse(Chapter.objects.filter(pk=second.pk).exists())
        self.assertEqual(self.count_of(self.work), 2)
