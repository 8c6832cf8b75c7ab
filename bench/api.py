"""Server time of readers' tools at archive scale: a tag's Atom feed, an OPDS acquisition feed and
/api/v1/works with filters, next to the HTML listing they mirror.

Usage:
    FANARCHIVE_DATA_DIR=/tmp/fa-bench .venv/bin/python bench/api.py --generate 10000
    DATABASE_URL=postgres://postgres@127.0.0.1/fa_bench .venv/bin/python bench/api.py --generate 10000

--generate N migrates and fills an empty database with N synthetic works first
(manage.py generate_archive). Each address is requested in-process through Django's test
client as a guest (middleware, views, queries, XML/JSON rendering; no network), after
warm-up, and p50/p95/max are printed in ms with the number of SQL queries and the size.
Rate limits are lifted for the run (they would answer 429 after a few hundred requests).
"""

import argparse
import os
import statistics
import sys
from pathlib import Path

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
from django.test.utils import override_settings

from bench.pages import measure
from tags.models import Tag, TagType
from works.models import Work


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--generate", type=int, default=0, help="Fill an empty database with N works first.")
    parser.add_argument("--runs", type=int, default=50, help="Timed requests per address (default 50).")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if args.generate and not Work.objects.exists():
        call_command("generate_archive", works=args.generate, seed=1)
    total = Work.objects.count()
    if not total:
        sys.exit("The database has no works: pass --generate N.")
    biggest = Tag.objects.filter(type=TagType.FANDOM).annotate(n=Count("taggings")).order_by("-n").first()
    freeform = Tag.objects.filter(type=TagType.FREEFORM).annotate(n=Count("taggings")).order_by("-n").first()
    assert biggest is not None and freeform is not None
    fandom_works = biggest.get_works_url()
    feed = fandom_works.removesuffix("/works") + "/feed.atom"
    filters = f"include={biggest.pk}&include={freeform.pk}&sort=kudos&words_from=1000"
    addresses = [
        (f"tag page (HTML): biggest fandom, {biggest.n:,} works", fandom_works),
        ("tag Atom feed: biggest fandom", feed),
        ("works Atom feed with filters", f"/works/feed.atom?{filters}"),
        ("OPDS acquisition feed with filters", f"/opds/works?{filters}"),
        ("OPDS acquisition feed, page 20", f"/opds/works?include={biggest.pk}&page=20"),
        ("/api/v1/works with filters", f"/api/v1/works?{filters}"),
        ("/api/v1/works, page 50, by word count", "/api/v1/works?sort=words&page=50"),
    ]
    client = Client()
    print(f"Database: {connection.vendor}, {total:,} works")
    print(f"{'address':52} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8} {'KB':>6}")
    with override_settings(API_RATE_LIMIT_ADDRESS=10**9, API_RATE_LIMIT_TOKEN=10**9):
        for label, url in addresses:
            timings, _cpu, queries, size, _collections = measure(client, url, args.runs)
            p50, p95 = statistics.median(timings), statistics.quantiles(timings, n=20)[-1]
            print(f"{label:52} {p50:8.1f} {p95:8.1f} {max(timings):8.1f} {queries:8d} {size / 1024:6.0f}")


if __name__ == "__main__":
    main()
