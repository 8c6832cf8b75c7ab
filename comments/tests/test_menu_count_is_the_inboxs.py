"""The unread count beside the account menu is the inbox's own count: the same items, the same rule."""

import re

from accounts.actions import create_account
from comments.models import Comment
from community.models import Mute
from moderation.tests.helpers import ModerationTestCase

_BADGE = re.compile(r'<span class="unread-badge">(\d+)<span class="visually-hidden">')
_INBOX = re.compile(r"<p>(\d+) unread items?\.</p>")


class TheMenuCountAgreesWithTheInbox(ModerationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.post_work(title="Lantern at Low Tide", fandoms="Saltmarsh")
        self.other = self.post_work(title="Harbour Lights Stay On", fandoms="Saltmarsh")
        self.carol = create_account("carol", "carol@example.org", self.password)
        # Bob hears of three things: Alice's reply on each work (his comments), and a new chapter.
        self.login(self.bob)
        self.client.post("/subscriptions", {"kind": "work", "target": self.work.pk})
        for work in (self.work, self.other):
            self.client.post(f"/works/{work.pk}/comments", {"content": "Gulls forever."})
        self.login(self.alice)
        for comment in Comment.objects.filter(user=self.bob):
            self.client.post(f"/works/{comment.work_id}/comments", {"content": "Thanks!", "parent_id": comment.pk})
        self.client.post(f"/works/{self.work.pk}/chapters/new", {"content": "The tide comes back.", "action": "post"})

    def counts(self) -> tuple[int, int]:
        """(the badge beside Bob's account menu, the inbox page's unread count), from one page."""
        self.login(self.bob)
        page = self.client.get("/inbox").content.decode()
        badge = _BADGE.search(page)
        inbox = _INBOX.search(page)
        assert inbox is not None, "the inbox shows no unread count"
        return (int(badge.group(1)) if badge else 0, int(inbox.group(1)))

    def test_both_count_the_same_items_before_anything_is_hidden(self) -> None:
        self.assertEqual(self.counts(), (3, 3))

    def test_a_work_the_moderators_hide_leaves_both_counts(self) -> None:
        self.act(self.report_work(self.work, self.carol), "hide_work", reason="Under review.")
        self.assertEqual(self.counts(), (1, 1))

    def test_a_muted_commenter_leaves_both_counts(self) -> None:
        self.login(self.carol)
        self.client.post(
            f"/works/{self.other.pk}/comments",
            {"content": "Carol butts in.", "parent_id": Comment.objects.get(user=self.bob, work=self.other).pk},
        )
        self.assertEqual(self.counts(), (4, 4))
        self.login(self.bob)
        self.client.post("/users/carol/mute")
        self.assertTrue(Mute.objects.filter(muter=self.bob, muted=self.carol).exists())
        self.assertEqual(self.counts(), (3, 3))
