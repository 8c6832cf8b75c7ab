"""Enqueue and run background jobs (a database-backed queue; no broker).

The API other apps use:

- `@handler("kind")` registers a function taking the payload dict. The module
  holding it is imported from its app's `AppConfig.ready()`, so the queue never
  imports other apps.
- `enqueue("kind", {...}, key=…, delay=…)` queues a job in the caller's
  transaction. With `key`, at most one pending or running job has that key (a
  database constraint): the existing one is returned instead of a second.
- Periodic jobs are declared in `jobs.periodic.PERIODIC`.

How a job runs: a worker claims it (SKIP LOCKED on PostgreSQL; SQLite's single
writer makes the claim's IMMEDIATE transaction exclusive) with a lease it renews
while the handler runs. A worker killed mid-job stops renewing; once the lease
runs out another worker (or the restarted one) claims the job again. A failure
is retried after an exponentially growing delay; after `max_attempts` the job is
FAILED, the dead-letter state staff see and can retry in the admin. Handlers
must therefore be idempotent, and effects that must not happen twice (emails)
are claimed row by row before they happen (see comments.emails).
"""

import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from jobs.models import Job, WorkerHeartbeat
from lib.hooks import FunctionsByName

logger = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], None]
_handlers: FunctionsByName[Handler] = FunctionsByName()
ACTIVE = [Job.Status.PENDING, Job.Status.RUNNING]
MAX_BACKOFF = timedelta(hours=1)


class WorkerStopping(BaseException):
    """Raised in the worker when it must stop now: the running job is released, not failed.

    A BaseException, so a handler's `except Exception` never swallows it."""


handler = _handlers.register


def enqueue(
    kind: str,
    payload: dict[str, Any] | None = None,
    *,
    key: str | None = None,
    delay: timedelta | None = None,
    max_attempts: int | None = None,
) -> Job:
    """Queue a job; it is part of the current transaction. With `key`, never a second active job of that key."""
    job = Job(
        kind=kind,
        payload=payload or {},
        key=key or "",
        run_after=timezone.now() + delay if delay else None,
        max_attempts=max_attempts or settings.JOBS_MAX_ATTEMPTS,
    )
    if key is None:
        job.save()
        return job
    try:
        with transaction.atomic():
            job.save()
        return job
    except IntegrityError:
        # The constraint, not a check-then-insert: PostgreSQL makes a parallel insert of the same
        # key wait for the first transaction, then fail here.
        existing = Job.objects.filter(key=key, status__in=ACTIVE).first()
        if existing is None:  # the other job finished in between: queue anew
            return enqueue(kind, payload, key=key, delay=delay, max_attempts=max_attempts)
        return existing


def active_jobs(kind: str | None = None) -> QuerySet[Job]:
    """Jobs pending or running (of one kind)."""
    jobs = Job.objects.filter(status__in=ACTIVE)
    if kind:
        jobs = jobs.filter(kind=kind)
    return jobs


def pending_jobs(kind: str | None = None) -> int:
    return active_jobs(kind).count()


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: base, 2×base, 4×base … capped at an hour."""
    seconds = settings.JOBS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return min(timedelta(seconds=seconds), MAX_BACKOFF)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _lease() -> timedelta:
    return timedelta(seconds=settings.JOBS_LEASE_SECONDS)


def claim_next(worker: str) -> Job | None:
    while True:
        now = timezone.now()
        due = Q(status=Job.Status.PENDING) & (Q(run_after__isnull=True) | Q(run_after__lte=now))
        abandoned = Q(status=Job.Status.RUNNING, lease_expires_at__lt=now)
        with transaction.atomic():
            candidates = Job.objects.filter(due | abandoned).order_by("id")
            if connection.features.has_select_for_update_skip_locked:
                candidates = candidates.select_for_update(skip_locked=True)
            job = candidates.first()
            if job is None:
                return None
            if job.status == Job.Status.RUNNING:
                logger.warning("Job %s: its worker %s stopped renewing the lease; running it again", job, job.worker)
                if job.attempts >= job.max_attempts:
                    Job.objects.filter(pk=job.pk).update(
                        status=Job.Status.FAILED,
                        finished_at=now,
                        lease_expires_at=None,
                        error=f"{job.error}\nIts worker was lost on each of {job.attempts} attempts.".strip(),
                    )
                    continue
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.RUNNING,
                attempts=F("attempts") + 1,
                started_at=now,
                lease_expires_at=now + _lease(),
                worker=worker,
            )
        job.refresh_from_db()
        return job


class _LeaseKeeper(threading.Thread):
    """Renews the running job's lease and the worker's heartbeat while the handler works."""

    def __init__(self, worker: str, job: Job) -> None:
        super().__init__(name=f"lease-{job.pk}", daemon=True)
        self.worker = worker
        self.job_id = job.pk
        self.finished = threading.Event()

    def run(self) -> None:
        interval = max(settings.JOBS_LEASE_SECONDS / 3, 0.2)
        try:
            while not self.finished.wait(interval):
                try:
                    now = timezone.now()
                    Job.objects.filter(pk=self.job_id, worker=self.worker, status=Job.Status.RUNNING).update(
                        lease_expires_at=now + _lease()
                    )
                    WorkerHeartbeat.objects.filter(name=self.worker).update(seen_at=now)
                except Exception:
                    logger.exception("Could not renew the lease of job %s", self.job_id)
        finally:
            connection.close()


def run_job(job: Job, worker: str, *, keep_lease: bool = False) -> bool:
    """Run one claimed job; True if it succeeded. Never raises for a failing handler."""
    mine = Job.objects.filter(pk=job.pk, worker=worker, status=Job.Status.RUNNING)
    keeper = _LeaseKeeper(worker, job) if keep_lease else None
    if keeper:
        keeper.start()
    try:
        function = _handlers.get(job.kind)
        if function is None:
            raise LookupError(f"No handler for job kind {job.kind!r}")
        # No transaction around the whole job: long jobs commit in batches of their own,
        # so SQLite's single writer is never held for minutes.
        function(job.payload)
    except WorkerStopping:
        # Released, not failed: the attempt does not count and the job is due at once. The stop may
        # have landed inside a query, so the release goes over a fresh connection.
        if not connection.in_atomic_block:
            connection.close()
        mine.update(status=Job.Status.PENDING, attempts=F("attempts") - 1, lease_expires_at=None, worker="")
        logger.warning("Job %s released: the worker is stopping", job)
        raise
    except Exception:
        logger.exception("Job %s failed (attempt %s of %s)", job, job.attempts, job.max_attempts)
        error = traceback.format_exc()[-4000:]
        if job.attempts >= job.max_attempts:
            mine.update(status=Job.Status.FAILED, error=error, finished_at=timezone.now(), lease_expires_at=None)
        else:
            run_after = timezone.now() + retry_delay(job.attempts)
            mine.update(status=Job.Status.PENDING, error=error, run_after=run_after, lease_expires_at=None)
        return False
    else:
        mine.update(status=Job.Status.DONE, finished_at=timezone.now(), lease_expires_at=None, error="")
        return True
    finally:
        if keeper:
            keeper.finished.set()
            keeper.join()


def run_pending(limit: int | None = None, *, worker: str | None = None, keep_lease: bool = False) -> int:
    """Run due jobs until none are left (or `limit` ran); returns how many ran."""
    worker = worker or worker_name()
    ran = 0
    while limit is None or ran < limit:
        job = claim_next(worker)
        if job is None:
            break
        ran += 1
        run_job(job, worker, keep_lease=keep_lease)
        if keep_lease and not connection.in_atomic_block:
            close_old_connections()
    return ran


def retry_failed(job_ids: list[int]) -> int:
    """Put dead-letter jobs back in the queue (the admin's action)."""
    with transaction.atomic():
        return Job.objects.filter(pk__in=job_ids, status=Job.Status.FAILED).update(
            status=Job.Status.PENDING, attempts=0, run_after=None, finished_at=None
        )


@handler("purge_finished_jobs")
def purge_finished_jobs(payload: dict[str, Any]) -> None:
    """Finished jobs go after a day; dead letters stay a month for staff to look at."""
    now = timezone.now()
    Job.objects.filter(status=Job.Status.DONE, finished_at__lt=now - timedelta(days=1)).delete()
    Job.objects.filter(status=Job.Status.FAILED, finished_at__lt=now - timedelta(days=30)).delete()
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
