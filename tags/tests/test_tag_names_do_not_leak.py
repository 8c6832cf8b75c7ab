"""Tag names used only where a reader may not look (drafts, hidden and restricted works, private
bookmarks) are neither suggested nor shown to that reader (review finding 4)."""

from bookmarks.models import Bookmark
from fanarchive.test import BaseTestCase
from tags.models import Tag, TagType, tag_name_key
from works.models import Series, Work

URL = "/autocomplete/tags"


class TagNamesDoNotLeakTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.make_work(title="Public", freeforms="Zephyr Public")
        self.make_work(title="Draft", freeforms="Zephyr Draftonly", action="draft")
        self.make_work(title="Members", freeforms="Zephyr Membersonly", restricted="on")
        hidden = self.make_work(title="Hidden", freeforms="Zephyr Hiddenonly")
        Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
        carol_work = self.make_work(title="Bookmarked", freeforms="")
        self.login(self.bob)
        response = self.client.post(
            f"/works/{carol_work.pk}/bookmarks/new",
            {"pseud": self.bob.default_pseud.pk, "notes": "", "tags": "Zephyr Privatebookmark", "private": "on"},
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Bookmark.objects.get().private)
        self.client.logout()

    def suggested(self) -> set[str]:
        response = self.client.get(URL, {"term": "zephyr", "type": "any"})
        self.assertEqual(response.status_code, 200)
        return {result["name"] for result in response.json()["results"]}

    def test_a_guest_is_suggested_only_the_public_tag(self):
        self.assertEqual(self.suggested(), {"Zephyr Public"})

    def test_a_logged_in_reader_also_gets_restricted_works_tags_and_their_own_private_bookmarks(self):
        self.login(self.bob)
        self.assertEqual(self.suggested(), {"Zephyr Public", "Zephyr Membersonly", "Zephyr Privatebookmark"})
        self.login(self.alice)
        # Alice's own draft and her work hidden by staff are hers to see; Bob's private bookmark is not.
        mine = {"Zephyr Draftonly", "Zephyr Hiddenonly"}
        self.assertEqual(self.suggested(), {"Zephyr Public", "Zephyr Membersonly", *mine})

    def test_tag_pages_are_404_where_the_tag_is_not_visible(self):
        for name in ["Zephyr Draftonly", "Zephyr Hiddenonly", "Zephyr Membersonly", "Zephyr Privatebookmark"]:
            with self.subTest(name=name):
                self.assertEqual(self.client.get(f"/tags/{name}").status_code, 404)
                self.assertEqual(self.client.get(f"/tags/{name}/works").status_code, 404)
        self.assertEqual(self.client.get("/tags/Zephyr Public").status_code, 200)
        self.login(self.bob)
        self.assertEqual(self.client.get("/tags/Zephyr Membersonly").status_code, 200)

    def test_a_hidden_synonym_is_not_listed_on_its_canonical_tags_page(self):
        public = Tag.objects.get(name_key=tag_name_key("Zephyr Public"))
        Tag.objects.filter(pk=public.pk).update(canonical=True)
        Tag.objects.filter(name_key=tag_name_key("Zephyr Draftonly")).update(merger=public)
        page = self.client.get("/tags/Zephyr Public")
        self.assertNotContains(page, "Zephyr Draftonly")

    def test_public_bookmarks_tags_and_tags_nothing_uses_any_more_are_shown(self):
        public = Work.objects.get(title="Public")
        self.login(self.bob)
        response = self.client.post(
            f"/works/{public.pk}/bookmarks/new",
            {"pseud": self.bob.default_pseud.pk, "notes": "", "tags": "Zephyr Publicbookmark"},
        )
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        # What a deleted work leaves behind: a tag on nothing hides nothing.
        Tag.objects.create(name="Zephyr Unused", type=TagType.FREEFORM)
        self.assertEqual(self.suggested(), {"Zephyr Public", "Zephyr Publicbookmark", "Zephyr Unused"})
        self.assertEqual(self.client.get("/tags/Zephyr Publicbookmark").status_code, 200)


class BookmarkTagsFollowTheBookmarksVisibilityTests(BaseTestCase):
    """A tag only on bookmarks is named to a reader who may see one of those bookmarks: of a work
    they may see, of a series with a work they may see, or left by a deleted work; not a muted user's."""

    def setUp(self) -> None:
        super().setUp()
        members = self.make_work(title="Members", freeforms="", restricted="on")
        self.make_work(title="In members series", freeforms="", restricted="on", new_series_title="Ø Members")
        hidden_series = self.make_work(title="In hidden series", freeforms="", new_series_title="Ø Hidden")
        self.make_work(title="In shown series", freeforms="", new_series_title="Ø Shown")
        deleted = self.make_work(title="Deleted later", freeforms="")
        self.login(self.bob)
        for url, tag in [
            (f"/works/{members.pk}/bookmarks/new", "Zephyr Onmembers"),
            (f"/series/{Series.objects.get(title='Ø Members').pk}/bookmarks/new", "Zephyr Onmembersseries"),
            (f"/series/{Series.objects.get(title='Ø Hidden').pk}/bookmarks/new", "Zephyr Onhiddenseries"),
            (f"/series/{Series.objects.get(title='Ø Shown').pk}/bookmarks/new", "Zephyr Onshownseries"),
            (f"/works/{deleted.pk}/bookmarks/new", "Zephyr Ondeleted"),
        ]:
            response = self.client.post(url, {"pseud": self.bob.default_pseud.pk, "notes": "", "tags": tag})
            self.assertEqual(response.status_code, 302, url)
        self.client.logout()
        self.assertEqual(Bookmark.objects.count(), 5)
        Work.objects.filter(pk=hidden_series.pk).update(hidden_by_admin=True)
        Work.objects.filter(pk=deleted.pk).delete()

    def suggested(self) -> set[str]:
        response = self.client.get(URL, {"term": "zephyr", "type": "any"})
        self.assertEqual(response.status_code, 200)
        return {result["name"] for result in response.json()["results"]}

    def test_guests_readers_and_a_muter(self):
        self.assertEqual(self.suggested(), {"Zephyr Onshownseries", "Zephyr Ondeleted"})
        self.assertEqual(self.client.get("/tags/Zephyr Onmembersseries").status_code, 404)
        self.login(self.bob)
        everything_shown = {"Zephyr Onmembers", "Zephyr Onmembersseries", "Zephyr Onshownseries", "Zephyr Ondeleted"}
        self.assertEqual(self.suggested(), everything_shown)
        self.assertEqual(self.client.get("/tags/Zephyr Onmembersseries").status_code, 200)
        self.login(self.alice)
        self.assertEqual(self.suggested(), everything_shown)
        self.assertEqual(self.client.post("/users/bob/mute").status_code, 302)
        self.assertEqual(self.suggested(), set())
        self.assertEqual(self.client.get("/tags/Zephyr Ondeleted").status_code, 404)
        # Bob mutes the creator: his bookmarks of her works leave his lists; of her series and of
        # the deleted work they stay (works.access.listed_works, bookmarks.listing.visible_bookmark).
        self.login(self.bob)
        self.assertEqual(self.client.post("/users/alice/mute").status_code, 302)
        self.assertEqual(self.suggested(), {"Zephyr Onmembersseries", "Zephyr Onshownseries", "Zephyr Ondeleted"})
