"""manage.py backup while the archive is being written to, then restore: nothing acknowledged is missing.

Runs on the suite's engine, in subprocesses against an archive of its own (a
SQLite file, or a fresh PostgreSQL database), as a live archive would be:
a writer commits chapters in a loop and prints each one once committed, the
backup runs meanwhile, the writer goes on, then the restore.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import SimpleTestCase

from archive.backup import REBUILT, data_files
from archive.tests.test_round_trip import drop_database, fresh_postgres

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow  # a subprocess: ./test --quick leaves it out
class BackupWhileWritingTests(SimpleTestCase):
    def setUp(self) -> None:
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)
        data_dir = self.folder / "data"
        data_dir.mkdir()
        if connection.vendor == "sqlite":
            url = f"sqlite:///{data_dir / 'fanarchive.sqlite3'}"
        else:
            url, name = fresh_postgres("fa_backup_test")
            self.addCleanup(drop_database, name)
        self.env = {**os.environ, "DATABASE_URL": url, "FANARCHIVE_DATA_DIR": str(data_dir)}
        self.data_dir = data_dir
        self.run_command("manage.py", "migrate")
        self.run_command("-m", "archive.tests.backup_writer", "setup")

    def run_command(self, *args: str) -> str:
        result = subprocess.run(  # noqa: S603 (our own commands)
            [sys.executable, *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=600, check=False
        )
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        return result.stdout

    def check(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.run_command("-m", "archive.tests.backup_writer", "check"))
        return result

    def test_a_backup_taken_during_writes_restores_everything_acknowledged_before_it(self):
        writer = subprocess.Popen(
            [sys.executable, "-m", "archive.tests.backup_writer", "write"],
            cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        acknowledged: list[int] = []

        def read() -> None:
            assert writer.stdout is not None
            for line in writer.stdout:
                acknowledged.append(int(line))

        reader = threading.Thread(target=read)
        reader.start()
        try:
            deadline = time.monotonic() + 120
            while len(acknowledged) < 10:
                self.assertLess(time.monotonic(), deadline, "the writer made no progress")
                if writer.poll() is not None:
                    self.fail(writer.stderr.read() if writer.stderr else "the writer stopped")
                time.sleep(0.05)
            before_backup = set(acknowledged)
            self.run_command("manage.py", "backup", str(self.folder / "backup"))
            after_backup = len(acknowledged)
            while len(acknowledged) < after_backup + 5 and writer.poll() is None:
                time.sleep(0.05)
        finally:
            writer.terminate()
            writer.wait(timeout=30)
            reader.join(timeout=30)
        written = set(acknowledged)
        self.assertEqual(set(self.check()["chapters"]) >= written, True)
        (self.data_dir / "secret_key").write_text("changed after the backup")
        self.run_command("manage.py", "restore", str(self.folder / "backup"))
        state = self.check()
        restored = set(state["chapters"])
        self.assertTrue(before_backup <= restored, sorted(before_backup - restored))
        # Writes acknowledged after the backup finished are not in it: the restore really went back.
        self.assertFalse(restored & set(acknowledged[after_backup:]))
        self.assertTrue(state["consistent"], "a work's chapter count disagrees with its chapters")
        self.assertNotEqual((self.data_dir / "secret_key").read_text(), "changed after the backup")
        self.assertTrue((self.data_dir / "search").is_dir())

    def test_the_search_index_and_download_cache_are_left_out(self):
        for name in [*REBUILT, "imports"]:
            (self.data_dir / name).mkdir(exist_ok=True)
            (self.data_dir / name / "file").write_text("x")
        kept = {path.as_posix() for path in data_files(self.data_dir)}
        self.assertEqual(kept, {"secret_key", "imports/file"})
