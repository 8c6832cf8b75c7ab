"""The first pages' cache (search.backend.run_cached): a results page asked again is answered
without searching, but never across an index commit, a queued change, a rebuild or a reader of
another visibility class."""

import re

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.tests.test_search import STORY, SearchTestCase, result_titles
from tags.tests.helpers import WranglingTestCase
from works.models import Work


def passages(page: str) -> dict[str, str]:
    """The quoted passage of each field on a results page (one work on it)."""
    return dict(re.findall(r'<li class="snippet snippet-(\w+)">.*?<q>(.*?)</q>', page, re.DOTALL))


class ResultsCacheTests(SearchTestCase):
    def get_counting_queries(self, query: str) -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/search/", {"q": query})
        self.assertEqual(response.status_code, 200)
        return response.content.decode(), len(queries)

    def test_the_same_first_page_again_is_the_same_page_without_searching_again(self):
        self.post_work(title="Harbour Lights", content=STORY)
        self.post_work(title="Night Harbour", content="Nothing but the harbour at night.")
        self.index_search()
        # Another search for the same works first: what every page keeps (their blurbs) is kept.
        self.get_counting_queries("harbour OR night")
        first, first_queries = self.get_counting_queries("harbour")
        again, again_queries = self.get_counting_queries("harbour")
        self.assertEqual(again, first)
        self.assertEqual(sorted(re.findall(r"snippet snippet-(\w+)", again)), ["text", "text", "title", "title"])
        # Only the passages' reading of works, tags and chapters is skipped: the works shown are
        # still loaded (and checked against who may see them) for every request.
        self.assertLess(again_queries, first_queries)

    def test_an_index_commit_is_seen_by_the_next_search(self):
        self.post_work(title="Harbour Lights", content=STORY)
        self.index_search()
        self.assertEqual(self.search("harbour"), ["Harbour Lights"])
        self.post_work(title="Harbour Fog", content=STORY)
        self.index_search()
        self.assertEqual(sorted(self.search("harbour")), ["Harbour Fog", "Harbour Lights"])
        self.assertContains(self.client.get("/search/", {"q": "harbour"}), "1 – 2 of 2 Works found")

    def test_a_change_queued_for_the_index_is_quoted_before_the_worker_applies_it(self):
        work = self.post_work(title="Quay", content="Nothing yet.\n\nThe heron waited by the water.")
        self.index_search()
        page = self.client.get("/search/", {"q": "heron"}).content.decode()
        self.assertIn("The <mark>heron</mark> waited", passages(page)["text"])
        self.login(self.alice)
        chapter = work.chapters.get()
        self.edit_chapter(chapter, "A heron flew over the quay.")
        self.client.logout()
        # Not applied to the index yet: it still finds the work by its old text, but the passage
        # is read from the chapter as it is now, not from the page cached before the edit.
        page = self.client.get("/search/", {"q": "heron"}).content.decode()
        self.assertEqual(result_titles(self.client.get("/search/", {"q": "heron"})), ["Quay"])
        self.assertIn("A <mark>heron</mark> flew over", passages(page)["text"])
        self.assertNotIn("waited", page)

    def test_guests_and_members_never_share_an_answer(self):
        self.post_work(title="Open Harbour", content=STORY)
        self.post_work(title="Members Harbour", content=STORY, restricted="on")
        self.index_search()
        self.client.logout()
        guest = self.client.get("/search/", {"q": "harbour"})
        self.assertEqual(result_titles(guest), ["Open Harbour"])
        self.assertContains(guest, "1 – 1 of 1 Work found")
        self.login(self.bob)
        member = self.client.get("/search/", {"q": "harbour"})
        self.assertEqual(sorted(result_titles(member)), ["Members Harbour", "Open Harbour"])
        self.assertContains(member, "1 – 2 of 2 Works found")
        self.client.logout()
        guest = self.client.get("/search/", {"q": "harbour"})
        self.assertEqual(result_titles(guest), ["Open Harbour"])
        self.assertContains(guest, "1 – 1 of 1 Work found")
        self.assertEqual(self.client.get("/search/", {"q": "harbour", "count": "only"}).json()["count"], 1)

    def test_a_rebuilt_index_is_not_answered_from_the_old_ones_pages(self):
        work = self.post_work(title="Harbour Lights", content=STORY)
        self.index_search()
        page = self.client.get("/search/", {"q": "harbour"}).content.decode()
        self.assertIn("<mark>Harbour</mark> Lights", passages(page)["title"])
        # A change that bypassed the outbox (as an import does) reaches search by a rebuild.
        Work.objects.filter(pk=work.pk).update(title="Harbour Dusk")
        call_command("rebuild_search_index", verbosity=0)
        page = self.client.get("/search/", {"q": "harbour"}).content.decode()
        self.assertIn("<mark>Harbour</mark> Dusk", passages(page)["title"])


class RenamedTagTests(WranglingTestCase):
    def test_a_renamed_tag_is_never_quoted_by_its_old_name(self):
        self.make_work(title="Quay", content=STORY, freeforms="Heron Watching")
        self.index_search()
        page = self.client.get("/search/", {"q": "heron"}).content.decode()
        self.assertIn("<mark>Heron</mark> Watching", passages(page)["tags"])
        self.assertEdited(self.staff, "Heron Watching", name="Heron Spotting")
        self.client.logout()
        # Neither the index nor the queue knows yet (the works' filters are refreshed later).
        page = self.client.get("/search/", {"q": "heron"}).content.decode()
        self.assertIn("<mark>Heron</mark> Spotting", passages(page)["tags"])
        self.assertNotIn("Watching", page)
