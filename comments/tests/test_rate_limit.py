"""Comments are rate limited per user and per address, in the cache."""

from django.test import override_settings

from comments.models import Comment
from comments.tests.helpers import CommentsTestCase


@override_settings(COMMENT_RATE_LIMIT=3, COMMENT_RATE_WINDOW_SECONDS=600)
class RateLimitTests(CommentsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.make_work()

    def test_a_user_over_the_limit_is_told_to_wait(self):
        for number in range(3):
            response = self.comment(self.work, f"Comment {number}.", user=self.bob, REMOTE_ADDR=f"10.0.0.{number}")
            self.assertEqual(response.status_code, 302)
        # A fourth, even from another address, is refused.
        response = self.client.post(
            f"/works/{self.work.pk}/comments", {"content": "One more."}, REMOTE_ADDR="10.0.0.99"
        )
        self.assertContains(response, "wait a few minutes", status_code=429)
        self.assertEqual(Comment.objects.count(), 3)
        self.assertEqual(self.count_of(self.work), 3)
        # Someone else is not held up by Bob's comments.
        self.login(self.alice)
        response = self.client.post(f"/works/{self.work.pk}/comments", {"content": "Mine."}, REMOTE_ADDR="10.0.0.50")
        self.assertEqual(response.status_code, 302)

    def test_guests_are_limited_by_address(self):
        self.client.logout()
        data = {"guest_name": "Ann", "guest_email": "ann@example.org"}
        for number in range(3):
            response = self.client.post(
                f"/works/{self.work.pk}/comments", {**data, "content": f"Hi {number}"}, REMOTE_ADDR="10.1.1.1"
            )
            self.assertEqual(response.status_code, 302)
        response = self.client.post(
            f"/works/{self.work.pk}/comments", {**data, "content": "Hi again"}, REMOTE_ADDR="10.1.1.1"
        )
        self.assertEqual(response.status_code, 429)
        # A different name doesn't help; a different address does.
        response = self.client.post(
            f"/works/{self.work.pk}/comments",
            {"guest_name": "Bea", "guest_email": "bea@example.org", "content": "Hi"},
            REMOTE_ADDR="10.1.1.1",
        )
        self.assertEqual(response.status_code, 429)
        response = self.client.post(
            f"/works/{self.work.pk}/comments", {**data, "content": "Hi from home"}, REMOTE_ADDR="10.2.2.2"
        )
        self.assertEqual(response.status_code, 302)

    def test_refused_input_uses_up_no_comments(self):
        for _ in range(5):
            self.comment(self.work, "", user=self.bob)
        self.assertEqual(self.comment(self.work, "Finally.", user=self.bob).status_code, 302)
