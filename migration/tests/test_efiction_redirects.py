"""The old eFiction links answer with permanent redirects to the imported pages."""

from migration.models import SourceRecord
from migration.tests.efiction_fixture import write_archive
from migration.tests.test_efiction_import import EFictionImportCase
from tags.models import Tag
from works.models import Series, Work


class OldLinkTests(EFictionImportCase):
    def setUp(self) -> None:
        super().setUp()
        self.import_archive(write_archive(self.folder / "site"))
        self.moony = Work.objects.get(title="Moony's Lament")

    def assertMovedTo(self, old: str, new: str) -> None:
        response = self.client.get(old)
        self.assertEqual(response.status_code, 301, old)
        self.assertEqual(response["Location"], new)

    def test_a_story_link_goes_to_the_work_and_a_chapter_link_to_that_chapter(self):
        second = self.moony.chapters.get(position=2)
        self.assertMovedTo("/viewstory.php?sid=1", self.moony.get_absolute_url())
        self.assertMovedTo("/viewstory.php?sid=1&chapter=2", second.get_absolute_url())
        # A chapter that did not come over (never validated): the work.
        self.assertMovedTo("/viewstory.php?sid=1&chapter=4", self.moony.get_absolute_url())
        self.assertMovedTo("/viewstory.php?sid=1&chapter=2&textsize=0", second.get_absolute_url())
        self.bob.skip_adult_gate = True
        self.bob.save(update_fields=["skip_adult_gate"])
        self.login(self.bob)
        page = self.client.get("/viewstory.php?sid=1&chapter=2", follow=True)
        self.assertContains(page, "Snow fell on")

    def test_author_series_and_browse_links_go_to_their_new_pages(self):
        self.assertMovedTo(
            "/viewuser.php?uid=2", "/users/openarchivist/pseuds/%E5%B0%8F%E6%9E%97%E3%81%95%E3%81%8F%E3%82%89"
        )
        wolf = Series.objects.get(title="The Wolf Cycle")
        self.assertMovedTo("/viewseries.php?seriesid=1", wolf.get_absolute_url())
        self.assertMovedTo(
            "/browse.php?type=challenges&chalid=1", Tag.objects.get(name="Winter Solstice Challenge 2006").works_url
        )
        self.assertMovedTo("/browse.php?type=categories&catid=2", Tag.objects.get(name="Marauders Era").works_url)
        self.assertMovedTo(
            "/browse.php?type=characters&charid=5", Tag.objects.get(name="Guðrún Ósvífursdóttir").works_url
        )
        self.assertMovedTo("/browse.php?type=class&type_id=3&classid=6", Tag.objects.get(name="Remus/Sirius").works_url)
        self.assertMovedTo("/browse.php?type=recent", "/works")
        page = self.client.get("/browse.php?type=categories&catid=1", follow=True)
        self.assertContains(page, "Full Moon Rising")

    def test_unknown_or_skipped_items_are_not_found(self):
        missing = ["/viewstory.php?sid=4", "/viewstory.php?sid=999", "/viewstory.php?sid=abc", "/viewstory.php"]
        missing += ["/viewuser.php?uid=5", "/viewseries.php?seriesid=7", "/browse.php?type=categories&catid=99"]
        for old in missing:
            self.assertEqual(self.client.get(old).status_code, 404, old)
        self.assertFalse(SourceRecord.objects.filter(kind="story", source_id=4).exists())
