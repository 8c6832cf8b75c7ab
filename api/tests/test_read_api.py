"""The read API: the listings' filters and sorts, one work and its chapters, tags, fandoms, series,
users, bookmarks and search; JSON errors for bad input; CORS; the OpenAPI document."""

from typing import Any

from api.tokens import create_token
from community.actions import mute_user
from tags.tests.helpers import WranglingTestCase
from works.models import Work


class ApiTestCase(WranglingTestCase):
    def api(self, path: str, status: int = 200, **headers: Any) -> Any:
        response = self.client.get(f"/api/v1{path}", **headers)
        self.assertEqual(response.status_code, status, response.content.decode()[:2000])
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        return response.json()

    def titles(self, path: str) -> list[str]:
        return [work["title"] for work in self.api(path)["results"]]


class WorkListTests(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.short = self.make_work(title="Short one", freeforms="Fluff", content="Two words.")
        self.long = self.make_work(title="Long one", freeforms="Angst", content="word " * 500, rating="Explicit")
        self.other = self.make_work(self.bob, title="Ünïcode", freeforms="Fluff", language="de")

    def test_the_listing_filters_and_sorts_apply(self):
        fluff = self.tag("Fluff").pk
        self.assertEqual(set(self.titles(f"/works?include={fluff}")), {"Short one", "Ünïcode"})
        self.assertEqual(self.titles(f"/works?exclude={fluff}"), ["Long one"])
        self.assertEqual(self.titles("/works?other_include=Angst"), ["Long one"])
        self.assertEqual(self.titles("/works?words_from=100"), ["Long one"])
        self.assertEqual(self.titles("/works?language=de"), ["Ünïcode"])
        self.assertEqual(self.titles("/works?sort=title"), ["Long one", "Short one", "Ünïcode"])
        self.assertEqual(self.titles("/works?sort=words"), ["Long one", "Ünïcode", "Short one"])
        self.assertEqual(self.titles("/works?q=short"), ["Short one"])

    def test_a_work_in_a_list_carries_its_blurb(self):
        body = self.api("/works?sort=title")
        self.assertEqual(
            (body["count"], body["page"], body["pages"], body["next"], body["previous"]), (3, 1, 1, None, None)
        )
        work = body["results"][0]
        self.assertEqual(work["id"], self.long.pk)
        self.assertEqual(work["url"], f"http://testserver/works/{self.long.pk}/")
        self.assertEqual(
            work["creators"],
            [
                {
                    "name": "alice",
                    "user": "alice",
                    "url": "http://testserver/users/alice/pseuds/alice",
                    "byline": "alice",
                }
            ],
        )
        self.assertEqual([t["name"] for t in work["rating"]], ["Explicit"])
        self.assertEqual([t["name"] for t in work["additional_tags"]], ["Angst"])
        self.assertEqual(
            (work["words"], work["chapters"], work["expected_chapters"], work["complete"]), (500, 1, 1, True)
        )
        self.assertTrue(work["adult"])

    def test_pages_are_stable_and_linked(self):
        with self.settings(WORKS_PER_PAGE=2):
            first = self.api("/works?sort=title")
            self.assertEqual([w["title"] for w in first["results"]], ["Long one", "Short one"])
            self.assertEqual(first["next"], "http://testserver/api/v1/works?sort=title&page=2")
            second = self.api("/works?sort=title&page=2")
            self.assertEqual([w["title"] for w in second["results"]], ["Ünïcode"])
            self.assertEqual(second["previous"], "http://testserver/api/v1/works?sort=title&page=1")
            error = self.api("/works?sort=title&page=3", 404)["error"]
            self.assertEqual(error["code"], "page_out_of_range")

    def test_bad_input_gets_a_clear_json_error(self):
        cases = [
            ("/works?include=abc", 422, "invalid_input"),
            ("/works?words_from=-5", 422, "invalid_input"),
            ("/works?updated_from=31/12/2024", 422, "invalid_input"),
            ("/works?sort=best", 422, "invalid_input"),
            ("/works?page=0", 422, "invalid_input"),
            ("/works?page=99999999999", 422, "invalid_input"),
            ("/works?page_size=100000", 400, "unknown_parameter"),
            ("/works?fandom=Tidewater", 400, "unknown_parameter"),
            ("/works?other_include=No%20Such%20Tag", 400, "invalid_filter"),
            ("/works?include=987654321", 400, "invalid_filter"),
            ("/works?language=xx-nope", 400, "invalid_filter"),
            ("/works/987654321", 404, "not_found"),
            ("/works/abc", 422, "invalid_input"),
            ("/nothing-here", 404, "not_found"),
            ("/works/1/nothing", 404, "not_found"),
        ]
        for path, status, code in cases:
            with self.subTest(path):
                body = self.api(path, status)
                self.assertEqual(body["error"]["code"], code)
                self.assertTrue(body["error"]["message"])
        details = self.api("/works?include=abc", 422)["error"]["details"]
        self.assertEqual(details[0]["where"], "query.include.0")

    def test_any_site_may_read_but_not_write(self):
        response = self.client.get("/api/v1/works", HTTP_ORIGIN="https://elsewhere.example")
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        self.assertNotIn("Access-Control-Allow-Credentials", response)
        preflight = self.client.options(
            "/api/v1/works", HTTP_ORIGIN="https://elsewhere.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
        )
        self.assertEqual(preflight.status_code, 204)
        self.assertEqual(preflight["Access-Control-Allow-Headers"], "Authorization")
        self.assertNotIn("POST", preflight["Access-Control-Allow-Methods"])
        self.assertEqual(self.client.get("/works/feed.atom")["Access-Control-Allow-Origin"], "*")
        self.assertNotIn("Access-Control-Allow-Origin", self.client.get("/works"))


class WorkAndChapterTests(ApiTestCase):
    def test_a_work_lists_its_chapters_and_each_chapter_has_its_text(self):
        work = self.make_work(
            title="Two parts", expected_chapters="2", content="<p>First <em>part</em>.</p>", notes="<p>Hi</p>"
        )
        self.login(self.alice)
        self.client.post(
            f"/works/{work.pk}/chapters/new", {"chapter_title": "Zwei", "content": "Second part.", "action": "post"}
        )
        response = self.client.post(
            f"/works/{work.pk}/chapters/new", {"chapter_title": "Draft", "content": "Not quite yet.", "action": "draft"}
        )
        self.assertEqual(response.status_code, 302, response.content.decode())
        self.client.logout()
        body = self.api(f"/works/{work.pk}")
        self.assertEqual(body["notes_html"], "<p>Hi</p>")
        self.assertEqual([(c["position"], c["title"]) for c in body["chapter_list"]], [(1, ""), (2, "Zwei")])
        self.assertEqual(self.api(f"/works/{work.pk}/chapters"), body["chapter_list"])
        first = body["chapter_list"][0]
        chapter = self.api(f"/works/{work.pk}/chapters/{first['id']}")
        self.assertEqual(chapter["text_html"], "<p>First <em>part</em>.</p>")
        self.assertEqual(chapter["words"], 2)
        draft = work.chapters.get(title="Draft")
        self.assertEqual(self.api(f"/works/{work.pk}/chapters/{draft.pk}", 404)["error"]["code"], "not_found")
        self.login(self.alice)  # the creator sees their draft chapter
        self.assertEqual(len(self.api(f"/works/{work.pk}/chapters")), 3)

    def test_adult_chapter_text_needs_stated_consent(self):
        work = self.make_work(title="Adult", rating="Mature")
        chapter = work.chapters.get()
        error = self.api(f"/works/{work.pk}/chapters/{chapter.pk}", 403)["error"]
        self.assertEqual(error["code"], "adult_consent_required")
        self.assertIn("view_adult=true", error["message"])
        self.assertTrue(self.api(f"/works/{work.pk}/chapters/{chapter.pk}?view_adult=true")["text_html"])
        # Or once for all, on the token.
        _token, consenting = create_token(self.bob, "app", read_restricted=False, write=False, view_adult=True)
        body = self.api(f"/works/{work.pk}/chapters/{chapter.pk}", HTTP_AUTHORIZATION=f"Bearer {consenting}")
        self.assertTrue(body["text_html"])
        _token, plain = create_token(self.bob, "app", read_restricted=False, write=False, view_adult=False)
        self.api(f"/works/{work.pk}/chapters/{chapter.pk}", 403, HTTP_AUTHORIZATION=f"Bearer {plain}")
        self.assertEqual(self.api(f"/works/{work.pk}")["title"], "Adult")  # the blurb is not gated, as on the site


class ApiVisibilityTests(ApiTestCase):
    """The API shows what the site shows the same reader: no drafts or hidden works; restricted ones to
    registered readers only; muted creators' works gone from lists (still readable by id)."""

    def setUp(self) -> None:
        super().setUp()
        self.public = self.post_work(title="Public", freeforms="Lanterns", new_series_title="Saga")
        series = self.public.serial_works.get().series
        self.series = series
        self.draft = self.post_work(title="Draft", freeforms="Lanterns", action="draft", series=str(series.pk))
        self.restricted = self.post_work(
            title="Restricted", freeforms="Lanterns", restricted="on", series=str(series.pk)
        )
        self.hidden = self.post_work(title="Hidden", freeforms="Lanterns", series=str(series.pk))
        Work.objects.filter(pk=self.hidden.pk).update(hidden_by_admin=True)
        self.index_search()

    def lists(self) -> dict[str, list[str]]:
        return {
            "works": self.titles("/works"),
            "tag": self.titles("/tags/Lanterns/works"),
            "user": [w["title"] for w in self.api("/users/alice")["works"]["results"]],
            "pseud": [w["title"] for w in self.api("/users/alice/pseuds/alice")["works"]["results"]],
            "series": [w["title"] for w in self.api(f"/series/{self.series.pk}")["works"]],
            "search": self.titles("/search?q=Lanterns&sort=title"),
        }

    def test_guests_see_only_public_works(self):
        self.assertEqual(set(map(tuple, self.lists().values())), {("Public",)})
        self.assertEqual(self.api(f"/works/{self.draft.pk}", 404)["error"]["code"], "not_found")
        self.assertEqual(self.api(f"/works/{self.hidden.pk}", 404)["error"]["code"], "not_found")
        self.assertEqual(self.api(f"/works/{self.restricted.pk}", 401)["error"]["code"], "login_required")
        self.assertEqual(self.api(f"/works/{self.restricted.pk}/chapters", 401)["error"]["code"], "login_required")
        self.assertEqual(self.api("/tags/Lanterns")["works"], 1)
        self.assertEqual(self.api("/fandoms")[0]["fandoms"][0]["works"], 1)

    def test_registered_readers_also_see_restricted_works(self):
        self.login(self.bob)
        for name, titles in self.lists().items():
            self.assertEqual(set(titles), {"Public", "Restricted"}, name)
        self.assertEqual(self.api(f"/works/{self.restricted.pk}")["restricted"], True)
        self.assertEqual(self.api(f"/works/{self.draft.pk}", 404)["error"]["code"], "not_found")
        self.assertEqual(self.api("/tags/Lanterns")["works"], 2)

    def test_muted_creators_works_are_gone_from_lists_but_readable_by_id(self):
        mute_user(self.bob, self.alice)
        self.login(self.bob)
        lists = {
            "works": self.titles("/works"),
            "tag": self.titles("/tags/Lanterns/works"),
            "user": [w["title"] for w in self.api("/users/alice")["works"]["results"]],
            "search": self.titles("/search?q=Lanterns"),
        }
        self.assertEqual(lists, {"works": [], "tag": [], "user": [], "search": []})
        # As its page: a series whose works are all muted shows nothing.
        self.assertEqual(self.api(f"/series/{self.series.pk}", 404)["error"]["code"], "not_found")
        self.assertEqual(self.api(f"/works/{self.public.pk}")["title"], "Public")


class TagFandomSeriesUserBookmarkTests(ApiTestCase):
    def test_a_tag_with_its_synonyms_meta_sub_tags_and_parents(self):
        self.make_work(title="Canon", fandoms="Tidewater (TV)", characters="Mara Quill, mara, Mara Quill (Young)")
        self.set_canonical("Mara Quill", "Mara Quill (Young)", "Tidewater (TV)")
        self.assertEdited(self.staff, "mara", synonym_of="Mara Quill")
        self.assertEdited(self.staff, "Mara Quill", add_sub_tags="Mara Quill (Young)", add_fandoms="Tidewater (TV)")
        self.run_jobs()
        self.client.logout()
        tag = self.api("/tags/Mara%20Quill")
        self.assertEqual(
            (tag["name"], tag["type"], tag["canonical"], tag["works"]), ("Mara Quill", "character", True, 1)
        )
        self.assertEqual([t["name"] for t in tag["synonyms"]], ["mara"])
        self.assertEqual([t["name"] for t in tag["sub_tags"]], ["Mara Quill (Young)"])
        self.assertEqual([t["name"] for t in tag["parents"]], ["Tidewater (TV)"])
        self.assertEqual(self.api("/tags/mara")["synonym_of"]["name"], "Mara Quill")
        self.assertEqual(self.api("/tags/Mara%20Quill%20(Young)")["meta_tags"][0]["name"], "Mara Quill")
        self.assertEqual(self.titles("/tags/mara/works"), ["Canon"])
        self.assertEqual(self.api("/tags/Nope", 404)["error"]["code"], "not_found")

    def test_tag_names_with_slashes_use_the_sites_escapes(self):
        self.make_work(title="Ship", relationships="Mara Quill/Jonah Reyes")
        self.assertEqual(self.api("/tags/Mara%20Quill*s*Jonah%20Reyes")["name"], "Mara Quill/Jonah Reyes")

    def test_the_fandom_index_groups_fandoms_by_media(self):
        self.make_work(fandoms="Tidewater (TV)")
        self.set_canonical("Tidewater (TV)")
        self.assertEdited(self.staff, "Tidewater (TV)", add_media="TV Shows")
        self.client.logout()
        self.assertEqual(
            [(m["media"], [(f["name"], f["works"]) for f in m["fandoms"]]) for m in self.api("/fandoms")],
            [("TV Shows", [("Tidewater (TV)", 1)])],
        )

    def test_a_series_a_user_and_a_pseud(self):
        first = self.post_work(title="Part One", new_series_title="The Saga")
        series = first.serial_works.get().series
        self.post_work(title="Part Two", series=str(series.pk))
        body = self.api(f"/series/{series.pk}")
        self.assertEqual((body["title"], [w["title"] for w in body["works"]]), ("The Saga", ["Part One", "Part Two"]))
        self.assertEqual([w["series"][0]["position"] for w in body["works"]], [1, 2])
        user = self.api("/users/alice?sort=title")
        self.assertEqual([p["name"] for p in user["pseuds"]], ["alice"])
        self.assertEqual([w["title"] for w in user["works"]["results"]], ["Part One", "Part Two"])
        self.assertEqual(self.api("/users/alice/pseuds/alice")["pseud"]["user"], "alice")
        self.assertEqual(self.api("/users/nobody", 404)["error"]["code"], "not_found")
        self.assertEqual(self.api("/series/987654", 404)["error"]["code"], "not_found")

    def test_public_bookmarks_only_unless_they_are_yours(self):
        work = self.make_work(title="Bookmarked")
        self.login(self.bob)
        self.client.post(
            f"/works/{work.pk}/bookmarks/new",
            {"pseud": self.bob.default_pseud.pk, "notes": "<p>Yes</p>", "tags": "Comfort", "rec": "on"},
        )
        other = self.make_work(title="Private one")
        self.client.post(
            f"/works/{other.pk}/bookmarks/new",
            {"pseud": self.bob.default_pseud.pk, "notes": "", "tags": "", "private": "on"},
        )
        self.assertEqual(len(self.api("/users/bob/bookmarks")["results"]), 2)
        self.client.logout()
        body = self.api("/users/bob/bookmarks")
        (bookmark,) = body["results"]
        self.assertEqual(
            (bookmark["work"]["title"], bookmark["notes_html"], bookmark["rec"]), ("Bookmarked", "<p>Yes</p>", True)
        )
        self.assertEqual([t["name"] for t in bookmark["tags"]], ["Comfort"])
        self.assertEqual(len(self.api("/users/bob/bookmarks?rec=1")["results"]), 1)

    def test_search_runs_the_query_language_with_filters(self):
        self.make_work(title="The Lighthouse", content="A lamp in the storm.", freeforms="Fluff")
        self.make_work(title="The Harbour", content="Boats in the storm.", freeforms="Angst")
        self.index_search()
        self.assertEqual(set(self.titles("/search?q=storm")), {"The Lighthouse", "The Harbour"})
        self.assertEqual(self.titles("/search?q=storm%20-boats"), ["The Lighthouse"])
        self.assertEqual(self.titles(f"/search?q=storm&include={self.tag('Angst').pk}"), ["The Harbour"])
        self.assertEqual(self.titles('/search?q="lamp%20in"'), ["The Lighthouse"])
        self.assertEqual(self.api("/search?q=storm&sort=nonsense", 422)["error"]["code"], "invalid_input")
