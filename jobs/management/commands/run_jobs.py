import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from accounts.export import prune_exports
from accounts.invitations import release_daily
from community.notify import queue_digests
from jobs.queue import run_pending
from search.indexer import apply_pending
from works.filters import prune_change_log

HOUSEKEEPING_SECONDS = 3600


class Command(BaseCommand):
    help = (
        "Run background jobs (filter recomputation after tag wrangling, emails, …) from the database queue, "
        "and keep the search index up to date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run what is queued now, then exit.")
        parser.add_argument("--sleep", type=float, default=1.0, help="Seconds to wait when the queue is empty.")

    def handle(self, *args: Any, **options: Any) -> None:
        last_housekeeping: float | None = None
        while True:
            if last_housekeeping is None or time.monotonic() - last_housekeeping > HOUSEKEEPING_SECONDS:
                prune_change_log()
                # Subscription news goes out as one digest per user per hour.
                queue_digests()
                # The invitation queue's daily release (a no-op unless a day has passed).
                release_daily()
                # Data exports past their expiry are deleted.
                prune_exports()
                last_housekeeping = time.monotonic()
            ran = run_pending()
            if ran:
                self.stdout.write(f"Ran {ran} job(s).")
            indexed = apply_pending()
            if indexed:
                self.stdout.write(f"Updated {indexed} work(s) in the search index.")
            if options["once"]:
                return
            close_old_connections()
            time.sleep(options["sleep"])
