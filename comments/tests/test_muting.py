"""Muting, server side: the muted user's comments (and the replies under them) leave the muter's pages, counts too."""

from comments.tests.helpers import CommentsTestCase, comments_count_shown
from community.actions import mute_user, unmute_user


class MutingTests(CommentsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.carol = self.make_user("carol")
        self.work = self.make_work()
        self.comment(self.work, "Bob's top comment.", user=self.bob)
        self.bobs = self.last_comment()
        self.comment(self.work, "Carol's loud opinion.", user=self.carol)
        self.carols = self.last_comment()
        self.comment(self.work, "Alice answers Carol.", user=self.alice, parent=self.carols)
        self.answer = self.last_comment()
        self.comment(self.work, "Carol replies to Bob.", user=self.carol, parent=self.bobs)
        mute_user(self.bob, self.carol)

    def test_the_muter_does_not_see_the_muted_users_comments_and_the_count_says_so(self):
        page = self.work_page(self.work, self.bob)
        self.assertContains(page, "Bob's top comment.")
        self.assertNotContains(page, "Carol")
        self.assertNotContains(page, "Alice answers Carol.")
        self.assertEqual(comments_count_shown(page), 1)
        self.assertEqual(self.count_of(self.work), 4)

    def test_everyone_else_still_sees_them(self):
        for user in (self.alice, None):
            page = self.work_page(self.work, user)
            self.assertContains(page, "Carol's loud opinion.")
            self.assertContains(page, "Carol replies to Bob.")
            self.assertEqual(comments_count_shown(page), 4)

    def test_the_muted_users_thread_pages_are_not_found_for_the_muter(self):
        self.login(self.bob)
        self.assertEqual(self.client.get(f"/comments/{self.carols.pk}").status_code, 404)
        self.assertEqual(self.client.get(f"/comments/{self.answer.pk}").status_code, 404)
        thread = self.client.get(f"/comments/{self.bobs.pk}")
        self.assertContains(thread, "Bob's top comment.")
        self.assertNotContains(thread, "Carol replies to Bob.")

    def test_unmuting_brings_them_back(self):
        unmute_user(self.bob, self.carol)
        self.assertEqual(comments_count_shown(self.work_page(self.work, self.bob)), 4)
