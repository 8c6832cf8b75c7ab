"""Starting with the database out of reach: one line saying what is wrong and how to fix it,
instead of Django's 87-line traceback (manage.py and the WSGI server both go through here)."""

import gc
import sys
from collections.abc import Callable
from typing import TypeVar

from django.core.signals import request_finished
from django.db import connections
from django.db.utils import OperationalError

T = TypeVar("T")


def _where_and_fix() -> tuple[str, str]:
    settings = connections["default"].settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        where = f"the SQLite database {settings['NAME']}"
        return where, "Check that its folder exists and is writable (FANARCHIVE_DATA_DIR), or set DATABASE_URL"
    # The address without the password.
    user, host, port = settings.get("USER") or "", settings.get("HOST") or "localhost", settings.get("PORT") or 5432
    where = f"PostgreSQL at postgres://{user}@{host}:{port}/{settings['NAME']}"
    return where, "Start the database server, or set DATABASE_URL"


def database_unreachable_message(error: OperationalError) -> str:
    reason = (str(error).strip().splitlines() or ["no reason given"])[0].rstrip(".")
    where, fix = _where_and_fix()
    return f"Fanarchive can't reach {where}: {reason}. {fix} (README, Configuration), then try again."


def or_exit_if_database_unreachable(start: Callable[[], T]) -> T:
    """Run `start`; if the database can't be reached, print one line to stderr and exit 1."""
    try:
        return start()
    except OperationalError as error:
        print(database_unreachable_message(error), file=sys.stderr)
        raise SystemExit(1) from None


# Objects a young collection waits for. Python's 700 collected dozens of times within one listing
# request, so what the request still held was promoted until it reached the oldest generation,
# and a full collection followed every ~80 requests: 40–110 ms at a million works, where walking
# the references into a multi-gigabyte heap misses the CPU's caches at every step. At 10,000 a
# request meets about one young collection (~4.5 ms), what it held dies before it is promoted
# twice, and bench/pages.py saw no full collection in 330 requests (7 with 700; total collector
# time 410 ms against 700 ms).
YOUNG_COLLECTION_THRESHOLD = 10_000
# Past this many, Python collects on its own in the middle of a request (one that allocates far
# more than a page does); below it, collections wait for the end of a response.
IN_REQUEST_COLLECTION_THRESHOLD = 5 * YOUNG_COLLECTION_THRESHOLD


def tune_garbage_collector_for_serving() -> None:
    """Collect between requests, not in them: a young collection costs 3–8 ms at a million works and
    the middle generation's (every tenth) ~25 ms, on whichever request it fell, which made the p95 of
    a page about three times its median. So, as Unicorn's out-of-band GC does for Ruby servers, the
    collector is asked when a response is finished (`collect_after_response`) what Python would
    have asked mid-request, and collects then; Python's own trigger stays as a safety net, higher.
    With several threads, a collection after one response still pauses the others, as Python's
    own would have."""
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(IN_REQUEST_COLLECTION_THRESHOLD, middle, old)
    request_finished.connect(collect_after_response, dispatch_uid="collect_after_response")


def collect_after_response(**_kwargs: object) -> int | None:
    """The generation Python would collect now with a young threshold of YOUNG_COLLECTION_THRESHOLD
    (its own rule: the oldest whose count passed its threshold), collected; None when none is due.

    Python also skips a full collection until a quarter of the old objects are new since the last
    one; that count is not visible from Python, so a full one runs every 100th young collection:
    after a response, at a million works, 40–110 ms that no page waits for."""
    young, middle, old = gc.get_count()
    if young <= YOUNG_COLLECTION_THRESHOLD:
        return None
    _threshold, middle_threshold, old_threshold = gc.get_threshold()
    generation = 2 if old > old_threshold else 1 if middle > middle_threshold else 0
    gc.collect(generation)
    return generation


def freeze_startup_heap() -> None:
    """Move what startup built (the filter index, Django's own objects) out of the collector's reach:
    full collections then walk only what requests made, and the collector no longer writes to
    pages a forking server's workers share copy-on-write (Python's gc.freeze docs)."""
    gc.collect()
    gc.freeze()
