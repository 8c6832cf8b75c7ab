"""Personal tokens: made and revoked on the account page, shown once, hashed at rest; Bearer and Basic;
scopes (read as a guest, read as me, write my works); writing through the site's forms; rate limits."""

import base64
import hashlib
import json
import re
from typing import Any

from api.models import PersonalToken
from api.tests.test_read_api import ApiTestCase
from works.models import Work


class TokenTestCase(ApiTestCase):
    def make_token(self, user: Any = None, **scopes: str) -> str:
        self.login(user or self.alice)
        response = self.client.post("/account/tokens", {"name": "My reader app", **scopes})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"], "no-store")
        match = re.search(r'value="(fa_[^"]+)"', response.content.decode())
        assert match is not None, "the new token is shown"
        self.client.logout()
        return match.group(1)

    def bearer(self, secret: str) -> dict[str, Any]:
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def send(self, method: str, path: str, body: dict[str, Any], secret: str | None = None) -> Any:
        headers = self.bearer(secret) if secret else {}
        call = getattr(self.client, method)
        return call(f"/api/v1{path}", data=json.dumps(body), content_type="application/json", **headers)


class TokenPageTests(TokenTestCase):
    def test_a_token_is_shown_once_and_stored_only_as_a_hash(self):
        secret = self.make_token()
        token = PersonalToken.objects.get()
        self.assertEqual(token.digest, hashlib.sha256(secret.encode()).hexdigest())
        self.assertNotIn(secret, str(PersonalToken.objects.values_list().get()))
        self.login(self.alice)
        page = self.client.get("/account/tokens").content.decode()
        self.assertIn("My reader app", page)
        self.assertIn(f"<code>{secret[:7]}…</code>", page)
        self.assertNotIn(secret, page)
        self.assertIn('href="/account/tokens"', self.client.get("/account/preferences").content.decode())

    def test_a_revoked_token_no_longer_works_and_others_cannot_revoke_it(self):
        secret = self.make_token()
        token = PersonalToken.objects.get()
        self.assertEqual(self.client.get("/api/v1/works", **self.bearer(secret)).status_code, 200)
        self.login(self.bob)
        self.assertEqual(self.client.post("/account/tokens", {"revoke": token.pk}).status_code, 404)
        self.login(self.alice)
        self.client.post("/account/tokens", {"revoke": token.pk})
        self.client.logout()
        response = self.client.get("/api/v1/works", **self.bearer(secret))
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["error"]["code"], "invalid_token")
        self.assertIn("Bearer", response["WWW-Authenticate"])

    def test_guests_are_sent_to_log_in(self):
        self.assertRedirects(self.client.get("/account/tokens"), "/account/login?next=/account/tokens")


class TokenReadingTests(TokenTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.post_work(title="Public")
        self.post_work(title="Restricted", restricted="on")

    def test_a_read_token_reads_what_guests_see_and_read_as_me_what_its_owner_sees(self):
        guestlike = self.make_token(self.bob)
        as_bob = self.make_token(self.bob, read_restricted="on")
        self.assertEqual(self.titles_with(guestlike), ["Public"])
        self.assertEqual(set(self.titles_with(as_bob)), {"Public", "Restricted"})

    def test_basic_auth_takes_the_token_as_the_password(self):
        secret = self.make_token(self.bob, read_restricted="on")
        credentials = base64.b64encode(f"bob:{secret}".encode()).decode()
        body = self.api("/works", HTTP_AUTHORIZATION=f"Basic {credentials}")
        self.assertEqual({w["title"] for w in body["results"]}, {"Public", "Restricted"})
        wrong = base64.b64encode(b"bob:correct horse battery staple").decode()
        self.assertEqual(self.client.get("/api/v1/works", HTTP_AUTHORIZATION=f"Basic {wrong}").status_code, 401)

    def test_nonsense_credentials_are_refused_not_ignored(self):
        for header in ("Bearer nope", "Bearer fa_" + "x" * 43, "Token abc", "Basic !!!"):
            with self.subTest(header):
                self.assertEqual(self.client.get("/api/v1/works", HTTP_AUTHORIZATION=header).status_code, 401)

    def titles_with(self, secret: str) -> list[str]:
        return [w["title"] for w in self.api("/works", **self.bearer(secret))["results"]]


class WritingTests(TokenTestCase):
    work_body = {
        "title": "Written by a script",
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": ["Tidewater (TV)"],
        "freeforms": "Fluff, Found Family",
        "summary": "<p>From the API.</p><script>alert(1)</script>",
        "content": "The first chapter, long enough to post.",
        "expected_chapters": 2,
    }

    def test_a_write_token_posts_a_work_through_the_forms_validation(self):
        secret = self.make_token(write="on")
        response = self.send("post", "/works", self.work_body, secret)
        self.assertEqual(response.status_code, 201, response.content.decode())
        body = response.json()
        work = Work.objects.get(pk=body["id"])
        self.assertTrue(work.posted)
        self.assertEqual(work.summary, "<p>From the API.</p>")  # through the sanitizer, as the form
        self.assertEqual([t["name"] for t in body["additional_tags"]], ["Fluff", "Found Family"])
        self.assertEqual(body["creators"][0]["name"], "alice")
        self.assertEqual(self.titles("/works"), ["Written by a script"])

    def test_invalid_works_get_the_forms_errors(self):
        secret = self.make_token(write="on")
        response = self.send("post", "/works", {**self.work_body, "title": "", "rating": "Very Bad"}, secret)
        self.assertEqual(response.status_code, 422)
        error = response.json()["error"]
        self.assertEqual(error["code"], "invalid_work")
        self.assertEqual({d["where"] for d in error["details"]}, {"body.title", "body.rating"})
        response = self.send("post", "/works", {**self.work_body, "expected_chapters": "many"}, secret)
        self.assertEqual(response.json()["error"]["code"], "invalid_input")

    def test_only_a_write_token_may_write_never_a_session_or_a_read_token(self):
        self.login(self.alice)
        self.assertEqual(self.send("post", "/works", self.work_body).status_code, 401)
        self.client.logout()
        read_only = self.make_token(read_restricted="on")
        response = self.send("post", "/works", self.work_body, read_only)
        self.assertEqual((response.status_code, response.json()["error"]["code"]), (403, "scope_required"))
        self.assertFalse(Work.objects.exists())

    def test_updating_a_work_and_its_chapters(self):
        secret = self.make_token(write="on")
        work_id = self.send("post", "/works", {**self.work_body, "action": "draft"}, secret).json()["id"]
        self.assertFalse(Work.objects.get(pk=work_id).posted)
        response = self.send("patch", f"/works/{work_id}", {"title": "Renamed", "action": "post"}, secret)
        self.assertEqual(response.status_code, 200, response.content.decode())
        work = Work.objects.get(pk=work_id)
        self.assertEqual((work.title, work.posted, work.summary), ("Renamed", True, "<p>From the API.</p>"))
        response = self.send(
            "post",
            f"/works/{work_id}/chapters",
            {"chapter_title": "Two", "content": "Second chapter text.", "action": "draft"},
            secret,
        )
        self.assertEqual(response.status_code, 201, response.content.decode())
        chapter_id = response.json()["id"]
        self.assertEqual(Work.objects.get(pk=work_id).chapter_count, 1)
        response = self.send(
            "patch",
            f"/works/{work_id}/chapters/{chapter_id}",
            {"content": "Second chapter, revised.", "action": "post"},
            secret,
        )
        self.assertEqual(response.json()["text_html"], "<p>Second chapter, revised.</p>")
        work = Work.objects.get(pk=work_id)
        self.assertEqual((work.chapter_count, work.complete), (2, True))

    def test_nobody_writes_someone_elses_work(self):
        work = self.post_work(title="Alice's")
        draft = self.post_work(title="Alice's draft", action="draft")
        bobs = self.make_token(self.bob, write="on")
        response = self.send("patch", f"/works/{work.pk}", {"title": "Mine now"}, bobs)
        self.assertEqual((response.status_code, response.json()["error"]["code"]), (403, "forbidden"))
        self.assertEqual(self.send("patch", f"/works/{draft.pk}", {"title": "Mine"}, bobs).status_code, 404)
        self.assertEqual(
            self.send("post", f"/works/{work.pk}/chapters", {"content": "Not my chapter at all."}, bobs).status_code,
            403,
        )
        self.assertEqual(Work.objects.get(pk=work.pk).title, "Alice's")


class RateLimitTests(TokenTestCase):
    def test_addresses_and_tokens_are_limited_with_retry_after(self):
        secret = self.make_token()
        with self.settings(API_RATE_LIMIT_ADDRESS=3, API_RATE_LIMIT_TOKEN=5):
            for _ in range(3):
                self.assertEqual(self.client.get("/api/v1/fandoms").status_code, 200)
            response = self.client.get("/api/v1/fandoms")
            self.assertEqual(response.status_code, 429)
            self.assertEqual(response.json()["error"]["code"], "rate_limited")
            self.assertTrue(1 <= int(response["Retry-After"]) <= 60)
            self.assertEqual(response["Access-Control-Allow-Origin"], "*")
            # The token has its own allowance, and its own limit.
            statuses = [self.client.get("/api/v1/fandoms", **self.bearer(secret)).status_code for _ in range(6)]
            self.assertEqual(statuses, [200] * 5 + [429])
            # Another address is not affected.
            self.assertEqual(self.client.get("/api/v1/fandoms", REMOTE_ADDR="192.0.2.7").status_code, 200)
            # Pages of the site are not limited here.
            self.assertEqual(self.client.get("/works").status_code, 200)
