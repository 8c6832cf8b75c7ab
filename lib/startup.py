"""Starting with the database out of reach: one line saying what is wrong and how to fix it,
instead of Django's 87-line traceback (manage.py and the WSGI server both go through here)."""

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
