"""Tag pages show wrangling, synonyms redirect, and tag listings follow AO3's filter semantics."""

from tags.models import Tag, TagType
from tags.tests.helpers import WranglingTestCase

NOTICE = "Tag changes are still being applied: work counts may be out of date for a few minutes."


class TagPageTests(WranglingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.make_work(
            fandoms="Tidewater (TV), tidewater",
            characters="Mara Quill, mara, Jonah Reyes",
            relationships="Mara Quill/Jonah Reyes",
        )
        self.set_canonical("Tidewater (TV)", "Mara Quill", "Jonah Reyes", "Mara Quill/Jonah Reyes")
        self.make_work(fandoms="Tidewater - All Media Types")
        self.set_canonical("Tidewater - All Media Types")
        self.assertEdited(self.staff, "mara", synonym_of="Mara Quill")
        self.assertEdited(self.staff, "tidewater", synonym_of="Tidewater (TV)")
        self.assertEdited(
            self.staff, "Tidewater (TV)", add_meta_tags="Tidewater - All Media Types", add_media="TV Shows"
        )
        self.assertEdited(
            self.staff, "Mara Quill/Jonah Reyes", add_fandoms="Tidewater (TV)", add_characters="Mara Quill, Jonah Reyes"
        )
        self.client.logout()

    def test_a_canonical_tag_shows_its_synonyms_meta_tags_and_parents(self):
        response = self.client.get("/tags/Tidewater%20(TV)")
        self.assertContains(response, "This is a Fandom tag and a canonical tag")
        self.assertContains(
            response,
            '<dt>Synonyms</dt><dd><ul class="tag-list">'
            '<li><a class="tag" href="/tags/tidewater">tidewater</a></li></ul></dd>',
            html=True,
        )
        self.assertContains(response, "<dt>Meta tags</dt>", html=True)
        self.assertContains(
            response, '<a class="tag" href="/tags/Tidewater%20-%20All%20Media%20Types">Tidewater - All Media Types</a>'
        )
        self.assertContains(response, "<dt>Parent media</dt>", html=True)
        self.assertContains(response, '<a class="tag" href="/tags/TV%20Shows">TV Shows</a>')
        meta = self.client.get("/tags/Tidewater%20-%20All%20Media%20Types")
        self.assertContains(meta, "<dt>Sub tags</dt>", html=True)
        self.assertContains(meta, '<a class="tag" href="/tags/Tidewater%20(TV)">Tidewater (TV)</a>')

    def test_a_relationship_shows_its_fandom_and_characters(self):
        response = self.client.get("/tags/Mara%20Quill*s*Jonah%20Reyes")
        self.assertContains(response, "<dt>Parent fandoms</dt>", html=True)
        self.assertContains(response, "<dt>Parent characters</dt>", html=True)
        self.assertContains(response, '<a class="tag" href="/tags/Jonah%20Reyes">Jonah Reyes</a>')
        # And the character lists the relationship among its child tags.
        self.assertContains(self.client.get("/tags/Jonah%20Reyes"), "Mara Quill/Jonah Reyes")

    def test_a_synonym_names_its_canonical_tag(self):
        response = self.client.get("/tags/mara")
        self.assertContains(response, 'It has been made a synonym of <a href="/tags/Mara%20Quill">Mara Quill</a>')
        self.assertNotContains(response, "<dt>Synonyms</dt>", html=True)

    def test_only_those_who_may_wrangle_the_tag_see_an_edit_link(self):
        self.assertNotContains(self.client.get("/tags/mara"), "/edit")
        self.login(self.bob)
        self.assertNotContains(self.client.get("/tags/mara"), "/edit")
        self.login(self.staff)
        self.assertContains(
            self.client.get("/tags/mara"), '<a class="button secondary" href="/tags/mara/edit">Edit</a>'
        )
        self.assertNotContains(self.client.get("/tags/Mature"), "/edit")

    def test_a_synonyms_works_page_redirects_to_its_canonical_tag_keeping_the_query(self):
        response = self.client.get("/tags/mara/works?sort=title&page=2")
        self.assertRedirects(response, "/tags/Mara%20Quill/works?sort=title&page=2", fetch_redirect_response=False)
        self.assertRedirects(self.client.get("/tags/MARA/works"), "/tags/Mara%20Quill/works")


class FilterSemanticsTests(WranglingTestCase):
    """As AO3: a canonical tag lists works tagged with it, its synonyms, its sub tags and their synonyms."""

    def setUp(self) -> None:
        super().setUp()
        self.make_work(title="Canon", characters="Mara Quill")
        self.make_work(title="Synonym", characters="mara")
        self.make_work(title="Sub", characters="Mara Quill (Young)")
        self.make_work(title="Sub synonym", characters="young mara")
        self.make_work(title="Unrelated", characters="Jonah Reyes")
        self.set_canonical("Mara Quill", "Mara Quill (Young)")

    def wrangle(self) -> None:
        self.assertEdited(self.staff, "mara", synonym_of="Mara Quill")
        self.assertEdited(self.staff, "young mara", synonym_of="Mara Quill (Young)")
        self.assertEdited(self.staff, "Mara Quill", add_sub_tags="Mara Quill (Young)")

    def test_before_wrangling_each_tag_lists_only_its_own_works(self):
        self.assertEqual(self.work_titles("Mara Quill"), {"Canon"})
        self.assertEqual(self.work_titles("mara"), {"Synonym"})

    def test_until_the_background_refresh_runs_tag_pages_say_counts_are_updating(self):
        self.wrangle()
        self.client.logout()
        self.assertContains(self.client.get("/tags/Mara%20Quill"), NOTICE)
        self.assertContains(self.client.get("/tags/Mara%20Quill/works"), NOTICE)
        self.assertEqual(self.work_titles("Mara Quill"), {"Canon"})
        self.run_jobs()
        self.assertNotContains(self.client.get("/tags/Mara%20Quill"), NOTICE)
        self.assertNotContains(self.client.get("/tags/Mara%20Quill/works"), NOTICE)

    def test_a_canonical_tag_lists_its_synonyms_sub_tags_and_their_synonyms_works(self):
        self.wrangle()
        self.run_jobs()
        self.assertEqual(self.work_titles("Mara Quill"), {"Canon", "Synonym", "Sub", "Sub synonym"})
        self.assertEqual(self.work_titles("Mara Quill (Young)"), {"Sub", "Sub synonym"})
        self.assertEqual(self.work_titles("mara"), {"Canon", "Synonym", "Sub", "Sub synonym"})  # redirected
        self.assertContains(self.client.get("/tags/Mara%20Quill"), "4 works tagged Mara Quill")

    def test_a_non_canonical_unmerged_tag_lists_only_its_own_works(self):
        self.wrangle()
        self.run_jobs()
        self.assertEqual(self.work_titles("Jonah Reyes"), {"Unrelated"})

    def test_removing_a_meta_link_removes_the_inherited_works(self):
        self.wrangle()
        self.run_jobs()
        self.assertEdited(self.staff, "Mara Quill", remove_sub_tags=["Mara Quill (Young)"])
        self.run_jobs()
        self.assertEqual(self.work_titles("Mara Quill"), {"Canon", "Synonym"})
        self.assertEqual(self.work_titles("Mara Quill (Young)"), {"Sub", "Sub synonym"})

    def test_removing_a_synonym_gives_the_tag_back_its_own_works(self):
        self.wrangle()
        self.run_jobs()
        self.assertEdited(self.staff, "mara", synonym_of="")
        self.run_jobs()
        self.assertEqual(self.work_titles("Mara Quill"), {"Canon", "Sub", "Sub synonym"})
        self.assertEqual(self.work_titles("mara"), {"Synonym"})

    def test_meta_tags_are_followed_through_several_levels(self):
        self.wrangle()
        self.make_work(title="Family", characters="Quill Family")
        self.set_canonical("Quill Family")
        self.assertEdited(self.staff, "Mara Quill", add_meta_tags="Quill Family")
        self.run_jobs()
        self.assertEqual(self.work_titles("Quill Family"), {"Family", "Canon", "Synonym", "Sub", "Sub synonym"})

    def test_staff_merging_a_canonical_tag_moves_its_works_under_the_new_one(self):
        self.wrangle()
        self.run_jobs()
        self.make_work(title="Jonah", characters="Jonah Reyes")
        self.set_canonical("Jonah Reyes")
        self.assertEdited(self.staff, "Mara Quill (Young)", canonical=False, synonym_of="Jonah Reyes")
        self.run_jobs()
        self.assertEqual(self.work_titles("Jonah Reyes"), {"Unrelated", "Jonah", "Sub", "Sub synonym"})
        # Its meta link moved too: Jonah Reyes is now a sub tag of Mara Quill.
        self.assertEqual(
            self.work_titles("Mara Quill"), {"Canon", "Synonym", "Sub", "Sub synonym", "Unrelated", "Jonah"}
        )


class TagUrlTests(WranglingTestCase):
    def test_urls_built_without_reverse_are_the_pages_urls_and_open_them(self):
        # Blurbs, feeds and the API build tag URLs by hand (hundreds per page); AO3's escapes included.
        for name in ("Mara Quill/Jonah Reyes", "Tidewater (TV)", "Angst & Fluff", "Mr. Ñandú?", "100%. #1 * \\"):
            tag = Tag.objects.create(name=name, type=TagType.FREEFORM, canonical=True)
            self.assertEqual(tag.url, tag.get_absolute_url(), name)
            self.assertEqual(tag.works_url, tag.get_works_url(), name)
            self.assertEqual(self.client.get(tag.url).status_code, 200, name)
