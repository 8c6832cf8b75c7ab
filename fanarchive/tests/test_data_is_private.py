"""The data folder, the SQLite database and the download and import caches are private to the
archive's user: folders 0700, files 0600 (review finding 7)."""

import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

from downloads import cache as download_cache
from fanarchive.test import BaseTestCase
from imports import store
from imports.parsed import ParsedWork


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


class DataIsPrivateTests(BaseTestCase):
    @pytest.mark.slow  # a subprocess: ./test --quick leaves it out
    def test_a_fresh_data_folder_and_its_sqlite_database_are_private(self):
        with tempfile.TemporaryDirectory() as parent:
            data_dir = Path(parent) / "archive-data"
            env = {**os.environ, "FANARCHIVE_DATA_DIR": str(data_dir)}
            env.pop("DATABASE_URL", None)
            result = subprocess.run(  # noqa: S603 (this interpreter, our own manage.py)
                [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "migrate", "--noinput", "-v", "0"],
                env=env, capture_output=True, text=True, timeout=300, umask=0o022,
            )  # fmt: skip
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(mode(data_dir), 0o700)
            self.assertEqual(mode(data_dir / "fanarchive.sqlite3"), 0o600)
            self.assertEqual(mode(data_dir / "secret_key"), 0o600)

    @pytest.mark.slow  # a subprocess: ./test --quick leaves it out
    def test_an_older_world_readable_database_is_closed_at_start(self):
        with tempfile.TemporaryDirectory() as parent:
            data_dir = Path(parent) / "old-data"
            data_dir.mkdir(mode=0o755)
            (data_dir / "fanarchive.sqlite3").touch(mode=0o644)
            os.chmod(data_dir / "fanarchive.sqlite3", 0o644)
            env = {**os.environ, "FANARCHIVE_DATA_DIR": str(data_dir)}
            env.pop("DATABASE_URL", None)
            code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'fanarchive.settings'; django.setup()"
            result = subprocess.run(  # noqa: S603 (this interpreter)
                [sys.executable, "-c", code], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True,
                timeout=120, umask=0o022,
            )  # fmt: skip
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(mode(data_dir), 0o700)
            self.assertEqual(mode(data_dir / "fanarchive.sqlite3"), 0o600)

    def test_download_and_import_caches_are_private(self):
        path = download_cache.store(987654321, "v1", "epub", b"PK\x03\x04 draft text")
        try:
            self.assertEqual(mode(path), 0o600)
            self.assertEqual(mode(path.parent), 0o700)
            # And the data folder above every cache is closed to others.
            self.assertEqual(mode(Path(settings.DATA_DIR)), 0o700)
        finally:
            path.unlink()
            path.parent.rmdir()
        token = store.save(ParsedWork(title="Entwurf"), self.alice.pk)
        saved = Path(settings.DATA_DIR) / "imports" / f"{token}.json"
        self.assertEqual(mode(saved), 0o600)
