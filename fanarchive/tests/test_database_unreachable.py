"""Starting with the database out of reach prints one line saying what is wrong and how to fix it,
not a traceback (review finding 14)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import SimpleTestCase


@pytest.mark.slow  # a subprocess: ./test --quick leaves it out
class DatabaseUnreachableTests(SimpleTestCase):
    def migrate(self, database_url: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "DATABASE_URL": database_url}
        return subprocess.run(  # noqa: S603 (this interpreter, our own manage.py)
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "migrate", "--noinput"],
            env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    def test_postgresql_not_answering(self):
        result = self.migrate("postgres://archivist:s3cret@127.0.0.1:1/fanarchive")
        self.assertEqual(result.returncode, 1)
        self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
        self.assertIn("Fanarchive can't reach PostgreSQL at postgres://archivist@127.0.0.1:1/fanarchive", result.stderr)
        self.assertIn("set DATABASE_URL", result.stderr)
        self.assertNotIn("s3cret", result.stderr)
        self.assertNotIn("Traceback", result.stderr)

    def test_sqlite_file_that_cannot_be_opened(self):
        result = self.migrate("sqlite:////nonexistent-folder/fanarchive.sqlite3")
        self.assertEqual(result.returncode, 1)
        self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
        self.assertIn("can't reach the SQLite database /nonexistent-folder/fanarchive.sqlite3", result.stderr)
