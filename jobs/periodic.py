"""Periodic jobs, declared in one place: job kind → how often it runs.

Each worker loop calls `queue_due()`. A run is claimed by moving the kind's
`Schedule.next_run_at` forward with a conditional UPDATE, so with several
workers each run is queued once; the job then runs like any other (retries,
dead letter). The handlers live with their apps (registered with @handler).
"""

from datetime import timedelta

from django.utils import timezone

from jobs.models import Schedule
from jobs.queue import enqueue

PERIODIC: dict[str, timedelta] = {
    # works.filters: the filter change log older than a day (idle indexes rebuild instead).
    "prune_filter_changes": timedelta(hours=1),
    # community.notify: one digest email per user per hour with their subscription news.
    "send_subscription_digests": timedelta(hours=1),
    # jobs.queue: finished jobs after a day, dead letters after a month.
    "purge_finished_jobs": timedelta(hours=1),
    # search.indexer: rebuild the index if it is missing or holds fewer works than the database.
    "check_search_index": timedelta(minutes=10),
    # accounts.invitations: the invitation queue's daily release (a no-op unless a day has passed).
    "release_queued_invitations": timedelta(hours=1),
    # accounts.export: data exports past their expiry are deleted.
    "prune_data_exports": timedelta(hours=1),
}


def queue_due() -> list[str]:
    """Queue the periodic jobs that are due; returns their kinds."""
    now = timezone.now()
    known = set(Schedule.objects.values_list("kind", flat=True))
    for kind in PERIODIC.keys() - known:
        # A new kind (or a new archive) runs at once; a worker starting beside us may insert it too.
        Schedule.objects.bulk_create([Schedule(kind=kind, next_run_at=now)], ignore_conflicts=True)
    queued = []
    for kind, every in PERIODIC.items():
        if Schedule.objects.filter(kind=kind, next_run_at__lte=now).update(next_run_at=now + every):
            enqueue(kind, {}, key=f"periodic:{kind}")
            queued.append(kind)
    return queued
