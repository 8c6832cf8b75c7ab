"""The catalog, its search description, the API's OpenAPI document and a work page's metadata carry
the name staff gave the archive on the settings page, not the SITE_NAME environment variable that only
seeds it."""

import json
import re

import feedparser
from lxml import etree

from fanarchive.test import BaseTestCase
from sitecontent.config import archive_settings
from sitecontent.tests.test_archive_settings import settings_form

NAME = "Gezeitenarchiv ü"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"


class TheArchivesNameComesFromItsSettings(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.make_work(title="The Lighthouse Keeper")
        archive_settings()  # cached with the old name: saving must replace it at once
        self.alice.is_staff = True
        self.alice.save(update_fields=["is_staff"])
        self.login(self.alice)
        response = self.client.post("/staff/settings", settings_form(site_name=NAME))
        self.assertEqual(response.status_code, 302)
        self.client.logout()

    def test_the_opds_catalogs_are_titled_with_it(self) -> None:
        self.assertEqual(feedparser.parse(self.client.get("/opds/").content).feed.title, f"{NAME} catalog")
        self.assertEqual(self.client.get("/opds/v2/").json()["metadata"]["title"], f"{NAME} catalog")

    def test_the_opensearch_description_names_it(self) -> None:
        root = etree.fromstring(self.client.get("/opds/opensearch.xml").content)
        self.assertEqual(root.findtext(f"{OPENSEARCH}ShortName"), NAME)
        self.assertEqual(root.findtext(f"{OPENSEARCH}Description"), f"Search the works of {NAME}")

    def test_a_work_pages_json_ld_and_cards_name_it_as_the_publisher(self) -> None:
        page = self.client.get(f"/works/{self.work.pk}/").content.decode()
        match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)
        assert match is not None, "the page has JSON-LD"
        self.assertEqual(json.loads(match.group(1))["publisher"]["name"], NAME)
        self.assertIn(f'<meta property="og:site_name" content="{NAME}">', page)

    def test_the_openapi_document_is_titled_with_it(self) -> None:
        self.assertEqual(self.client.get("/api/v1/openapi.json").json()["info"]["title"], f"{NAME} API")
