from typing import Any

from django.contrib.staticfiles import finders

from accounts.models import User
from fanarchive.test import BaseTestCase, ParallelTestCase
from tags.models import Tag, TagParent, TagType, tag_name_key
from works.autocomplete import TAG_NAMES, TagNames

URL = "/autocomplete/tags"


class TagAutocompleteTests(BaseTestCase):
    def tag(
        self,
        name: str,
        tag_type: TagType = TagType.FREEFORM,
        canonical: bool = False,
        merger: Tag | None = None,
        parent: Tag | None = None,
    ) -> Tag:
        tag = Tag.objects.create(name=name, type=tag_type, canonical=canonical, merger=merger)
        if parent is not None:
            TagParent.objects.create(child=tag, parent=parent)
        return tag

    def suggest(self, term: str, tag_type: str = "any", **params: str) -> list[dict[str, Any]]:
        response = self.client.get(URL, {"term": term, "type": tag_type, **params})
        self.assertEqual(response.status_code, 200, response.content)
        results: list[dict[str, Any]] = response.json()["results"]
        return results

    def names(self, term: str, tag_type: str = "any", **params: str) -> list[str]:
        return [result["name"] for result in self.suggest(term, tag_type, **params)]

    def test_names_starting_with_the_term_come_before_names_with_a_word_starting_with_it(self):
        # Words start after spaces, slashes, hyphens and opening brackets, not inside words.
        for name in ["Iced Tea", "Tea Party", "Steam Punk", "Teapot/Kettle", "Mara/Teal Reyes", "Half-Tea"]:
            self.tag(name)
        self.assertEqual(self.names("tea"), ["Tea Party", "Teapot/Kettle", "Half-Tea", "Iced Tea", "Mara/Teal Reyes"])
        self.tag("Tidewater (TV)", TagType.FANDOM)
        self.assertEqual(self.names("tv", "fandom"), ["Tidewater (TV)"])

    def test_canonical_tags_come_first_then_the_most_used_then_by_name(self):
        self.tag("Angst", canonical=True)
        self.tag("Fluff")
        for _ in range(2):
            self.make_work(freeforms="Angsty Teens, Fluff")
        self.make_work(freeforms="Angst with a Happy Ending")
        self.tag("Angsty Adults")
        self.tag("Angel AU")
        self.assertEqual(
            self.names("ang"),
            ["Angst", "Angsty Teens", "Angst with a Happy Ending", "Angel AU", "Angsty Adults"],
        )
        self.assertEqual([r["canonical"] for r in self.suggest("ang")], [True, False, False, False, False])

    def test_works_tagged_with_a_synonym_count_for_its_canonical_tag(self):
        found_family = self.tag("Found Family", canonical=True)
        self.tag("Found Family Feels", merger=found_family)
        self.tag("Found Footage", canonical=True)
        for _ in range(2):
            self.make_work(freeforms="Found Family Feels")
        self.make_work(freeforms="Found Footage")
        self.assertEqual(self.names("found"), ["Found Family", "Found Footage", "Found Family Feels"])

    def test_a_synonym_comes_with_the_name_of_its_canonical_tag(self):
        canonical = self.tag("Tidewater (TV)", TagType.FANDOM, canonical=True)
        self.tag("Tidewater", TagType.FANDOM, merger=canonical)
        self.tag("Tides of War", TagType.FANDOM)
        results = {r["name"]: r for r in self.suggest("tide", "fandom")}
        self.assertEqual(
            results["Tidewater"],
            {"name": "Tidewater", "type": "fandom", "canonical": False, "canonical_name": "Tidewater (TV)"},
        )
        self.assertIsNone(results["Tidewater (TV)"]["canonical_name"])
        self.assertIsNone(results["Tides of War"]["canonical_name"])

    def test_characters_and_relationships_of_the_chosen_fandoms_come_first(self):
        tidewater = self.tag("Tidewater (TV)", TagType.FANDOM, canonical=True)
        self.tag("Tidewater", TagType.FANDOM, merger=tidewater)
        starfall = self.tag("Starfall", TagType.FANDOM, canonical=True)
        quill = self.tag("Mara Quill", TagType.CHARACTER, canonical=True, parent=tidewater)
        self.tag("Mara Q.", TagType.CHARACTER, merger=quill)
        self.tag("Mara Stone", TagType.CHARACTER, canonical=True, parent=starfall)
        self.tag("Mara Quill/Jonah Reyes", TagType.RELATIONSHIP, canonical=True, parent=tidewater)
        self.tag("Jonah/Mara Quill", TagType.RELATIONSHIP, canonical=True, parent=tidewater)
        self.tag("Mara Stone/Ilya", TagType.RELATIONSHIP, canonical=True, parent=starfall)
        self.tag("Ilya/Mara Stone", TagType.RELATIONSHIP, canonical=True, parent=starfall)
        self.make_work(fandoms="Starfall", characters="Mara Stone", relationships="Mara Stone/Ilya")

        self.assertEqual(self.names("mara", "character"), ["Mara Stone", "Mara Quill", "Mara Q."])
        # The fandom by its canonical name, a synonym, or in any case; its synonyms' characters too.
        for fandoms in ["Tidewater (TV)", "Tidewater", "TIDEWATER (tv), Unknown Fandom"]:
            self.assertEqual(self.names("mara", "character", fandoms=fandoms), ["Mara Quill", "Mara Q.", "Mara Stone"])
        self.assertEqual(self.names("mara", "character", fandoms="Starfall"), ["Mara Stone", "Mara Quill", "Mara Q."])
        # Word-start matches are scoped the same way, after the prefix matches.
        self.assertEqual(
            self.names("mara", "relationship", fandoms="Tidewater"),
            ["Mara Quill/Jonah Reyes", "Mara Stone/Ilya", "Jonah/Mara Quill", "Ilya/Mara Stone"],
        )
        self.assertEqual(
            self.names("mara", "relationship", fandoms="Starfall"),
            ["Mara Stone/Ilya", "Mara Quill/Jonah Reyes", "Ilya/Mara Stone", "Jonah/Mara Quill"],
        )
        # Other types ignore the fandoms.
        self.assertEqual(self.names("mara", "any", fandoms="Tidewater"), self.names("mara", "any"))

    def test_each_type_suggests_only_its_own_tags(self):
        self.tag("Generation Ships", canonical=True)
        self.tag("Genya", TagType.CHARACTER)
        self.assertEqual(self.names("gen", "rating"), ["General Audiences"])
        self.assertEqual(self.names("gen", "category"), ["Gen"])
        self.assertEqual(self.names("gen", "freeform"), ["Generation Ships"])
        self.assertEqual(self.names("gen", "character"), ["Genya"])
        self.assertEqual(self.names("graphic", "warning"), ["Graphic Depictions Of Violence"])
        self.assertEqual(self.names("gen", "fandom"), [])
        self.assertEqual(self.names("gen"), ["Gen", "General Audiences", "Generation Ships", "Genya"])
        self.assertEqual([r["type"] for r in self.suggest("gen")], ["category", "rating", "freeform", "character"])
        # Media tags only group fandoms: no field takes them.
        self.assertEqual(self.names("tv shows"), [])
        # Without a type, every type.
        response = self.client.get(URL, {"term": "gen"})
        self.assertEqual([r["name"] for r in response.json()["results"]], self.names("gen"))

    def test_it_suggests_at_most_fifteen_tags(self):
        for number in range(20):
            self.tag(f"Ship {number:02d}")
            self.tag(f"Space Ship {number:02d}")
        self.assertEqual(self.names("ship"), [f"Ship {number:02d}" for number in range(15)])
        self.assertEqual(
            self.names("ship 1"),
            [f"Ship {number}" for number in range(10, 20)] + [f"Space Ship {number}" for number in range(10, 15)],
        )

    def test_matching_ignores_case_the_unicode_way(self):
        self.tag("Straße der Träume")
        self.tag("Der Mörder")
        self.tag("ÉMILE ZOLA")
        self.tag("ΣΊΣΥΦΟΣ")
        for term in ["STRASSE", "strasse", "Straß", "STRAẞE DER"]:
            self.assertEqual(self.names(term), ["Straße der Träume"], term)
        self.assertEqual(self.names("mör"), ["Der Mörder"])
        self.assertEqual(self.names("MÖRDER"), ["Der Mörder"])
        self.assertEqual(self.names("émile"), ["ÉMILE ZOLA"])
        self.assertEqual(self.names("σίσυφος"), ["ΣΊΣΥΦΟΣ"])

    def test_names_with_characters_beyond_the_basic_plane_and_like_wildcards_match_literally(self):
        self.tag("Fox🦊 AU")
        self.tag("Foxes")
        self.tag("snake_case")
        self.tag("snakes and ladders")
        self.tag("🦊 Everywhere")
        self.assertEqual(self.names("fox"), ["Foxes", "Fox🦊 AU"])
        self.assertEqual(self.names("fox🦊"), ["Fox🦊 AU"])
        self.assertEqual(self.names("🦊"), ["🦊 Everywhere"])
        self.assertEqual(self.names("snake_"), ["snake_case"])
        self.assertEqual(self.names("_"), [])

    def test_the_term_is_tidied_like_a_tag_name(self):
        self.tag("Found Family")
        self.assertEqual(self.names("  found \t  fam "), ["Found Family"])

    def test_bad_requests_get_a_json_error(self):
        too_long = "x" * 151
        for params in [{}, {"term": ""}, {"term": "   "}, {"term": too_long}, {"term": "a", "type": "nonsense"}]:
            response = self.client.get(URL, params)
            self.assertEqual(response.status_code, 400, params)
            self.assertEqual(response["Content-Type"], "application/json")
            self.assertIsInstance(response.json()["error"], str)
        self.assertIn("at least one character", self.client.get(URL).json()["error"])
        self.assertIn("150", self.client.get(URL, {"term": too_long}).json()["error"])
        self.assertIn("Unknown tag type", self.client.get(URL, {"term": "a", "type": "bogus"}).json()["error"])
        self.assertEqual(self.client.get(URL, {"term": "x" * 150}).status_code, 200)
        # PostgreSQL can't compare text with NUL in it; no tag name has one.
        for params in [{"term": "a\x00b"}, {"term": "a", "type": "character", "fandoms": "Tide\x00water"}]:
            response = self.client.get(URL, params)
            self.assertEqual(response.status_code, 400, params)
            self.assertIn("null characters", response.json()["error"])
        self.assertEqual(self.client.post(URL, {"term": "a"}).status_code, 405)

    def test_answers_may_be_cached_privately_for_a_minute(self):
        response = self.client.get(URL, {"term": "gen"})
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(
            sorted(response["Cache-Control"].split(", ")), ["max-age=60", "private"], response["Cache-Control"]
        )

    def test_queries_stay_few_however_many_tags_match(self):
        tidewater = self.tag("Tidewater (TV)", TagType.FANDOM, canonical=True)
        for number in range(20):
            self.tag(f"Mara {number:02d}", TagType.CHARACTER, parent=tidewater if number % 2 else None)
            self.tag(f"Jonah/Mara {number:02d}", TagType.RELATIONSHIP)
        self.make_work(characters="Mara 03, Mara 04")
        # The first request builds the process's name table and filter index.
        self.names("m")
        # Catching up with new tags, the wrangling log and the filter index's change log, then one
        # batch of ranked prefix matches checked; the fandom scope is four more, each by index.
        with self.assertNumQueries(4):
            self.assertEqual(len(self.names("mara", "character")), 15)
        with self.assertNumQueries(8):
            self.assertEqual(len(self.names("mara", "character", fandoms="Tidewater (TV)")), 15)
        # Too few prefix matches: the word-start matches are one more.
        with self.assertNumQueries(5):
            self.assertEqual(len(self.names("mara 1")), 15)
        # No relationship's name starts with "mara 1": nothing to check, then the word-start matches.
        with self.assertNumQueries(8):
            self.assertEqual(len(self.names("mara 1", "relationship", fandoms="Tidewater (TV)")), 10)
        with self.assertNumQueries(0):
            self.client.get(URL, {"term": ""})

    def test_a_tag_committed_after_a_newer_one_is_still_suggested(self):
        # Concurrent posts may commit a lower tag id after a higher one was seen.
        newest = Tag.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.assertEqual(self.names("lantern"), [])
        Tag.objects.create(pk=newest + 5, name="Lantern Keeper", type=TagType.FREEFORM)
        self.assertEqual(self.names("lantern"), ["Lantern Keeper"])
        Tag.objects.create(pk=newest + 2, name="Lantern Light", type=TagType.FREEFORM)
        self.assertEqual(self.names("lantern"), ["Lantern Keeper", "Lantern Light"])

    def test_an_admin_edit_of_the_name_or_type_shows_in_suggestions_at_once(self):
        staff = User.objects.create_superuser("owner", "owner@example.org", "correct horse battery staple")
        tag = self.tag("Lantern Keeper", TagType.CHARACTER)
        self.assertEqual(self.names("lantern", "character"), ["Lantern Keeper"])
        self.login(staff)
        form = {
            "name": "Lantern Keeper",
            "type": "freeform",
            "merger": "",
            "sort_order": "0",
            "parent_links-TOTAL_FORMS": "0",
            "parent_links-INITIAL_FORMS": "0",
            "parent_links-MIN_NUM_FORMS": "0",
            "parent_links-MAX_NUM_FORMS": "1000",
        }
        response = self.client.post(f"/admin/tags/tag/{tag.pk}/change/", form)
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        self.assertEqual(self.names("lantern", "character"), [])
        self.assertEqual(self.names("lantern", "freeform"), ["Lantern Keeper"])
        response = self.client.post(f"/admin/tags/tag/{tag.pk}/change/", {**form, "name": "Beacon Keeper"})
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        self.client.logout()
        self.assertEqual(self.names("lantern"), [])
        self.assertEqual(self.names("beacon"), ["Beacon Keeper"])


class PostingFormAutocompleteTests(BaseTestCase):
    def test_the_posting_form_marks_its_tag_fields_and_loads_the_script(self):
        self.login(self.alice)
        page = self.client.get("/works/new").content.decode()
        for name, tag_type in [
            ("fandoms", "fandom"),
            ("relationships", "relationship"),
            ("characters", "character"),
            ("freeforms", "freeform"),
        ]:
            self.assertRegex(
                page, rf'<input type="text" name="{name}"[^>]* class="tag-input"[^>]* data-tag-type="{tag_type}"'
            )
        self.assertIn('<script src="/static/js/autocomplete.js" defer data-url="/autocomplete/tags"></script>', page)
        # The Content-Security-Policy allows no inline script: every script comes from a file.
        self.assertEqual(page.count("<script"), page.count("<script src="))
        self.assertIsNotNone(finders.find("js/autocomplete.js"))


class MediaAutocompleteTests(BaseTestCase):
    def test_wranglers_get_media_suggestions(self):
        response = self.client.get("/autocomplete/tags", {"term": "tv", "type": "media"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual([r["name"] for r in response.json()["results"]], ["TV Shows"])


class TagNameTableRebuildTests(ParallelTestCase):
    """The hourly rebuild of the tag name table (for changes that leave no log entry, such as an
    import's raw update) runs beside the requests, which keep the table they have until it is done."""

    def names(self, term: str) -> list[str]:
        response = self.client.get(URL, {"term": term, "type": "any"})
        self.assertEqual(response.status_code, 200, response.content)
        return [result["name"] for result in response.json()["results"]]

    def test_a_due_rebuild_answers_from_the_old_table_then_puts_the_new_one_in_place(self):
        tag = Tag.objects.create(name="Lantern Keeper", type=TagType.FREEFORM)
        Tag.objects.create(name="Łódź Harbour Lights", type=TagType.FREEFORM)
        self.assertEqual(self.names("lantern"), ["Lantern Keeper"])
        # A change that writes no wrangling log entry: only a rebuild sees it.
        Tag.objects.filter(pk=tag.pk).update(name="Beacon Keeper", name_key=tag_name_key("Beacon Keeper"))
        self.assertEqual(self.names("beacon"), [])
        TAG_NAMES.REBUILD_AFTER = 0.0
        self.addCleanup(vars(TAG_NAMES).pop, "REBUILD_AFTER", None)
        # The request that finds the table due starts the rebuild and is answered from the old table.
        self.assertEqual(self.names("beacon"), [])
        rebuild = TAG_NAMES.rebuilding
        self.assertIsNotNone(rebuild)
        assert rebuild is not None
        rebuild.join(timeout=60)
        self.assertFalse(rebuild.is_alive())
        del TAG_NAMES.REBUILD_AFTER
        self.assertEqual(TAG_NAMES.REBUILD_AFTER, TagNames.REBUILD_AFTER)
        self.assertEqual(self.names("beacon"), ["Beacon Keeper"])
        self.assertEqual(self.names("lantern"), [])
        self.assertEqual(self.names("łódź"), ["Łódź Harbour Lights"])
