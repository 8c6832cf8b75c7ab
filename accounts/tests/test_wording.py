"""Wording that helps: the sign-up help text states the rule it enforces, a failed log-in says so,
the 403 page offers a way on, and clearing the history asks first."""

from community.models import Reading
from fanarchive.test import BaseTestCase


class WordingTests(BaseTestCase):
    def test_the_username_help_text_is_the_rule_the_form_enforces(self) -> None:
        page = self.client.get("/account/signup").content.decode()
        self.assertIn("3 to 40 letters, digits or underscores.", page)
        self.assertNotIn("150 characters", page)
        response = self.client.post("/account/signup", {"username": "a@b", "email": "x@example.org"})
        self.assertContains(response, "Use 3 to 40 letters, digits or underscores.")

    def test_a_failed_log_in_says_it_failed_not_that_something_was_not_saved(self) -> None:
        response = self.client.post("/account/login", {"username": "alice", "password": "wrong horse"})
        self.assertContains(response, "<h2>Log-in failed:</h2>")
        self.assertNotContains(response, "We couldn't save this")

    def test_the_403_page_offers_a_way_on(self) -> None:
        self.login(self.bob)
        response = self.client.get("/wrangling")
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, 'href="/">Go to the home page</a>', status_code=403)
        self.assertContains(response, "Browse works", status_code=403)

    def test_clearing_the_history_asks_first(self) -> None:
        work = self.make_work()
        self.login(self.bob)
        self.client.get(f"/works/{work.pk}/")
        self.assertContains(self.client.get("/history"), 'href="/history/clear">Clear History…</a>')
        confirm = self.client.get("/history/clear")
        self.assertContains(confirm, "This removes the 1 work in your reading history.")
        self.assertTrue(Reading.objects.filter(user=self.bob, last_visited__isnull=False).exists())
        self.client.post("/history/clear")
        self.assertFalse(Reading.objects.filter(user=self.bob).exists())
