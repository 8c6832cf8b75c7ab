"""The OpenAPI document is valid, and every operation in it answers as it documents (the body validates
against the documented schema). A new endpoint without an example here fails the test."""

import json
from typing import Any

from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from api.tests.test_read_api import ApiTestCase
from api.tokens import create_token


class OpenApiTests(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.post_work(title="Documented", new_series_title="Saga", freeforms="Lanterns")
        self.series_id = self.work.serial_works.get().series_id
        self.chapter_id = self.work.chapters.get().pk
        self.login(self.bob)
        self.client.post(
            f"/works/{self.work.pk}/bookmarks/new",
            {"pseud": self.bob.default_pseud.pk, "notes": "Good", "tags": "Comfort"},
        )
        self.client.logout()
        self.index_search()

    def examples(self) -> dict[tuple[str, str], str]:
        """(method, documented path) -> a request that must succeed."""
        return {
            ("get", "/api/v1/works"): f"/works?include={self.tag('Lanterns').pk}&sort=title",
            ("get", "/api/v1/works/{work_id}"): f"/works/{self.work.pk}",
            ("get", "/api/v1/works/{work_id}/chapters"): f"/works/{self.work.pk}/chapters",
            (
                "get",
                "/api/v1/works/{work_id}/chapters/{chapter_id}",
            ): f"/works/{self.work.pk}/chapters/{self.chapter_id}",
            ("get", "/api/v1/tags/{name}"): "/tags/Lanterns",
            ("get", "/api/v1/tags/{name}/works"): "/tags/Lanterns/works",
            ("get", "/api/v1/fandoms"): "/fandoms",
            ("get", "/api/v1/series/{series_id}"): f"/series/{self.series_id}",
            ("get", "/api/v1/users/{username}"): "/users/alice",
            ("get", "/api/v1/users/{username}/pseuds/{pseud_name}"): "/users/alice/pseuds/alice",
            ("get", "/api/v1/users/{username}/bookmarks"): "/users/bob/bookmarks",
            ("get", "/api/v1/search"): "/search?q=documented",
            ("post", "/api/v1/works"): "/works",
            ("patch", "/api/v1/works/{work_id}"): f"/works/{self.work.pk}",
            ("post", "/api/v1/works/{work_id}/chapters"): f"/works/{self.work.pk}/chapters",
            (
                "patch",
                "/api/v1/works/{work_id}/chapters/{chapter_id}",
            ): f"/works/{self.work.pk}/chapters/{self.chapter_id}",
        }

    # Bodies for the writing operations, sent with a write token.
    bodies: dict[str, dict[str, Any]] = {
        "post /works": {
            "title": "Posted by a tool",
            "rating": "General Audiences",
            "warnings": ["No Archive Warnings Apply"],
            "fandoms": "Tidewater (TV)",
            "content": "A chapter long enough to post.",
        },
        "patch /works/{work_id}": {"title": "Retitled"},
        "post /works/{work_id}/chapters": {"content": "Another chapter, long enough."},
        "patch /works/{work_id}/chapters/{chapter_id}": {"chapter_title": "The first"},
    }

    def call(self, method: str, documented: str, path: str, secret: str) -> Any:
        if method == "get":
            return self.api(path)
        key = f"{method} {documented.removeprefix('/api/v1')}"
        response = getattr(self.client, method)(
            f"/api/v1{path}",
            data=json.dumps(self.bodies[key]),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
        self.assertIn(response.status_code, (200, 201), response.content.decode()[:2000])
        return response.json()

    def document(self) -> dict[str, Any]:
        response = self.client.get("/api/v1/openapi.json")
        self.assertEqual(response.status_code, 200)
        document: dict[str, Any] = response.json()
        return document

    def test_the_document_is_valid_openapi(self):
        document = self.document()
        validate(document)
        self.assertTrue(document["openapi"].startswith("3."))

    def test_every_operation_answers_as_documented(self):
        document = self.document()
        operations = {
            (method, path): operation
            for path, item in document["paths"].items()
            for method, operation in item.items()
            if method in {"get", "post", "put", "patch", "delete"}
        }
        examples = self.examples()
        self.assertEqual(set(operations), set(examples), "every documented operation needs an example here")
        _token, secret = create_token(self.alice, "docs", read_restricted=True, write=True, view_adult=False)
        for key, path in examples.items():
            with self.subTest(key):
                body = self.call(key[0], key[1], path, secret)
                responses = operations[key]["responses"]
                success = responses.get("200") or responses["201"]
                schema = success["content"]["application/json"]["schema"]
                OAS31Validator({**schema, "components": document["components"]}).validate(body)

    def test_documented_errors_have_the_error_schema(self):
        document = self.document()
        error = document["paths"]["/api/v1/works"]["get"]["responses"]["422"]["content"]["application/json"]["schema"]
        body = self.api("/works?include=abc", 422)
        OAS31Validator({**error, "components": document["components"]}).validate(body)

    def test_the_human_readable_page_shows_every_operation_and_its_parameters(self):
        response = self.client.get("/api/v1/docs")
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        for method, path in self.examples():
            self.assertIn(f"<code>{method.upper()} {path}</code>", page)
        self.assertIn("<code>content</code>", page)  # body fields are documented too
        self.assertIn("<code>view_adult</code>", page)
        self.assertIn('<a href="/api/v1/openapi.json">OpenAPI document</a>', page)
