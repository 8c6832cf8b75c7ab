"""Keeping the search index in step with the database.

Every change that affects a work's search document queues a `SearchUpdate`
row in the same transaction (`queue_updates`); the job worker (`run_jobs`)
calls `apply_pending` every second. Applying is: read the queued rows, build
the works' documents from the database, replace them in the index, commit the
index, then delete exactly the rows read. A crash before the index commit
leaves the rows to be applied again; a crash after it re-applies them, which
replaces the same documents: nothing is lost or duplicated.
"""

import logging
import sys
import time
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any, Protocol

import tantivy
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jobs.queue import handler
from works.models import Work

from . import engine
from .models import SearchUpdate

BATCH_WORKS = 200
# One commit per worker turn, holding at most this many works or this many seconds of reading.
COMMIT_WORKS = 1000
COMMIT_SECONDS = 2.0
logger = logging.getLogger(__name__)


def queue_updates(work_ids: Iterable[int], *, soon: bool = True) -> None:
    """Rewrite these works' search documents: at once (`soon`) or after SEARCH_LAZY_SECONDS."""
    ids = set(work_ids)
    if not ids:
        return
    due = timezone.now() + (timedelta() if soon else timedelta(seconds=settings.SEARCH_LAZY_SECONDS))
    SearchUpdate.objects.bulk_create([SearchUpdate(work_id=pk, due_at=due) for pk in ids])


def owns_index() -> bool:
    """Only the node that holds the index applies updates; the others send searches to it."""
    return not settings.SEARCH_URL


def apply_pending(*, max_works: int = COMMIT_WORKS, seconds: float = COMMIT_SECONDS) -> int:
    """Apply due updates with this process's long-lived writer and commit once; returns the works written.

    Batches by size and time: reads up to `max_works` works, stopping early after `seconds`,
    then one commit. Skips if another process holds the writer (a rebuild). A commit that
    fails because a killed process left files behind is recovered (the orphans removed, the
    batch written again); if that fails too, the index is rebuilt from the database.
    """
    if not owns_index() or engine.WRITER.get() is None:
        return 0  # another worker (or a rebuild) writes the index: it applies the rows
    started = time.monotonic()
    done = 0
    row_ids: list[int] = []
    documents: dict[int, tantivy.Document | None] = {}
    while done < max_works and time.monotonic() - started < seconds:
        seen = set(documents)
        due = list(
            SearchUpdate.objects.filter(due_at__lte=timezone.now())
            .exclude(work_id__in=seen)
            .order_by("id")
            .values_list("work_id", flat=True)[: BATCH_WORKS * 4]
        )
        if not due:
            break
        work_ids = list(dict.fromkeys(due))[: min(BATCH_WORKS, max_works - done)]
        # Every row of these works that is visible now, due or not: one rewrite covers them all.
        row_ids += SearchUpdate.objects.filter(work_id__in=work_ids).values_list("id", flat=True)
        documents.update(engine.build_documents(work_ids))
        done += len(work_ids)
    if not documents:
        return 0
    if not _write_and_commit(documents):
        return 0
    SearchUpdate.objects.filter(id__in=row_ids).delete()
    return done


def _write_and_commit(documents: dict[int, tantivy.Document | None]) -> bool:
    for attempt in (1, 2):
        with engine.WRITER.session() as writer:
            if writer is None:
                return False
            try:
                engine.write_documents(writer, documents)
                writer.commit()
                return True
            except ValueError as error:
                writer = None  # Tantivy's own lock goes with the last reference to the writer
                removed = engine.WRITER.recover()
                logger.error(
                    "Search index: commit failed (%s); removed %d file(s) an interrupted commit left: %s",
                    error, len(removed), ", ".join(removed) or "none",
                )  # fmt: skip
                if attempt == 2:
                    logger.error("Search index: still failing after recovery; rebuilding it from the database")
                    rebuild()
                    return True
    return False


def close_writer() -> None:
    """Let go of the index (the worker stopping), after the running merges finish (bounded by
    SEARCH_STOP_MERGE_SECONDS)."""
    engine.WRITER.close(wait_for_merges=settings.SEARCH_STOP_MERGE_SECONDS)


def rebuild(*, batch: int = 500, progress: Callable[[int, int], None] | None = None, threads: int = 2) -> int:
    """Index every visible work into a new index and swap it in; returns the documents written.

    Holds the writer lock throughout, so the worker leaves queued updates for
    afterwards: a work changed during the rebuild is rewritten once it ends.
    """
    ids = list(Work.objects.published().order_by("pk").values_list("pk", flat=True))
    written = 0

    def build(index: tantivy.Index) -> None:
        nonlocal written
        writer = engine.open_writer(index, heap_mb=400, threads=threads)
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            with transaction.atomic():
                documents = engine.build_documents(chunk)
            for document in documents.values():
                if document is not None:
                    writer.add_document(document)
                    written += 1
            if progress:
                progress(min(start + batch, len(ids)), len(ids))
        writer.commit()
        writer.wait_merging_threads()

    with engine.writer_lock(blocking=True):
        engine.replace_index(build)
    return written


class _Stream(Protocol):
    def write(self, text: str, /) -> Any: ...
    def flush(self) -> Any: ...


class ProgressBar:
    """A one-line progress bar on stderr (no dependency)."""

    def __init__(self, label: str, stream: _Stream | None = None) -> None:
        self.label = label
        self.stream: _Stream = stream or sys.stderr
        self.started = time.monotonic()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.5 and done < total:
            return
        self.last = now
        elapsed = now - self.started
        rate = done / elapsed if elapsed else 0.0
        left = (total - done) / rate if rate else 0.0
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        line = f"\r{self.label} [{bar}] {done:,}/{total:,} works  {rate:,.0f}/s  ETA {left:,.0f} s "
        self.stream.write(line)
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def index_health() -> dict[str, Any]:
    """What /healthz and the worker's check report: is there an index, and does it hold every visible work?"""
    visible = Work.objects.published().count()
    present = engine.has_index()
    indexed = engine.searcher().num_docs if present else 0
    # Works changed a moment ago are short in the index until the worker applies them.
    pending = SearchUpdate.objects.values("work_id").distinct().count()
    return {
        "present": present,
        "indexed": indexed,
        "visible": visible,
        "pending": pending,
        "complete": present and indexed + pending >= visible,
    }


@handler("check_search_index")
def check_search_index(payload: dict[str, Any]) -> None:
    """Rebuild the index when it is missing or holds fewer works than the database (searches keep
    answering from the old index, or say search is rebuilding, until the new one is swapped in)."""
    if not owns_index():
        return
    health = index_health()
    if health["complete"]:
        return
    logger.warning(
        "Search index %s (%s of %s visible works): rebuilding it in the background",
        "is missing" if not health["present"] else "is incomplete", health["indexed"], health["visible"],
    )  # fmt: skip
    written = rebuild()
    logger.warning("Search index rebuilt: %s works", written)
