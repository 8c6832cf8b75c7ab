"""What a moderator hides is gone everywhere (through works.access's one rule), except to its creators and staff."""

from django.test import Client

from comments.models import Comment
from community.models import InboxItem, Subscription
from jobs.queue import run_pending
from moderation.tests.helpers import ModerationTestCase
from search.tests.test_search import result_titles
from works.models import Work
from works.tests.test_visibility import fandom_count

HIDDEN = "Lantern at Low Tide"
KEPT = "Harbour Lights Stay On"


class AHiddenWorkIsGoneEverywhere(ModerationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.post_work(
            title=HIDDEN, fandoms="Saltmarsh", freeforms="Tidepools", content="Gulls over the quay."
        )
        self.kept = self.post_work(title=KEPT, fandoms="Saltmarsh", freeforms="Tidepools", content="Gulls at dawn.")
        self.login(self.bob)
        self.client.post(
            f"/works/{self.work.pk}/bookmarks/new", {"pseud": self.bob.default_pseud.pk, "notes": "Gulls!"}
        )
        self.client.post("/subscriptions", {"kind": "work", "target": self.work.pk})
        self.client.post("/subscriptions", {"kind": "creator", "target": self.alice.username})
        self.case = self.report_work(self.work, self.bob)
        self.act(self.case, "hide_work", reason="Under review.")
        self.index_search()
        self.client.logout()

    def readers(self) -> dict[str, Client]:
        clients = {}
        for name, user in (("guest", None), ("bob", self.bob), ("moderator", self.moderator)):
            client = Client()
            if user is not None:
                client.force_login(user)
            clients[name] = client
        return clients

    def test_listings_counts_tag_pages_and_profiles_leave_it_out(self) -> None:
        for name, client in self.readers().items():
            for path in ("/works", "/", "/tags/Tidepools/works", "/tags/Saltmarsh/works", "/users/alice"):
                response = client.get(path)
                self.assertContains(response, KEPT, msg_prefix=f"{name} {path}")
                self.assertNotContains(response, HIDDEN, msg_prefix=f"{name} {path}")
            self.assertEqual(fandom_count(client.get("/media").content.decode(), "Saltmarsh"), 1, name)
            self.assertNotContains(client.get("/users/bob/bookmarks"), HIDDEN, msg_prefix=name)

    def test_search_finds_it_for_nobody(self) -> None:
        for name, client in self.readers().items():
            response = client.get("/search/", {"q": "gulls"})
            self.assertEqual(result_titles(response), [KEPT], name)

    def test_it_cannot_be_opened_downloaded_or_engaged_with_except_by_its_creators_and_staff(self) -> None:
        for name, client in self.readers().items():
            for path in (
                f"/works/{self.work.pk}/",
                f"/works/{self.work.pk}/download/epub",
                f"/works/{self.work.pk}/bookmarks",
            ):
                self.assertEqual(client.get(path).status_code, 404, f"{name} {path}")
        bob = self.readers()["bob"]
        self.assertEqual(bob.post(f"/works/{self.work.pk}/kudos").status_code, 404)
        self.assertIn(bob.post(f"/works/{self.work.pk}/comments", {"content": "Hi"}).status_code, {403, 404})
        for user in (self.alice, self.staff):
            self.login(user)
            response = self.client.get(f"/works/{self.work.pk}/")
            self.assertContains(response, HIDDEN)
            self.assertContains(response, "hidden by the archive")

    def test_subscribers_hear_nothing_of_it(self) -> None:
        InboxItem.objects.all().delete()
        self.login(self.alice)
        self.client.post(f"/works/{self.work.pk}/chapters/new", {"content": "The tide comes back.", "action": "post"})
        run_pending()
        self.assertFalse(InboxItem.objects.filter(user=self.bob).exists())
        self.assertTrue(Subscription.objects.filter(user=self.bob, work=self.work).exists())

    def test_inbox_news_of_it_disappears_for_others_but_not_for_its_creators(self) -> None:
        self.act(self.case, "unhide_work", reason="Cleared.")
        self.login(self.bob)
        self.client.post(f"/works/{self.work.pk}/comments", {"content": "Gulls forever."})
        self.login(self.alice)
        self.client.post(f"/works/{self.work.pk}/chapters/new", {"content": "The tide comes back.", "action": "post"})
        self.client.post(
            f"/works/{self.work.pk}/comments", {"content": "Thanks!", "parent_id": Comment.objects.get().pk}
        )
        self.login(self.bob)
        inbox = self.client.get("/inbox")
        self.assertContains(inbox, HIDDEN)
        self.assertContains(inbox, "2 unread items.")
        self.act(self.case, "hide_work", reason="Again under review.")
        self.login(self.bob)
        inbox = self.client.get("/inbox")
        self.assertNotContains(inbox, HIDDEN)
        self.assertContains(inbox, "0 unread items.")
        self.login(self.alice)
        self.assertContains(self.client.get("/inbox"), "Gulls forever.")

    def test_unhiding_brings_it_back_everywhere(self) -> None:
        self.act(self.case, "unhide_work", reason="Cleared.")
        self.index_search()
        self.client.logout()
        self.assertContains(self.client.get("/tags/Tidepools/works"), HIDDEN)
        self.assertEqual(fandom_count(self.client.get("/media").content.decode(), "Saltmarsh"), 2)
        self.assertEqual(sorted(result_titles(self.client.get("/search/", {"q": "gulls"}))), sorted([HIDDEN, KEPT]))
        self.assertFalse(Work.objects.get(pk=self.work.pk).hidden_by_admin)
