"""The header's account menu: every place a reader keeps things, and the inbox's unread count."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments import actions as comment_actions
from community.actions import mute_user
from fanarchive.test import BaseTestCase
from tags.models import WranglerAssignment


class AccountMenuTests(BaseTestCase):
    def test_the_menu_links_every_place_of_the_reader(self) -> None:
        self.login(self.bob)
        page = self.client.get("/").content.decode()
        self.assertIn('<details class="account-menu" data-menu>', page)
        for href in [
            "/users/bob",
            "/inbox",
            "/account/drafts",
            "/users/bob/bookmarks",
            "/history",
            "/later",
            "/account/subscriptions",
            "/account/preferences",
            "/account/logout",
        ]:
            self.assertIn(f'"{href}"', page)
        self.assertNotIn("unread-badge", page)

    def test_the_unread_count_is_the_inboxs_own(self) -> None:
        work = self.make_work()
        chapter = work.chapters.get()
        for n, reader in enumerate([self.bob, self.bob, None]):
            comment_actions.post_comment(
                work,
                chapter,
                None,
                reader,
                None,
                "Gäst" if reader is None else "",
                "guest@example.org" if reader is None else "",
                f"Comment {n}.",
                f"ip{n}",
            )
        self.login(self.alice)
        page = self.client.get("/works").content.decode()
        self.assertIn('<span class="unread-badge">3<span class="visually-hidden"> unread messages</span></span>', page)
        self.assertIn("Inbox (3)", page)
        # Muting hides the muted user's comments from the inbox; the count follows.
        mute_user(self.alice, self.bob)
        page = self.client.get("/works").content.decode()
        self.assertIn('<span class="unread-badge">1<span class="visually-hidden"> unread message</span></span>', page)

    def test_guests_have_no_menu(self) -> None:
        page = self.client.get("/").content.decode()
        self.assertNotIn("account-menu", page)
        self.assertIn("Log in", page)

    def test_the_wrangling_link_is_for_wranglers_and_staff_and_costs_no_query_of_its_own(self) -> None:
        self.login(self.bob)
        self.assertNotIn('"/wrangling"', self.client.get("/works").content.decode())
        WranglerAssignment.objects.create(user=self.bob, fandom=None)
        with CaptureQueriesContext(connection) as queries:
            page = self.client.get("/works").content.decode()
        self.assertIn('"/wrangling"', page)
        # Read with the account's standing and roles, in the middleware's one query.
        on_its_own = [
            q["sql"] for q in queries if 'FROM "tags_wranglerassignment"' in q["sql"] and "EXISTS" not in q["sql"]
        ]
        self.assertEqual(on_its_own, [])
        WranglerAssignment.objects.filter(user=self.bob).delete()
        self.assertNotIn('"/wrangling"', self.client.get("/works").content.decode())
        self.bob.is_staff = True
        self.bob.save(update_fields=["is_staff"])
        self.assertIn('"/wrangling"', self.client.get("/works").content.decode())
