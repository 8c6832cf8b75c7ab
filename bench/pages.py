"""Server time of the main read pages at archive scale (issue 11's and issue 17's page set).

Usage:
    FANARCHIVE_DATA_DIR=/tmp/fa-bench .venv/bin/python bench/pages.py --generate 10000
    DATABASE_URL=postgres://postgres@127.0.0.1/fa_bench .venv/bin/python bench/pages.py --generate 10000

--generate N migrates and fills an empty database with N synthetic works first
(manage.py generate_archive). Each page is requested in-process through
Django's test client (middleware, views, queries and template rendering; no
network), after warm-up, and p50/p95/max wall and CPU time are printed in ms along
with the number of SQL queries. The listings (works index, its page 50, the
biggest fandom's tag page, a 3-include/10-exclude filter sorted by kudos) are
requested as a guest and as a reader with 50 tags on their exclusion list; then a
work page with a 100,000-word chapter, the search results for the index's most
common word (when a search index exists; once answered from the search results cache,
as a repeated search is, and once with that cache off), a tag's Atom feed, an OPDS acquisition
feed and /api/v1/works with filters. CPU time is the steadier figure on a shared
machine; the load average is printed before and after. A request is timed until its response is
finished (request_finished, as a server has sent the last byte), before the collections that web
processes run after a response (lib/startup.py collect_after_response); the last column lists the
pauses (ms) of the collections that still fell within the page's timed requests, and the summary
those run after responses. --only TEXT runs the pages
whose label contains TEXT (several: comma-separated). --profile N prints, after each
page's figures, the N functions with the most CPU time of their own over 10 more requests
(cProfile: slower than the timed requests, but it says where the time goes), and the
page's SQL queries. --accept-encoding "gzip, deflate, br, zstd" asks for compressed pages as
a browser does (the test client asks for none), so the time includes compressing them.
"""

import argparse
import cProfile
import gc
import io
import os
import pstats
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

from django.conf import settings
from django.core.management import call_command
from django.core.signals import request_finished
from django.db import connection, reset_queries
from django.db.models import Count
from django.test import Client
from django.test.utils import override_settings

from accounts.models import TagExclusion, User
from lib.startup import freeze_startup_heap, tune_garbage_collector_for_serving
from tags.models import Tag, TagType
from works.filter_index import INDEX
from works.models import Chapter, Work


class CollectionTimer:
    """The garbage collector's pauses during the timed requests, by whether they fell within a
    response (before it was finished) or after it (lib/startup.py collect_after_response)."""

    def __init__(self) -> None:
        self.pauses: list[tuple[int, float, float]] = []  # (generation, started, ms)
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.pauses.append((info["generation"], self._started, (time.perf_counter() - self._started) * 1000))

    def within(self, windows: list[tuple[float, float]]) -> list[tuple[int, float, float]]:
        """The pauses that began inside one of these (start, finish) spans of timed responses."""
        return [pause for pause in self.pauses if any(start <= pause[1] < end for start, end in windows)]

    def summary(self, windows: list[tuple[float, float]]) -> str:
        inside = self.within(windows)
        after = [pause for pause in self.pauses if pause not in inside]

        def described(pauses: list[tuple[int, float, float]]) -> str:
            by_generation = [[ms for g, _s, ms in pauses if g == generation] for generation in (0, 1, 2)]
            return ", ".join(
                f"{len(ms)} of generation {generation} ({sum(ms):.1f} ms, longest {max(ms, default=0):.1f})"
                for generation, ms in enumerate(by_generation)
            )

        return (
            f"gc within responses: {described(inside)}\ngc after responses: {described(after)}\n"
            f"{len(gc.get_objects()):,} tracked objects"
        )


COLLECTIONS = CollectionTimer()


class ResponseClock:
    """When the last response was finished: connected to request_finished before the collector's
    receiver (lib/startup.py), so a request's time ends where a server has sent the last byte."""

    def __init__(self) -> None:
        self.finished_at = 0.0
        self.finished_cpu = 0.0

    def __call__(self, **_kwargs: object) -> None:
        self.finished_at, self.finished_cpu = time.perf_counter(), time.process_time()


RESPONSE_CLOCK = ResponseClock()
# Every timed request's (start, finish), to tell the collections within responses from those after.
TIMED: list[tuple[float, float]] = []


def measure(
    client: Client, url: str, runs: int, headers: dict[str, str] | None = None
) -> tuple[list[float], list[float], int, int, list[float]]:
    """Wall-clock and CPU milliseconds per request until its response was finished (CPU time of
    this process: on a busy shared machine it varies far less than wall time), queries, response
    size (as sent), and the pauses of the garbage collections within the timed responses."""
    headers = headers or {}
    for _ in range(3):
        response = client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.status_code)
    timings, cpu = [], []
    windows = []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, headers=headers)
        assert RESPONSE_CLOCK.finished_at > started, "request_finished was not sent"
        timings.append((RESPONSE_CLOCK.finished_at - started) * 1000)
        cpu.append((RESPONSE_CLOCK.finished_cpu - started_cpu) * 1000)
        windows.append((started, RESPONSE_CLOCK.finished_at))
    TIMED.extend(windows)
    with override_settings(DEBUG=True):
        reset_queries()
        client.get(url, headers=headers)
        queries = len(connection.queries)
    within = [ms for _generation, _started, ms in COLLECTIONS.within(windows)]
    return timings, cpu, queries, len(response.content), within


def profile(client: Client, url: str, top: int) -> None:
    """Where a page's time goes: the functions with the most time of their own, then its queries."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(10):
        client.get(url)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    print("\n".join("    " + line for line in out.getvalue().splitlines() if line.strip()))
    with override_settings(DEBUG=True):
        reset_queries()
        client.get(url)
        for query in connection.queries:
            print(f"    {query['time']}s {query['sql'][:160]}")


# Pages measured with the search results cache off (search.backend.run_cached): every request searches.
UNCACHED = "no results cache"
NO_SEARCH_CACHE = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}


def percentile_95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def common_search_word() -> str | None:
    """The most frequent content word of the search index (None when there is no index)."""
    from search import engine

    try:
        searcher = engine.searcher()
    except Exception:  # no index built: the search page is left out
        return None
    function_words = set(
        "the and of to a in that it was he she her his they said for on with as at but not had be by from "
        "this you there were so all would what which when them one".split()
    )
    terms = searcher.terms_with_prefix("text", "", limit=20000)
    content = [(term, count) for term, count in terms if term not in function_words and term.isalpha()]
    return max(content, key=lambda pair: pair[1])[0] if content else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--generate", type=int, default=0, help="Fill an empty database with N works first.")
    parser.add_argument("--runs", type=int, default=50, help="Timed requests per page (default 50).")
    parser.add_argument("--profile", type=int, default=0, help="Print each page's N costliest functions.")
    parser.add_argument(
        "--only", default="", help="Only the pages whose label contains this text (several: comma-separated)."
    )
    parser.add_argument(
        "--accept-encoding", default="", help='Send this Accept-Encoding header, e.g. "gzip, deflate, br, zstd".'
    )
    args = parser.parse_args()
    headers = {"Accept-Encoding": args.accept_encoding} if args.accept_encoding else {}

    call_command("migrate", verbosity=0)
    if args.generate and not Work.objects.exists():
        call_command("generate_archive", works=args.generate, seed=1)
    total = Work.objects.count()
    if not total:
        sys.exit("The database has no works: pass --generate N.")
    started = time.perf_counter()
    INDEX.reset()
    INDEX.ensure_current()
    index_seconds = time.perf_counter() - started
    # As the server does (fanarchive/wsgi.py): its parent process freezes what it built before
    # forking the workers, and web processes collect young objects less often.
    freeze_startup_heap()
    request_finished.connect(RESPONSE_CLOCK)
    tune_garbage_collector_for_serving()
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
    tag_works = big_fandom.get_works_url()
    api_filters = f"include={big_fandom.pk}&include={common[0]}&sort=kudos&words_from=1000"
    listings = [
        ("works index", "/works"),
        ("works index, page 50", "/works?page=50"),
        (f"tag page: biggest fandom ({biggest[1]:,} works)", tag_works),
        ("3 incl + 10 excl, by kudos", f"/works?{filtered}&sort=kudos"),
    ]
    pages = [(label, url, False) for label, url in listings]
    pages += [(f"{label}, 50 exclusions", url, True) for label, url in listings]
    if long_chapter:
        words = f"{long_chapter.word_count:,}"
        chapter_url = long_chapter.get_absolute_url() + "?view_adult=true"
        pages.append((f"work page, chapter of {words} words", chapter_url, False))
    word = common_search_word()
    if word:
        pages.append((f"search results: {word!r}", f"/search/?q={word}", False))
        pages.append((f"search results: {word!r}, {UNCACHED}", f"/search/?q={word}", False))
    pages += [
        ("tag Atom feed: biggest fandom", tag_works.removesuffix("/works") + "/feed.atom", False),
        ("OPDS acquisition feed with filters", f"/opds/works?{api_filters}", False),
        ("/api/v1/works with filters", f"/api/v1/works?{api_filters}", False),
    ]
    reader, _new = User.objects.get_or_create(username="bench-reader", defaults={"email": "bench@example.invalid"})
    for tag_id in common[14:64]:
        TagExclusion.objects.get_or_create(user=reader, tag_id=tag_id)
    guest, member = Client(), Client()
    member.force_login(reader)
    print(
        f"Database: {connection.vendor}, {total:,} works, {Chapter.objects.count():,} chapters; filter index "
        f"built in {index_seconds:.1f} s; load average {os.getloadavg()[0]:.1f}; "
        f"Accept-Encoding: {args.accept_encoding or '(none)'}"
    )
    columns = ("p50 ms", "p95 ms", "max ms", "cpu p50", "cpu p95", "queries")
    print(f"{'page':52} " + " ".join(f"{c:>8}" for c in columns) + f" {'KB':>6} gc in page (ms)")
    gc.callbacks.append(COLLECTIONS)
    # Readers' tools are rate limited per address; lifted for the run (they would answer 429).
    with override_settings(API_RATE_LIMIT_ADDRESS=10**9, API_RATE_LIMIT_TOKEN=10**9):
        for label, url, as_member in pages:
            if args.only and not any(part in label for part in args.only.split(",")):
                continue
            caches = {**settings.CACHES, "search": NO_SEARCH_CACHE} if UNCACHED in label else settings.CACHES
            with override_settings(CACHES=caches):
                timings, cpu, queries, size, in_page = measure(member if as_member else guest, url, args.runs, headers)
            pauses = ", ".join(f"{pause:.0f}" for pause in in_page) or "-"
            print(
                f"{label:52} {statistics.median(timings):8.1f} {percentile_95(timings):8.1f} {max(timings):8.1f} "
                f"{statistics.median(cpu):8.1f} {percentile_95(cpu):8.1f} {queries:8d} {size / 1024:6.0f} {pauses}",
                flush=True,
            )
            if args.profile:
                with override_settings(CACHES=caches):
                    profile(member if as_member else guest, url, args.profile)
    print(COLLECTIONS.summary(TIMED))
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
