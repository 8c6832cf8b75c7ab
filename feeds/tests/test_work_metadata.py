"""Work pages describe the work to crawlers and social sites (schema.org JSON-LD, OpenGraph, Twitter),
without an adult work's summary, in a data block CSP does not block."""

import json
import re
from typing import Any

from works.tests.helpers import WorksTestCase


class WorkMetadataTests(WorksTestCase):
    def metadata(self, path: str) -> tuple[str, dict[str, Any]]:
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        head = page.split("</head>")[0]
        match = re.search(r'<script type="application/ld\+json">(.*?)</script>', head, re.DOTALL)
        assert match is not None, "the page has JSON-LD"
        # CSP allows no inline script: the JSON-LD is data, which script-src does not govern.
        self.assertIn("script-src 'self'", response["Content-Security-Policy"])
        return head, json.loads(match.group(1))

    def test_a_work_page_has_json_ld_and_social_cards(self):
        work = self.post_work(
            title="Über </script> & the Sea",
            summary="<p>A storm, a <em>lamp</em>, a long night.</p>",
            new_series_title="Coastal",
            freeforms="Fluff",
        )
        head, data = self.metadata(f"/works/{work.pk}/")
        self.assertEqual(data["@type"], "Book")
        self.assertEqual(data["name"], "Über </script> & the Sea")
        self.assertEqual(data["url"], f"http://testserver/works/{work.pk}/")
        self.assertEqual(
            data["author"], [{"@type": "Person", "name": "alice", "url": "http://testserver/users/alice/pseuds/alice"}]
        )
        self.assertEqual(data["description"], "A storm, a lamp, a long night.")
        self.assertEqual(data["contentRating"], "General Audiences")
        self.assertTrue(data["isFamilyFriendly"])
        self.assertEqual(data["genre"], ["Tidewater (TV)"])
        self.assertIn("Fluff", data["keywords"])
        self.assertEqual(data["isPartOf"][0]["name"], "Coastal")
        self.assertEqual(head.count("</script>"), 5)  # four scripts of base.html and the data block: no early close
        self.assertIn('<meta property="og:title" content="Über &lt;/script&gt; &amp; the Sea">', head)
        self.assertIn('<meta property="og:description" content="A storm, a lamp, a long night.">', head)
        self.assertIn('<meta name="twitter:card" content="summary">', head)
        self.assertIn(f'<link rel="canonical" href="http://testserver/works/{work.pk}/">', head)

    def test_adult_works_show_no_summary_in_previews_even_behind_the_gate(self):
        work = self.post_work(title="Grown-up", rating="Explicit", summary="Something explicit happens.")
        for path in (f"/works/{work.pk}/", f"/works/{work.pk}/?view_adult=true"):
            head, data = self.metadata(path)
            self.assertNotIn("description", data)
            self.assertFalse(data["isFamilyFriendly"])
            self.assertNotIn("Something explicit", head)
            self.assertIn('<meta property="og:title" content="Grown-up">', head)
