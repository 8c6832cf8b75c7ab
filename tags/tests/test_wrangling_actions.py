"""Each wrangling change through the tag edit page: its effect, its refusals, and its log row."""

from jobs.models import Job
from tags.models import MetaTagging, TagParent, WranglingLog
from tags.tests.helpers import WranglingTestCase


class CanonicalTests(WranglingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.make_work(fandoms="Tidewater (TV)", characters="Mara Quill, mara", freeforms="Fluff")

    def test_making_a_tag_canonical_is_logged_with_who_what_and_when(self):
        self.assertEdited(self.staff, "Mara Quill", canonical=True)
        self.assertTrue(self.tag("Mara Quill").canonical)
        entry = WranglingLog.objects.get()
        self.assertEqual(
            (entry.actor, entry.tag, entry.tag_name, entry.action),
            (self.staff, self.tag("Mara Quill"), "Mara Quill", "make_canonical"),
        )
        self.assertEqual(entry.detail, "Made “Mara Quill” canonical.")
        self.assertIsNotNone(entry.created_at)

    def test_a_tag_with_synonyms_or_meta_tags_cannot_stop_being_canonical(self):
        self.set_canonical("Mara Quill")
        self.assertEdited(self.staff, "mara", synonym_of="Mara Quill")
        self.assertRefused(
            self.staff,
            "Mara Quill",
            "can&#x27;t stop being canonical while it has its synonyms (“mara”): remove those first.",
            canonical=False,
        )
        self.assertTrue(self.tag("Mara Quill").canonical)

    def test_a_tag_stops_being_canonical_once_its_links_are_removed_in_the_same_edit(self):
        self.set_canonical("Mara Quill", "mara")
        self.link_meta("mara", "Mara Quill")
        self.assertEdited(self.staff, "Mara Quill", canonical=False, remove_sub_tags=["mara"])
        self.assertFalse(self.tag("Mara Quill").canonical)
        self.assertFalse(MetaTagging.objects.exists())

    def test_fixed_tags_cannot_be_edited(self):
        self.login(self.staff)
        self.assertEqual(self.client.get("/tags/Mature/edit").status_code, 403)


class SynonymTests(WranglingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.make_work(
            fandoms="Tidewater (TV)",
            characters="Mara Quill, mara, Jonah Reyes",
            relationships="Mara/Jonah",
            freeforms="Fluff",
        )
        self.set_canonical("Mara Quill", "Jonah Reyes", "Tidewater (TV)")

    def test_a_synonym_is_merged_into_its_canonical_tag_and_filters_are_refreshed(self):
        self.assertEdited(self.staff, "mara", synonym_of="Mara Quill")
        self.assertEqual(self.tag("mara").merger, self.tag("Mara Quill"))
        entry = WranglingLog.objects.get()
        self.assertEqual(entry.action, "make_synonym")
        self.assertEqual(entry.detail, "Made “mara” a synonym of “Mara Quill”.")
        job = Job.objects.get()
        self.assertEqual(set(job.payload["tag_ids"]), {self.tag("mara").pk, self.tag("Mara Quill").pk})

    def test_the_comma_autocomplete_leaves_after_a_name_is_ignored(self):
        self.assertEdited(self.staff, "mara", synonym_of="Mara Quill, ")
        self.assertEqual(self.tag("mara").merger, self.tag("Mara Quill"))
        self.assertRefused(self.staff, "Jonah Reyes", "Give just one tag here.", canonical=False, synonym_of="a, b")

    def test_synonyms_are_added_from_the_canonical_tag_and_removed_again(self):
        self.assertEdited(self.staff, "Mara Quill", add_synonyms="mara")
        self.assertEqual(self.tag("mara").merger, self.tag("Mara Quill"))
        self.assertEdited(self.staff, "Mara Quill", remove_synonyms=["mara"])
        self.assertIsNone(self.tag("mara").merger)
        self.assertEqual(
            WranglingLog.objects.order_by("id").last().detail,  # type: ignore[union-attr]
            "“mara” is no longer a synonym of “Mara Quill”.",
        )

    def test_a_synonym_must_be_of_an_existing_canonical_tag_of_the_same_type(self):
        self.assertRefused(self.staff, "mara", "There is no tag named “Nobody”.", synonym_of="Nobody")
        self.assertRefused(
            self.staff,
            "mara",
            "“mara” is a Character tag and “Fluff” is an Additional Tag: synonyms must be tags of the same type.",
            synonym_of="Fluff",
        )
        self.make_work(characters="M. Quill")
        self.assertRefused(
            self.staff,
            "mara",
            "“M. Quill” is not canonical: a tag can only be a synonym of a canonical tag.",
            synonym_of="M. Quill",
        )
        self.assertRefused(
            self.staff, "Mara/Jonah", "“Mara/Jonah” can&#x27;t be a synonym of itself.", synonym_of="Mara/Jonah"
        )
        self.assertIsNone(self.tag("mara").merger)
        self.assertFalse(WranglingLog.objects.exists())

    def test_synonyms_cannot_be_chained(self):
        self.assertEdited(self.staff, "mara", synonym_of="Mara Quill")
        self.make_work(characters="M. Quill")
        self.assertRefused(self.staff, "M. Quill", "“mara” is not canonical", synonym_of="mara")

    def test_a_synonym_cannot_also_be_canonical(self):
        self.assertRefused(
            self.staff, "mara", "A synonym can&#x27;t be canonical", canonical=True, synonym_of="Mara Quill"
        )

    def test_only_staff_can_make_a_canonical_tag_a_synonym(self):
        wrangler = self.wrangler("wendy")
        self.assertRefused(
            wrangler,
            "Jonah Reyes",
            "only archive staff can make a canonical tag a synonym",
            canonical=False,
            synonym_of="Mara Quill",
        )
        self.assertTrue(self.tag("Jonah Reyes").canonical)

    def test_staff_merging_a_canonical_tag_move_its_synonyms_meta_sub_and_child_tags(self):
        self.make_work(characters="jonah, Jonah (young), Reyes Family")
        self.set_canonical("Jonah (young)", "Reyes Family")
        self.assertEdited(self.staff, "jonah", synonym_of="Jonah Reyes")
        self.link_meta("Jonah (young)", "Jonah Reyes")
        self.link_meta("Jonah Reyes", "Reyes Family")
        self.link_parent("Mara/Jonah", "Jonah Reyes")
        self.link_parent("Jonah Reyes", "Tidewater (TV)")

        self.assertEdited(self.staff, "Jonah Reyes", canonical=False, synonym_of="Mara Quill")

        jonah, mara = self.tag("Jonah Reyes"), self.tag("Mara Quill")
        self.assertFalse(jonah.canonical)
        self.assertEqual(jonah.merger, mara)
        self.assertEqual(self.tag("jonah").merger, mara)
        self.assertTrue(MetaTagging.objects.filter(meta_tag=mara, sub_tag=self.tag("Jonah (young)")).exists())
        self.assertTrue(MetaTagging.objects.filter(meta_tag=self.tag("Reyes Family"), sub_tag=mara).exists())
        self.assertFalse(MetaTagging.objects.filter(meta_tag=jonah).exists())
        self.assertFalse(MetaTagging.objects.filter(sub_tag=jonah).exists())
        self.assertTrue(TagParent.objects.filter(child=self.tag("Mara/Jonah"), parent=mara).exists())
        self.assertTrue(TagParent.objects.filter(child=mara, parent=self.tag("Tidewater (TV)")).exists())
        detail = WranglingLog.objects.order_by("id").last().detail  # type: ignore[union-attr]
        self.assertIn("moved to “Mara Quill”: synonyms “jonah”", detail)


class MetaTagTests(WranglingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.make_work(fandoms="Tidewater (TV), Tidewater - All Media Types, Tidewater (Novel)", freeforms="Fluff")
        self.set_canonical("Tidewater (TV)", "Tidewater - All Media Types", "Tidewater (Novel)", "Fluff")

    def test_a_meta_tag_is_added_and_removed_and_both_are_logged(self):
        self.assertEdited(self.staff, "Tidewater (TV)", add_meta_tags="Tidewater - All Media Types")
        self.assertTrue(MetaTagging.objects.filter(meta_tag=self.tag("Tidewater - All Media Types")).exists())
        self.assertEdited(self.staff, "Tidewater - All Media Types", remove_sub_tags=["Tidewater (TV)"])
        self.assertFalse(MetaTagging.objects.exists())
        self.assertEqual(
            list(WranglingLog.objects.order_by("id").values_list("action", "detail")),
            [
                ("add_meta_tag", "Made “Tidewater - All Media Types” a meta tag of “Tidewater (TV)”."),
                ("remove_meta_tag", "“Tidewater - All Media Types” is no longer a meta tag of “Tidewater (TV)”."),
            ],
        )
        self.assertEqual(Job.objects.count(), 2)

    def test_sub_tags_are_added_from_the_meta_tag(self):
        self.assertEdited(self.staff, "Tidewater - All Media Types", add_sub_tags="Tidewater (TV), Tidewater (Novel)")
        self.assertEqual(MetaTagging.objects.filter(meta_tag=self.tag("Tidewater - All Media Types")).count(), 2)

    def test_meta_tags_refuse_self_cycles_other_types_and_non_canonical_tags(self):
        self.link_meta("Tidewater (TV)", "Tidewater - All Media Types")
        self.make_work(fandoms="tidewater")
        refusals = [
            ("Tidewater (TV)", "Tidewater (TV)", "“Tidewater (TV)” can&#x27;t be its own meta tag."),
            (
                "Tidewater - All Media Types",
                "Tidewater (TV)",
                "“Tidewater (TV)” is already a sub tag of “Tidewater - All Media Types”, so it can&#x27;t also be",
            ),
            ("Tidewater (TV)", "Fluff", "meta and sub tags must be of the same type"),
            ("Tidewater (TV)", "tidewater", "“tidewater” is not canonical, so it can&#x27;t be a meta tag."),
            ("Tidewater (TV)", "Tidewater - All Media Types", "is already a meta tag of"),
        ]
        for sub, meta, message in refusals:
            with self.subTest(sub=sub, meta=meta):
                self.assertRefused(self.staff, sub, message, add_meta_tags=meta)
        self.assertEqual(MetaTagging.objects.count(), 1)

    def test_a_cycle_through_several_levels_is_refused(self):
        self.link_meta("Tidewater (Novel)", "Tidewater (TV)")
        self.link_meta("Tidewater (TV)", "Tidewater - All Media Types")
        self.assertRefused(
            self.staff,
            "Tidewater - All Media Types",
            "is already a sub tag of",
            add_meta_tags="Tidewater (Novel)",
        )


class ParentTests(WranglingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.make_work(
            fandoms="Tidewater (TV)",
            characters="Mara Quill, Jonah Reyes",
            relationships="Mara Quill/Jonah Reyes",
            freeforms="Fluff",
        )
        self.set_canonical("Tidewater (TV)", "Mara Quill")

    def test_allowed_parents_are_media_fandoms_and_characters(self):
        self.assertEdited(self.staff, "Tidewater (TV)", add_media="TV Shows")
        self.assertEdited(self.staff, "Mara Quill", add_fandoms="Tidewater (TV)")
        self.assertEdited(self.staff, "Fluff", add_fandoms="Tidewater (TV)")
        self.assertEdited(
            self.staff, "Mara Quill/Jonah Reyes", add_fandoms="Tidewater (TV)", add_characters="Mara Quill"
        )
        self.assertEqual(
            set(TagParent.objects.values_list("child__name", "parent__name")),
            {
                ("Tidewater (TV)", "TV Shows"),
                ("Mara Quill", "Tidewater (TV)"),
                ("Fluff", "Tidewater (TV)"),
                ("Mara Quill/Jonah Reyes", "Tidewater (TV)"),
                ("Mara Quill/Jonah Reyes", "Mara Quill"),
            },
        )
        self.assertEqual(
            WranglingLog.objects.filter(action="add_parent").order_by("id").first().detail,  # type: ignore[union-attr]
            "Added “TV Shows” (Media) as a parent of “Tidewater (TV)”.",
        )
        # Parent links don't change what works filter as.
        self.assertFalse(Job.objects.exists())

    def test_parents_must_be_canonical_and_of_an_allowed_type(self):
        self.assertRefused(
            self.staff,
            "Mara Quill",
            "“Jonah Reyes” can&#x27;t be a parent of “Mara Quill”: the parent of a Character tag must be a Fandom tag.",
            add_fandoms="Jonah Reyes",
        )
        self.assertRefused(
            self.staff,
            "Mara Quill/Jonah Reyes",
            "“Jonah Reyes” is not canonical, so it can&#x27;t be a parent tag.",
            add_characters="Jonah Reyes",
        )
        self.assertFalse(TagParent.objects.exists())

    def test_a_parent_is_removed(self):
        self.link_parent("Mara Quill", "Tidewater (TV)")
        self.assertEdited(self.staff, "Mara Quill", remove_parents=["Tidewater (TV)"])
        self.assertFalse(TagParent.objects.exists())
        self.assertEqual(WranglingLog.objects.get().action, "remove_parent")


class UnwrangleableTests(WranglingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.make_work(characters="Mara Quill", freeforms="it was a dark and stormy night, Fluff")

    def test_additional_tags_can_be_marked_unwrangleable_and_unmarked(self):
        self.assertEdited(self.staff, "it was a dark and stormy night", unwrangleable=True)
        self.assertTrue(self.tag("it was a dark and stormy night").unwrangleable)
        self.assertEdited(self.staff, "it was a dark and stormy night", unwrangleable=False)
        self.assertFalse(self.tag("it was a dark and stormy night").unwrangleable)
        self.assertEqual(WranglingLog.objects.filter(action="set_unwrangleable").count(), 2)

    def test_only_additional_tags_that_are_not_canonical_can_be_unwrangleable(self):
        self.login(self.staff)
        self.assertNotContains(self.client.get("/tags/Mara Quill/edit"), 'name="unwrangleable"')
        self.set_canonical("Fluff")
        self.assertRefused(
            self.staff, "Fluff", "“Fluff” is canonical, so it can&#x27;t be unwrangleable.", unwrangleable=True
        )

    def test_an_unwrangleable_tag_is_unmarked_and_made_canonical_in_one_edit(self):
        self.assertEdited(self.staff, "Fluff", unwrangleable=True)
        self.assertEdited(self.staff, "Fluff", unwrangleable=False, canonical=True)
        fluff = self.tag("Fluff")
        self.assertEqual((fluff.canonical, fluff.unwrangleable), (True, False))


class RenameTests(WranglingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.make_work(characters="zoe quill, Mara Quill")
        self.wendy = self.wrangler("wendy")

    def test_wranglers_can_change_case_and_accents(self):
        self.assertEdited(self.wendy, "zoe quill", name="Zoë Quill")
        tag = self.tag("Zoë Quill")
        self.assertEqual(tag.name_key, "zoë quill")
        self.assertEqual(
            WranglingLog.objects.get().detail,
            "Renamed “zoe quill” to “Zoë Quill”.",
        )

    def test_wranglers_cannot_change_the_letters(self):
        self.assertRefused(
            self.wendy, "zoe quill", "Wranglers can only change the capitalisation and accents", name="Zoey"
        )
        self.assertEqual(self.tag("zoe quill").name, "zoe quill")

    def test_staff_rename_freely_but_not_onto_another_tag(self):
        self.assertEdited(self.staff, "zoe quill", name="Zoe Quill-Reyes")
        self.assertTrue(self.tag("Zoe Quill-Reyes"))
        self.assertRefused(
            self.staff,
            "Zoe Quill-Reyes",
            "“Mara Quill” already exists (a Character tag): make this tag its synonym instead.",
            name="MARA QUILL",
        )
        self.assertRefused(self.staff, "Zoe Quill-Reyes", "characters tags can&#x27;t have: *", name="Zoe*")
        self.assertRefused(self.staff, "Zoe Quill-Reyes", "can&#x27;t be empty or contain commas", name="Zoe, Mara")

    def test_a_renamed_tag_keeps_its_works(self):
        self.assertEdited(self.staff, "zoe quill", name="Zoe Quill")
        self.assertEqual(self.work_titles("Zoe Quill"), {"The Lighthouse Keeper"})


class AllOrNothingTests(WranglingTestCase):
    def test_one_refused_change_leaves_the_whole_edit_unapplied(self):
        self.make_work(characters="Mara Quill, mara", freeforms="Fluff")
        self.set_canonical("Mara Quill")
        self.assertRefused(
            self.staff,
            "Mara Quill",
            "There is no tag named “Nobody”.",
            add_synonyms="mara",
            name="Mara Q.",
            add_meta_tags="Nobody",
        )
        self.assertIsNone(self.tag("mara").merger)
        self.assertEqual(self.tag("Mara Quill").name, "Mara Quill")
        self.assertFalse(WranglingLog.objects.exists())
        self.assertFalse(Job.objects.exists())

    def test_an_edit_that_changes_nothing_says_so(self):
        self.make_work(freeforms="Fluff")
        response = self.edit(self.staff, "Fluff")
        self.assertRedirects(response, "/tags/Fluff/edit", fetch_redirect_response=False)
        self.assertContains(self.client.get("/tags/Fluff/edit"), "Nothing was changed.")
