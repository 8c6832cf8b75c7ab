"""Tag filtering at archive scale: a fixed, varied set of filter queries.

Usage:
    FANARCHIVE_DATA_DIR=/tmp/fa-1m .venv/bin/python bench/filters.py
    DATABASE_URL=postgres://postgres@127.0.0.1/fa_1m .venv/bin/python bench/filters.py
    (add --generate N to fill an empty database first with manage.py generate_archive)

For each query it prints p50/p95 in ms of:
  page   the first page of 20 ids with the exact total count (in-memory index)
  facets the top tags of the result set, per facet type
  http   the whole HTTP response (Django's test client, in-process: view,
         index, database, templates), as a guest or as the bench reader
plus the result count. It also prints how long building the index took.
"""

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanarchive.settings")
os.environ.setdefault("PLAIN_STATIC_FILES", "true")
os.environ.setdefault("HITS_FLUSH_SECONDS", "0")

import django

django.setup()

from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client

from accounts.models import TagExclusion, User
from tags.models import MetaTagging, Tag, TagType
from works.filter_index import INDEX
from works.models import FilterTagging, Work
from works.query import WorkQuery


def timed(function: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    result = function()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        timings.append((time.perf_counter() - started) * 1000)
    return timings, result


def summary(timings: list[float]) -> str:
    p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]
    return f"{statistics.median(timings):7.1f} {p95:7.1f}"


def tags_by_use(tag_type: str, limit: int, offset: int = 0) -> list[int]:
    rows = (
        FilterTagging.objects.filter(tag__type=tag_type, tag__merger__isnull=True)
        .values("tag_id")
        .annotate(n=Count("work_id"))
        .order_by("-n")[offset : offset + limit]
    )
    return [row["tag_id"] for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--generate", type=int, default=0, help="Fill an empty database with N works first.")
    parser.add_argument("--runs", type=int, default=30, help="Timed runs per measurement (default 30).")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if args.generate and not Work.objects.exists():
        call_command("generate_archive", works=args.generate, seed=1)

    started = time.perf_counter()
    INDEX.reset()
    INDEX.ensure_current()
    build_seconds = time.perf_counter() - started
    # What the index holds once built (Python objects and numpy arrays), measured on a second build.
    INDEX.reset()
    tracemalloc.start()
    INDEX.ensure_current()
    index_megabytes = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()

    fandoms = tags_by_use(TagType.FANDOM, 2)
    big, second_big = fandoms[0], fandoms[1]
    freeforms = tags_by_use(TagType.FREEFORM, 14)
    characters_of_big = list(
        FilterTagging.objects.filter(tag__type=TagType.CHARACTER, work__filter_taggings__tag_id=big)
        .values("tag_id")
        .annotate(n=Count("work_id"))
        .order_by("-n")
        .values_list("tag_id", flat=True)[:1]
    )
    rare = (
        FilterTagging.objects.values("tag_id")
        .annotate(n=Count("work_id"))
        .filter(n__gte=30, n__lte=60)
        .order_by("tag_id")
        .values_list("tag_id", flat=True)
        .first()
    )
    meta = (
        MetaTagging.objects.values("meta_tag_id")
        .annotate(subs=Count("sub_tag_id"))
        .order_by("-subs")
        .values_list("meta_tag_id", "subs")
        .first()
    )
    teen = Tag.objects.get(name="Teen And Up Audiences").pk

    reader, _ = User.objects.get_or_create(username="bench-reader", defaults={"email": "bench@example.invalid"})
    if TagExclusion.objects.filter(user=reader).count() < 50:
        exclude_list = tags_by_use(TagType.FREEFORM, 50, offset=14)
        for tag_id in exclude_list:
            TagExclusion.objects.get_or_create(user=reader, tag_id=tag_id)
    exclusions = list(TagExclusion.objects.filter(user=reader).values_list("tag_id", flat=True))

    three = [big, *characters_of_big, freeforms[0]]
    queries: list[tuple[str, WorkQuery, str, str, bool]] = [
        ("single big tag", WorkQuery(all_of=[big]), "updated", f"include={big}", False),
        ("rare tag", WorkQuery(all_of=[rare or big]), "updated", f"include={rare or big}", False),
        (
            "3 incl + 10 excl + rating + words, by kudos",
            WorkQuery(all_of=three, none_of=freeforms[1:11], any_of=[teen], words_from=1000, words_to=20000),
            "kudos",
            "&".join(
                [f"include={t}" for t in [*three, teen]]
                + [f"exclude={t}" for t in freeforms[1:11]]
                + ["words_from=1000", "words_to=20000", "sort=kudos"]
            ),
            False,
        ),
        (
            "big tag minus a big tag",
            WorkQuery(all_of=[big], none_of=[second_big]),
            "updated",
            f"include={big}&exclude={second_big}",
            False,
        ),
    ]
    if meta:
        queries.append(
            (f"meta tag with {meta[1]} sub tags", WorkQuery(all_of=[meta[0]]), "updated", f"include={meta[0]}", False)
        )
    queries.append(
        (
            f"works index with a {len(exclusions)}-tag exclusion list",
            WorkQuery(members=True, exclusion_list=exclusions),
            "updated",
            "",
            True,
        )
    )

    guest, member = Client(), Client()
    member.force_login(reader)
    print(
        f"Database: {connection.vendor}; {Work.objects.count():,} works; filter index built in {build_seconds:.1f} s, "
        f"holding {index_megabytes:.0f} MB"
    )
    print(f"{'query':48} {'results':>9} {'page p50/p95':>15} {'facets p50/p95':>15} {'http p50/p95':>15}")
    for label, spec, sort, query, as_member in queries:
        page_times, (total, _ids) = timed(partial(_page, spec, sort), args.runs)
        ids = INDEX.match(spec)
        facet_times, _ = timed(partial(INDEX.facets, ids), args.runs)
        client = member if as_member else guest
        url = f"/works?{query}"
        http_times, response = timed(partial(client.get, url), max(5, args.runs // 3))
        assert response.status_code == 200, (url, response.status_code)
        print(f"{label:48} {total:9,} {summary(page_times):>15} {summary(facet_times):>15} {summary(http_times):>15}")


def _page(spec: WorkQuery, sort: str) -> tuple[int, list[int]]:
    ids = INDEX.match(spec)
    return len(ids), INDEX.page(ids, sort, 0, 20)


if __name__ == "__main__":
    main()
