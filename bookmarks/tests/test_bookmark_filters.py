"""A user's bookmarks page: newest first, filtered by rec, by the bookmarker's tag and by fandom, paged,
in a fixed number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fanarchive.test import BaseTestCase
from tags.models import Tag


class BookmarkFilterTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.tide = self.make_work(title="Tide Story", fandoms="Tidewater (TV)")
        self.star = self.make_work(title="Star Story", fandoms="Starfall")
        self.both = self.make_work(title="Both Story", fandoms="Tidewater (TV), Starfall")
        self.login(self.bob)
        for work, tags, rec in (
            (self.tide, "Comfort", True),
            (self.star, "Comfort, Angst", False),
            (self.both, "", True),
        ):
            data = {"pseud": self.bob.default_pseud.pk, "tags": tags}
            if rec:
                data["rec"] = "on"
            self.client.post(f"/works/{work.pk}/bookmarks/new", data)

    def titles(self, query: str) -> list[str]:
        html = self.client.get(f"/users/bob/bookmarks?{query}").content.decode()
        return sorted(t for t in ("Tide Story", "Star Story", "Both Story") if t in html)

    def test_it_filters_by_rec_tag_and_fandom(self):
        comfort = Tag.objects.get(name="Comfort")
        starfall = Tag.objects.get(name="Starfall")
        self.assertEqual(self.titles(""), ["Both Story", "Star Story", "Tide Story"])
        self.assertEqual(self.titles("rec=1"), ["Both Story", "Tide Story"])
        self.assertEqual(self.titles(f"tag={comfort.pk}"), ["Star Story", "Tide Story"])
        self.assertEqual(self.titles(f"fandom={starfall.pk}"), ["Both Story", "Star Story"])
        self.assertEqual(self.titles(f"rec=1&fandom={starfall.pk}&tag={comfort.pk}"), [])
        page = self.client.get("/users/bob/bookmarks")
        self.assertContains(page, f'<option value="{comfort.pk}">Comfort (2)</option>', html=True)
        self.assertContains(page, f'<option value="{starfall.pk}">Starfall (2)</option>', html=True)
        self.assertEqual(self.client.get("/users/bob/bookmarks?tag=junk&fandom=-1").status_code, 200)

    def test_it_pages_twenty_at_a_time_in_a_fixed_number_of_queries(self):
        with CaptureQueriesContext(connection) as few:
            self.client.get("/users/bob/bookmarks")
        for number in range(22):
            work = self.make_work(title=f"Work {number}", fandoms=f"Fandom {number}", freeforms=f"Tag {number}")
            self.login(self.bob)
            self.client.post(
                f"/works/{work.pk}/bookmarks/new", {"pseud": self.bob.default_pseud.pk, "tags": f"Mine {number}"}
            )
        with CaptureQueriesContext(connection) as many:
            first = self.client.get("/users/bob/bookmarks")
        self.assertContains(first, "1 – 20 of 25 Bookmarks")
        self.assertEqual(first.content.decode().count('class="engagement-item bookmark"'), 20)
        self.assertContains(self.client.get("/users/bob/bookmarks?page=2"), "21 – 25 of 25 Bookmarks")
        self.assertEqual(len(few), len(many), [q["sql"][:120] for q in many.captured_queries])
