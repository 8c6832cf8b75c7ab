"""manage.py backup: a consistent snapshot of the archive, taken while it keeps serving."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from archive.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back the archive up into OUT (a new or empty folder) while it keeps running: the database as one "
        "consistent snapshot (SQLite's online backup API, or pg_dump's custom format on PostgreSQL), the "
        "files of the data folder that can't be rebuilt (the secret key, uploads…; not the search index or "
        "the download cache) and manifest.json with SHA-256 checksums. Bring it back with restore."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("out", type=Path, help="The folder to write (created; must be empty).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(options["out"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up the {manifest['engine']} database and {len(manifest['files'])} files to {options['out']}."
        )
