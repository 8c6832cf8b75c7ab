import logging
import signal
import threading
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection
from django.utils import timezone

from jobs import periodic
from jobs.companions import Companion, companions
from jobs.models import WorkerHeartbeat
from jobs.queue import WorkerStopping, claim_next, enqueue, run_job, worker_name

logger = logging.getLogger("jobs.worker")
# A long queue of jobs never holds search updates (a companion) back for longer than this, nor the reverse.
TURN_SECONDS = 2.0


def _tidy_connections() -> None:
    """Drop broken or expired database connections between jobs (not inside a test's transaction)."""
    if not connection.in_atomic_block:
        close_old_connections()


class _Stopper:
    """SIGTERM/SIGINT: stop at once when idle; when busy, let the job finish for a grace period, then release it."""

    def __init__(self) -> None:
        self.stopping = False
        self.busy = False

    def install(self) -> None:
        signal.signal(signal.SIGTERM, self.on_signal)
        signal.signal(signal.SIGINT, self.on_signal)
        signal.signal(signal.SIGALRM, self.on_alarm)

    def on_signal(self, signum: int, frame: FrameType | None) -> None:
        # Idle, the loop sees the flag at its next step: raising here could land inside a database
        # call and leave the connection unusable. Busy, the job gets a grace period, then is released.
        first = not self.stopping
        # Set before raising: a raise that lands in a __del__ or a garbage collector callback is
        # printed and dropped by Python, and the loop must still stop once the job is over.
        self.stopping = True
        if self.busy and (not first or self.grace <= 0):
            raise WorkerStopping
        if self.busy:
            logger.warning("%s: finishing the current job (at most %ss)", signal.strsignal(signum), self.grace)
            signal.alarm(self.grace)

    def sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.1, seconds))

    def on_alarm(self, signum: int, frame: FrameType | None) -> None:
        raise WorkerStopping

    @property
    def grace(self) -> int:
        return int(settings.JOBS_STOP_GRACE_SECONDS)


class _CompanionThread(threading.Thread):
    """Applies a companion's updates (search) beside the jobs, so a long job (a PDF) never holds them back."""

    def __init__(self, companion: Companion) -> None:
        super().__init__(name=companion.name, daemon=True)
        self.companion = companion
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                try:
                    applied = self.companion.apply(TURN_SECONDS)
                except Exception:
                    logger.exception("%s failed", self.companion.name)
                    applied = 0
                    self.stopping.wait(5)
                close_old_connections()
                if applied:
                    logger.info(self.companion.applied.format(count=applied))
                else:
                    self.stopping.wait(1.0)
        finally:
            self.companion.close()
            connection.close()


class Command(BaseCommand):
    help = (
        "Run background jobs (PDFs, emails, filter recomputation after tag wrangling, periodic jobs) from the "
        "database queue, and keep the search index up to date. Stops cleanly on SIGTERM."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run what is queued now, then exit.")
        parser.add_argument("--sleep", type=float, default=1.0, help="Seconds to wait when the queue is empty.")

    def handle(self, *args: Any, **options: Any) -> None:
        name = worker_name()
        stopper = _Stopper()
        stopper.install()
        logger.info("Worker %s started", name)
        # A worker killed mid-commit may have left the index unusable, or someone deleted it:
        # check at once (the check rebuilds it if needed) rather than at the next period.
        for companion in companions():
            for kind in companion.startup_jobs:
                enqueue(kind, key=f"periodic:{kind}")
        failures = 0
        # --once (tests, scripts) indexes inline, in the caller's connection and transaction.
        self.threads = [] if options["once"] else [_CompanionThread(companion) for companion in companions()]
        for thread in self.threads:
            thread.start()
        try:
            while True:
                try:
                    did_work = self.turn(name, stopper)
                    failures = 0
                except Exception:
                    # The database may be unreachable for a while: wait longer each time, never exit.
                    failures += 1
                    logger.exception("Worker turn failed (%s in a row)", failures)
                    did_work = False
                    _tidy_connections()
                    stopper.sleep(min(2**failures, 60))
                if stopper.stopping:
                    raise WorkerStopping
                if options["once"] and not did_work:
                    return
                if not did_work:
                    _tidy_connections()
                    stopper.sleep(options["sleep"])
        except WorkerStopping:
            logger.warning("Worker %s stopped", name)
        finally:
            for thread in self.threads:
                thread.stopping.set()
            for thread in self.threads:
                # A companion's close may wait for its own work (search: merges, SEARCH_STOP_MERGE_SECONDS).
                thread.join(stopper.grace + settings.SEARCH_STOP_MERGE_SECONDS + 5)
            for companion in companions():
                companion.close()

    def turn(self, name: str, stopper: _Stopper) -> bool:
        """One round: heartbeat, periodic jobs, jobs for a while, then each companion's (search) updates for a while."""
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(name=name, defaults={"seen_at": now}, create_defaults={
            "seen_at": now, "started_at": now})  # fmt: skip
        periodic.queue_due()
        ran = 0
        started = time.monotonic()
        while time.monotonic() - started < TURN_SECONDS and not stopper.stopping:
            job = claim_next(name)
            if job is None:
                break
            stopper.busy = True
            try:
                run_job(job, name, keep_lease=True)
            finally:
                stopper.busy = False
                signal.alarm(0)
            ran += 1
            _tidy_connections()
        if ran:
            self.stdout.write(f"Ran {ran} job(s).")
        if stopper.stopping or self.threads:
            return bool(ran)
        applied = 0
        for companion in companions():
            stopper.busy = True
            try:
                done = companion.apply(TURN_SECONDS)
            finally:
                stopper.busy = False
                signal.alarm(0)
            if done:
                self.stdout.write(companion.applied.format(count=done))
            applied += done
        return bool(ran or applied)
