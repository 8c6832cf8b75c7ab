"""The filter sidebar: include/exclude tags, ranges, sorts, facets, exclusion list, saved filters.

Everything goes through listing URLs as a reader would use them; the
in-memory index must agree with the database after every write.
"""

import re
from datetime import date, timedelta

from django.test import override_settings

from accounts.models import SavedFilter, TagExclusion
from community.actions import mute_user
from fanarchive.test import BaseTestCase
from jobs.queue import run_pending
from tags.models import MetaTagging, Tag
from works import actions
from works.filters import queue_refresh_for_tags
from works.models import Work

COUNT = re.compile(r'<p class="listing-count">\s*(.*?)\s*</p>', re.DOTALL)


class FilterTestCase(BaseTestCase):
    def titles(self, url: str) -> list[str]:
        page = self.client.get(url).content.decode()
        blurbs = re.findall(r'<h3 class="blurb-title">\s*<a href="/works/\d+/"[^>]*>(.*?)</a>', page)
        return blurbs

    def count_line(self, url: str) -> str:
        match = COUNT.search(self.client.get(url).content.decode())
        assert match is not None
        return " ".join(match.group(1).split())

    def tag_id(self, name: str) -> int:
        return Tag.objects.get(name=name).pk


class IncludeExcludeTests(FilterTestCase):
    def setUp(self):
        super().setUp()
        self.make_work(title="Both", characters="Mara, Jonah", freeforms="Fluff")
        self.make_work(title="Mara Only", characters="Mara", freeforms="Angst", rating="Teen And Up Audiences")
        self.make_work(title="Jonah Only", characters="Jonah", rating="Explicit", freeforms="Hurt/Comfort")

    def test_included_tags_must_all_match(self):
        url = f"/works?include={self.tag_id('Mara')}&include={self.tag_id('Jonah')}"
        self.assertEqual(self.titles(url), ["Both"])
        self.assertEqual(self.count_line(url), "1 – 1 of 1 Work")

    def test_ratings_match_any_of_those_chosen(self):
        url = f"/works?include={self.tag_id('Teen And Up Audiences')}&include={self.tag_id('Explicit')}"
        self.assertEqual(sorted(self.titles(url)), ["Jonah Only", "Mara Only"])

    def test_excluded_tags_remove_works(self):
        self.assertEqual(sorted(self.titles(f"/works?exclude={self.tag_id('Mara')}")), ["Jonah Only"])

    def test_other_tags_by_name_include_and_exclude(self):
        self.assertEqual(self.titles("/works?other_include=mara,+fluff"), ["Both"])
        self.assertEqual(sorted(self.titles("/works?other_exclude=Fluff")), ["Jonah Only", "Mara Only"])

    def test_an_unknown_tag_to_include_matches_nothing_and_says_so(self):
        response = self.client.get("/works?other_include=Nobody+Here")
        self.assertContains(response, "There is no tag called “Nobody Here”, so no works match it.")
        self.assertContains(response, "No works found.")

    def test_an_unknown_tag_to_exclude_is_ignored_with_a_message(self):
        response = self.client.get("/works?other_exclude=Nobody+Here")
        self.assertContains(response, "to exclude; it was ignored")
        self.assertContains(response, "of 3 Works")

    def test_tag_pages_filter_within_the_tag(self):
        url = f"/tags/Mara/works?exclude={self.tag_id('Fluff')}"
        self.assertEqual(self.titles(url), ["Mara Only"])

    def test_filters_stay_in_page_links(self):
        for number in range(21):
            self.make_work(title=f"Extra {number}", characters="Mara")
        page = self.client.get(f"/works?include={self.tag_id('Mara')}&sort=title").content.decode()
        self.assertIn(f"include={self.tag_id('Mara')}&amp;sort=title&amp;page=2", page)


class SynonymAndMetaFilterTests(FilterTestCase):
    def test_filtering_by_a_canonical_tag_finds_synonyms_and_sub_tags(self):
        canonical = self.make_work(title="Canonical", freeforms="Alternate Universe").tags.get(
            name="Alternate Universe"
        )
        self.make_work(title="Synonym", freeforms="AU")
        self.make_work(title="Sub", freeforms="Coffee Shop AU")
        self.make_work(title="Sub Synonym", freeforms="coffeeshop au")
        self.make_work(title="Unrelated", freeforms="Fluff")
        canonical_ids = list(
            Tag.objects.filter(name__in=["Alternate Universe", "Coffee Shop AU"]).values_list("pk", flat=True)
        )
        Tag.objects.filter(pk__in=canonical_ids).update(canonical=True)
        Tag.objects.filter(name="AU").update(merger=canonical)
        Tag.objects.filter(name="coffeeshop au").update(merger=Tag.objects.get(name="Coffee Shop AU"))
        MetaTagging.objects.create(meta_tag=canonical, sub_tag=Tag.objects.get(name="Coffee Shop AU"))
        queue_refresh_for_tags(
            Tag.objects.filter(name__in=["Alternate Universe", "AU", "Coffee Shop AU"]).values_list("pk", flat=True)
        )
        self.assertContains(self.client.get("/works"), "Tag changes are still being applied")
        run_pending()
        found = sorted(self.titles(f"/works?include={canonical.pk}"))
        self.assertEqual(found, ["Canonical", "Sub", "Sub Synonym", "Synonym"])
        # Asking for the synonym by name means its canonical tag.
        self.assertEqual(sorted(self.titles("/works?other_include=AU")), found)
        self.assertEqual(self.titles(f"/works?exclude={canonical.pk}"), ["Unrelated"])
        # Facets count under the canonical tag and never list the synonym.
        page = self.client.get("/works").content.decode()
        self.assertIn('Alternate Universe <span class="count">(4)</span>', page)
        self.assertNotIn(">AU <span", page)


class RangeFilterTests(FilterTestCase):
    def test_word_count_range(self):
        self.make_work(title="Short", content="one two three four five six")
        self.make_work(title="Long", content=" ".join(["word"] * 300))
        self.assertEqual(self.titles("/works?words_from=100"), ["Long"])
        self.assertEqual(self.titles("/works?words_to=100"), ["Short"])
        self.assertEqual(self.titles("/works?words_from=1%2C000"), [])

    def test_date_updated_range(self):
        self.make_work(title="Old", backdate="on", published_at="2015-06-01")
        self.make_work(title="New")
        self.assertEqual(self.titles("/works?updated_to=2015-12-31"), ["Old"])
        self.assertEqual(self.titles(f"/works?updated_from={date.today() - timedelta(days=1)}"), ["New"])
        self.assertEqual(self.titles("/works?updated_from=2015-06-01&updated_to=2015-06-01"), ["Old"])

    def test_completion_language_and_crossovers(self):
        self.make_work(title="Done", expected_chapters="1")
        self.make_work(title="Ongoing", expected_chapters="", language="fr")
        self.make_work(title="Cross", fandoms="Tidewater (TV), Starfall Academy")
        self.assertEqual(sorted(self.titles("/works?complete=wip")), ["Ongoing"])
        self.assertNotIn("Ongoing", self.titles("/works?complete=complete"))
        self.assertEqual(self.titles("/works?language=fr"), ["Ongoing"])
        self.assertEqual(self.titles("/works?crossover=only"), ["Cross"])
        self.assertNotIn("Cross", self.titles("/works?crossover=exclude"))

    def test_fandoms_under_one_meta_tag_are_not_a_crossover(self):
        work = self.make_work(title="Same Universe", fandoms="Tidewater (TV), Tidewater (Movie)")
        self.assertEqual(self.titles("/works?crossover=only"), ["Same Universe"])
        meta = Tag.objects.create(name="Tidewater - All Media Types", type="fandom", canonical=True)
        for name in ["Tidewater (TV)", "Tidewater (Movie)"]:
            sub = Tag.objects.get(name=name)
            Tag.objects.filter(pk=sub.pk).update(canonical=True)
            MetaTagging.objects.create(meta_tag=meta, sub_tag=sub)
        queue_refresh_for_tags([meta.pk])
        run_pending()
        self.assertEqual(self.titles("/works?crossover=only"), [])
        work.refresh_from_db()
        self.assertFalse(work.crossover)

    def test_search_within_results_by_title_or_creator(self):
        self.make_work(title="The Lamp at Dawn")
        self.make_work(author=self.bob, title="Harbour Lights")
        self.assertEqual(self.titles("/works?q=lamp"), ["The Lamp at Dawn"])
        self.assertEqual(self.titles("/works?q=BOB"), ["Harbour Lights"])
        self.assertEqual(self.titles("/works?q=lamp+bob"), [])

    def test_bad_values_are_reported_and_ignored(self):
        self.make_work(title="Only")
        response = self.client.get(
            "/works?words_from=lots&updated_from=2024-13-45&language=xx&include=abc&crossover=maybe&sort=nope"
        )
        page = response.content.decode()
        self.assertEqual(response.status_code, 200)
        self.assertIn("Word count (from) must be a whole number", page)
        self.assertIn("Date updated (from) must be a date", page)
        self.assertIn("That language is not one the archive knows", page)
        self.assertIn("was not understood", page)
        self.assertIn("of 1 Work", page)
        response = self.client.get("/works?q=" + "x" * 10_000)
        self.assertContains(response, "The search was cut to its first 200 characters.")


class SortTests(FilterTestCase):
    def test_sorts_on_engagement_counts_and_ties_break_by_newest(self):
        first = self.make_work(title="First")
        second = self.make_work(title="Second")
        Work.objects.filter(pk=first.pk).update(kudos_count=5)
        actions.refresh_work_stats(first)
        self.assertEqual(self.titles("/works?sort=kudos"), ["First", "Second"])
        self.assertEqual(self.titles("/works?sort=comments"), ["Second", "First"])
        del second

    def test_title_sort_sees_new_and_renamed_works(self):
        for title in ["Bravo", "Delta", "Foxtrot"]:
            self.make_work(title=title)
        self.client.get("/works")  # index built
        self.make_work(title="Charlie")
        self.make_work(title="Alpha")
        self.assertEqual(self.titles("/works?sort=title"), ["Alpha", "Bravo", "Charlie", "Delta", "Foxtrot"])


class VisibilityInFiltersTests(FilterTestCase):
    def test_counts_and_facets_never_include_what_the_reader_may_not_see(self):
        self.make_work(title="Public", freeforms="Fluff")
        self.make_work(title="Members", freeforms="Fluff", restricted="on")
        self.make_work(title="Draft", freeforms="Fluff", action="draft")
        hidden = self.make_work(title="Hidden", freeforms="Fluff")
        Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
        actions.refresh_work_stats(hidden)
        fluff = self.tag_id("Fluff")
        page = self.client.get(f"/works?include={fluff}").content.decode()
        self.assertIn("of 1 Work", page)
        self.assertIn('Fluff <span class="count">(1)</span>', self.client.get("/works").content.decode())
        self.login(self.bob)
        self.assertEqual(sorted(self.titles(f"/works?include={fluff}")), ["Members", "Public"])
        self.assertIn('Fluff <span class="count">(2)</span>', self.client.get("/works").content.decode())

    def test_edits_and_deletions_show_at_once(self):
        work = self.make_work(title="Changing", freeforms="Fluff")
        self.assertEqual(self.titles(f"/works?include={self.tag_id('Fluff')}"), ["Changing"])
        self.login(self.alice)
        from fanarchive.test import work_form_data

        self.client.post(
            f"/works/{work.pk}/edit",
            work_form_data(pseuds=[self.alice.default_pseud.pk], title="Changed", freeforms="Angst", action="save"),
        )
        self.assertEqual(self.titles(f"/works?include={self.tag_id('Fluff')}"), [])
        self.assertEqual(self.titles(f"/works?include={self.tag_id('Angst')}"), ["Changed"])
        self.client.post(f"/works/{work.pk}/delete")
        self.assertEqual(self.titles("/works"), [])

    @override_settings(MAX_PAGED_RESULTS=40)
    def test_it_says_when_results_are_too_many_to_page_through(self):
        for number in range(45):
            self.make_work(title=f"Work {number}")
        page = self.client.get("/works?page=3").content.decode()
        self.assertIn("only the first 40 of 45 works can be shown", page)
        self.assertIn("21 – 40 of 45 Works", page)
        self.assertNotIn('rel="next"', page)


class ExclusionListTests(FilterTestCase):
    def setUp(self):
        super().setUp()
        self.make_work(title="Gentle", freeforms="Fluff")
        self.make_work(title="Sad", freeforms="Major Angst")

    def test_a_reader_excludes_tags_everywhere_and_can_show_them_again(self):
        self.login(self.bob)
        response = self.client.post("/account/exclusions", {"tags": "major angst"})
        self.assertRedirects(response, "/account/exclusions")
        self.assertTrue(TagExclusion.objects.filter(user=self.bob, tag__name="Major Angst").exists())
        for url in ["/works", "/users/alice", "/tags/Major%20Angst/works"]:
            self.assertNotIn("Sad", self.titles(url), url)
        page = self.client.get("/works").content.decode()
        self.assertIn("Your exclusion list hid 1 work.", page)
        self.assertIn("of 1 Work", page)
        self.assertIn("Sad", self.titles("/works?exclusions=off"))
        # Other readers are unaffected.
        self.client.logout()
        self.assertIn("Sad", self.titles("/works"))

    def test_unknown_tags_are_refused_and_nothing_is_added(self):
        self.login(self.bob)
        response = self.client.post("/account/exclusions", {"tags": "Fluff, Not A Tag"}, follow=True)
        self.assertContains(response, "No tag is called “Not A Tag”; nothing was added.")
        self.assertFalse(TagExclusion.objects.exists())

    def test_removing_a_tag_from_the_list(self):
        self.login(self.bob)
        self.client.post("/account/exclusions", {"tags": "Fluff"})
        tag = Tag.objects.get(name="Fluff")
        self.client.post("/account/exclusions", {"remove": tag.pk})
        self.assertFalse(TagExclusion.objects.exists())


class SavedFilterTests(FilterTestCase):
    def test_a_reader_saves_a_filter_and_finds_it_again(self):
        self.make_work(title="Gentle", freeforms="Fluff")
        self.login(self.bob)
        query = f"include={self.tag_id('Fluff')}&sort=title"
        response = self.client.post("/account/filters/new", {"name": "My fluff", "query": query, "path": "/works"})
        self.assertRedirects(response, f"/works?{query}")
        saved = SavedFilter.objects.get(user=self.bob)
        self.assertEqual(saved.query, f"/works?{query}")
        self.assertContains(self.client.get("/works"), "My fluff")
        self.assertContains(
            self.client.get("/account/filters"), f'href="/works?include={self.tag_id("Fluff")}&amp;sort=title"'
        )
        self.client.post("/account/filters", {"delete": saved.pk})
        self.assertFalse(SavedFilter.objects.exists())

    def test_saved_filters_only_point_at_this_site(self):
        self.login(self.bob)
        self.client.post("/account/filters/new", {"name": "Evil", "query": "", "path": "//evil.example/"})
        self.assertEqual(SavedFilter.objects.get().query, "/works")

    def test_guests_cannot_save_filters(self):
        response = self.client.post("/account/filters/new", {"name": "x", "query": "", "path": "/works"})
        self.assertEqual(response.status_code, 302)
        self.assertIn("/account/login", response["Location"])
        self.assertFalse(SavedFilter.objects.exists())


class ChangeLogTests(FilterTestCase):
    def test_a_change_committed_late_with_a_lower_id_is_still_applied(self):
        from works.models import FilterChange

        self.make_work(title="Seen")
        self.assertEqual(self.titles("/works"), ["Seen"])  # the index is built here
        late = self.make_work(title="Committed Late")
        # Pretend the second work's log entry committed after a later one was read.
        FilterChange.objects.filter(work_id=late.pk).delete()
        newest = self.make_work(title="Newest")
        self.assertNotIn("Committed Late", self.titles("/works"))
        lower_id = FilterChange.objects.filter(work_id=newest.pk).order_by("id").values_list("id", flat=True)[0] - 1
        FilterChange.objects.create(id=lower_id, work_id=late.pk)
        self.assertIn("Committed Late", self.titles("/works"))

    def test_the_worker_command_runs_queued_recomputations_and_prunes_the_log(self):
        from datetime import timedelta

        from django.core.management import call_command
        from django.utils import timezone

        from jobs.models import Job
        from works.models import FilterChange

        work = self.make_work(freeforms="AU")
        canonical = Tag.objects.create(name="Alternate Universe", type="freeform", canonical=True)
        Tag.objects.filter(name="AU").update(merger=canonical)
        queue_refresh_for_tags([canonical.pk])
        FilterChange.objects.update(created_at=timezone.now() - timedelta(days=2))
        call_command("run_jobs", "--once")
        self.assertEqual(Job.objects.get(kind="refresh_filters_for_tags").status, Job.Status.DONE)
        self.assertTrue(work.filter_taggings.filter(tag=canonical).exists())
        # Old entries went; the recomputation's own entries are new and stay.
        self.assertFalse(FilterChange.objects.filter(created_at__lt=timezone.now() - timedelta(days=1)).exists())
        self.assertTrue(FilterChange.objects.filter(work_id=work.pk).exists())


class MutingInListingsTests(FilterTestCase):
    def test_a_muted_creator_leaves_lists_series_and_blurb_counts(self):
        from accounts.actions import create_account
        from comments.models import Comment

        carol = create_account("carol", "carol@example.org", self.password)
        alices = self.make_work(title="Alice's", new_series_title="Saga")
        series = alices.serial_works.get().series
        carols = self.make_work(author=carol, title="Carol's")
        Comment.objects.create(work=alices, user=carol, content="<p>Hi</p>")
        Comment.objects.create(work=alices, user=self.bob, content="<p>Hello</p>")
        Work.objects.filter(pk=alices.pk).update(comments_count=2)
        mute_user(self.bob, carol)
        self.login(self.bob)
        self.assertEqual(self.titles("/works"), ["Alice&#x27;s"])
        self.assertIn("of 1 Work", self.client.get("/works").content.decode())
        self.assertNotIn("Carol", self.client.get("/").content.decode())
        self.assertNotIn("Carol", self.client.get(f"/series/{series.pk}").content.decode())
        blurbs = self.client.get("/works").content.decode()
        self.assertIn("<dt>Comments:</dt><dd>1</dd>", blurbs.replace("\n", ""))
        # A direct link still opens the muted creator's work.
        self.assertEqual(self.client.get(f"/works/{carols.pk}/").status_code, 200)
