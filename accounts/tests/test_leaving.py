"""Orphaning works (one, or a pseud's) and deleting one's account, with every count, listing and index following."""

from accounts.lifecycle import ORPHAN_USERNAME
from accounts.models import User
from accounts.tests.test_signups import signup_form
from bookmarks.models import Bookmark
from comments.models import Comment
from community.models import Kudo
from downloads.cache import work_dir
from fanarchive.test import BaseTestCase
from works.models import Work


class OrphanTests(BaseTestCase):
    def test_a_creator_orphans_a_work_keeping_the_pseud_name(self) -> None:
        work = self.post_work(title="Salt Roads")
        self.login(self.alice)
        self.assertContains(self.client.get(f"/works/{work.pk}/orphan"), "Orphan “Salt Roads”?")
        response = self.client.post(f"/works/{work.pk}/orphan", {"keep_pseud_names": "on"})
        self.assertRedirects(response, work.get_absolute_url())
        credited = {str(p) for p in Work.objects.get(pk=work.pk).pseuds.all()}
        self.assertEqual(credited, {"alice (orphan_account)"})
        # No longer hers to edit; still on the archive for everyone.
        self.assertEqual(self.client.get(f"/works/{work.pk}/edit").status_code, 403)
        self.client.logout()
        self.assertContains(self.client.get("/works"), "Salt Roads")
        self.assertContains(self.client.get(f"/users/{ORPHAN_USERNAME}"), "Salt Roads")
        self.assertNotContains(self.client.get("/users/alice"), "Salt Roads")
        self.index_search()
        self.assertContains(self.client.get("/search/?q=creator:orphan_account"), "Salt Roads")

    def test_without_the_name_the_work_goes_to_plain_orphan_account(self) -> None:
        work = self.post_work()
        self.login(self.alice)
        self.client.post(f"/works/{work.pk}/orphan", {})
        self.assertEqual([str(p) for p in Work.objects.get(pk=work.pk).pseuds.all()], [ORPHAN_USERNAME])

    def test_others_cannot_orphan_a_work(self) -> None:
        work = self.post_work()
        self.login(self.bob)
        self.assertEqual(self.client.post(f"/works/{work.pk}/orphan", {}).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.post(f"/works/{work.pk}/orphan", {}).status_code, 302)
        self.assertEqual([p.user.username for p in Work.objects.get(pk=work.pk).pseuds.all()], ["alice"])

    def test_a_pseud_s_works_are_orphaned_together_and_only_its_own(self) -> None:
        pen = self.alice.pseuds.create(name="Gull")
        by_pen = self.post_work(title="By Gull", pseuds=[pen.pk])
        by_alice = self.post_work(title="By Alice")
        self.login(self.bob)
        self.assertEqual(self.client.post(f"/account/pseuds/{pen.pk}/orphan", {}).status_code, 404)
        self.login(self.alice)
        self.client.post(f"/account/pseuds/{pen.pk}/orphan", {"keep_pseud_names": "on"})
        self.assertEqual([str(p) for p in Work.objects.get(pk=by_pen.pk).pseuds.all()], ["Gull (orphan_account)"])
        self.assertEqual([str(p) for p in Work.objects.get(pk=by_alice.pk).pseuds.all()], ["alice"])

    def test_nobody_can_sign_up_as_orphan_account(self) -> None:
        response = self.client.post("/account/signup", signup_form("Orphan_Account"))
        self.assertContains(response, "That username is taken.")


class DeleteAccountTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.carol = User.objects.create_user("carol", "carol@example.org", self.password)
        self.bobs_work = self.post_work(author=self.bob, title="Bob's Tale")
        self.shared = self.post_work(title="Shared Tale", co_creators="bob")
        self.accept_invitations(self.bob)
        self.alices = self.post_work(title="Alice's Tale")
        self.login(self.bob)
        self.client.post(f"/works/{self.alices.pk}/kudos")
        self.client.post(f"/works/{self.alices.pk}/comments", {"content": "Wonderful!"})
        self.client.post(
            f"/works/{self.alices.pk}/bookmarks/new", {"notes": "", "tags": "", "pseud": self.bob.default_pseud.pk}
        )
        self.client.get(f"/works/{self.bobs_work.pk}/download/html")
        self.client.logout()

    def delete_bob(self, **form: str) -> None:
        self.login(self.bob)
        response = self.client.post("/account/delete", {"password": self.password, **form})
        self.assertRedirects(response, "/")

    def test_orphaning_keeps_the_works_and_removes_the_rest(self) -> None:
        alices = Work.objects.get(pk=self.alices.pk)
        self.assertEqual((alices.kudos_count, alices.bookmarks_count), (1, 1))
        self.delete_bob(works="orphan", keep_pseud_names="on")
        self.assertFalse(User.objects.filter(username="bob").exists())
        self.assertEqual(
            [str(p) for p in Work.objects.get(pk=self.bobs_work.pk).pseuds.all()], ["bob (orphan_account)"]
        )
        shared = sorted(str(p) for p in Work.objects.get(pk=self.shared.pk).pseuds.all())
        self.assertEqual(shared, ["alice", "bob (orphan_account)"])
        alices = Work.objects.get(pk=self.alices.pk)
        self.assertEqual((alices.kudos_count, alices.bookmarks_count), (0, 0))
        self.assertEqual(Kudo.objects.count(), 0)
        self.assertEqual(Bookmark.objects.count(), 0)
        comment = Comment.objects.get()
        self.assertIsNone(comment.user_id)
        self.assertContains(self.client.get(alices.get_absolute_url()), "(deleted account)")
        self.assertFalse(self.client.login(username="bob", password=self.password))
        self.assertContains(self.client.get("/works?sort=kudos_count"), "Bob&#x27;s Tale")

    def test_deleting_works_deletes_only_those_wholly_theirs(self) -> None:
        self.assertTrue(work_dir(self.bobs_work.pk).exists())
        with self.captureOnCommitCallbacks(execute=True):
            self.delete_bob(works="delete")
        self.assertFalse(Work.objects.filter(pk=self.bobs_work.pk).exists())
        self.assertEqual(self.client.get(f"/works/{self.bobs_work.pk}/").status_code, 404)
        self.assertNotContains(self.client.get("/works"), "Bob&#x27;s Tale")
        self.assertEqual([str(p) for p in Work.objects.get(pk=self.shared.pk).pseuds.all()], ["alice"])
        self.assertFalse(work_dir(self.bobs_work.pk).exists())
        self.index_search()
        self.assertNotContains(self.client.get("/search/?q=Tale"), "Bob&#x27;s Tale")

    def test_a_wrong_password_or_a_guest_deletes_nothing(self) -> None:
        self.login(self.bob)
        response = self.client.post("/account/delete", {"password": "wrong", "works": "delete"})
        self.assertContains(response, "That password is not right.")
        response = self.client.post("/account/delete", {"password": self.password, "works": "everything"})
        self.assertEqual(response.status_code, 200)
        self.client.logout()
        self.assertEqual(self.client.post("/account/delete", {"works": "delete"}).status_code, 302)
        self.assertTrue(User.objects.filter(username="bob").exists())
        self.assertTrue(Work.objects.filter(pk=self.bobs_work.pk).exists())
