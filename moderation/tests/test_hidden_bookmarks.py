"""An account banned or marked as spam has its bookmarks hidden wherever other readers see bookmarks, and
not counted on the works; lifting the ban brings back exactly those (bookmarks.actions.set_hidden)."""

from django.test import Client

from accounts.actions import create_account
from bookmarks.models import Bookmark
from fanarchive.test import ParallelTestCase
from moderation import actions
from moderation.models import LogEntry, Report
from moderation.roles import Role
from moderation.tests.helpers import ModerationTestCase
from works.models import Work

SPAM_NOTE = "Cheap replica watches – ¡oferta! 高品质"
SPAM_TAG = "Watchdeals Everyday"
KEPT_NOTE = "Carol’s honest rec."


class SpamBookmarksAreHiddenEverywhere(ModerationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.post_work(title="Tide Tables", fandoms="Saltmarsh")
        self.other = self.post_work(title="Fog Horn", fandoms="Saltmarsh")
        self.carol = create_account("carol", "carol@example.org", self.password)
        self.bookmark_as(self.bob, self.work, notes=SPAM_NOTE, tags=SPAM_TAG)
        self.bookmark_as(self.bob, self.other, notes="Bob’s private one.", private="on")
        self.bookmark_as(self.carol, self.work, notes=KEPT_NOTE)
        self.assertEqual(self.count(self.work), 2)
        self.assertEqual(self.count(self.other), 0)
        self.login(self.alice)
        self.case = self.report("user", self.bob.pk, category="spam")

    def bookmark_as(self, user: object, work: Work, **data: str) -> None:
        self.login(user)  # type: ignore[arg-type]
        pseud = type(self.bob).objects.get(pk=user.pk).default_pseud  # type: ignore[attr-defined]
        response = self.client.post(f"/works/{work.pk}/bookmarks/new", {"pseud": pseud.pk, **data})
        self.assertEqual(response.status_code, 302)

    def count(self, work: Work) -> int:
        return Work.objects.get(pk=work.pk).bookmarks_count

    def readers(self) -> dict[str, Client]:
        clients = {"guest": Client()}
        for user in (self.alice, self.carol, self.moderator, self.staff):
            clients[user.username] = Client()
            clients[user.username].force_login(user)
        return clients

    def assert_spam_gone(self) -> None:
        for name, client in self.readers().items():
            for path in ("/users/bob/bookmarks", f"/works/{self.work.pk}/bookmarks", "/users/bob/bookmarks/feed.atom"):
                response = client.get(path)
                self.assertEqual(response.status_code, 200, f"{name} {path}")
                self.assertNotContains(response, "Cheap replica", msg_prefix=f"{name} {path}")
            self.assertContains(client.get(f"/works/{self.work.pk}/bookmarks"), "Carol’s honest rec.")
            api = client.get("/api/v1/users/bob/bookmarks").json()
            self.assertEqual((api["count"], api["results"]), (0, []), name)
            # The bookmarker's tag was used only on the hidden bookmark: its name shows nowhere (staff see every tag).
            self.assertEqual(client.get(f"/tags/{SPAM_TAG}").status_code, 200 if name == "sam" else 404, name)
            blurb = client.get("/works", {"sort": "title"}).content.decode()
            self.assertIn(f'<a href="/works/{self.work.pk}/bookmarks">1</a>', blurb, name)

    def test_marking_as_spam_hides_the_bookmarks_and_uncounts_them(self) -> None:
        response = self.act(self.case, "spam", reason="Spam account.")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.count(self.work), 1)
        self.assertEqual(self.count(self.other), 0)
        self.assertEqual(Bookmark.objects.filter(user=self.bob, hidden_by_admin=True).count(), 2)
        self.assertFalse(Bookmark.objects.filter(user=self.carol, hidden_by_admin=True).exists())
        entry = LogEntry.objects.get(action=LogEntry.Action.SPAM, user=self.bob)
        self.assertEqual(
            sorted(entry.details["hidden_bookmarks"]),
            sorted(Bookmark.objects.filter(user=self.bob).values_list("pk", flat=True)),
        )
        self.assert_spam_gone()

    def test_a_plain_ban_hides_them_too(self) -> None:
        self.act(self.case, "ban", reason="Ban evasion.")
        self.assertEqual(self.count(self.work), 1)
        self.assert_spam_gone()

    def test_lifting_the_ban_restores_exactly_the_bookmarks_it_hid_and_their_counts(self) -> None:
        self.act(self.case, "spam", reason="Spam account.")
        self.act(self.case, "unban", reason="A real reader after all.")
        self.assertEqual(self.count(self.work), 2)
        # The private bookmark is shown to its owner again but still counted nowhere.
        self.assertEqual(self.count(self.other), 0)
        self.assertFalse(Bookmark.objects.filter(hidden_by_admin=True).exists())
        for path in ("/users/bob/bookmarks", f"/works/{self.work.pk}/bookmarks", "/users/bob/bookmarks/feed.atom"):
            self.assertContains(Client().get(path), "Cheap replica")
        self.assertEqual(Client().get("/api/v1/users/bob/bookmarks").json()["count"], 1)
        self.assertEqual(Client().get(f"/tags/{SPAM_TAG}").status_code, 200)
        self.assertNotContains(Client().get("/users/bob/bookmarks"), "Bob’s private one.")

    def test_a_bookmark_deleted_while_hidden_is_not_uncounted_twice(self) -> None:
        self.act(self.case, "spam", reason="Spam account.")
        self.act(self.case, "unban", reason="Let them clean up.")
        self.act(self.case, "spam", reason="Back to spamming.")
        self.assertEqual(self.count(self.work), 1)
        # Carol's bookmark goes meanwhile: the count falls by hers only, and comes back by Bob's.
        self.login(self.carol)
        self.client.post(f"/bookmarks/{Bookmark.objects.get(user=self.carol).pk}/delete")
        self.assertEqual(self.count(self.work), 0)
        self.act(self.case, "unban", reason="Fine.")
        self.assertEqual(self.count(self.work), 1)


class ParallelSpamMarkingKeepsTheCountExact(ParallelTestCase):
    """A spammer's privacy toggles and other readers' bookmarks while the moderator marks the account
    as spam (and lifts it again): the work's count is always its public, unhidden bookmarks."""

    def test_parallel_edits_bookmarks_and_the_spam_mark_count_exactly(self) -> None:
        staff = create_account("sam", "sam@example.org", self.password)
        staff.is_staff = True
        staff.save(update_fields=["is_staff"])
        moderator = create_account("mo", "mo@example.org", self.password)
        actions.appoint(staff, moderator, Role.MODERATOR)
        work = self.make_work(title="Ebb")
        bob = self.client_for(self.bob)
        pseud = self.bob.default_pseud.pk
        self.assertEqual(
            bob.post(f"/works/{work.pk}/bookmarks/new", {"pseud": pseud, "notes": "Spam"}).status_code, 302
        )
        bookmark = Bookmark.objects.get()
        alice = self.client_for(self.alice)
        report = alice.post(f"/report/user/{self.bob.pk}", {"category": "spam", "description": "Spam."})
        self.assertEqual(report.status_code, 302)
        case = Report.objects.get()
        readers = [create_account(f"reader{n}", f"reader{n}@example.org", self.password) for n in range(4)]
        requests = []
        for n in range(4):
            private = {"private": "on"} if n % 2 == 0 else {}
            data = {"pseud": pseud, "notes": f"Toggle {n}", **private}
            requests.append((self.client_for(self.bob), f"/bookmarks/{bookmark.pk}/edit", data))
        for reader in readers:
            data = {"pseud": reader.default_pseud.pk, "notes": "Keep."}
            requests.append((self.client_for(reader), f"/works/{work.pk}/bookmarks/new", data))
        requests.append(
            (self.client_for(moderator), f"/moderation/reports/{case.pk}/act/spam", {"spam-reason": "Spam."})
        )
        statuses = self.post_in_parallel(requests)
        self.assertTrue(all(status in (302, 403) for status in statuses), statuses)
        self.assertTrue(Bookmark.objects.get(pk=bookmark.pk).hidden_by_admin)
        self.assertEqual(Work.objects.get(pk=work.pk).bookmarks_count, 4)
        self.assertEqual(self.counted_truth(work), 4)
        unban = self.client_for(moderator).post(f"/moderation/reports/{case.pk}/act/unban", {"unban-reason": "Ok."})
        self.assertEqual(unban.status_code, 302)
        self.assertEqual(Work.objects.get(pk=work.pk).bookmarks_count, self.counted_truth(work))
        self.assertEqual(self.counted_truth(work), 4 + (0 if Bookmark.objects.get(pk=bookmark.pk).private else 1))

    def counted_truth(self, work: Work) -> int:
        return Bookmark.objects.filter(work=work, private=False, hidden_by_admin=False).count()
