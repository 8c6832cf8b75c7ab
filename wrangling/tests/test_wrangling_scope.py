"""A fandom's wrangler may not rewire other fandoms: every tag a wrangling action touches is checked
against the wrangler's scope, in the action itself (review finding 3)."""

from tags.models import MetaTagging, TagParent
from tags.tests.helpers import WranglingTestCase


class WranglingScopeTests(WranglingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.make_work(title="Tide", fandoms="Tidewater (TV)", characters="Mara Quill, mara", freeforms="Fluff")
        self.make_work(title="Stars", fandoms="Starfall (Video Game)", characters="Captain Ilse", freeforms="Angst")
        self.set_canonical("Mara Quill", "Captain Ilse", "Fluff", "Angst", "Starfall (Video Game)")
        self.link_parent("Captain Ilse", "Starfall (Video Game)")
        self.link_parent("Angst", "Starfall (Video Game)")
        self.wendy = self.wrangler("wendy", fandom="Tidewater (TV)")

    def test_synonym_of_another_fandoms_canonical_is_refused(self):
        self.assertRefused(self.wendy, "mara", "outside your fandoms", synonym_of="Captain Ilse")
        self.assertIsNone(self.tag("mara").merger)

    def test_bulk_make_synonym_with_another_fandoms_target_is_refused(self):
        response = self.bulk(self.wendy, ["mara"], "make_synonym", "Captain Ilse")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "outside your fandoms")
        self.assertIsNone(self.tag("mara").merger)

    def test_another_fandoms_tag_as_meta_tag_is_refused(self):
        self.assertRefused(self.wendy, "Fluff", "outside your fandoms", add_meta_tags="Angst")
        self.assertFalse(MetaTagging.objects.exists())

    def test_another_fandoms_tag_as_sub_tag_is_refused(self):
        self.assertRefused(self.wendy, "Fluff", "outside your fandoms", add_sub_tags="Angst")
        self.assertFalse(MetaTagging.objects.exists())

    def test_another_fandom_as_parent_is_refused(self):
        self.assertRefused(self.wendy, "Mara Quill", "outside your fandoms", add_fandoms="Starfall (Video Game)")
        self.assertFalse(TagParent.objects.filter(child=self.tag("Mara Quill")).exists())

    def test_within_the_fandom_everything_still_works(self):
        self.assertEdited(self.wendy, "mara", synonym_of="Mara Quill")
        self.assertEdited(self.wendy, "Mara Quill", add_fandoms="Tidewater (TV)")
        self.assertEqual(self.tag("mara").merger, self.tag("Mara Quill"))

    def test_staff_may_link_across_fandoms(self):
        self.assertEdited(self.staff, "Fluff", add_meta_tags="Angst")
        self.assertTrue(MetaTagging.objects.exists())
