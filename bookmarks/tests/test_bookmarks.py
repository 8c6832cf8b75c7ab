"""Bookmarking works and series: notes (sanitized rich text), the bookmarker's tags, private and rec;
editing and deleting; the work's count of public bookmarks."""

from bookmarks.models import Bookmark
from fanarchive.test import BaseTestCase
from tags.models import Tag, TagType
from works.models import Series, Work


class BookmarkTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.make_work(title="Lamplight", new_series_title="Harbour Lights")
        self.login(self.bob)

    def bookmark(self, **data: str) -> Bookmark:
        values = {"pseud": str(self.bob.default_pseud.pk), "notes": "", "tags": "", **data}
        response = self.client.post(f"/works/{self.work.pk}/bookmarks/new", values)
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        return Bookmark.objects.get(user=self.bob, work=self.work)

    def count(self) -> int:
        return Work.objects.get(pk=self.work.pk).bookmarks_count

    def test_readers_bookmark_a_work_with_notes_tags_and_a_rec(self):
        page = self.client.get(f"/works/{self.work.pk}/")
        self.assertContains(page, f'href="/works/{self.work.pk}/bookmarks/new">Bookmark with notes…</a>')
        form = self.client.get(f"/works/{self.work.pk}/bookmarks/new")
        self.assertContains(form, 'class="tag-input"')
        self.assertContains(form, 'data-tag-type="freeform"')
        bookmark = self.bookmark(
            notes='<p>Read <em>this</em><script>alert(1)</script></p><a href="javascript:x">x</a>',
            tags="Tidewater (TV), comfort reads, Comfort Reads",
            rec="on",
        )
        self.assertNotIn("script", bookmark.notes)
        self.assertNotIn("javascript", bookmark.notes)
        self.assertIn("<em>this</em>", bookmark.notes)
        # An existing tag is used as it is (here a fandom); a new name becomes an additional tag.
        self.assertEqual(
            sorted((t.name, t.type) for t in bookmark.tags.all()),
            [("Tidewater (TV)", TagType.FANDOM), ("comfort reads", TagType.FREEFORM)],
        )
        self.assertEqual(bookmark.title_snapshot, "Lamplight")
        self.assertEqual(self.count(), 1)
        listing = self.client.get("/users/bob/bookmarks")
        self.assertContains(listing, "<em>this</em>")
        self.assertContains(listing, '<strong class="rec">Rec</strong>', html=True)
        self.assertContains(listing, "comfort reads")
        self.assertContains(self.client.get(f"/works/{self.work.pk}/"), "Edit Bookmark")
        self.assertContains(self.client.get("/works"), f'<a href="/works/{self.work.pk}/bookmarks">1</a>', html=True)

    def test_bookmarking_twice_edits_the_bookmark_instead(self):
        bookmark = self.bookmark()
        response = self.client.get(f"/works/{self.work.pk}/bookmarks/new")
        self.assertRedirects(response, f"/bookmarks/{bookmark.pk}/edit")
        self.client.post(f"/works/{self.work.pk}/bookmarks/new", {"pseud": self.bob.default_pseud.pk})
        self.assertEqual(Bookmark.objects.count(), 1)
        self.assertEqual(self.count(), 1)

    def test_private_bookmarks_are_not_counted_and_edits_keep_the_count_right(self):
        bookmark = self.bookmark(private="on")
        self.assertEqual(self.count(), 0)
        edit = f"/bookmarks/{bookmark.pk}/edit"
        self.assertContains(self.client.get(edit), "checked")
        self.client.post(edit, {"pseud": self.bob.default_pseud.pk, "notes": "Now public", "tags": "Later"})
        self.assertEqual(self.count(), 1)
        bookmark.refresh_from_db()
        self.assertEqual((bookmark.notes, [t.name for t in bookmark.tags.all()]), ("<p>Now public</p>", ["Later"]))
        self.client.post(edit, {"pseud": self.bob.default_pseud.pk, "private": "on"})
        self.assertEqual(self.count(), 0)
        self.client.post(edit, {"pseud": self.bob.default_pseud.pk})
        self.assertContains(self.client.get(f"/bookmarks/{bookmark.pk}/delete"), "Delete this bookmark?")
        self.client.post(f"/bookmarks/{bookmark.pk}/delete")
        self.assertFalse(Bookmark.objects.exists())
        self.assertEqual(self.count(), 0)

    def test_only_the_bookmarker_edits_or_deletes_and_guests_are_sent_to_log_in(self):
        bookmark = self.bookmark()
        self.login(self.alice)
        self.assertEqual(self.client.get(f"/bookmarks/{bookmark.pk}/edit").status_code, 404)
        self.assertEqual(self.client.post(f"/bookmarks/{bookmark.pk}/delete").status_code, 404)
        self.client.logout()
        response = self.client.get(f"/works/{self.work.pk}/bookmarks/new")
        self.assertIn("/account/login", response["Location"])
        self.assertEqual(Bookmark.objects.count(), 1)

    def test_bad_tags_are_refused_with_reasons(self):
        response = self.client.post(
            f"/works/{self.work.pk}/bookmarks/new", {"pseud": self.bob.default_pseud.pk, "tags": "a*b"}
        )
        self.assertContains(response, "contains characters tags can&#x27;t have: *")
        self.assertFalse(Bookmark.objects.exists())

    def test_readers_bookmark_a_series(self):
        series = Series.objects.get()
        page = self.client.get(f"/series/{series.pk}")
        self.assertContains(page, f'href="/series/{series.pk}/bookmarks/new">Bookmark Series</a>')
        self.client.post(
            f"/series/{series.pk}/bookmarks/new", {"pseud": self.bob.default_pseud.pk, "notes": "All of it"}
        )
        bookmark = Bookmark.objects.get(series=series)
        self.assertEqual(bookmark.title_snapshot, "Harbour Lights")
        listing = self.client.get("/users/bob/bookmarks")
        self.assertContains(listing, "Harbour Lights")
        self.assertContains(listing, "All of it")
        self.assertContains(self.client.get(f"/series/{series.pk}"), "Edit Bookmark")
        self.assertEqual(self.count(), 0)

    def test_a_fandom_tag_can_be_a_bookmark_tag(self):
        Tag.objects.create(name="Canon Era", type=TagType.CHARACTER)
        bookmark = self.bookmark(tags="Canon Era")
        self.assertEqual([t.type for t in bookmark.tags.all()], [TagType.CHARACTER])
