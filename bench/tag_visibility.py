"""Which tags a reader may see named (tags.visibility) at archive scale: the autocomplete and a tag
page's lookup, for a guest and a logged-in reader. Read-only: it never writes to the archive.

Usage (an archive made first with manage.py generate_archive, e.g. --works 1000000):

    FANARCHIVE_DATA_DIR=$(mktemp -d) .venv/bin/python bench/tag_visibility.py \\
        --sqlite /tmp/fa-1m/fanarchive.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1/fa_bench .venv/bin/python bench/tag_visibility.py

--sqlite PATH  open this SQLite database read-only (mode=ro) instead of the configured one.
--runs N       timed runs per case (default 3), after one warm-up run.

Prints, per case, the median wall and this process's CPU time in ms (on PostgreSQL the query's
work is the server's, so wall time is the figure), then the query plan of the tag page's lookup.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanarchive.settings")
os.environ.setdefault("PLAIN_STATIC_FILES", "true")
os.environ.setdefault("HITS_FLUSH_SECONDS", "0")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sqlite")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    if args.sqlite:
        if connection.vendor != "sqlite":
            sys.exit("--sqlite needs DATABASE_URL unset")
        # Django opens SQLite with uri=True; without the settings' init_command nothing is written.
        connection.settings_dict["NAME"] = f"file:{Path(args.sqlite).resolve()}?mode=ro"
        connection.settings_dict["OPTIONS"] = {}

    from accounts.models import User
    from tags.models import USER_DEFINED_TYPES, Tag
    from tags.visibility import visible_tags
    from works import autocomplete

    reader = User.objects.order_by("pk").first()
    if reader is None:
        sys.exit("no users: generate an archive first")
    tag = Tag.objects.filter(type__in=USER_DEFINED_TYPES, canonical=False).order_by("pk").first()
    if tag is None:
        sys.exit("no non-canonical tag")
    print(f"{connection.vendor}: {Tag.objects.count()} tags; tag page of {tag.name!r}")

    def timed(name: str, case: Callable[[], Any]) -> None:
        case()
        walls, cpus = [], []
        for _ in range(args.runs):
            wall, cpu = time.perf_counter(), time.process_time()
            result = case()
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        print(f"{name:40} wall {statistics.median(walls):9.1f} ms  cpu {statistics.median(cpus):9.1f} ms  -> {result}")

    def suggest(user: Any, term: str) -> int:
        return len(autocomplete.suggest_tags(user, term, autocomplete.TYPES, []))

    def tag_page(user: Any) -> bool:
        return Tag.objects.filter(visible_tags(user), name_key=tag.name_key).exists()

    for who, user in (("guest", AnonymousUser()), ("reader", reader)):
        for term in ("mara", "m"):
            timed(f"autocomplete {term!r} ({who})", partial(suggest, user, term))
        timed(f"tag page lookup ({who})", partial(tag_page, user))
    for who, user in (("guest", AnonymousUser()), ("reader", reader)):
        query = Tag.objects.filter(visible_tags(user), name_key=tag.name_key)
        print(f"\nplan of the tag page lookup ({who}):")
        print(query.explain(analyze=connection.vendor == "postgresql"))


if __name__ == "__main__":
    main()
