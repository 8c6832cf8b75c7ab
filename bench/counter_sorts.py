"""Searches sorted by a counter (hits, kudos), whose order comes from the in-memory filter index,
against the same searches sorted by date (Tantivy alone); and what one work's search document
costs to build (what each hit cost when counters were in the document).

Usage (an archive made first with manage.py generate_archive, its search index built):
    export FANARCHIVE_DATA_DIR=/tmp/fa-20k
    .venv/bin/python manage.py generate_archive --works 20000
    .venv/bin/python manage.py rebuild_search_index
    .venv/bin/python bench/counter_sorts.py --runs 5

Prints CPU milliseconds (process time, so a busy machine does not blur them) per search, p50 of
--runs, engine only (no snippets, no page), for both ways a counter sort can go: reading every
matching id ("collect") or walking the works in counter order ("walk"; used above
search.backend.COLLECT_ALL_MATCHES matches).
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanarchive.settings")
os.environ.setdefault("PLAIN_STATIC_FILES", "true")

import django

django.setup()

from search import backend, engine
from works.filter_index import INDEX
from works.models import Work
from works.query import WorkQuery


def cpu_ms(query: WorkQuery) -> tuple[float, int]:
    started = time.process_time()
    response = backend.run_local(query, snippets=False)
    return (time.process_time() - started) * 1000, response.total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--words", nargs="*", default=["the", "love", "dragon", ""])
    args = parser.parse_args()
    ids = list(Work.objects.filter(posted=True, hidden_by_admin=False).values_list("pk", flat=True))
    if not ids:
        sys.exit("No works: run manage.py generate_archive --works N first.")
    sample = random.Random(1).sample(ids, min(200, len(ids)))
    started = time.process_time()
    engine.build_documents(sample)
    per_work = (time.process_time() - started) * 1000 / len(sample)
    print(f"{len(ids):,} visible works; one work's search document: {per_work:.2f} ms CPU to build (before its write)")
    INDEX.ensure_current()
    collect_all = backend.COLLECT_ALL_MATCHES
    for words in args.words:
        for sort in ("updated", "kudos", "hits"):
            for path, threshold in (("collect", 10**12), ("walk", 0)):
                if sort == "updated" and path == "walk":
                    continue
                backend.COLLECT_ALL_MATCHES = threshold
                times = []
                total = 0
                for _ in range(args.runs):
                    ms, total = cpu_ms(WorkQuery(text=words, sort=sort))
                    times.append(ms)
                p50 = statistics.median(times)
                print(f"{words!r:10} by {sort:8} {path:8} {total:7,} matches  p50 {p50:6.1f} ms CPU")
    backend.COLLECT_ALL_MATCHES = collect_all


if __name__ == "__main__":
    main()
