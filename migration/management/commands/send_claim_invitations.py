"""manage.py send_claim_invitations: email the next creators of an import their claim links, through the worker."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from migration.claims import queue_invitations
from migration.models import ArchivedCreator


class Command(BaseCommand):
    help = "Queue claim invitations for creators of an imported archive who have not been invited yet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", required=True, help="The import's name (as given to import_efiction).")
        parser.add_argument("--limit", type=int, default=100, help="At most this many invitations in this run.")

    def handle(self, *args: Any, **options: Any) -> None:
        limit = options["limit"]
        if not 1 <= limit <= 100_000:
            raise CommandError("--limit must be between 1 and 100000.")
        creators = ArchivedCreator.objects.filter(source=options["source"])
        if not creators.exists():
            raise CommandError(f"No archived creators from an import named {options['source']!r}.")
        queued = queue_invitations(creators, limit)
        left = creators.filter(status=ArchivedCreator.Status.UNCLAIMED, invitation_queued_at=None).exclude(email="")
        self.stdout.write(f"Queued {queued:,} invitations; {left.count():,} creators not invited yet.")
