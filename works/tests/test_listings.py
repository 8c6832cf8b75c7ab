from django.db import connection
from django.test.utils import CaptureQueriesContext

from fanarchive.test import BaseTestCase
from works import hits
from works.models import Work


class WorkIndexTests(BaseTestCase):
    def test_it_pages_twenty_blurbs_at_a_time(self):
        for number in range(25):
            self.make_work(title=f"Work {number:02d}")
        first = self.client.get("/works").content.decode()
        self.assertEqual(first.count('class="blurb"'), 20)
        self.assertIn("1 – 20 of 25 Works", first)
        second = self.client.get("/works?page=2").content.decode()
        self.assertEqual(second.count('class="blurb"'), 5)
        self.assertIn("21 – 25 of 25 Works", second)
        # Out-of-range and junk page numbers fall back to a real page instead of erroring.
        self.assertEqual(self.client.get("/works?page=99").status_code, 200)
        self.assertEqual(self.client.get("/works?page=abc").status_code, 200)

    def test_it_sorts_by_every_key(self):
        self.make_work(title="The Zebra", content="one two three four five six seven eight nine ten eleven")
        self.make_work(author=self.bob, title="An Apple", content="just a few words here")
        Work.objects.filter(title="An Apple").update(hits=50)

        def titles(sort: str) -> list[str]:
            page = self.client.get(f"/works?sort={sort}").content.decode()
            return [t for t in ["The Zebra", "An Apple"] if t in page and page.index(t) >= 0]

        def order(sort: str) -> list[str]:
            page = self.client.get(f"/works?sort={sort}").content.decode()
            return sorted(["The Zebra", "An Apple"], key=page.index)

        self.assertEqual(order("title"), ["An Apple", "The Zebra"])  # "Apple" before "Zebra": articles ignored
        self.assertEqual(order("creator"), ["The Zebra", "An Apple"])  # alice before bob
        self.assertEqual(order("words"), ["The Zebra", "An Apple"])
        self.assertEqual(order("hits"), ["An Apple", "The Zebra"])
        self.assertEqual(order("updated"), ["An Apple", "The Zebra"])  # newest first
        self.assertEqual(order("nonsense"), order("updated"))

    def test_listing_queries_do_not_grow_with_the_page(self):
        self.make_work(title="Only one")
        self.client.get("/works")  # builds the in-memory filter index
        with CaptureQueriesContext(connection) as one:
            self.client.get("/works")
        for number in range(24):
            self.make_work(
                title=f"Work {number}",
                characters=f"Character {number}, Other {number}",
                freeforms=f"Tag {number}, Another {number}",
                new_series_title=f"Series {number}",
            )
        self.client.get("/works")  # catches the index up with the new works
        with CaptureQueriesContext(connection) as many:
            response = self.client.get("/works")
        self.assertEqual(response.content.decode().count('class="blurb"'), 20)
        self.assertEqual(len(one), len(many), [q["sql"][:120] for q in many.captured_queries])
        # Index catch-up (with the pending wrangling jobs), the page's works with what their blurbs'
        # keys are made of (the blurbs are cached: works.blurbs.with_blurb_keys), facet tag names.
        self.assertEqual(len(many), 3, [q["sql"][:120] for q in many.captured_queries])
        # Right after writes, catching up reloads the changed works: a few queries, not one per work.
        # The new work's blurb is not cached yet, so its tags, creators and series load as models too.
        self.make_work(title="One more")
        with CaptureQueriesContext(connection) as after_write:
            self.client.get("/works")
        self.assertLessEqual(len(after_write), 13)

    def test_tag_and_profile_listings_also_use_a_fixed_number_of_queries(self):
        for number in range(21):
            self.make_work(title=f"Work {number}", freeforms=f"Fluff, Tag {number}")
        self.client.get("/works")  # builds the in-memory filter index
        with CaptureQueriesContext(connection) as tag_page:
            self.assertEqual(self.client.get("/tags/Fluff/works").status_code, 200)
        # The tag, where it is used (a tag neither fixed nor canonical: tags.visibility.may_see_tag),
        # index catch-up (and pending jobs), the page's works with their blurbs' keys, facet names.
        self.assertLessEqual(len(tag_page), 5)
        with CaptureQueriesContext(connection) as fixed_tag_page:
            self.assertEqual(self.client.get("/tags/General%20Audiences/works").status_code, 200)
        # A fixed or canonical tag is public: its page never asks where it is used.
        self.assertLessEqual(len(fixed_tag_page), 4)
        with CaptureQueriesContext(connection) as profile:
            self.assertEqual(self.client.get("/users/alice").status_code, 200)
        # The user, their pseuds, their work ids, and the listing's three.
        self.assertLessEqual(len(profile), 6)


class TagPageTests(BaseTestCase):
    def test_tag_names_with_slashes_ampersands_and_dots_have_working_urls(self):
        work = self.make_work(relationships="Mara/Ida, Jonah & Wren", freeforms="Dr. Who? #1")
        page = self.client.get(f"/works/{work.pk}/").content.decode()
        for name, url in [
            ("Mara/Ida", "/tags/Mara*s*Ida/works"),
            ("Jonah &amp; Wren", "/tags/Jonah%20*a*%20Wren/works"),
            ("Dr. Who? #1", "/tags/Dr*d*%20Who*q*%20*h*1/works"),
        ]:
            self.assertIn(f'href="{url}"', page, name)
            self.assertContains(self.client.get(url), work.title)

    def test_tag_lookup_ignores_case(self):
        work = self.make_work(freeforms="Slow Burn")
        self.assertContains(self.client.get("/tags/slow%20burn/works"), work.title)
        self.assertContains(self.client.get("/tags/SLOW%20BURN"), "Additional Tag")

    def test_unknown_tags_are_404(self):
        self.assertEqual(self.client.get("/tags/Nope/works").status_code, 404)

    def test_rating_tags_list_their_works(self):
        work = self.make_work(rating="Teen And Up Audiences")
        self.assertContains(self.client.get("/tags/Teen%20And%20Up%20Audiences/works"), work.title)


class FandomIndexTests(BaseTestCase):
    def test_fandoms_are_grouped_by_media_with_counts(self):
        from tags.models import Tag, TagParent

        self.make_work(fandoms="Tidewater (TV)")
        self.make_work(fandoms="Tidewater (TV), Starfall Academy")
        TagParent.objects.create(child=Tag.objects.get(name="Tidewater (TV)"), parent=Tag.objects.get(name="TV Shows"))
        page = self.client.get("/media").content.decode()
        self.assertIn("TV Shows", page)
        self.assertIn("Uncategorized Fandoms", page)
        self.assertIn("Tidewater (TV)</a> (2)", page)
        self.assertIn("Starfall Academy</a> (1)", page)
        sections = page[page.index("</nav>", page.index("Media types")) :]
        self.assertLess(sections.index("Tidewater"), sections.index("Uncategorized Fandoms"))


class HitTests(BaseTestCase):
    def test_a_visitor_counts_once_per_day_and_the_creator_not_at_all(self):
        work = self.make_work()
        hits.flush_hits()
        for _ in range(3):
            self.client.get(f"/works/{work.pk}/")
        self.login(self.bob)
        self.client.get(f"/works/{work.pk}/")
        self.login(self.alice)
        self.client.get(f"/works/{work.pk}/")
        self.assertEqual(hits.flush_hits(), 2)
        work.refresh_from_db()
        self.assertEqual(work.hits, 2)
        self.assertContains(self.client.get("/works"), "<dt>Hits:</dt><dd>2</dd>", html=False)


class FandomIndexSynonymTests(BaseTestCase):
    def test_a_synonym_fandom_is_counted_under_its_canonical_fandom(self):
        from jobs.queue import run_pending
        from tags.models import Tag
        from works.filters import queue_refresh_for_tags

        self.make_work(fandoms="Tidewater (TV)")
        self.make_work(fandoms="Tidewater TV")
        canonical = Tag.objects.get(name="Tidewater (TV)")
        Tag.objects.filter(pk=canonical.pk).update(canonical=True)
        Tag.objects.filter(name="Tidewater TV").update(merger=canonical)
        queue_refresh_for_tags([canonical.pk])
        run_pending()
        page = self.client.get("/media").content.decode()
        self.assertIn("Tidewater (TV)</a> (2)", page)
        self.assertNotIn("Tidewater TV</a>", page)
