"""Which tags a reader may see named (tags.visibility) at archive scale: the autocomplete and a tag
page's lookup, for a guest and a logged-in reader. Read-only: it never writes to the archive.

The autocomplete is asked for one-, two- and four-letter prefixes ("m", "ma", "mara"), a term whose
prefix matches are too few (so word-start matches fill the page) and a character field scoped by the
biggest fandom, as works.autocomplete.suggest_tags (the view's work less the JSON).

Usage (an archive made first with manage.py generate_archive, e.g. --works 1000000):

    FANARCHIVE_DATA_DIR=$(mktemp -d) .venv/bin/python bench/tag_visibility.py \\
        --sqlite /tmp/fa-1m/fanarchive.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1/fa_bench .venv/bin/python bench/tag_visibility.py

--sqlite PATH  open this SQLite database read-only (mode=ro) instead of the configured one.
--runs N       timed runs per case (default 20), after one warm-up run.
--terms A,B    the autocomplete terms (default m,ma,mara,of: "of" starts no name but thousands of words).

Prints the first suggestion's time (it builds the process's tag name table and filter index), then,
per case, p50 and p95 wall and p50 CPU time of this process in ms (on PostgreSQL the query's work
is the server's, so wall time is the figure) and the number of queries, then the query plan of the
tag page's lookup.
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
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--terms", default="m,ma,mara,of")
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if args.sqlite:
        if connection.vendor != "sqlite":
            sys.exit("--sqlite needs DATABASE_URL unset")
        # Django opens SQLite with uri=True; without the settings' init_command nothing is written.
        connection.settings_dict["NAME"] = f"file:{Path(args.sqlite).resolve()}?mode=ro"
        connection.settings_dict["OPTIONS"] = {}

    from django.db.models import Count

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
        walls, cpus = [], []
        # The warm-up run, its queries counted.
        with CaptureQueriesContext(connection) as queries:
            case()
        for _ in range(args.runs):
            wall, cpu = time.perf_counter(), time.process_time()
            result = case()
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        p95 = statistics.quantiles(walls, n=20, method="inclusive")[18] if len(walls) > 1 else walls[0]
        print(
            f"{name:48} wall p50 {statistics.median(walls):8.1f} p95 {p95:8.1f} ms  "
            f"cpu p50 {statistics.median(cpus):8.1f} ms  {len(queries):2} queries  -> {result}"
        )

    fandom = (
        Tag.objects.filter(type="fandom", canonical=True)
        .annotate(children=Count("child_links"))
        .order_by("-children", "pk")
        .first()
    )

    def suggest(
        user: Any, term: str, types: tuple[str, ...] = autocomplete.TYPES, fandoms: tuple[str, ...] = ()
    ) -> str:
        found = autocomplete.suggest_tags(user, term, types, list(fandoms))
        return f"{len(found)}: {', '.join(s['name'] for s in found[:3])}"

    names = getattr(autocomplete, "TAG_NAMES", None)
    if names is not None:
        started = time.perf_counter()
        names.prefix_matches("m", [])
        print(
            f"tag name table: {len(names.keys)} names, {len(names.word_ids)} words, "
            f"built in {(time.perf_counter() - started) * 1000:.0f} ms"
        )
    started = time.perf_counter()
    suggest(AnonymousUser(), "m")
    print(f"first suggestion (builds the name table and filter index): {(time.perf_counter() - started) * 1000:.0f} ms")

    def tag_page(user: Any) -> bool:
        return Tag.objects.filter(visible_tags(user), name_key=tag.name_key).exists()

    for who, user in (("guest", AnonymousUser()), ("reader", reader)):
        for term in args.terms.split(","):
            timed(f"autocomplete {term!r} ({who})", partial(suggest, user, term))
        if fandom is not None:
            timed(
                f"autocomplete 'm' character in fandom ({who})",
                partial(suggest, user, "m", ("character",), (fandom.name,)),
            )
        timed(f"tag page lookup ({who})", partial(tag_page, user))
    for who, user in (("guest", AnonymousUser()), ("reader", reader)):
        query = Tag.objects.filter(visible_tags(user), name_key=tag.name_key)
        print(f"\nplan of the tag page lookup ({who}):")
        print(query.explain(analyze=True) if connection.vendor == "postgresql" else query.explain())


if __name__ == "__main__":
    main()
