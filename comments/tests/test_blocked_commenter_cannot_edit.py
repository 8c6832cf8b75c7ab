"""A commenter later blocked by the work's creator can no longer edit their old comment there (as AO3)."""

from comments.actions import BLOCKED_MESSAGE
from comments.tests.helpers import CommentsTestCase
from community.models import Block


class BlockedCommenterEditTests(CommentsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.make_work()
        self.comment(self.work, "Before the block.", user=self.bob)
        self.bobs = self.last_comment()
        Block.objects.create(blocker=self.alice, blocked=self.bob)

    def test_the_edit_link_is_gone(self):
        page = self.work_page(self.work, self.bob)
        self.assertContains(page, "Before the block.")
        self.assertNotContains(page, f"/comments/{self.bobs.pk}/edit")

    def test_the_edit_is_refused_and_not_saved(self):
        self.login(self.bob)
        self.assertEqual(self.client.get(f"/comments/{self.bobs.pk}/edit").status_code, 403)
        response = self.client.post(f"/comments/{self.bobs.pk}/edit", {"content": "After the block."})
        self.assertEqual(response.status_code, 403)
        self.bobs.refresh_from_db()
        self.assertIn("Before the block.", self.bobs.content)
        self.assertIsNone(self.bobs.edited_at)
        self.assertIn("blocked", str(BLOCKED_MESSAGE))

    def test_deleting_it_is_still_allowed(self):
        self.login(self.bob)
        self.assertEqual(self.client.post(f"/comments/{self.bobs.pk}/delete").status_code, 302)
