"""Keeping the search index in step with the database.

Every change that affects a work's search document queues a `SearchUpdate`
row in the same transaction (`queue_updates`); the job worker (`run_jobs`)
calls `apply_pending` every second. Applying is: read the queued rows, build
the works' documents from the database, replace them in the index, commit the
index, then delete exactly the rows read. A crash before the index commit
leaves the rows to be applied again; a crash after it re-applies them, which
replaces the same documents: nothing is lost or duplicated.
"""

import sys
import time
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any, Protocol

import tantivy
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from works.models import Work

from . import engine
from .models import SearchUpdate

BATCH_WORKS = 200


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


def apply_pending(*, max_works: int = BATCH_WORKS, max_batches: int = 50) -> int:
    """Apply due updates; returns how many works were written. Skips if another process writes."""
    if not owns_index():
        return 0
    done = 0
    for _ in range(max_batches):
        due = list(
            SearchUpdate.objects.filter(due_at__lte=timezone.now())
            .order_by("id")
            .values_list("work_id", flat=True)[: max_works * 4]
        )
        if not due:
            break
        work_ids = list(dict.fromkeys(due))[:max_works]
        # Every row of these works that is visible now, due or not: one rewrite covers them all.
        row_ids = list(SearchUpdate.objects.filter(work_id__in=work_ids).values_list("id", flat=True))
        with engine.writer_lock(blocking=False) as acquired:
            if not acquired:
                break
            index = engine.READERS.index()
            try:
                writer = engine.open_writer(index)
            except ValueError:  # Tantivy's own lock: a writer outside our lock (a stray process)
                break
            engine.write_documents(writer, engine.build_documents(work_ids))
            writer.commit()
            del writer
        SearchUpdate.objects.filter(id__in=row_ids).delete()
        done += len(work_ids)
    return done


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
