"""manage.py export_archive: the whole archive as open, documented files."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from archive.transfer import ArchiveError, export_archive


class Command(BaseCommand):
    help = (
        "Write the whole archive to OUT (a new or empty folder): one JSON Lines file per kind (users, pseuds, "
        "tags with their wrangling links, series, works, chapters, comments, kudos, bookmarks, subscriptions, "
        "…) and manifest.json with the format version, counts and SHA-256 checksums. Streams in batches, so "
        "memory stays bounded. Password hashes are left out unless --with-passwords. The format is described "
        "in docs/archive-format.md; import_archive loads it into an empty database."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("out", type=Path, help="The folder to write (created; must be empty).")
        parser.add_argument(
            "--with-passwords",
            action="store_true",
            help="Include users' password hashes (for moving the archive; keep the export private).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        current = [""]

        def progress(kind: str, count: int) -> None:
            if current[0] and current[0] != kind:
                self.stderr.write("")  # the finished kind keeps its line
            current[0] = kind
            self.stderr.write(f"\r{kind}: {count:,}", ending="")

        try:
            manifest = export_archive(options["out"], passwords=options["with_passwords"], progress=progress)
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        self.stderr.write("")
        total = sum(entry["count"] for entry in manifest["kinds"])
        self.stdout.write(f"Exported {total:,} records of {len(manifest['kinds'])} kinds to {options['out']}.")
