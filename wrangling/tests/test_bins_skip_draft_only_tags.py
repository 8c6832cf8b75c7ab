"""Tags used only on unposted drafts stay out of the wranglers' unwrangled bins and their counts."""

from tags.tests.helpers import WranglingTestCase


class BinsSkipDraftOnlyTagsTests(WranglingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.make_work(fandoms="Tidewater (TV)", characters="Mara Quill")
        self.make_work(fandoms="Tidewater (TV)", characters="Ünveröffentlicht Figur", action="draft")
        self.make_work(fandoms="Nowhere Draft Fandom", characters="Lonely Draft Char", action="draft")
        self.set_canonical("Tidewater (TV)")

    def test_a_fandoms_bin_and_count_leave_out_draft_only_tags(self):
        self.login(self.staff)
        response = self.client.get("/wrangling")
        self.assertContains(response, "1 unwrangled Characters in Tidewater (TV)")
        response = self.client.get("/wrangling", {"fandom": "Tidewater (TV)", "type": "character"})
        self.assertContains(response, "Mara Quill")
        self.assertNotContains(response, "Ünveröffentlicht Figur")

    def test_the_unsorted_bin_leaves_out_draft_only_tags(self):
        self.login(self.staff)
        for tag_type in ["fandom", "character"]:
            response = self.client.get("/wrangling", {"unsorted": "1", "type": tag_type})
            self.assertEqual(response.status_code, 200)
            self.assertNotContains(response, "Nowhere Draft Fandom")
            self.assertNotContains(response, "Lonely Draft Char")
