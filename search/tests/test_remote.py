"""Search at scale: web nodes send searches over HTTP to the node that holds the index.

A live server plays the search node; the test client plays a web node whose
SEARCH_URL points at it (both share the settings of this process, so both
hold the same API key).
"""

import json

from django.test import LiveServerTestCase, override_settings

from accounts.actions import create_account
from fanarchive.test import work_form_data
from search.engine import clear_search_index
from search.indexer import apply_pending, queue_updates
from works.models import Work

KEY = "test-search-key"


class RemoteSearchTests(LiveServerTestCase):
    def setUp(self) -> None:
        super().setUp()
        clear_search_index()
        self.alice = create_account("alice", "alice@example.org", "correct horse battery staple")
        self.client.force_login(self.alice)
        data = work_form_data(pseuds=[self.alice.default_pseud.pk], title="Remote Harbour")
        data["content"] = "The lamp turned all night over the harbour.\n\nMara kept it burning."
        self.assertEqual(self.client.post("/works/new", data).status_code, 302)
        self.client.logout()
        self.work = Work.objects.get(title="Remote Harbour")

    def test_a_web_node_searches_through_the_search_node(self):
        with override_settings(SEARCH_API_KEY=KEY):
            self.assertEqual(apply_pending(), 1, "the search node indexes")
        with override_settings(SEARCH_URL=self.live_server_url, SEARCH_API_KEY=KEY):
            queue_updates([self.work.pk])
            self.assertEqual(apply_pending(), 0, "a web node leaves indexing to the search node")
            response = self.client.get("/search/", {"q": '"kept it burning"'})
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, "Remote Harbour")
            self.assertContains(response, "<mark>kept</mark>")
            self.assertContains(response, "1 – 1 of 1 Work found")

    def test_the_search_api_needs_the_shared_key(self):
        body = json.dumps({"text": "harbour"})  # a works.query.WorkQuery as JSON
        with override_settings(SEARCH_API_KEY=""):
            response = self.client.post("/search/api", body, content_type="application/json")
            self.assertEqual(response.status_code, 404)
        with override_settings(SEARCH_API_KEY=KEY):
            response = self.client.post(
                "/search/api", body, content_type="application/json", HTTP_AUTHORIZATION="Bearer wrong"
            )
            self.assertEqual(response.status_code, 403)
            response = self.client.post(
                "/search/api", "{not json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {KEY}"
            )
            self.assertEqual(response.status_code, 400)
            apply_pending()
            response = self.client.post(
                "/search/api", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {KEY}"
            )
            self.assertEqual(response.status_code, 200)
            self.assertEqual([hit["work_id"] for hit in response.json()["hits"]], [self.work.pk])

    def test_an_unreachable_search_node_is_a_message_not_an_error(self):
        with override_settings(SEARCH_URL="http://127.0.0.1:9", SEARCH_API_KEY=KEY, SEARCH_TIMEOUT_SECONDS=2):
            response = self.client.get("/search/", {"q": "harbour"})
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, "Search is not available right now")
