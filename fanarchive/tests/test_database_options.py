"""PostgreSQL connections bind parameters on the server and keep a query prepared once a
connection has run it DATABASE_PREPARE_THRESHOLD times (README "Running on PostgreSQL"); each
can be turned off, and server-side cursors too, for a connection pooler in transaction mode.
SQLite's options are left as they were."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.test import SimpleTestCase

from fanarchive.test import BaseTestCase


class PreparedListingQueriesTests(BaseTestCase):
    def test_a_listing_page_asked_again_runs_prepared_queries(self):
        self.make_work(title="Prepared")
        for _ in range(6):
            response = self.client.get("/works")
            self.assertContains(response, "Prepared")
        if connection.vendor != "postgresql":
            self.assertNotIn("server_side_binding", connection.settings_dict["OPTIONS"])
            self.assertNotIn("prepare_threshold", connection.settings_dict["OPTIONS"])
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", ["%works_work%"])
            prepared = [row[0] for row in cursor.fetchall()]
        # The page's works by their ids, with the ids bound as parameters ($1…), not in the text.
        works = [statement for statement in prepared if 'FROM "works_work" WHERE "works_work"."id" IN' in statement]
        self.assertTrue(works, prepared)
        self.assertIn("$1", works[0])


@pytest.mark.slow  # subprocesses: ./test --quick leaves them out
class DatabaseOptionsFromEnvironmentTests(SimpleTestCase):
    def options(self, **env: str) -> str:
        environment = {**os.environ, "DATABASE_URL": "postgres://archivist@127.0.0.1:5432/fanarchive", **env}
        for name in (
            "DATABASE_SERVER_SIDE_BINDING",
            "DATABASE_PREPARE_THRESHOLD",
            "DATABASE_DISABLE_SERVER_SIDE_CURSORS",
        ):
            if name not in env:
                environment.pop(name, None)
        code = "from fanarchive import settings as s; d = s.DATABASES['default']; o = d['OPTIONS']; "
        code += "print(o['server_side_binding'], o['prepare_threshold'], d['DISABLE_SERVER_SIDE_CURSORS'])"
        result = subprocess.run(  # noqa: S603 (this interpreter, our own settings)
            [sys.executable, "-c", code], env=environment, cwd=settings.BASE_DIR, capture_output=True, text=True,
            timeout=60, check=True,
        )  # fmt: skip
        return result.stdout.strip()

    def test_defaults_and_each_setting(self):
        self.assertEqual(self.options(), "True 5 False")
        self.assertEqual(self.options(DATABASE_PREPARE_THRESHOLD="0"), "True 0 False")
        self.assertEqual(self.options(DATABASE_PREPARE_THRESHOLD="off"), "True None False")
        self.assertEqual(self.options(DATABASE_SERVER_SIDE_BINDING="false"), "False 5 False")
        self.assertEqual(self.options(DATABASE_DISABLE_SERVER_SIDE_CURSORS="true"), "True 5 True")
