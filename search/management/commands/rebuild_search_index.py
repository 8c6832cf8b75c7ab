import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from search import engine, indexer


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search index from the database, with a progress bar. Builds a new index "
        "beside the old one and swaps it in at the end, so searches keep working meanwhile; changes made "
        "during the rebuild are applied right after it. Run it on the node that holds the index."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Only build if there is no complete index: none, an empty stand-in, or fewer works than the database.",
        )
        parser.add_argument("--threads", type=int, default=2, help="Indexing threads (default 2).")
        parser.add_argument("--batch", type=int, default=500, help="Works read from the database at a time.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not indexer.owns_index():
            raise CommandError("SEARCH_URL is set: this node sends searches elsewhere. Rebuild on the search node.")
        if options["if_missing"] and indexer.index_health()["complete"]:
            return
        started = time.monotonic()
        written = indexer.rebuild(
            batch=max(1, options["batch"]),
            threads=max(1, options["threads"]),
            progress=indexer.ProgressBar("Indexing", self.stderr),
        )
        elapsed = time.monotonic() - started
        size = engine.index_size_bytes()
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {written:,} works in {elapsed:.1f} s; the index takes {size / 1e6:,.1f} MB.")
        )
