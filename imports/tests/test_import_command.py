"""manage.py import_works: folders, per-file results, a summary, the exit status, dry runs and --post."""

import io
import shutil
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from fanarchive.test import BaseTestCase
from imports.tests import samples
from works.models import Work


class ImportCommandTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)
        (self.folder / "nested").mkdir()
        (self.folder / "one.txt").write_bytes(
            "Sea Glass\n\nFandom: Tidewater (TV)\n\nShe walked — “alone”.".encode("cp1252")
        )
        (self.folder / "nested" / "keeper.epub").write_bytes(samples.contract_epub())
        (self.folder / "nested" / "empty.txt").write_bytes(b"")
        (self.folder / "bomb.epub").write_bytes(samples.zip_bomb())
        (self.folder / "notes.pdf").write_bytes(b"%PDF-1.4")  # not an importable kind: not picked from a folder

    def run_command(self, *args: str) -> tuple[str, CommandError | None]:
        out = io.StringIO()
        try:
            call_command("import_works", *args, stdout=out)
        except CommandError as error:
            return out.getvalue(), error
        return out.getvalue(), None

    def test_a_folder_is_imported_as_drafts_and_bad_files_are_skipped_with_reasons(self):
        output, error = self.run_command(str(self.folder), "--pseud", "alice")
        assert error is not None and "2 file(s) could not be imported" in str(error)
        assert "4 file(s): 2 imported, 2 skipped." in output
        assert "empty.txt: The file is empty." in output
        assert "bomb.epub: This EPUB file unpacks to" in output
        assert "notes.pdf" not in output
        works = {work.title: work for work in Work.objects.all()}
        assert set(works) == {"Sea Glass", "The Keeper’s Light"}
        assert not any(work.posted for work in works.values())
        assert all(list(work.creator_pseuds) == [self.alice.default_pseud] for work in works.values())
        assert works["Sea Glass"].chapters.get().content == "<p>She walked — “alone”.</p>"
        assert works["The Keeper’s Light"].chapters.count() == 2

    def test_dry_run_saves_nothing(self):
        output, error = self.run_command(str(self.folder / "one.txt"), "--pseud", "alice", "--dry-run")
        assert error is None
        assert "would import" in output and "1 would import, 0 skipped" in output
        assert Work.objects.count() == 0

    def test_post_publishes_and_needs_a_fandom(self):
        (self.folder / "nofandom.txt").write_text("Untagged\n\nA story without any fandom named.")
        output, error = self.run_command(
            str(self.folder / "one.txt"), str(self.folder / "nofandom.txt"), "--pseud", "alice", "--post"
        )
        assert error is not None
        assert "nofandom.txt: No fandom found" in output
        assert Work.objects.get().posted
        output, error = self.run_command(
            str(self.folder / "nofandom.txt"), "--pseud", "alice", "--post", "--fandom", "Original Work"
        )
        assert error is None
        assert Work.objects.get(title="Untagged").tags.filter(name="Original Work").exists()

    @override_settings(IMPORT_MAX_BYTES=100)
    def test_a_file_over_the_limit_is_skipped_without_being_read(self):
        output, error = self.run_command(str(self.folder / "nested" / "keeper.epub"), "--pseud", "alice")
        assert error is not None and "files can be at most" in output
        assert Work.objects.count() == 0

    def test_an_unknown_pseud_stops_before_anything(self):
        with pytest.raises(CommandError, match="No pseud or user"):
            call_command("import_works", str(self.folder), "--pseud", "nobody", stdout=io.StringIO())
