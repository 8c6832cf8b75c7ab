"""Full-text search at archive scale: Fanarchive's index beside the database's own ranking.

Usage (an archive made first with manage.py generate_archive, e.g. a million works
with a billion words: --works 1000000 --words-per-chapter 265):

    FANARCHIVE_DATA_DIR=/tmp/fa-1b .venv/bin/python bench/search.py --rebuild --baseline
    DATABASE_URL=postgres://postgres@127.0.0.1/fa_bench FANARCHIVE_DATA_DIR=/tmp/fa-pg \\
        .venv/bin/python bench/search.py --rebuild --baseline

--rebuild     (re)build the search index first and print its build time and size.
--baseline    build the database's own full-text index once (SQLite: an FTS5 table with
              porter stemming and diacritics removed; PostgreSQL: a tsvector column with a
              GIN index, 'english' configuration) and time its ranked top-20 for the same
              queries: bm25 via ORDER BY rank, or ts_rank.
--runs N      timed runs per query (default 30).

The query set is picked from the index itself, so it fits any generated archive: a
common word, a rare word (in a few dozen works), a two-word phrase from a story, that
phrase with tag filters (the biggest fandom and a rating), a title: field query, and
a word in half of all works. Each is timed as the whole results page (guest, first
page, 20 blurbs with snippets) through Django's test client, after warm-up: answered
from the results cache (search.backend.run_cached, as a search asked again is) and with
that cache off ("cold"); and as the engine's ranked top-20 alone. Finally one
100,000-word chapter is edited and the time until search shows the edit (the worker's
apply_pending) is printed.
"""

import argparse
import itertools
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanarchive.settings")
os.environ.setdefault("PLAIN_STATIC_FILES", "true")
os.environ.setdefault("HITS_FLUSH_SECONDS", "0")

import django

django.setup()

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import override_settings

from search import engine, indexer
from search.backend import run_local
from tags.models import Tag, TagType
from works import actions
from works.models import Chapter, Work
from works.query import WorkQuery

FUNCTION_WORDS = set(
    "the and of to a in that it was he she her his they said for on with as at but not had be by from "
    "this you there were so all would what which when them one".split()
)


# The search results cache off: every request searches.
NO_SEARCH_CACHE = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}


def timed(function: Callable[[], object], runs: int) -> tuple[float, float]:
    for _ in range(2):
        function()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), statistics.quantiles(timings, n=20)[-1] if runs >= 2 else timings[0]


def pick_queries() -> list[tuple[str, str, dict[str, str]]]:
    searcher = engine.searcher()
    total = searcher.num_docs
    terms = searcher.terms_with_prefix("text", "", limit=20000)
    content = [(term, count) for term, count in terms if term not in FUNCTION_WORDS and term.isalpha()]
    common = content[0][0]
    half = min(content, key=lambda pair: abs(pair[1] - total / 2))[0]
    rare_candidates = [term for term, count in searcher.terms_with_prefix("text", "", limit=None) if 10 <= count <= 60]
    rare = sorted(rare_candidates)[len(rare_candidates) // 2] if rare_candidates else content[-1][0]
    sample = Chapter.objects.filter(posted=True, work__posted=True, work__restricted=False).order_by("pk").first()
    assert sample is not None
    # Two adjacent words of four letters or more from the middle of a story.
    words = re.sub(r"<[^>]+>", " ", sample.content).lower().split()
    pairs = [
        (a, b)
        for a, b in itertools.pairwise(words)
        if len(a) >= 4 and len(b) >= 4 and a.isalpha() and b.isalpha() and a not in FUNCTION_WORDS
    ]
    phrase = " ".join(pairs[len(pairs) // 2])
    fandom = (
        Tag.objects.filter(type=TagType.FANDOM, canonical=True)
        .annotate(n=Count("filter_taggings"))
        .order_by("-n")
        .values_list("name", flat=True)
        .first()
    )
    title_word = next(
        w for w in re.findall(r"[A-Za-z]{4,}", " ".join(Work.objects.values_list("title", flat=True)[:200]))
    )
    return [
        ("common word", common, {}),
        ("rare word", rare, {}),
        ("two-word phrase", f'"{phrase}"', {}),
        ("phrase + tag filters", f'"{phrase}"', {"other_include": f"{fandom}, Teen And Up Audiences"}),
        ("field query", f"title:{title_word.lower()}", {}),
        ("word in half the works", half, {}),
    ]


class Baseline:
    """The database's own full-text ranking over the same works (a bench-only table)."""

    def __init__(self) -> None:
        self.vendor = connection.vendor

    def build(self) -> float:
        started = time.monotonic()
        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                cursor.execute("DROP TABLE IF EXISTS bench_fts")
                cursor.execute(
                    "CREATE VIRTUAL TABLE bench_fts USING fts5(title, body, "
                    "tokenize='porter unicode61 remove_diacritics 2')"
                )
                cursor.execute(
                    "INSERT INTO bench_fts(rowid, title, body) SELECT w.id, w.title, group_concat(c.content, ' ') "
                    "FROM works_work w JOIN works_chapter c ON c.work_id = w.id AND c.posted "
                    "WHERE w.posted AND NOT w.hidden_by_admin GROUP BY w.id"
                )
            else:
                cursor.execute("DROP TABLE IF EXISTS bench_fts")
                # A tsvector holds at most 1 MB: the longest works are cut to their first 400,000 characters.
                cursor.execute(
                    "CREATE TABLE bench_fts AS SELECT w.id, "
                    "setweight(to_tsvector('english', w.title), 'A') || to_tsvector('english', "
                    "left(string_agg(c.content, ' ' ORDER BY c.position), 400000)) AS doc "
                    "FROM works_work w JOIN works_chapter c ON c.work_id = w.id AND c.posted "
                    "WHERE w.posted AND NOT w.hidden_by_admin GROUP BY w.id"
                )
                cursor.execute("CREATE INDEX bench_fts_doc ON bench_fts USING gin (doc)")
                cursor.execute("ANALYZE bench_fts")
        return time.monotonic() - started

    def exists(self) -> bool:
        return "bench_fts" in connection.introspection.table_names()

    def query(self, text: str, filters: dict[str, str]) -> Callable[[], object]:
        tag_ids = []
        if filters:
            names = [n.strip() for n in filters["other_include"].split(",")]
            tag_ids = list(Tag.objects.filter(name__in=names).values_list("pk", flat=True))
        field_match = re.match(r"title:(\w+)", text)
        with_tags = " AND id IN (SELECT work_id FROM works_filtertagging WHERE tag_id = %s)" * len(tag_ids)
        if self.vendor == "sqlite":
            match = f"title : {field_match.group(1)}" if field_match else text
            # Rank the matches first, then keep the tagged ones: SQLite would otherwise run
            # the MATCH once per tagged work.
            sql = (
                "WITH hits AS MATERIALIZED (SELECT rowid AS id, rank FROM bench_fts WHERE bench_fts MATCH %s) "  # noqa: S608
                "SELECT id FROM hits WHERE 1" + with_tags + " ORDER BY rank LIMIT 20"
            )
            params: list[str | int] = [match, *tag_ids]
        else:
            if field_match:
                sql = (
                    "SELECT id FROM bench_fts WHERE doc @@ to_tsquery('english', %s)"  # noqa: S608
                    + with_tags
                    + " ORDER BY ts_rank(doc, to_tsquery('english', %s)) DESC LIMIT 20"
                )
                word = field_match.group(1) + ":A"
                params = [word, *tag_ids, word]
            else:
                sql = (
                    "SELECT id FROM bench_fts, websearch_to_tsquery('english', %s) q WHERE doc @@ q"  # noqa: S608
                    + with_tags
                    + " ORDER BY ts_rank(doc, q) DESC LIMIT 20"
                )
                params = [text, *tag_ids]

        def run() -> object:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rebuild", action="store_true", help="Rebuild the search index first.")
    parser.add_argument("--baseline", action="store_true", help="Also time the database's own ranking.")
    parser.add_argument("--runs", type=int, default=30, help="Timed runs per query (default 30).")
    args = parser.parse_args()

    works = Work.objects.count()
    if not works:
        sys.exit("The database has no works: run manage.py generate_archive first.")
    words = Work.objects.filter(posted=True).aggregate(n=django.db.models.Sum("word_count"))["n"] or 0
    text_bytes = 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT sum(length(content)) FROM works_chapter")
        text_bytes = int(cursor.fetchone()[0] or 0)
    print(f"Database: {connection.vendor}; {works:,} works; {words:,} words of posted story text; "
          f"{text_bytes / 1e9:.2f} GB of chapter HTML")  # fmt: skip
    if args.rebuild or not engine.has_index():
        started = time.monotonic()
        written = indexer.rebuild(progress=indexer.ProgressBar("Indexing"))
        elapsed = time.monotonic() - started
        size = engine.index_size_bytes()
        print(
            f"Search index: {written:,} works in {elapsed:.0f} s ({words / elapsed / 1e6:.2f} M words/s, "
            f"{text_bytes / elapsed / 1e6:.1f} MB/s); {size / 1e9:.2f} GB = {size / max(text_bytes, 1) * 100:.0f} % "
            f"of the text, {size / 1e9 / max(text_bytes / 1e9, 1e-9):.2f} GB per GB of text"
        )
    else:
        print(f"Search index: {engine.index_size_bytes() / 1e9:.2f} GB (not rebuilt)")
    baseline = Baseline() if args.baseline else None
    if baseline and not baseline.exists():
        print(f"Building the {connection.vendor} full-text baseline …", flush=True)
        print(f"  built in {baseline.build():.0f} s")

    client = Client()
    queries = pick_queries()
    header = (
        f"{'query':24} {'q':28} {'hits':>9} {'page p50':>9} {'page p95':>9} {'cold p50':>9} {'cold p95':>9} "
        f"{'engine p50':>10} {'engine p95':>10}"
    )
    if baseline:
        header += f" {'db p50':>9} {'db p95':>9} {'speed-up':>8}"
    print(header)
    for label, text, filters in queries:
        params = {"q": text, **filters}
        page = timed(lambda params=params: client.get("/search/", params), args.runs)  # type: ignore[misc]
        with override_settings(CACHES={**settings.CACHES, "search": NO_SEARCH_CACHE}):
            cold = timed(lambda params=params: client.get("/search/", params), args.runs)  # type: ignore[misc]
        response = run_local(WorkQuery(text=text), snippets=False)
        tag_ids = []
        if filters:
            names = [n.strip() for n in filters["other_include"].split(",")]
            tag_ids = list(Tag.objects.filter(name__in=names).values_list("pk", flat=True))
        request = WorkQuery(text=text, all_of=tag_ids)
        engine_time = timed(lambda request=request: run_local(request, snippets=False), args.runs)  # type: ignore[misc]
        hits = run_local(request, snippets=False).total if filters else response.total
        line = (
            f"{label:24} {text[:28]:28} {hits:9,} {page[0]:9.1f} {page[1]:9.1f} {cold[0]:9.1f} {cold[1]:9.1f} "
            f"{engine_time[0]:10.1f} {engine_time[1]:10.1f}"
        )
        if baseline:
            db = timed(baseline.query(text, filters), max(3, args.runs // 5))
            line += f" {db[0]:9.1f} {db[1]:9.1f} {db[0] / max(cold[0], 0.001):7.0f}×"
        print(line, flush=True)

    long_chapter = Chapter.objects.filter(word_count__gte=100_000, posted=True, work__posted=True).first()
    if long_chapter:
        content = long_chapter.content + "\n<p>An edit with the word zyxwvutsrq.</p>"
        actions.update_chapter(long_chapter, {"content": content, "chapter_title": long_chapter.title})
        started = time.perf_counter()
        indexer.apply_pending()
        elapsed = time.perf_counter() - started
        found = run_local(WorkQuery(text="zyxwvutsrq"), snippets=False).total
        length = f"{long_chapter.word_count:,}"
        print(f"Incremental update of a {length}-word chapter: {elapsed * 1000:.0f} ms (found: {found})")


if __name__ == "__main__":
    main()
