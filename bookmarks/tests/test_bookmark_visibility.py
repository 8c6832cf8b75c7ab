"""Bookmarks never reveal what the reader may not see: private bookmarks are their owner's, bookmarks of
drafts, hidden and (for guests) restricted works are not shown, counted or titled; bookmarks of deleted works
stay as placeholders with their notes."""

from bookmarks.models import Bookmark
from fanarchive.test import BaseTestCase
from works.models import Work


class BookmarkVisibilityTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.make_work(title="Lamplight")

    def bookmark(self, work: Work | None, notes: str, **extra: object) -> Bookmark:
        return Bookmark.objects.create(
            user=self.bob, pseud=self.bob.default_pseud, work=work, notes=notes, title_snapshot="Snapshot", **extra
        )

    def test_private_bookmarks_are_invisible_to_everyone_but_their_owner(self):
        self.login(self.bob)
        self.client.post(
            f"/works/{self.work.pk}/bookmarks/new",
            {"pseud": self.bob.default_pseud.pk, "notes": "My secret note", "private": "on"},
        )
        for viewer in (None, self.alice):
            if viewer:
                self.login(viewer)
            else:
                self.client.logout()
            for path in ("/users/bob/bookmarks", f"/works/{self.work.pk}/bookmarks"):
                response = self.client.get(path)
                self.assertNotContains(response, "My secret note")
                self.assertContains(response, "No bookmarks found.")
            self.assertNotContains(self.client.get("/works"), "<dt>Bookmarks:</dt>")
        self.login(self.bob)
        response = self.client.get("/users/bob/bookmarks")
        self.assertContains(response, "My secret note")
        self.assertContains(response, "Private bookmark")

    def test_bookmarks_of_drafts_and_hidden_works_are_never_shown_counted_or_titled(self):
        draft = self.make_work(title="Secret Draft Story", action="draft")
        hidden = self.make_work(title="Hidden Away Story")
        Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
        self.bookmark(draft, "note on the draft")
        self.bookmark(hidden, "note on the hidden one")
        self.bookmark(self.work, "note on the public one")
        for viewer in (None, self.alice, self.bob):
            if viewer:
                self.login(viewer)
            response = self.client.get("/users/bob/bookmarks")
            html = response.content.decode()
            for secret in ("Secret Draft Story", "Hidden Away Story", "note on the draft", "note on the hidden one"):
                self.assertNotIn(secret, html)
            self.assertContains(response, "1 – 1 of 1 Bookmark")
        self.login(self.bob)
        self.assertEqual(self.client.get(f"/works/{draft.pk}/bookmarks").status_code, 404)
        self.assertEqual(self.client.get(f"/works/{draft.pk}/bookmarks/new").status_code, 404)

    def test_a_works_bookmarks_page_asks_about_its_work_once(self):
        self.bookmark(self.work, "Glows in the dark — ünd warm")
        path = f"/works/{self.work.pk}/bookmarks"
        # The work (and, for a member, whether they created it) once, then the bookmarks: no second
        # look at the work to ask whether it is visible.
        for viewer, queries in ((None, 11), (self.bob, 15)):
            with self.subTest(viewer=viewer):
                if viewer:
                    self.login(viewer)
                self.client.get(path)  # the settings and other per-process caches are warm
                with self.assertNumQueries(queries):
                    response = self.client.get(path)
                self.assertContains(response, "Glows in the dark — ünd warm")

    def test_a_hidden_works_bookmarks_page_is_a_404_even_to_its_creator_and_staff(self):
        self.bookmark(self.work, "note on a work hidden later")
        Work.objects.filter(pk=self.work.pk).update(hidden_by_admin=True)
        self.bob.is_staff = True
        self.bob.save(update_fields=["is_staff"])
        for viewer in (self.alice, self.bob):
            self.login(viewer)
            self.assertEqual(self.client.get(f"/works/{self.work.pk}/").status_code, 200)  # the door lets them in
            self.assertEqual(self.client.get(f"/works/{self.work.pk}/bookmarks").status_code, 404)

    def test_guests_never_see_bookmarks_of_restricted_works(self):
        restricted = self.make_work(title="Members Only Story", fandoms="Lockwood", restricted="on")
        self.bookmark(restricted, "note on the restricted one", rec=True)
        response = self.client.get("/users/bob/bookmarks")
        self.assertNotContains(response, "Members Only Story")
        self.assertNotContains(response, "note on the restricted one")
        self.assertNotContains(response, "Lockwood")  # not even in the fandom filter
        self.assertContains(response, "No bookmarks found.")
        self.assertIn("/account/login", self.client.get(f"/works/{restricted.pk}/bookmarks")["Location"])
        self.login(self.alice)
        self.assertContains(self.client.get("/users/bob/bookmarks"), "Members Only Story")

    def test_bookmarks_of_deleted_works_stay_as_placeholders_with_their_notes(self):
        self.login(self.bob)
        self.client.post(
            f"/works/{self.work.pk}/bookmarks/new",
            {"pseud": self.bob.default_pseud.pk, "notes": "Loved the lighthouse", "tags": "Comfort"},
        )
        self.login(self.alice)
        self.client.post(f"/works/{self.work.pk}/delete")
        self.assertFalse(Work.objects.exists())
        self.client.logout()
        response = self.client.get("/users/bob/bookmarks")
        self.assertContains(response, "This has been deleted, sorry!")
        self.assertContains(response, "Loved the lighthouse")
        self.assertNotContains(response, "Lamplight")
        # Its owner is reminded what it was, and can still edit the note.
        self.login(self.bob)
        response = self.client.get("/users/bob/bookmarks")
        self.assertContains(response, "(“Lamplight”)")
        bookmark = Bookmark.objects.get()
        self.client.post(f"/bookmarks/{bookmark.pk}/edit", {"pseud": self.bob.default_pseud.pk, "notes": "Miss it"})
        bookmark.refresh_from_db()
        self.assertEqual((bookmark.notes, bookmark.title_snapshot), ("<p>Miss it</p>", "Lamplight"))
