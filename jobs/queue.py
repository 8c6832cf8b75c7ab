"""Enqueue and run background jobs.

A job kind is registered with @handler("kind"); handlers take the payload
dict. `run_pending()` claims and runs jobs one at a time; the `run_jobs`
command loops over it (./run starts one worker beside the web server).
"""

import logging
import traceback
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from jobs.models import Job

logger = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], None]
_handlers: dict[str, Handler] = {}
MAX_ATTEMPTS = 3


def handler(kind: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        _handlers[kind] = function
        return function

    return register


def enqueue(kind: str, payload: dict[str, Any]) -> Job:
    """Queue a job; it runs after the current transaction commits (it is part of it)."""
    return Job.objects.create(kind=kind, payload=payload)


def pending_jobs(kind: str | None = None) -> int:
    jobs = Job.objects.filter(status__in=[Job.Status.PENDING, Job.Status.RUNNING])
    if kind:
        jobs = jobs.filter(kind=kind)
    return jobs.count()


def _claim() -> Job | None:
    for job in Job.objects.filter(status=Job.Status.PENDING).order_by("id")[:5]:
        claimed = Job.objects.filter(pk=job.pk, status=Job.Status.PENDING).update(
            status=Job.Status.RUNNING, started_at=timezone.now(), attempts=job.attempts + 1
        )
        if claimed == 1:
            job.refresh_from_db()
            return job
        # Another worker got there first; try the next one.
    return None


def run_pending(limit: int | None = None) -> int:
    """Run queued jobs until none are left (or `limit` ran); returns how many ran."""
    _load_handlers()
    ran = 0
    while limit is None or ran < limit:
        job = _claim()
        if job is None:
            break
        ran += 1
        function = _handlers.get(job.kind)
        try:
            if function is None:
                raise LookupError(f"No handler for job kind {job.kind!r}")
            # No transaction around the whole job: long jobs commit in batches of their own,
            # so SQLite's single writer is never held for minutes. Handlers must be idempotent.
            function(job.payload)
        except Exception:
            logger.exception("Job %s failed", job)
            status = Job.Status.FAILED if job.attempts >= MAX_ATTEMPTS else Job.Status.PENDING
            Job.objects.filter(pk=job.pk).update(status=status, error=traceback.format_exc()[-4000:])
        else:
            Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, finished_at=timezone.now(), error="")
    return ran


def _load_handlers() -> None:
    # Handlers live with their domain; importing the modules registers them.
    import comments.emails  # noqa: F401
    import community.notify  # noqa: F401
    import downloads.jobs  # noqa: F401
    import moderation.emails  # noqa: F401
    import works.filters  # noqa: F401
