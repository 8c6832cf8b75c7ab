"""manage.py import_archive: load an export_archive folder into an empty database."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from archive.transfer import ArchiveError, load_archive


class Command(BaseCommand):
    help = (
        "Load a folder written by export_archive into this database, which must be freshly migrated (no "
        "accounts, no works): checksums are verified first, everything is loaded in one transaction with "
        "its ids, the tag filters built in the same transaction, then the search index rebuilt. Users "
        "exported without password hashes must reset their passwords. Use it to move from SQLite to "
        "PostgreSQL (README)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("folder", type=Path, help="The folder export_archive wrote.")
        parser.add_argument(
            "--skip-search", action="store_true", help="Don't rebuild the search index (run rebuild_search_index)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        current = [""]

        def progress(kind: str, count: int) -> None:
            if current[0] and current[0] != kind:
                self.stderr.write("")  # the finished kind keeps its line
            current[0] = kind
            self.stderr.write(f"\r{kind}: {count:,}", ending="")

        try:
            counts = load_archive(options["folder"], progress=progress, rebuild_search=not options["skip_search"])
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        self.stderr.write("")
        self.stdout.write(f"Imported {sum(counts.values()):,} records of {len(counts)} kinds.")
