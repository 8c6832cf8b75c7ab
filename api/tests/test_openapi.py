"""The OpenAPI document is valid, and every operation in it answers as it documents (the body validates
against the documented schema). A new endpoint without an example here fails the test."""

from typing import Any

from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from api.tests.test_read_api import ApiTestCase


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
        }

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
        for key, path in examples.items():
            with self.subTest(key):
                body = self.api(path)
                schema = operations[key]["responses"]["200"]["content"]["application/json"]["schema"]
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
        self.assertIn("<code>view_adult</code>", page)
        self.assertIn('<a href="/api/v1/openapi.json">OpenAPI document</a>', page)
