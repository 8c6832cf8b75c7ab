"""Hit counting that never waits for the database's write lock.

A visit is counted at most once per visitor per work per day, and one address
counts at most HITS_RATE_LIMIT hits an hour (a script cycling browser names): both
through lib.ratelimit, in the cache every process shares; when that cache is down
the hit is skipped and the page served. Counted hits collect in this process's memory and a
background thread writes them in one short transaction every
HITS_FLUSH_SECONDS, so page views on SQLite never queue behind writers.
"""

import atexit
import logging
import threading
from collections import Counter

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from lib.hashing import keyed_hash
from lib.ratelimit import check_rate, client_address, first_visit
from works.filters import note_changed
from works.models import Work

logger = logging.getLogger(__name__)

_pending: Counter[int] = Counter()
_lock = threading.Lock()
_flusher: threading.Thread | None = None


def visitor_key(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return f"u{request.user.pk}"
    # Guests are told apart by address and browser, hashed with the secret so
    # the cache never holds an IP address in clear.
    raw = f"{client_address(request)}|{request.META.get('HTTP_USER_AGENT', '')}"
    return keyed_hash(raw, digest_size=12)


def record_hit(request: HttpRequest, work_id: int) -> None:
    day = timezone.localdate().isoformat()
    if not first_visit(f"hit:{work_id}:{visitor_key(request)}:{day}", timeout=26 * 3600):
        return
    if check_rate(request, "hits", None, settings.HITS_RATE_LIMIT, settings.HITS_RATE_WINDOW_SECONDS):
        return
    with _lock:
        _pending[work_id] += 1
    _ensure_flusher()


def flush_hits() -> int:
    """Write the buffered hits; returns how many were written."""
    with _lock:
        batch = dict(_pending)
        _pending.clear()
    if not batch:
        return 0
    try:
        with transaction.atomic():
            updated = [
                work_id
                for work_id, count in batch.items()
                if Work.objects.filter(pk=work_id).update(hits=F("hits") + count)
            ]
            # The hits sort reads the in-memory filter index, which catches up from this log
            # (deleted works have nothing to catch up on).
            note_changed(updated)
    except Exception:
        # Keep the counts for the next try rather than lose them.
        with _lock:
            _pending.update(batch)
        logger.exception("Could not write hit counts; will retry")
        return 0
    return sum(batch.values())


def _flush_forever() -> None:
    while True:
        threading.Event().wait(settings.HITS_FLUSH_SECONDS)
        close_old_connections()
        flush_hits()


def _ensure_flusher() -> None:
    global _flusher
    if settings.HITS_FLUSH_SECONDS <= 0 or (_flusher is not None and _flusher.is_alive()):
        return
    with _lock:
        if _flusher is None or not _flusher.is_alive():
            _flusher = threading.Thread(target=_flush_forever, name="hit-flusher", daemon=True)
            _flusher.start()
            atexit.register(flush_hits)
