"""Starting with the database out of reach: one line saying what is wrong and how to fix it,
instead of Django's 87-line traceback (manage.py and the WSGI server both go through here)."""

import gc
import sys
from collections.abc import Callable
from typing import TypeVar

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


def tune_garbage_collector_for_serving() -> None:
    """Fewer, larger young collections in a web process (see YOUNG_COLLECTION_THRESHOLD)."""
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, old)


def freeze_startup_heap() -> None:
    """Move what startup built (the filter index, Django's own objects) out of the collector's reach:
    full collections then walk only what requests made, and the collector no longer writes to
    pages a forking server's workers share copy-on-write (Python's gc.freeze docs)."""
    gc.collect()
    gc.freeze()
