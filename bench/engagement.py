"""Listing speed with reader engagement at scale: kudos, comments and their counts on every blurb.

Usage:
    export FANARCHIVE_DATA_DIR=/tmp/fa-h8-bench
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py generate_archive --works 10000 --seed 1
    .venv/bin/python bench/engagement.py [--kudos 1000000] [--comments 100000] [--runs 50]

(DATABASE_URL=postgres://… for PostgreSQL.) The first run adds the kudos and comments with raw bulk
inserts (executemany on SQLite, COPY on PostgreSQL), spread over the posted works by their popularity,
a fifth of each work's kudos from users and the rest from guests; then it sets Work.kudos_count and
comments_count from the rows in one UPDATE each. Later runs find them there and only measure.

Each page is requested in-process through Django's test client (middleware, views, queries,
template rendering; no network), after warm-up, and p50/p95/max are printed in ms with the number
of SQL queries: the works index, the biggest fandom's tag page and the works index sorted by kudos
(as a guest), the works index as a logged-in reader who mutes ten creators, and the page of the
work with the most kudos (with its kudos list).
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

import numpy as np
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, F
from django.test import Client
from django.utils import timezone

from accounts.models import User
from bench.pages import measure
from comments.models import Comment
from community.models import Kudo, Mute
from tags.models import Tag, TagType
from works.management.commands.generate_archive import Writer
from works.models import Chapter, Work

BATCH = 50_000


def spread(total: int, weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """How many of `total` items each work gets, in proportion to its weight."""
    return rng.multinomial(total, weights / weights.sum())


def add_kudos(total: int, rng: np.random.Generator, writer: Writer) -> None:
    works = np.array(
        Work.objects.filter(posted=True, hidden_by_admin=False).order_by("pk").values_list("pk", "kudos_count")
    )
    users = np.array(User.objects.order_by("pk").values_list("pk", flat=True))
    counts = spread(total, works[:, 1].astype(np.float64) + 1, rng)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows: list[tuple[object, ...]] = []
    for (work_id, _synthetic), count in zip(works, counts, strict=True):
        from_users = min(int(count) // 5, len(users))
        for user_id in rng.choice(users, size=from_users, replace=False):
            rows.append((int(work_id), int(user_id), "", now))
        # Distinct per work, as the keyed hash of distinct addresses would be.
        rows.extend((int(work_id), None, f"{int(work_id):012x}{n:020x}", now) for n in range(int(count) - from_users))
        if len(rows) >= BATCH:
            with transaction.atomic():
                writer.insert(Kudo, ("work_id", "user_id", "guest_hash", "created_at"), rows)
            rows = []
    with transaction.atomic():
        writer.insert(Kudo, ("work_id", "user_id", "guest_hash", "created_at"), rows)


def add_comments(total: int, rng: np.random.Generator, writer: Writer) -> None:
    chapters = np.array(
        Chapter.objects.filter(posted=True, work__posted=True, work__hidden_by_admin=False)
        .order_by("pk")
        .values_list("pk", "work_id", "work__kudos_count")
    )
    users = np.array(User.objects.order_by("pk").values_list("pk", flat=True))
    counts = spread(total, chapters[:, 2].astype(np.float64) + 1, rng)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    names = ("work_id", "chapter_id", "user_id", "guest_name", "content", "status", "created_at")
    rows: list[tuple[object, ...]] = []
    for (chapter_id, work_id, _kudos), count in zip(chapters, counts, strict=True):
        for n in range(int(count)):
            user_id = int(users[rng.integers(len(users))]) if n % 3 else None
            guest = "" if user_id else "A guest"
            content = "<p>I loved this chapter, thank you for writing it!</p>"
            rows.append((int(work_id), int(chapter_id), user_id, guest, content, Comment.Status.PUBLISHED, now))
        if len(rows) >= BATCH:
            with transaction.atomic():
                writer.insert(Comment, names, rows)
            rows = []
    with transaction.atomic():
        writer.insert(Comment, names, rows)
        # Top-level comments are their own thread.
        Comment.objects.filter(thread__isnull=True, parent__isnull=True).update(thread_id=F("id"))


def set_counters() -> None:
    """Work.kudos_count and comments_count from the rows, one UPDATE each."""
    quote = connection.ops.quote_name
    work, kudo, comment = (quote(m._meta.db_table) for m in (Work, Kudo, Comment))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {work} SET kudos_count = (SELECT COUNT(*) FROM {kudo} k WHERE k.work_id = {work}.id)"  # noqa: S608
        )
        cursor.execute(
            f"UPDATE {work} SET comments_count = (SELECT COUNT(*) FROM {comment} c "  # noqa: S608
            f"WHERE c.work_id = {work}.id AND c.status = %s)",
            [Comment.Status.PUBLISHED],
        )
    with connection.cursor() as cursor:
        # As autovacuum would after the bulk load (PostgreSQL's index-only scans need the visibility map).
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kudos", type=int, default=1_000_000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50, help="Timed requests per page (default 50).")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    works = Work.objects.count()
    if not works:
        sys.exit("The database has no works: run manage.py generate_archive --works 10000 --seed 1 first.")
    rng = np.random.default_rng(1)
    writer = Writer(timezone.now())
    if not Kudo.objects.exists() and args.kudos:
        started = time.perf_counter()
        add_kudos(args.kudos, rng, writer)
        print(f"Inserted {Kudo.objects.count():,} kudos in {time.perf_counter() - started:.1f} s")
    if not Comment.objects.exists() and args.comments:
        started = time.perf_counter()
        add_comments(args.comments, rng, writer)
        print(f"Inserted {Comment.objects.count():,} comments in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    set_counters()
    print(f"Counters set from the rows in {time.perf_counter() - started:.1f} s")

    biggest = (
        Tag.objects.filter(type=TagType.FANDOM)
        .annotate(n=Count("taggings"))
        .order_by("-n")
        .values_list("pk", "n")
        .first()
    )
    assert biggest is not None
    fandom = Tag.objects.get(pk=biggest[0])
    most_kudos = Work.objects.filter(posted=True, hidden_by_admin=False, restricted=False).order_by("-kudos_count")[0]
    guest = Client()
    reader = Client()
    muter = User.objects.order_by("pk").first()
    assert muter is not None
    creators = User.objects.exclude(pk=muter.pk).order_by("pk").values_list("pk", flat=True)[:10]
    Mute.objects.bulk_create([Mute(muter=muter, muted_id=pk) for pk in creators], ignore_conflicts=True)
    reader.force_login(muter)
    pages = [
        (guest, "works index", "/works"),
        (guest, f"tag page: biggest fandom ({biggest[1]:,} works)", fandom.get_works_url()),
        (guest, "works index sorted by kudos", "/works?sort=kudos"),
        (reader, "works index, logged in, 10 muted creators", "/works"),
        (guest, f"work page with {most_kudos.kudos_count:,} kudos", f"/works/{most_kudos.pk}/?view_adult=true"),
    ]
    print(
        f"Database: {connection.vendor}, {works:,} works, {Kudo.objects.count():,} kudos, "
        f"{Comment.objects.count():,} comments"
    )
    print(f"{'page':48} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8} {'KB':>6}")
    for client, label, url in pages:
        timings, _cpu, queries, size, _collections = measure(client, url, args.runs)
        p50, p95 = statistics.median(timings), statistics.quantiles(timings, n=20)[-1]
        print(f"{label:48} {p50:8.1f} {p95:8.1f} {max(timings):8.1f} {queries:8d} {size / 1024:6.0f}")


if __name__ == "__main__":
    main()
