"""Blocking and muting from profiles and the management pages, their caps, and muting applied on the server:
a muted user's works leave listings and their counts, their bookmarks leave bookmark lists."""

from unittest import mock

from accounts.actions import create_account
from bookmarks.models import Bookmark
from community.actions import mute_user
from community.models import Block, Mute
from community.muting import muted_user_ids
from fanarchive.test import BaseTestCase
from works.tests.helpers import listing_text


class BlockingTests(BaseTestCase):
    def test_readers_block_from_the_profile_after_reading_what_it_does_and_unblock(self):
        self.login(self.bob)
        profile = self.client.get("/users/alice")
        self.assertContains(profile, 'href="/users/alice/block"')
        confirm = self.client.get("/users/alice/block")
        self.assertContains(confirm, "stops them from commenting on your works")
        response = self.client.post("/users/alice/block", follow=True)
        self.assertContains(response, "You have blocked alice.")
        self.assertContains(response, ">Unblock</button>")
        self.assertTrue(Block.objects.filter(blocker=self.bob, blocked=self.alice).exists())
        self.assertContains(self.client.get("/account/blocked"), 'href="/users/alice"')
        self.client.post("/users/alice/unblock")
        self.assertFalse(Block.objects.exists())

    def test_the_management_pages_add_by_username_and_refuse_oneself_strangers_and_more_than_the_cap(self):
        carol = create_account("carol", "carol@example.org", self.password)
        self.login(self.bob)
        self.client.post("/account/blocked", {"username": "Alice"})
        self.assertTrue(Block.objects.filter(blocker=self.bob, blocked=self.alice).exists())
        response = self.client.post("/account/blocked", {"username": "bob"}, follow=True)
        self.assertContains(response, "You can&#x27;t block yourself.")
        response = self.client.post("/account/muted", {"username": "nobody"}, follow=True)
        self.assertContains(response, "There is no user called “nobody”.")
        with mock.patch("community.actions.MAX_BLOCKED", 1), mock.patch("community.actions.MAX_MUTED", 1):
            response = self.client.post("/account/blocked", {"username": "carol"}, follow=True)
            self.assertContains(response, "You can block at most 1 users.")
            self.client.post("/account/muted", {"username": "carol"})
            response = self.client.post("/account/muted", {"username": "alice"}, follow=True)
            self.assertContains(response, "You can mute at most 1 users.")
        self.assertEqual(list(Block.objects.values_list("blocked__username", flat=True)), ["alice"])
        self.assertEqual(muted_user_ids(self.bob), {carol.pk})

    def test_guests_cannot_block_or_mute(self):
        self.assertEqual(self.client.post("/users/alice/block").status_code, 302)
        self.assertEqual(self.client.post("/users/alice/mute").status_code, 302)
        self.assertFalse(Block.objects.exists() or Mute.objects.exists())
        self.assertNotContains(self.client.get("/users/alice"), "/block")


class MutingTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.carol = create_account("carol", "carol@example.org", self.password)
        self.alices = self.make_work(title="Alice Writes", freeforms="Lanterns")
        self.carols = self.make_work(author=self.carol, title="Carol Writes", freeforms="Lanterns")

    def test_a_muted_users_works_leave_every_listing_and_its_count(self):
        self.login(self.bob)
        self.assertContains(self.client.get("/users/carol/mute"), "hides their works, bookmarks and comments")
        self.client.post("/users/carol/mute")
        self.assertEqual(muted_user_ids(self.bob), {self.carol.pk})
        for path in ("/works", "/tags/Lanterns/works"):
            response = self.client.get(path)
            self.assertNotContains(response, "Carol Writes")
            self.assertContains(response, "Alice Writes")
            self.assertEqual(listing_text(response), "1 – 1 of 1 Work")
        home = self.client.get("/")
        self.assertNotContains(home, "Carol Writes")
        self.assertContains(home, "Alice Writes")
        self.assertContains(self.client.get("/users/carol"), "their works and bookmarks are hidden from you")
        # Nobody else is affected.
        self.client.logout()
        self.assertEqual(listing_text(self.client.get("/works")), "1 – 2 of 2 Works")
        self.login(self.bob)
        self.client.post("/users/carol/unmute")
        self.assertEqual(listing_text(self.client.get("/works")), "1 – 2 of 2 Works")

    def test_a_muted_users_bookmarks_and_bookmarks_of_their_works_leave_bookmark_lists(self):
        Bookmark.objects.create(user=self.carol, pseud=self.carol.default_pseud, work=self.alices, notes="Carol's rec")
        Bookmark.objects.create(user=self.bob, pseud=self.bob.default_pseud, work=self.carols, notes="Bob's own")
        Bookmark.objects.create(user=self.alice, pseud=self.alice.default_pseud, work=self.alices, notes="Alice's")
        mute_user(self.bob, self.carol)
        self.login(self.bob)
        work_page = self.client.get(f"/works/{self.alices.pk}/bookmarks")
        self.assertNotContains(work_page, "Carol's rec")
        self.assertContains(work_page, "Alice's")
        self.assertContains(work_page, "1 – 1 of 1 Bookmark")
        carols_page = self.client.get("/users/carol/bookmarks")
        self.assertContains(carols_page, "No bookmarks found.")
        self.assertContains(carols_page, "You have muted carol")
        self.assertNotContains(self.client.get("/users/bob/bookmarks"), "Carol Writes")
        self.client.logout()
        self.assertContains(self.client.get(f"/works/{self.alices.pk}/bookmarks"), "Carol's rec")
