"""Atom feeds of listings: valid RFC 4287, the page's works and filters, blurbs in entries, only what guests see."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from community.actions import mute_user
from feeds.tests.helpers import validated
from tags.actions import rename_tag
from tags.models import Tag
from tags.tests.helpers import WranglingTestCase
from works.models import Work


class FeedTestCase(WranglingTestCase):
    def feed(self, path: str, **headers: Any) -> Any:
        response = self.client.get(path, **headers)
        self.assertEqual(response.status_code, 200, path)
        self.assertEqual(response["Content-Type"], "application/atom+xml; charset=utf-8")
        return validated(response.content)

    def titles(self, path: str) -> list[str]:
        return [entry.title for entry in self.feed(path).entries]


class TagFeedTests(FeedTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.make_work(title="Canon", characters="Mara Quill")
        self.make_work(title="Synonym", characters="mara")
        self.make_work(title="Sub", characters="Mara Quill (Young)")
        self.make_work(title="Unrelated", characters="Jonah Reyes")
        self.set_canonical("Mara Quill", "Mara Quill (Young)")
        self.assertEdited(self.staff, "mara", synonym_of="Mara Quill")
        self.assertEdited(self.staff, "Mara Quill", add_sub_tags="Mara Quill (Young)")
        self.run_jobs()
        self.client.logout()

    def test_a_tag_feed_lists_the_works_of_its_synonyms_and_sub_tags_as_its_page(self):
        self.assertEqual(set(self.titles("/tags/Mara%20Quill/feed.atom")), {"Canon", "Synonym", "Sub"})

    def test_a_synonyms_feed_redirects_to_its_canonical_tags_feed_keeping_the_query(self):
        response = self.client.get("/tags/mara/feed.atom?sort=title")
        self.assertRedirects(response, "/tags/Mara%20Quill/feed.atom?sort=title", fetch_redirect_response=False)

    def test_the_tag_page_links_its_feed_in_the_head_and_visibly(self):
        for path in ("/tags/Mara%20Quill/works?sort=title", "/tags/Mara%20Quill/works"):
            page = self.client.get(path).content.decode()
            feed_path = "/tags/Mara%20Quill/feed.atom" + ("?sort=title" if "?" in path else "")
            self.assertIn(
                f'<link rel="alternate" type="application/atom+xml" title="Atom feed of these works" '
                f'href="{feed_path}">',
                page,
            )
            self.assertIn(f'<a href="{feed_path}" type="application/atom+xml">Atom feed of these works</a>', page)

    def test_an_unknown_tag_or_a_media_tag_has_no_feed(self):
        self.assertEqual(self.client.get("/tags/Nothing%20Here/feed.atom").status_code, 404)
        self.assertEqual(self.client.get("/tags/TV%20Shows/feed.atom").status_code, 404)


class EntryTests(FeedTestCase):
    def test_an_entry_carries_the_blurb(self):
        work = self.make_work(
            title="Über die Brücke",
            fandoms="Tidewater (TV)",
            characters="Mara Quill",
            relationships="Mara Quill/Jonah Reyes",
            freeforms="Found Family",
            rating="Teen And Up Audiences",
            summary="<p>A storm &amp; a <em>lamp</em>.</p>",
        )
        feed = self.feed("/works/feed.atom")
        (entry,) = feed.entries
        self.assertEqual(entry.id, f"http://testserver/works/{work.pk}/")
        self.assertEqual(entry.link, f"http://testserver/works/{work.pk}/")
        self.assertEqual(entry.author_detail.name, "alice")
        self.assertEqual(entry.author_detail.href, "http://testserver/users/alice/pseuds/alice")
        terms = {(t.scheme, t.term) for t in entry.tags}
        self.assertLessEqual(
            {
                ("urn:fanarchive:tag-type:rating", "Teen And Up Audiences"),
                ("urn:fanarchive:tag-type:warning", "No Archive Warnings Apply"),
                ("urn:fanarchive:tag-type:fandom", "Tidewater (TV)"),
                ("urn:fanarchive:tag-type:relationship", "Mara Quill/Jonah Reyes"),
                ("urn:fanarchive:tag-type:character", "Mara Quill"),
                ("urn:fanarchive:tag-type:freeform", "Found Family"),
            },
            terms,
        )
        self.assertIn("<em>lamp</em>", entry.summary)
        content = entry.content[0].value
        self.assertIn("Words: 14", content)
        self.assertIn("Chapters: 1/1", content)
        self.assertIn(
            '<a href="http://testserver/tags/Teen%20And%20Up%20Audiences/works">Teen And Up Audiences</a>', content
        )
        self.assertIn("<blockquote><p>A storm &amp; a <em>lamp</em>.</p></blockquote>", content)
        self.assertEqual(entry.updated_parsed[:6], work.revised_at.utctimetuple()[:6])

    def test_a_new_chapter_updates_the_entry_and_moves_it_to_the_top(self):
        first = self.post_work(title="First", expected_chapters="2")
        second = self.post_work(title="Second")
        # Before the index first loads: days apart, as in life (the index keeps seconds).
        Work.objects.filter(pk=first.pk).update(revised_at=timezone.now() - timedelta(days=3))
        Work.objects.filter(pk=second.pk).update(revised_at=timezone.now() - timedelta(days=1))
        before = self.feed("/works/feed.atom")
        self.assertEqual([e.title for e in before.entries], ["Second", "First"])
        self.login(self.alice)
        response = self.client.post(
            f"/works/{first.pk}/chapters/new", {"chapter_title": "", "content": "More words here.", "action": "post"}
        )
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        after = self.feed("/works/feed.atom")
        self.assertEqual([e.title for e in after.entries], ["First", "Second"])
        entry = after.entries[0]
        self.assertEqual(entry.id, f"http://testserver/works/{first.pk}/")  # the same entry, updated
        self.assertGreater(entry.updated_parsed, before.entries[1].updated_parsed)
        self.assertIn("Chapters: 2/2", entry.content[0].value)
        self.assertEqual(after.feed.updated_parsed, entry.updated_parsed)

    def test_hostile_text_is_escaped_and_the_feed_stays_valid(self):
        self.make_work(title='</title><script>alert("x")</script> & \x7f', freeforms="Bold & co")
        entry = self.feed("/works/feed.atom").entries[0]
        self.assertEqual(entry.title, '</title><script>alert("x")</script> & \x7f')
        self.assertNotIn("<script>", entry.content[0].value)


class ListingFeedTests(FeedTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.short = self.make_work(title="Short one", freeforms="Fluff", content="Two words.")
        self.long = self.make_work(title="Long one", freeforms="Angst", content="word " * 500)
        self.other = self.make_work(self.bob, title="Bob's", freeforms="Fluff")

    def test_a_filtered_listing_feed_takes_the_pages_query_string(self):
        fluff = self.tag("Fluff").pk
        self.assertEqual(set(self.titles(f"/works/feed.atom?include={fluff}")), {"Short one", "Bob's"})
        self.assertEqual(self.titles("/works/feed.atom?words_from=100"), ["Long one"])
        self.assertEqual(self.titles("/works/feed.atom?sort=title"), ["Bob's", "Long one", "Short one"])
        page = self.client.get(f"/works?include={fluff}&page=1").content.decode()
        self.assertIn(f'href="/works/feed.atom?include={fluff}"', page)

    def test_creator_pseud_and_series_feeds(self):
        self.assertEqual(set(self.titles("/users/alice/feed.atom")), {"Short one", "Long one"})
        self.assertEqual(set(self.titles("/users/bob/pseuds/bob/feed.atom")), {"Bob's"})
        first = self.post_work(title="Part One", new_series_title="The Saga")
        series = first.serial_works.get().series
        self.post_work(title="Part Two", series=str(series.pk))
        self.assertEqual(self.titles(f"/series/{series.pk}/feed.atom"), ["Part One", "Part Two"])
        self.assertIn(f'href="/series/{series.pk}/feed.atom"', self.client.get(f"/series/{series.pk}").content.decode())
        self.assertEqual(self.client.get("/users/nobody/feed.atom").status_code, 404)

    def test_a_users_bookmarks_feed_has_their_public_bookmarks_with_notes(self):
        self.login(self.bob)
        for work, private in ((self.short, ""), (self.long, "on")):
            response = self.client.post(
                f"/works/{work.pk}/bookmarks/new",
                {"pseud": self.bob.default_pseud.pk, "notes": "<p>Loved it</p>", "tags": "", "private": private},
            )
            self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        feed = self.feed("/users/bob/bookmarks/feed.atom")
        self.assertEqual([e.title for e in feed.entries], ["Short one"])
        self.assertIn("<blockquote><p>Loved it</p></blockquote>", feed.entries[0].content[0].value)
        self.assertIn('href="/users/bob/bookmarks/feed.atom"', self.client.get("/users/bob/bookmarks").content.decode())

    def test_a_search_feed_runs_the_query_language(self):
        self.index_search()
        self.assertEqual(self.titles("/search/feed.atom?q=title:short"), ["Short one"])
        self.assertIn('href="/search/feed.atom?q=short"', self.client.get("/search/?q=short").content.decode())
        self.assertNotIn("feed.atom", self.client.get("/search/").content.decode())

    def test_long_listings_page_with_next_links(self):
        with self.settings(WORKS_PER_PAGE=2):
            feed = self.feed("/works/feed.atom?sort=title")
            self.assertEqual(len(feed.entries), 2)
            links = {link.rel: link.href for link in feed.feed.links}
            self.assertEqual(links["next"], "http://testserver/works/feed.atom?sort=title&page=2")
            self.assertEqual(self.titles("/works/feed.atom?sort=title&page=2"), ["Short one"])

    def test_a_feed_is_cacheable_and_answers_304_when_unchanged(self):
        response = self.client.get("/works/feed.atom")
        self.assertIn("public", response["Cache-Control"])
        etag, modified = response["ETag"], response["Last-Modified"]
        self.assertEqual(self.client.get("/works/feed.atom", HTTP_IF_NONE_MATCH=etag).status_code, 304)
        self.assertEqual(self.client.get("/works/feed.atom", HTTP_IF_MODIFIED_SINCE=modified).status_code, 304)
        self.make_work(title="Newer")
        self.assertEqual(self.client.get("/works/feed.atom", HTTP_IF_NONE_MATCH=etag).status_code, 200)

    def test_an_empty_feed_is_valid(self):
        self.assertEqual(self.titles("/works/feed.atom?words_from=999999"), [])


class FeedVisibilityTests(FeedTestCase):
    """Feeds show what a guest sees, whoever asks: no drafts, hidden or restricted works; mutes are personal."""

    def setUp(self) -> None:
        super().setUp()
        self.post_work(title="Public", freeforms="Lanterns", new_series_title="Saga")
        series = Work.objects.get(title="Public").serial_works.get().series
        self.post_work(title="Draft", freeforms="Lanterns", action="draft", series=str(series.pk))
        self.post_work(title="Restricted", freeforms="Lanterns", restricted="on", series=str(series.pk))
        hidden = self.post_work(title="Hidden", freeforms="Lanterns", series=str(series.pk))
        Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
        self.series = series
        self.index_search()

    def test_no_feed_shows_drafts_hidden_or_restricted_works_even_to_their_creator(self):
        mute_user(self.bob, self.alice)
        paths = [
            "/works/feed.atom",
            "/tags/Lanterns/feed.atom",
            "/users/alice/feed.atom",
            "/users/alice/pseuds/alice/feed.atom",
            f"/series/{self.series.pk}/feed.atom",
            "/search/feed.atom?q=Lanterns",
        ]
        for user in (None, self.alice, self.bob):
            if user:
                self.login(user)
            for path in paths:
                self.assertEqual(self.titles(path), ["Public"], (path, user))
            self.client.logout()

    def test_a_series_of_only_restricted_works_has_no_feed(self):
        lone = self.post_work(title="Members", new_series_title="Members Saga", restricted="on")
        self.assertEqual(self.client.get(f"/series/{lone.serial_works.get().series_id}/feed.atom").status_code, 404)


class CachedEntryTests(FeedTestCase):
    """Entries' blurbs are cached by what they show (feeds.atom.blurb_html): never stale."""

    def test_a_renamed_tag_or_pseud_and_a_new_word_count_show_at_once(self):
        work = self.make_work(title="Lamp", freeforms="Found Family")
        first = self.feed("/works/feed.atom").entries[0].content[0].value
        self.assertIn(">Found Family</a>", first)
        self.assertEqual(self.feed("/works/feed.atom").entries[0].content[0].value, first)  # from the cache
        rename_tag(self.staff, Tag.objects.get(name="Found Family"), "Found Famiglia")
        pseud = self.alice.default_pseud
        pseud.name = "Lamplighter"
        pseud.save(update_fields=["name"])
        Work.objects.filter(pk=work.pk).update(word_count=123_456)
        content = self.feed("/works/feed.atom").entries[0].content[0].value
        self.assertIn(">Found Famiglia</a>", content)
        self.assertNotIn("Found Family", content)
        self.assertIn(">Lamplighter (alice)</a>", content)
        self.assertIn("Words: 123456", content)
