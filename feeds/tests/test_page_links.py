"""Every kind of listing (Atom, OPDS 1.2 and 2.0, the API) links its pages the same way (lib.querystring):
the reader's query string kept as it was, repeated and non-ASCII values included, only the page
number changed where it stood."""

from typing import Any
from urllib.parse import quote_plus

from fanarchive.test import BaseTestCase
from feeds.tests.helpers import validated
from tags.models import Tag

# Two excluded tags (a repeated parameter), a non-ASCII word, and the page in the middle.
QUERY = "exclude={a}&exclude={b}&other_exclude={word}&page={page}&sort=title"
WORD = "Ünïcode 灯台"


class PageLinksKeepTheQuery(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        for title in ("Alpha", "Beta", "Gamma"):
            self.make_work(title=title, freeforms="Fluff")
        self.make_work(title="Delta", freeforms=f"Angst, Hurt/Comfort, {WORD}")
        self.ids = {name: Tag.objects.get(name=name).pk for name in ("Angst", "Hurt/Comfort")}

    def query(self, page: int) -> str:
        return QUERY.format(a=self.ids["Angst"], b=self.ids["Hurt/Comfort"], word=quote_plus(WORD), page=page)

    def links(self, path: str, **headers: Any) -> dict[str, str]:
        response = self.client.get(f"{path}?{self.query(2)}", **headers)
        self.assertEqual(response.status_code, 200, (path, response.content[:500]))
        if response["Content-Type"].startswith("application/atom+xml"):
            return {link.rel: link.href for link in validated(response.content).feed.links}
        body = response.json()
        if "links" in body:  # OPDS 2.0
            return {link["rel"]: link["href"] for link in body["links"]}
        return {"next": body["next"], "previous": body["previous"]}

    def test_atom_opds_and_the_api_change_only_the_page_number(self) -> None:
        with self.settings(WORKS_PER_PAGE=1):
            for path in ("/works/feed.atom", "/opds/works", "/opds/v2/works", "/api/v1/works"):
                links = self.links(path)
                self.assertEqual(links["next"], f"http://testserver{path}?{self.query(3)}", path)
                self.assertEqual(links["previous"], f"http://testserver{path}?{self.query(1)}", path)
