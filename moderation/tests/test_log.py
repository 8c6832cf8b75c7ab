from moderation import actions
from moderation.models import LogEntry
from moderation.tests.helpers import ModerationTestCase


class TheModerationLog(ModerationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.post_work(title="Ærøskøbing Nights")
        self.case = self.report_work(self.work, self.bob)
        self.act(self.case, "hide_work", reason="Copied from a published novel.")
        self.login(self.alice)
        self.bob_case = self.report("user", self.bob.pk)
        self.act(self.bob_case, "warn", reason="Be kind in comments.")

    def test_every_entry_is_structured(self) -> None:
        for entry in LogEntry.objects.all():
            self.assertIn(entry.action, LogEntry.Action.values)
            self.assertTrue(entry.snapshot, entry.action)
            self.assertIn(entry.target_kind, ("work", "user", "comment", "chapter", "bookmark", "tag"))
        warn = LogEntry.objects.get(action=LogEntry.Action.WARN)
        self.assertEqual((warn.actor, warn.user, warn.report), (self.moderator, self.bob, self.bob_case))

    def test_staff_and_moderators_search_it_by_account_moderator_reason_and_action(self) -> None:
        for user in (self.staff, self.moderator):
            self.login(user)
            page = self.client.get("/moderation/log", {"q": "novel"}).content.decode()
            self.assertIn("Ærøskøbing Nights", page)
            self.assertNotIn("Be kind in comments.", page)
            page = self.client.get("/moderation/log", {"q": "bob", "action": "warn"}).content.decode()
            self.assertIn("Be kind in comments.", page)
            self.assertNotIn("Copied from a published novel.", page)
            page = self.client.get("/moderation/log", {"q": "mo", "action": "hide_work"}).content.decode()
            self.assertIn("Copied from a published novel.", page)
            self.assertEqual(self.client.get("/moderation/log", {"action": "bogus", "page": "-1"}).status_code, 200)

    def test_each_account_has_a_history_page(self) -> None:
        self.login(self.moderator)
        page = self.client.get("/moderation/users/bob").content.decode()
        self.assertIn("Be kind in comments.", page)
        self.assertIn(self.bob_case.reference, page)
        self.assertNotIn("Copied from a published novel.", page)
        page = self.client.get("/moderation/users/alice").content.decode()
        self.assertIn("Copied from a published novel.", page)
        self.assertEqual(self.client.get("/moderation/users/nobody").status_code, 404)

    def test_readers_cannot_read_the_log(self) -> None:
        self.login(self.alice)
        self.assertEqual(self.client.get("/moderation/log").status_code, 403)
        self.assertEqual(self.client.get("/moderation/users/alice").status_code, 403)

    def test_pages_keep_the_search(self) -> None:
        for number in range(55):
            actions.warn(self.moderator, self.bob_case, self.bob, f"Warning number {number}.")
        self.login(self.moderator)
        page = self.client.get("/moderation/log", {"q": "Warning number"}).content.decode()
        self.assertIn('href="?q=Warning+number&amp;page=2"', page)
        second = self.client.get("/moderation/log", {"q": "Warning number", "page": "2"}).content.decode()
        self.assertIn("Warning number 0.", second)
        self.assertNotIn("Copied from a published novel.", second)
