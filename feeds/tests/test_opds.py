"""The OPDS catalog: valid against the OPDS 1.2 schema, navigation down to acquisition feeds, facets,
paging, search, what a reader's token may see, and EPUB links an app follows through the adult gate."""

import base64
from typing import Any

from api.tokens import create_token
from community.actions import mark_for_later, mute_user
from feeds.opds import ACQUIRE, FACET, NAVIGATION
from feeds.tests.helpers import validated
from tags.tests.helpers import WranglingTestCase
from works.models import Work


class OpdsTestCase(WranglingTestCase):
    def catalog(self, path: str, **headers: Any) -> Any:
        response = self.client.get(path, **headers)
        self.assertEqual(response.status_code, 200, response.content.decode()[:1000])
        self.assertTrue(response["Content-Type"].startswith("application/atom+xml;profile=opds-catalog;kind="))
        validated(response.content, "atom.rng")
        return validated(response.content, "opds.rng")

    def basic(self, user: Any, secret: str) -> dict[str, Any]:
        credentials = base64.b64encode(f"{user.username}:{secret}".encode()).decode()
        return {"HTTP_AUTHORIZATION": f"Basic {credentials}"}

    def links(self, entry_or_feed: Any) -> dict[str, Any]:
        return {link.rel: link for link in entry_or_feed.links}


class CatalogTests(OpdsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.fluff = self.make_work(
            title="Fluffy", fandoms="Tidewater (TV)", freeforms="Fluff", rating="General Audiences"
        )
        self.adult = self.make_work(title="Grown-up", fandoms="Tidewater (TV)", rating="Explicit")
        self.set_canonical("Tidewater (TV)")
        self.assertEdited(self.staff, "Tidewater (TV)", add_media="TV Shows")
        self.client.logout()

    def test_the_root_leads_through_media_and_fandoms_to_works(self):
        root = self.catalog("/opds/")
        self.assertEqual([e.title for e in root.entries], ["Recently updated", "Most kudos", "Fandoms"])
        self.assertEqual(self.links(root.feed)["search"].href, "http://testserver/opds/opensearch.xml")
        fandoms_link = self.links(root.entries[2])["subsection"]
        self.assertEqual(fandoms_link.type, NAVIGATION)
        media = self.catalog("/opds/media")
        self.assertEqual([e.title for e in media.entries], ["TV Shows"])
        fandoms = self.catalog(self.links(media.entries[0])["subsection"].href.removeprefix("http://testserver"))
        self.assertEqual([(e.title, e.content[0].value) for e in fandoms.entries], [("Tidewater (TV)", "2 works")])
        works = self.catalog(self.links(fandoms.entries[0])["subsection"].href.removeprefix("http://testserver"))
        self.assertEqual({e.title for e in works.entries}, {"Fluffy", "Grown-up"})

    def test_acquisition_entries_link_the_epub_through_the_adult_gate_only_with_consent(self):
        works = self.catalog("/opds/works?sort=title")
        epub = {e.title: self.links(e)[ACQUIRE] for e in works.entries}
        self.assertEqual(epub["Fluffy"].type, "application/epub+zip")
        self.assertEqual(epub["Fluffy"].href, f"http://testserver/works/{self.fluff.pk}/download/epub")
        self.assertEqual(epub["Grown-up"].href, f"http://testserver/works/{self.adult.pk}/download/epub")
        # Without consent the app gets the gate, not the book.
        self.assertEqual(
            self.client.get(f"/works/{self.adult.pk}/download/epub")["Content-Type"], "text/html; charset=utf-8"
        )
        consenting = self.catalog("/opds/works?sort=title&view_adult=true")
        href = {e.title: self.links(e)[ACQUIRE].href for e in consenting.entries}["Grown-up"]
        self.assertEqual(href, f"http://testserver/works/{self.adult.pk}/download/epub?view_adult=true")
        self.client.cookies.clear()
        response = self.client.get(href.removeprefix("http://testserver"))
        self.assertEqual(response["Content-Type"], "application/epub+zip")
        # A token can carry the consent once for all.
        _token, secret = create_token(self.bob, "reader", read_restricted=True, write=False, view_adult=True)
        self.client.cookies.clear()
        with_token = self.catalog("/opds/works?sort=title", **self.basic(self.bob, secret))
        self.assertTrue(
            {e.title: self.links(e)[ACQUIRE].href for e in with_token.entries}["Grown-up"].endswith("?view_adult=true")
        )

    def test_facets_for_sort_and_rating_and_paging(self):
        feed = self.catalog("/opds/works?sort=kudos")
        facets = [link for link in feed.feed.links if link.rel == FACET]
        groups = {(f["opds:facetgroup"] if "opds:facetgroup" in f else f.get("facetgroup"), f.title) for f in facets}
        self.assertIn(("Sort", "Most kudos"), groups)
        self.assertIn(("Rating", "Explicit"), groups)
        active = [f.title for f in facets if f.get("opds_activefacet") == "true" or f.get("activefacet") == "true"]
        self.assertEqual(set(active), {"Most kudos", "All ratings"})
        explicit = next(f for f in facets if f.title == "Explicit").href.removeprefix("http://testserver")
        self.assertEqual([e.title for e in self.catalog(explicit).entries], ["Grown-up"])
        with self.settings(WORKS_PER_PAGE=1):
            first = self.catalog("/opds/works?sort=title")
            self.assertEqual(self.links(first.feed)["next"].href, "http://testserver/opds/works?sort=title&page=2")
            self.assertEqual([e.title for e in self.catalog("/opds/works?sort=title&page=2").entries], ["Grown-up"])

    def test_search_and_its_opensearch_description(self):
        self.index_search()
        description = self.client.get("/opds/opensearch.xml")
        self.assertIn(b'template="http://testserver/opds/search?q={searchTerms}"', description.content)
        self.assertEqual([e.title for e in self.catalog("/opds/search?q=fluffy").entries], ["Fluffy"])


class PersonalCatalogTests(OpdsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.public = self.post_work(title="Public")
        self.restricted = self.post_work(title="Restricted", restricted="on")
        self.draft = self.post_work(title="Draft", action="draft")
        self.hidden = self.post_work(title="Hidden")
        Work.objects.filter(pk=self.hidden.pk).update(hidden_by_admin=True)
        _token, self.secret = create_token(self.bob, "KOReader", read_restricted=True, write=False, view_adult=False)

    def test_guests_see_public_works_and_are_asked_to_sign_in_for_their_lists(self):
        self.assertEqual([e.title for e in self.catalog("/opds/works").entries], ["Public"])
        response = self.client.get("/opds/bookmarks")
        self.assertEqual(response.status_code, 401)
        self.assertIn("Basic", response["WWW-Authenticate"])
        self.assertEqual(self.client.get("/opds/later").status_code, 401)

    def test_a_token_sees_restricted_works_its_bookmarks_and_marked_for_later(self):
        auth = self.basic(self.bob, self.secret)
        self.assertEqual({e.title for e in self.catalog("/opds/works", **auth).entries}, {"Public", "Restricted"})
        root = self.catalog("/opds/", **auth)
        self.assertEqual([e.title for e in root.entries][-2:], ["My bookmarks", "Marked for Later"])
        mark_for_later(self.bob, self.restricted)
        mark_for_later(self.bob, self.public)
        self.assertEqual([e.title for e in self.catalog("/opds/later", **auth).entries], ["Public", "Restricted"])
        self.login(self.bob)
        self.client.post(
            f"/works/{self.public.pk}/bookmarks/new",
            {"pseud": self.bob.default_pseud.pk, "notes": "", "tags": "", "private": "on"},
        )
        self.client.logout()
        self.assertEqual([e.title for e in self.catalog("/opds/bookmarks", **auth).entries], ["Public"])
        # The restricted work's EPUB downloads with the token, and not without.
        entry = next(e for e in self.catalog("/opds/works", **auth).entries if e.title == "Restricted")
        href = self.links(entry)[ACQUIRE].href.removeprefix("http://testserver")
        self.assertEqual(self.client.get(href, **auth)["Content-Type"], "application/epub+zip")
        self.assertEqual(self.client.get(href).status_code, 302)  # a guest is sent to log in

    def test_muted_creators_are_gone_from_the_readers_catalog(self):
        mute_user(self.bob, self.alice)
        self.assertEqual(self.catalog("/opds/works", **self.basic(self.bob, self.secret)).entries, [])
