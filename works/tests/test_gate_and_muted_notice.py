"""The adult gate shows the work's blurb; works hidden because their creator is muted are announced."""

import re

from accounts.actions import create_account, exclude_tags
from community.actions import mute_user
from fanarchive.test import BaseTestCase
from tags.models import Tag


class AdultGateBlurbTests(BaseTestCase):
    def test_the_gate_shows_warnings_tags_and_summary_but_not_the_text(self) -> None:
        work = self.make_work(
            title="Night Harbour",
            rating="Explicit",
            warnings=["Graphic Depictions Of Violence"],
            freeforms="Shipwreck, Grief",
            summary="A storm, a lamp, and what the sea took.",
            content="The secret first line.",
        )
        page = self.client.get(f"/works/{work.pk}/").content.decode()
        self.assertIn("Adult content", page)
        for shown in ["Graphic Depictions Of Violence", "Shipwreck", "A storm, a lamp, and what the sea took."]:
            self.assertIn(shown, page)
        self.assertNotIn("The secret first line.", page)
        self.assertRegex(page, r'<a class="button" data-keep-fragment href="\?view_adult=true">Yes, Continue</a>')
        self.assertIn("/static/js/adult-gate.js", page)


class MutedNoticeTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.make_work(title="By Alice")
        self.make_work(title="Also By Alice")
        self.make_work(title="By Bob", author=self.bob)
        self.carol = create_account("carol", "carol@example.org", self.password)
        mute_user(self.carol, self.alice)
        self.login(self.carol)

    def titles(self, url: str) -> list[str]:
        page = self.client.get(url).content.decode()
        return sorted(re.findall(r'<h3 class="blurb-title">\s*<a href="/works/\d+/"[^>]*>(.*?)</a>', page))

    def test_hidden_works_are_counted_with_a_way_to_show_them(self) -> None:
        page = self.client.get("/tags/Tidewater (TV)/works").content.decode()
        self.assertIn("2 works by users you muted are hidden.", page)
        self.assertIn('<a href="?muted=show">Show them</a>', page)
        self.assertEqual(self.titles("/works"), ["By Bob"])
        self.assertEqual(self.titles("/works?muted=show"), ["Also By Alice", "By Alice", "By Bob"])
        shown = self.client.get("/works?sort=title&muted=show").content.decode()
        self.assertIn("Works by users you muted are shown.", shown)
        self.assertIn('<a href="?sort=title">Hide them</a>', shown)
        self.assertIn('<input type="hidden" name="muted" value="show">', shown)
        self.assertEqual(self.client.get("/works?muted=show&count=only").json()["count"], 3)

    def test_a_listing_with_only_muted_works_says_so_instead_of_nothing(self) -> None:
        page = self.client.get("/users/alice").content.decode()
        self.assertIn("2 works by users you muted are hidden.", page)

    def test_readers_who_mute_nobody_see_no_notice(self) -> None:
        self.login(self.bob)
        self.assertNotIn("you muted", self.client.get("/works").content.decode())


class MutedAndExcludedCountsTests(BaseTestCase):
    """A reader who mutes and keeps an exclusion list: each notice counts its own works (a work both
    muted and excluded is counted once, under the exclusion list, as the listing left it out for that)."""

    def setUp(self) -> None:
        super().setUp()
        self.make_work(title="Angst By Alice", freeforms="Angst")
        self.make_work(title="Fluff By Alice", freeforms="Fluff")
        self.make_work(title="Angst By Bob", author=self.bob, freeforms="Angst")
        self.make_work(title="Fluff By Bob", author=self.bob, freeforms="Fluff")
        self.carol = create_account("carol", "carol@example.org", self.password)
        mute_user(self.carol, self.alice)
        exclude_tags(self.carol, [Tag.objects.get(name="Angst").pk])
        self.login(self.carol)

    def test_each_notice_counts_the_works_it_hid(self) -> None:
        for url in ("/works", "/tags/Tidewater (TV)/works"):
            page = self.client.get(url).content.decode()
            self.assertEqual(
                re.findall(r'<h3 class="blurb-title">\s*<a href="/works/\d+/"[^>]*>(.*?)</a>', page), ["Fluff By Bob"]
            )
            self.assertIn("Your exclusion list hid 1 work.", page)
            self.assertIn("1 work by a user you muted is hidden.", page)
        shown = self.client.get("/works?muted=show").content.decode()
        self.assertIn("Your exclusion list hid 2 works.", shown)
        self.assertNotIn("you muted is hidden", shown)
        unlisted = self.client.get("/works?exclusions=off").content.decode()
        self.assertNotIn("Your exclusion list hid", unlisted)
        self.assertIn("2 works by users you muted are hidden.", unlisted)
