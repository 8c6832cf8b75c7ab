"""The header's account menu: every place a reader keeps things, and the inbox's unread count."""

from comments import actions as comment_actions
from community.actions import mute_user
from fanarchive.test import BaseTestCase


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
