"""The OPDS 2.0 (JSON) catalog at /opds/v2/: the same navigation, works, acquisition links (PDF once
built), facets and pages as the OPDS 1.2 feeds, in the shape of https://drafts.opds.io/opds-2.0."""

import json
from typing import Any

from api.tokens import create_token
from feeds.opds import ACQUIRE
from feeds.tests.test_opds_pdf import OpdsPdfTestCase

OPDS2 = "application/opds+json"


class Opds2Tests(OpdsPdfTestCase):
    def get_json(self, path: str, **headers: Any) -> Any:
        response = self.client.get(path, **headers)
        self.assertEqual(response.status_code, 200, response.content.decode()[:1000])
        self.assertEqual(response["Content-Type"], OPDS2)
        self.assertIn("ETag", response)
        data = json.loads(response.content)
        self.assertIsInstance(data["metadata"]["title"], str)
        rels = {link["rel"]: link for link in data["links"]}
        self.assertEqual(rels["self"]["href"], f"http://testserver{path}")
        self.assertEqual(rels["start"]["href"], "http://testserver/opds/v2/")
        self.assertEqual(
            rels["search"], {"href": "http://testserver/opds/v2/search{?q}", "type": OPDS2, "rel": "search"}
        )
        return data

    def test_the_root_navigates_like_the_atom_root(self):
        root = self.get_json("/opds/v2/")
        self.assertEqual(
            [(item["title"], item["href"], item["type"]) for item in root["navigation"]],
            [
                ("Recently updated", "http://testserver/opds/v2/works?sort=updated", OPDS2),
                ("Most kudos", "http://testserver/opds/v2/works?sort=kudos", OPDS2),
                (
                    "Fandoms",
                    "http://testserver/opds/media",
                    "application/atom+xml;profile=opds-catalog;kind=navigation",
                ),
            ],
        )
        _token, secret = create_token(self.bob, "reader", read_restricted=True, write=False, view_adult=False)
        signed_in = self.get_json("/opds/v2/", **self.basic(self.bob, secret))
        self.assertEqual([item["title"] for item in signed_in["navigation"]][-2:], ["My bookmarks", "Marked for Later"])
        self.assertEqual(self.client.get("/opds/v2/later").status_code, 401)

    def test_works_are_publications_with_the_same_links_facets_and_pages_as_the_atom_feed(self):
        work = self.post_work(
            title="Lighthouse 灯台", summary="A <em>storm</em>.", fandoms="Tidewater (TV)", rating="Explicit"
        )
        self.post_work(title="Another", rating="General Audiences")
        self.print_pdf(work, QUERY_STRING="view_adult=true")
        self.client.cookies.clear()
        with self.settings(WORKS_PER_PAGE=1):
            data = self.get_json("/opds/v2/works?sort=title&view_adult=true")
        self.assertEqual(data["metadata"]["numberOfItems"], 2)
        rels = {link["rel"]: link for link in data["links"]}
        self.assertEqual(rels["next"]["href"], "http://testserver/opds/v2/works?sort=title&view_adult=true&page=2")
        self.assertEqual(rels["next"]["type"], OPDS2)
        facets = {group["metadata"]["title"]: group["links"] for group in data["facets"]}
        self.assertEqual([f["title"] for f in facets["Sort"] if f.get("rel") == "self"], ["Title"])
        self.assertIn("Explicit", [f["title"] for f in facets["Rating"]])
        self.assertTrue(
            all(f["type"] == OPDS2 and f["href"].startswith("http://testserver/opds/v2/works?") for f in facets["Sort"])
        )
        [publication] = data["publications"]
        self.assertEqual(publication["metadata"]["title"], "Another")
        with self.settings(WORKS_PER_PAGE=1):
            data = self.get_json("/opds/v2/works?sort=title&view_adult=true&page=2")
        self.assertEqual({link["rel"] for link in data["links"]} & {"first", "previous"}, {"first", "previous"})
        [publication] = data["publications"]
        metadata = publication["metadata"]
        self.assertEqual(metadata["@type"], "http://schema.org/Book")
        self.assertEqual(metadata["title"], "Lighthouse 灯台")
        self.assertEqual(metadata["identifier"], f"http://testserver/works/{work.pk}/")
        # Plain text, as the Atom feed's summary.
        self.assertTrue(metadata["description"].startswith("A") and "storm" in metadata["description"])
        self.assertNotIn("<", metadata["description"])
        self.assertEqual([a["name"] for a in metadata["author"]], ["alice"])
        self.assertIn({"name": "Tidewater (TV)", "scheme": "tag:fandom"}, metadata["subject"])
        self.assertRegex(metadata["modified"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        acquisitions = {link["type"]: link["href"] for link in publication["links"] if link["rel"] == ACQUIRE}
        self.assertEqual(
            acquisitions,
            {
                "application/epub+zip": f"http://testserver/works/{work.pk}/download/epub?view_adult=true",
                "application/pdf": f"http://testserver/works/{work.pk}/download/pdf?view_adult=true",
            },
        )
        self.client.cookies.clear()
        response = self.client.get(acquisitions["application/pdf"].removeprefix("http://testserver"))
        self.assertEqual(response["Content-Type"], "application/pdf")
        # The same works as the Atom feed, drafts never.
        self.post_work(title="Draft", action="draft")
        atom = self.catalog("/opds/works?sort=title")
        json_titles = [p["metadata"]["title"] for p in self.get_json("/opds/v2/works?sort=title")["publications"]]
        self.assertEqual(json_titles, [e.title for e in atom.entries])
