"""Download speed: building EPUB/HTML/TXT of a 500,000-word work, printing a 100,000-word
work to PDF, and serving cached files.

Usage:
    export FANARCHIVE_DATA_DIR=/tmp/fa-dl-bench
    .venv/bin/python bench/downloads.py [--runs 200] [--pdf-runs 1]

(DATABASE_URL=postgres://… for PostgreSQL.) The first run migrates and adds two works of
synthetic prose (paragraphs of about 100 words, with a little emphasis markup): "Long" with
50 chapters of 10,000 words and "Medium" with 10 chapters of 10,000 words; later runs reuse them.
Builds are timed in-process, from reading the work to the finished file (best and median of 5;
PDF once by default, as the background job runs it). Cached downloads are requested through
Django's test client (middleware, access checks, version key, FileResponse; no network) after
warm-up, reading the whole body, and p50/p95/max are printed in ms.
"""

import argparse
import io
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanarchive.settings")
os.environ.setdefault("PLAIN_STATIC_FILES", "true")
os.environ.setdefault("HITS_FLUSH_SECONDS", "0")

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.http import QueryDict
from django.test import Client
from pypdf import PdfReader

from accounts.actions import create_account
from accounts.models import User
from downloads import cache, formats
from works import actions
from works.forms import WorkForm
from works.models import Work

T = TypeVar("T")

WORDS = (
    "the sea lamp night keeper storm light tower grey morning wind salt rope stair window ship "
    "harbour gull wave rock door lantern glass oil wick bell fog shore tide boat voice hand "
    "slow quiet bright cold long dark old small far warm turned watched climbed said waited "
    "listened remembered carried found lost answered"
).split()


def prose(words: int, rng: random.Random) -> str:
    paragraphs = []
    written = 0
    while written < words:
        sentences = []
        for _ in range(8):
            length = rng.randint(8, 16)
            sentence = " ".join(rng.choice(WORDS) for _ in range(length))
            if rng.random() < 0.2:
                sentence = sentence.replace(" ", " <em>", 1) + "</em>"
            sentences.append(sentence.capitalize() + ".")
            written += length
        paragraphs.append("<p>" + " ".join(sentences) + "</p>")
    return "\n".join(paragraphs)


def make_work(author: User, title: str, chapters: int, words_per_chapter: int, rng: random.Random) -> Work:
    existing = Work.objects.filter(title=title).first()
    if existing:
        return existing
    data = {
        "title": title, "pseuds": str(author.default_pseud.pk), "rating": "General Audiences",
        "warnings": "No Archive Warnings Apply", "categories": "Gen", "fandoms": "Tidewater (TV)",
        "relationships": "Mara & Jonah", "characters": "Mara Quill, Jonah Reyes", "freeforms": "Found Family",
        "summary": "A storm, a lamp, a long night.", "notes": "", "endnotes": "", "language": "en",
        "expected_chapters": str(chapters), "chapter_title": "Chapter the first",
        "content": prose(words_per_chapter, rng),
    }  # fmt: skip
    query = QueryDict(mutable=True)
    query.update(data)
    form = WorkForm(query, user=author)
    assert form.is_valid(), form.errors
    work = actions.create_work([author.default_pseud], form.cleaned_data, post=True)
    for number in range(2, chapters + 1):
        content = prose(words_per_chapter, rng)
        actions.add_chapter(work, {"chapter_title": f"Chapter number {number}", "content": content}, post=True)
    work.refresh_from_db()
    return work


def timed(function: Callable[[], T], runs: int) -> tuple[list[float], T]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - started)
    return timings, result


def serve(client: Client, url: str, runs: int, read_body: bool) -> tuple[list[float], float]:
    """Milliseconds per request: to the response with the file open (what the server spends
    before the WSGI server sends the file), or with the body read through the test client;
    and the mean CPU time per request, which a busy machine inflates less than wall time."""

    def get() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if read_body:
            for _chunk in response.streaming_content:  # type: ignore[attr-defined]
                pass
        response.close()

    for _ in range(5):
        get()
    timings = []
    cpu_started = time.process_time()
    for _ in range(runs):
        started = time.perf_counter()
        get()
        timings.append((time.perf_counter() - started) * 1000)
    return timings, (time.process_time() - cpu_started) * 1000 / runs


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200, help="Timed requests per cached download (default 200).")
    parser.add_argument("--pdf-runs", type=int, default=1, help="Timed PDF builds (default 1).")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    author = User.objects.filter(username="bencher").first() or create_account(
        "bencher", "bencher@example.org", "bench password 1234"
    )
    rng = random.Random(1)
    long = make_work(author, "Long", chapters=50, words_per_chapter=10_000, rng=rng)
    medium = make_work(author, "Medium", chapters=10, words_per_chapter=10_000, rng=rng)
    print(f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    print(f"Long: {long.word_count:,} words, {long.chapter_count} chapters; Medium: {medium.word_count:,} words")

    builders: dict[str, Callable[[Work, str], bytes | str]] = {
        "epub": formats.build_epub,
        "html": formats.build_html,
        "txt": formats.build_txt,
    }
    for work, extension in ((long, "epub"), (long, "html"), (long, "txt"), (medium, "epub")):
        timings, result = timed(partial(builders[extension], work, settings.SITE_URL), 5)
        size = len(result if isinstance(result, bytes) else result.encode())
        print(
            f"build {extension:4} {work.title:6} best {min(timings) * 1000:7.0f} ms  "
            f"median {statistics.median(timings) * 1000:7.0f} ms  {size / 1e6:5.1f} MB"
        )
    cpu_started = time.process_time()
    timings, pdf = timed(partial(formats.build_pdf, medium, settings.SITE_URL), args.pdf_runs)
    cpu = (time.process_time() - cpu_started) / args.pdf_runs
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"build pdf  Medium best {min(timings):5.1f} s (CPU {cpu:4.1f} s)  {len(pdf) / 1e6:5.1f} MB  {pages} pages")

    # Serve cached files: store each once as the view would, then time requests as a guest.
    client = Client()
    for work, extension in ((long, "epub"), (long, "txt"), (medium, "pdf")):
        document = formats.load(work, settings.SITE_URL)
        version = document.version(extension)
        if not cache.cached_path(work.pk, version, extension).exists():
            data = pdf if extension == "pdf" else builders[extension](work, settings.SITE_URL)
            cache.store(work.pk, version, extension, data if isinstance(data, bytes) else data.encode())
        for read_body in (False, True):
            timings, cpu_ms = serve(client, f"/works/{work.pk}/download/{extension}", args.runs, read_body)
            label = "with body" if read_body else "to response"
            print(
                f"serve cached {extension:4} {work.title:6} {label:11} p50 {percentile(timings, 0.5):6.2f} ms  "
                f"p95 {percentile(timings, 0.95):6.2f} ms  max {max(timings):6.2f} ms  "
                f"CPU {cpu_ms:5.2f} ms  ({args.runs} requests)"
            )


if __name__ == "__main__":
    main()
