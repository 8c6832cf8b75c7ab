"""manage.py restore: bring a backup back, then rebuild what backups leave out."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from archive.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a folder written by backup: checks its checksums, replaces the database's contents with the "
        "backup's (SQLite: page by page under the write lock; PostgreSQL: pg_restore --clean in one "
        "transaction), puts the data folder's files back, empties the download cache and rebuilds the search "
        "index. Stop the archive first (./run, the worker); everything written since the backup is lost. "
        "The backup must come from the same database engine (to move between engines use export_archive)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("folder", type=Path, help="The folder backup wrote.")
        parser.add_argument(
            "--skip-search", action="store_true", help="Don't rebuild the search index (run rebuild_search_index)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore(options["folder"], rebuild_search=not options["skip_search"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        rebuilt = "" if options["skip_search"] else "; search index rebuilt"
        self.stdout.write(f"Restored the backup started at {manifest['started_at']}{rebuilt}.")
