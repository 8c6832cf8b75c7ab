"""Cached blurbs are never stale and never show one reader another's view.

The part of a blurb that is the same for everyone is cached under a key made of what it
shows; these tests change each of those things the way users do and read the listing again.
"""

import random

from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.actions import change_username, create_account
from accounts.models import Pseud
from community.actions import mute_user
from tags.actions import rename_tag
from tags.models import USER_DEFINED_TYPES, Tag, TagType
from works.models import Creatorship, SerialWork, Series, Tagging, Work
from works.tests.test_filtering import FilterTestCase


class BlurbCacheTests(FilterTestCase):
    def setUp(self) -> None:
        super().setUp()
        caches["blurbs"].clear()
        self.work = self.make_work(title="The Lighthouse Keeper", freeforms="Found Family")

    def test_the_shared_part_is_served_from_the_cache(self):
        self.assertContains(self.client.get("/works"), "Found Family")
        # What only the cache could still say: the fragment stored under the work's key is reused.
        cache = caches["blurbs"]
        # Two parts per work: the header, and the tags and summary (a search's passages sit between).
        self.assertEqual(len(cache._cache), 2)  # type: ignore[attr-defined]
        self.assertContains(self.client.get("/works"), "Found Family")
        self.assertEqual(len(cache._cache), 2)  # type: ignore[attr-defined]

    def test_a_renamed_tag_shows_its_new_name_at_once(self):
        self.assertContains(self.client.get("/works"), "Found Family")
        staff = self.alice
        staff.is_staff = True
        staff.save(update_fields=["is_staff"])
        rename_tag(staff, Tag.objects.get(name="Found Family"), "Found Famiglia")
        page = self.client.get("/works")
        self.assertContains(page, "Found Famiglia")
        self.assertNotContains(page, "Found Family")

    def test_a_renamed_pseud_and_a_changed_title_show_at_once(self):
        self.assertContains(self.client.get("/works"), ">alice<")
        pseud = self.alice.default_pseud
        self.login(self.alice)
        response = self.client.post(f"/account/pseuds/{pseud.pk}/edit", {"name": "Lamplighter", "description": ""})
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        Work.objects.filter(pk=self.work.pk).update(title="The Lamp Keeper", title_sort="lamp keeper")
        page = self.client.get("/works").content.decode()
        self.assertIn("Lamplighter", page)
        self.assertIn("The Lamp Keeper", page)
        self.assertNotIn("The Lighthouse Keeper", page)

    def test_counts_as_a_muter_sees_them_are_per_reader_not_cached(self):
        self.login(self.bob)
        self.client.post(f"/works/{self.work.pk}/comments", {"content": "Lovely."})
        self.client.logout()
        self.assertIn("Comments:</dt><dd>1</dd>", self.client.get("/works").content.decode())
        # Carol muted Bob: the same cached blurb, but her count leaves his comment out.
        carol = create_account("carol", "carol@example.org", self.password)
        mute_user(carol, self.bob)
        self.login(carol)
        page = self.client.get("/works").content.decode()
        self.assertIn("The Lighthouse Keeper", page)
        self.assertNotIn("Comments:</dt><dd>1</dd>", page)
        self.client.logout()
        self.assertIn("Comments:</dt><dd>1</dd>", self.client.get("/works").content.decode())

    def test_a_searchs_passages_are_never_cached_with_the_blurb(self):
        # The same work found by two searches shows each search's own passage.
        self.work.summary = "A storm, a lamp, a long night."
        self.work.save(update_fields=["summary"])
        self.index_search()
        first = self.client.get("/search/?q=storm").content.decode()
        self.assertIn("<mark>storm</mark>", first)
        second = self.client.get("/search/?q=lamp").content.decode()
        self.assertIn("<mark>lamp</mark>", second)
        self.assertNotIn("<mark>storm</mark>", second)


class PrefilledBlurbTests(FilterTestCase):
    """Listings find cached blurb parts from plain rows (works.blurbs.prefill_blurbs) under the key
    the template computes from the models: the two must agree, or a rename could show stale text."""

    def setUp(self) -> None:
        super().setUp()
        caches["blurbs"].clear()
        second = Pseud.objects.create(user=self.bob, name="Nachtfalter Ñ")
        self.work = self.make_work(
            title="Ünïcode Lighthouse",
            freeforms="Found Family, Café AU, 灯台",
            characters="Mara Quill, Jonah Reyes",
            new_series_title="Tides",
        )
        # A co-creator whose pseud is not their username, listed after the first creator.
        Creatorship.objects.create(work=self.work, pseud=second, position=1)

    def listing(self) -> str:
        return self.client.get("/works").content.decode()

    def test_a_page_from_cached_parts_equals_a_freshly_rendered_page(self):
        fresh = self.listing()
        self.assertIn("Nachtfalter Ñ (bob)", fresh)
        self.assertIn("Tides", fresh)
        with CaptureQueriesContext(connection) as warm:
            cached = self.listing()
        self.assertEqual(cached, fresh)
        # Served from the cache: no tag models were loaded, only the rows the key is made of.
        self.assertFalse(any('"tags_tag"."sort_order" FROM' in q["sql"] for q in warm.captured_queries))
        caches["blurbs"].clear()
        self.assertEqual(self.listing(), fresh)

    def test_a_co_creators_new_username_shows_at_once(self):
        self.assertIn("Nachtfalter Ñ (bob)", self.listing())
        change_username(self.bob, "robert")
        page = self.listing()
        self.assertIn("Nachtfalter Ñ (robert)", page)
        self.assertNotIn("(bob)", page)

    def test_a_renamed_series_and_a_renamed_fandom_show_at_once(self):
        self.listing()
        Series.objects.filter(title="Tides").update(title="Neap Tides")
        staff = self.alice
        staff.is_staff = True
        staff.save(update_fields=["is_staff"])
        rename_tag(staff, Tag.objects.get(name="Tidewater (TV)"), "Tidewater (Series)")
        page = self.listing()
        self.assertIn("Neap Tides", page)
        self.assertIn("Tidewater (Series)", page)
        self.assertNotIn("Tidewater (TV)", page)

    def test_a_tag_taken_off_the_work_leaves_its_blurb(self):
        def blurbs() -> str:
            page = self.listing()
            return page[page.index('<ol class="blurbs">') : page.index("</ol>")]

        self.assertIn("Café AU", blurbs())
        Tagging.objects.filter(work=self.work, tag__name="Café AU").delete()
        self.assertNotIn("Café AU", blurbs())

    def test_co_creators_in_a_new_order_show_in_that_order(self):
        page = self.listing()
        self.assertLess(page.index(">alice<"), page.index("Nachtfalter Ñ"))
        Creatorship.objects.filter(work=self.work, pseud__user=self.alice).update(position=5)
        page = self.listing()
        self.assertLess(page.index("Nachtfalter Ñ"), page.index(">alice<"))


class RandomEditOracleTests(FilterTestCase):
    """Random edits of everything a blurb's cached parts show, one at a time: after each, the
    listing served from the cache must equal the listing rendered afresh from the models (the
    oracle: the cache emptied), and the fresh page's parts must then be found again by the key
    the works query's values give (no tag, creator or series model built)."""

    ROUNDS = 60

    def setUp(self) -> None:
        super().setUp()
        caches["blurbs"].clear()
        self.rng = random.Random(11)
        self.staff = create_account("wrangler", "wrangler@example.org", self.password)
        self.staff.is_staff = True
        self.staff.save(update_fields=["is_staff"])
        carol = create_account("carol", "carol@example.org", self.password)
        self.pseuds = [
            self.alice.default_pseud,
            self.bob.default_pseud,
            carol.default_pseud,
            Pseud.objects.create(user=self.bob, name="Nachtfalter Ñ"),
            Pseud.objects.create(user=carol, name="灯台守"),
        ]
        self.users = [self.alice, self.bob, carol]
        for number in range(6):
            self.make_work(
                author=self.rng.choice(self.users),
                title=f"Work {number} ü",
                characters=", ".join(self.rng.sample(["Mara Quill", "Jonah Reyes", "Ida", "Wren Æ"], 2)),
                freeforms=", ".join(self.rng.sample(["Found Family", "Café AU", "灯台", "Slow Burn", "Fluff"], 3)),
                new_series_title=f"Tides {number}" if number % 2 else "",
            )
        self.works = list(Work.objects.order_by("pk"))
        self.renamed = 0

    def listing(self) -> str:
        return self.client.get("/works").content.decode()

    def fresh_name(self, base: str, *, tag: bool = False) -> str:
        # What the JSON the works query aggregates must escape: quotes, a backslash (tags may not
        # have one), brackets, non-ASCII.
        self.renamed += 1
        backslash = "" if tag else "\\ "
        return f'{base} {self.renamed} é "q" {backslash}[x]'

    def random_edit(self) -> str:
        rng = self.rng
        work = rng.choice(self.works)
        used = list(Tag.objects.filter(taggings__isnull=False).distinct().order_by("pk"))
        tag = rng.choice(used)
        # Ratings, warnings and categories are fixed: only the tags users add are renamed or retyped.
        wrangleable = rng.choice([t for t in used if t.type in USER_DEFINED_TYPES])
        pseud = rng.choice(self.pseuds)
        edit = rng.choice(
            [
                "rename tag",
                "retype tag",
                "flag tag adult",
                "re-sort tag",
                "add tag",
                "remove tag",
                "rename pseud",
                "archive pseud",
                "change username",
                "add creator",
                "remove creator",
                "reorder creators",
                "rename series",
                "add to series",
                "remove from series",
                "move in series",
                "retitle work",
            ]
        )
        if edit == "rename tag":
            rename_tag(self.staff, wrangleable, self.fresh_name(wrangleable.name.split(" ")[0], tag=True))
        elif edit == "retype tag":
            retyped = rng.choice([TagType.CHARACTER, TagType.FREEFORM, TagType.FANDOM, TagType.RELATIONSHIP])
            Tag.objects.filter(pk=wrangleable.pk).update(type=retyped)
        elif edit == "flag tag adult":
            Tag.objects.filter(pk=tag.pk).update(adult=not tag.adult)
        elif edit == "re-sort tag":
            Tag.objects.filter(pk=tag.pk).update(sort_order=rng.choice([0, 1, 5, 2**15 - 1]))
        elif edit == "add tag":
            Tagging.objects.get_or_create(work=work, tag=tag)
        elif edit == "remove tag":
            Tagging.objects.filter(work=work, tag=rng.choice(list(work.tags.all()) or [tag])).delete()
        elif edit == "rename pseud":
            Pseud.objects.filter(pk=pseud.pk).update(name=self.fresh_name("Pseud"))
        elif edit == "archive pseud":
            Pseud.objects.filter(pk=pseud.pk).update(is_archived=not Pseud.objects.get(pk=pseud.pk).is_archived)
        elif edit == "change username":
            change_username(rng.choice(self.users), f"user_{self.renamed}_{rng.randrange(10**6)}")
        elif edit == "add creator":
            Creatorship.objects.get_or_create(work=work, pseud=pseud, defaults={"position": rng.randrange(4)})
        elif edit == "remove creator":
            Creatorship.objects.filter(work=work, pseud=pseud).delete()
        elif edit == "reorder creators":
            for creatorship in Creatorship.objects.filter(work=work):
                creatorship.position = rng.randrange(3)
                creatorship.save(update_fields=["position"])
        elif edit == "rename series":
            Series.objects.filter(pk__in=Series.objects.order_by("?")[:1]).update(title=self.fresh_name("Tides"))
        elif edit == "add to series":
            series = Series.objects.order_by("?").first()
            if series is not None:
                SerialWork.objects.get_or_create(work=work, series=series, defaults={"position": rng.randrange(1, 4)})
        elif edit == "remove from series":
            SerialWork.objects.filter(pk__in=SerialWork.objects.filter(work=work).order_by("?")[:1]).delete()
        elif edit == "move in series":
            SerialWork.objects.filter(work=work).update(position=rng.randrange(1, 4))
        else:
            Work.objects.filter(pk=work.pk).update(title=self.fresh_name("Work"))
        return edit

    def test_the_cached_listing_equals_a_fresh_one_after_random_edits(self):
        self.listing()
        done = []
        for _round in range(self.ROUNDS):
            done.append(self.random_edit())
            from_cache = self.listing()
            caches["blurbs"].clear()
            fresh = self.listing()
            self.assertEqual(from_cache, fresh, f"stale after {done[-1]!r} (edits so far: {done})")
            with CaptureQueriesContext(connection) as again:
                self.assertEqual(self.listing(), fresh)
            # Every part found under the key the works query gave: no prefetch of tags, creators or series
            # (the works query's own subqueries name their tables by alias).
            prefetches = ('"tags_tag"."adult"', '"works_creatorship"."pseud_id"', '"works_serialwork"."series_id"')
            loaded_models = [q["sql"] for q in again.captured_queries if any(p in q["sql"] for p in prefetches)]
            self.assertEqual(loaded_models, [], done[-1])
        # Each kind of edit was tried.
        self.assertGreaterEqual(len(set(done)), 15, sorted(set(done)))
