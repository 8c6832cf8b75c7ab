"""Server time of the main read pages at archive scale.

Usage:
    FANARCHIVE_DATA_DIR=/tmp/fa-bench .venv/bin/python bench/pages.py --generate 10000
    DATABASE_URL=postgres://postgres@127.0.0.1/fa_bench .venv/bin/python bench/pages.py --generate 10000

--generate N migrates and fills an empty database with N synthetic works first
(manage.py generate_archive). Each page is requested in-process through
Django's test client as a guest (middleware, views, queries and template
rendering; no network), after warm-up, and p50/p95/max are printed in ms along
with the number of SQL queries.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanarchive.settings")
os.environ.setdefault("PLAIN_STATIC_FILES", "true")
os.environ.setdefault("HITS_FLUSH_SECONDS", "0")

import django

django.setup()

from django.core.management import call_command
from django.db import connection, reset_queries
from django.db.models import Count
from django.test import Client
from django.test.utils import override_settings

from accounts.models import TagExclusion, User
from tags.models import Tag, TagType
from works.models import Chapter, Work


def measure(client: Client, url: str, runs: int) -> tuple[list[float], list[float], int, int]:
    """Wall-clock and CPU milliseconds per request (CPU time of this process: on a busy
    shared machine it varies far less than wall time), queries, response size."""
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    timings, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    with override_settings(DEBUG=True):
        reset_queries()
        client.get(url)
        queries = len(connection.queries)
    return timings, cpu, queries, len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--generate", type=int, default=0, help="Fill an empty database with N works first.")
    parser.add_argument("--runs", type=int, default=50, help="Timed requests per page (default 50).")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if args.generate and not Work.objects.exists():
        call_command("generate_archive", works=args.generate, seed=1)
    total = Work.objects.count()
    if not total:
        sys.exit("The database has no works: pass --generate N.")
    biggest = (
        Tag.objects.filter(type=TagType.FANDOM)
        .annotate(n=Count("taggings"))
        .order_by("-n")
        .values_list("name", "n")
        .first()
    )
    assert biggest is not None
    long_chapter = (
        Chapter.objects.filter(word_count__gte=100_000, posted=True, work__posted=True, work__restricted=False)
        .select_related("work")
        .first()
    )
    big_fandom = Tag.objects.get(name=biggest[0])
    common = list(
        Tag.objects.filter(type__in=[TagType.CHARACTER, TagType.FREEFORM], canonical=True)
        .annotate(n=Count("filter_taggings"))
        .order_by("-n")
        .values_list("pk", flat=True)[:64]
    )
    filtered = "&".join([f"include={t}" for t in [big_fandom.pk, *common[:2]]] + [f"exclude={t}" for t in common[2:12]])
    pages = [
        ("works index, page 1", "/works", False),
        ("works index, page 50, by word count", "/works?sort=words&page=50", False),
        (f"tag page: biggest fandom ({biggest[1]:,} works)", big_fandom.get_works_url(), False),
        ("3 incl + 10 excl, by kudos, page 1", f"/works?{filtered}&sort=kudos", False),
        ("works index, reader with 50 exclusions", "/works", True),
        ("tag page, reader with 50 exclusions", big_fandom.get_works_url(), True),
    ]
    if long_chapter:
        words = f"{long_chapter.word_count:,}"
        pages.append((f"chapter of {words} words", long_chapter.get_absolute_url() + "?view_adult=true", False))
    reader, _new = User.objects.get_or_create(username="bench-reader", defaults={"email": "bench@example.invalid"})
    for tag_id in common[14:64]:
        TagExclusion.objects.get_or_create(user=reader, tag_id=tag_id)
    guest, member = Client(), Client()
    member.force_login(reader)
    print(f"Database: {connection.vendor}, {total:,} works, {Chapter.objects.count():,} chapters")
    columns = ("p50 ms", "p95 ms", "max ms", "cpu p50", "cpu p95", "queries")
    print(f"{'page':48} " + " ".join(f"{c:>8}" for c in columns) + f" {'KB':>6}")
    for label, url, as_member in pages:
        timings, cpu, queries, size = measure(member if as_member else guest, url, args.runs)
        p50, p95 = statistics.median(timings), statistics.quantiles(timings, n=20)[-1]
        cpu50, cpu95 = statistics.median(cpu), statistics.quantiles(cpu, n=20)[-1]
        print(
            f"{label:48} {p50:8.1f} {p95:8.1f} {max(timings):8.1f} {cpu50:8.1f} {cpu95:8.1f} {queries:8d} "
            f"{size / 1024:6.0f}"
        )


if __name__ == "__main__":
    main()
