"""The background worker under a steady trickle of edits: CPU, memory, index segments, edit-to-search time.

Usage (an archive made first with manage.py generate_archive; the issue's scale is 20,000 works):
    export FANARCHIVE_DATA_DIR=/tmp/fa-20k
    .venv/bin/python manage.py generate_archive --works 20000
    .venv/bin/python bench/worker.py --minutes 10
    DATABASE_URL=postgres://postgres@127.0.0.1/fa_bench FANARCHIVE_DATA_DIR=/tmp/fa-pg \\
        .venv/bin/python bench/worker.py --minutes 3 --mixed

It builds the search index if it is missing, starts one real `manage.py run_jobs` process, and
for --minutes re-indexes one random work per second (--rate), as edits do. With --mixed it
also adds, every second, hits on 20 random works through the hit counter's own path
(works.hits: counted, flushed, noted for the filter index; no search write), and every 10 s a
filter refresh and a PDF job. Every 10 s one work's title is edited to a fresh word and the
time until a search finds it is measured. Printed at the end: the machine's load (uptime) at
the start and the end, the worker's CPU seconds per minute (from /proc), its RSS, the index's
segment count and size, the edit-to-search times, and how long the worker took to stop on
SIGTERM (it lets the index's merges finish) with the segments left after it.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanarchive.settings")
os.environ.setdefault("PLAIN_STATIC_FILES", "true")

import django

django.setup()

from django.conf import settings

from downloads import formats
from downloads.actions import request_pdf
from search import engine, indexer
from tags.models import Tag
from works import hits
from works.filters import queue_refresh_for_tags
from works.models import Work

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def segments() -> tuple[int, float]:
    name = (engine.search_dir() / "CURRENT").read_text().strip()
    folder = engine.search_dir() / name
    meta = json.loads((folder / "meta.json").read_text())
    size = sum(f.stat().st_size for f in folder.iterdir() if f.is_file())
    return len(meta["segments"]), size / 1e6


def found(word: str) -> bool:
    searcher = engine.searcher()
    query = engine.READERS.index().parse_query(word, ["title"])
    return bool(searcher.search(query, 1).hits)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--rate", type=float, default=1.0, help="Re-indexed works per second (default 1).")
    parser.add_argument("--mixed", action="store_true", help="Add hit bursts, filter refreshes and PDF jobs.")
    args = parser.parse_args()
    load_start = uptime()

    ids = list(Work.objects.filter(posted=True, hidden_by_admin=False).values_list("pk", flat=True))
    if not ids:
        sys.exit("No works: run manage.py generate_archive --works N first.")
    if not indexer.index_health()["complete"]:
        print(f"Building the search index of {len(ids):,} works …", flush=True)
        indexer.rebuild()
    engine.WRITER.close()
    rng = random.Random(13)
    log_path = Path(settings.DATA_DIR) / "bench-worker.log"
    log = log_path.open("w")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_jobs"], cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT
    )
    time.sleep(5)  # Django's start-up is not what is measured
    cpu_start, wall_start = cpu_seconds(worker.pid), time.monotonic()
    start_segments = segments()[0]
    latencies: list[float] = []
    pending: dict[str, float] = {}
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            for word, edited in list(pending.items()):
                if found(word):
                    latencies.append(time.monotonic() - edited)
                    del pending[word]
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    fandoms = list(Tag.objects.filter(type="fandom", canonical=True).values_list("pk", flat=True)[:50])
    deadline = wall_start + args.minutes * 60
    tick = 0
    while time.monotonic() < deadline:
        tick += 1
        indexer.queue_updates(rng.sample(ids, max(1, round(args.rate))))
        if args.mixed:
            with hits._lock:
                hits._pending.update(rng.sample(ids, 20))
            hits.flush_hits()
        if tick % 10 == 0:
            work_id = rng.choice(ids)
            word = f"benchmark{tick}x{rng.randrange(10**9)}"
            Work.objects.filter(pk=work_id).update(title=word)
            pending[word] = time.monotonic()
            indexer.queue_updates([work_id])
            if args.mixed:
                if fandoms:
                    queue_refresh_for_tags([rng.choice(fandoms)])
                work = Work.objects.get(pk=rng.choice(ids))
                document = formats.load(work, settings.SITE_URL, work.chapters.filter(posted=True))
                request_pdf(document, document.version("pdf"))
        time.sleep(max(0.0, wall_start + tick - time.monotonic()))
    time.sleep(3)
    stop.set()
    cpu = cpu_seconds(worker.pid) - cpu_start
    minutes = (time.monotonic() - wall_start) / 60
    rss = rss_mb(worker.pid)
    count, size = segments()
    load_end = uptime()
    stop_started = time.monotonic()
    worker.terminate()
    worker.wait(60)
    stop_seconds = time.monotonic() - stop_started
    stopped_count, stopped_size = segments()
    log.close()
    print(f"Archive: {len(ids):,} visible works, {connection_vendor()}; {args.minutes:g} min at {args.rate:g}/s"
          f"{' with mixed load' if args.mixed else ''}.")  # fmt: skip
    print(f"Machine load (uptime): start {load_start}; end {load_end}")
    print(f"Worker CPU: {cpu / minutes:.1f} CPU-seconds per minute")
    print(f"Worker RSS at the end: {rss:.0f} MB")
    print(f"Index segments: {start_segments} at the start, {count} at the end; {size:.0f} MB on disk")
    print(
        f"Worker stop on SIGTERM: {stop_seconds:.1f} s, exit {worker.returncode}; "
        f"{stopped_count} segments after it, {stopped_size:.0f} MB"
    )
    print(f"Worker log: {log_path}")
    if latencies:
        print(
            f"Edit to search: p50 {statistics.median(latencies):.2f} s, max {max(latencies):.2f} s "
            f"({len(latencies)} edits, {len(pending)} not found by the end)"
        )


def uptime() -> str:
    return "load average: " + ", ".join(f"{value:.2f}" for value in os.getloadavg())


def connection_vendor() -> str:
    from django.db import connection

    return connection.vendor


if __name__ == "__main__":
    main()
