"""Speed as a reader feels it, in Debian's Chromium against a real server (gunicorn, hashed static files).

Usage:
    FANARCHIVE_DATA_DIR=/tmp/fa-bench-browser .venv/bin/python bench/browser.py [--port 8013]

Fills an empty database with a few synthetic works whose chapters are 100,000 words or
more (manage.py generate_archive --words-per-chapter 100000), runs collectstatic and
gunicorn as ./run does, then prints:
- the size of every CSS and JS file, raw, gzip and brotli;
- whether pages and static files come compressed, and their Cache-Control;
- cumulative layout shift (CLS) of the main pages at 360 px;
- load time and scroll smoothness of the longest chapter at 360x740: frame times
  while a script scrolls the page 300 frames on, by 100 or 400 px a frame, from the
  top and from the middle, with requestAnimationFrame.
"""

import argparse
import gzip
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanarchive.settings")
os.environ.pop("PLAIN_STATIC_FILES", None)

import django

django.setup()

from django.core.management import call_command
from playwright.sync_api import sync_playwright

from e2e.helpers import LAYOUT_SHIFT_SCRIPT, PHONE, launch, layout_shift
from works.models import Chapter, Work

SCROLL_SCRIPT = """
async ([step, count]) => {
  const frames = [];
  let last = performance.now();
  while (frames.length < count) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const now = performance.now();
    frames.push(now - last);
    last = now;
    scrollBy(0, step);
  }
  return frames;
}
"""


def sizes() -> None:
    print("Static files (bytes): raw / gzip -9 / brotli -q 11")
    for path in sorted([*ROOT.glob("static/css/*.css"), *ROOT.glob("static/js/*.js")]):
        data = path.read_bytes()
        packed_gz = len(gzip.compress(data, 9))
        packed_br = len(brotli.compress(data, quality=11))
        print(f"  {path.relative_to(ROOT)}: {len(data):,} / {packed_gz:,} / {packed_br:,}")


def headers(url: str, encoding: str) -> tuple[int, str, str, str]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})  # noqa: S310 (our own local server)
    with urllib.request.urlopen(request) as response:  # noqa: S310
        body = response.read()
        return (
            len(body),
            response.headers.get("Content-Encoding", "none"),
            response.headers.get("Cache-Control", "-"),
            response.headers.get("Content-Type", "-"),
        )


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8013)
    args = parser.parse_args()
    base = f"http://127.0.0.1:{args.port}"

    call_command("migrate", verbosity=0)
    if not Work.objects.exists():
        call_command("generate_archive", works=3, seed=1, words_per_chapter=100_000)
    call_command("collectstatic", interactive=False, verbosity=0)
    chapter = (
        Chapter.objects.filter(posted=True, work__posted=True, work__restricted=False).order_by("-word_count").first()
    )
    assert chapter is not None and chapter.word_count >= 100_000, "no chapter of 100,000 words"
    chapter_url = f"{base}{chapter.get_absolute_url()}?view_adult=true"

    sizes()
    server = subprocess.Popen(  # noqa: S603
        [str(ROOT / ".venv/bin/gunicorn"), "fanarchive.wsgi:application", "--bind", f"127.0.0.1:{args.port}"],
        cwd=ROOT,
        env={**os.environ, "RUN_WORKER": "false"},
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/")  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as playwright:
            browser = launch(playwright)
            context = browser.new_context(viewport=PHONE, base_url=base)
            context.add_init_script(LAYOUT_SHIFT_SCRIPT)
            page = context.new_page()
            page.goto("/")
            css = page.locator("link[rel=stylesheet]").get_attribute("href") or ""
            print("\nCompression and caching (bytes sent, Content-Encoding, Cache-Control)")
            for label, url, encoding in [
                ("home page", base + "/", "gzip, br"),
                (f"chapter of {chapter.word_count:,} words", chapter_url, "gzip"),
                (f"chapter of {chapter.word_count:,} words, uncompressed", chapter_url, "identity"),
                ("site.css", base + css, "gzip, br"),
            ]:
                sent, encoding_used, cache_control, _type = headers(url, encoding)
                print(f"  {label}: {sent:,} bytes, {encoding_used}, {cache_control}")

            print("\nCumulative layout shift at 360x740 (after load)")
            for path in ["/", "/works", "/media", "/account/signup"]:
                page.goto(path)
                page.wait_for_timeout(300)
                print(f"  {path}: {layout_shift(page):.4f}")

            print(f"\nChapter of {chapter.word_count:,} words at 360x740")
            started = time.perf_counter()
            page.goto(chapter_url, wait_until="load")
            loaded = (time.perf_counter() - started) * 1000
            height = page.evaluate("document.documentElement.scrollHeight")
            print(f"  load event after {loaded:.0f} ms; page height {height:,} px; CLS {layout_shift(page):.4f}")
            for start, step in ((0, 100), (0, 400), (height // 2, 100)):
                page.evaluate(f"scrollTo(0, {start})")
                frames: list[float] = page.evaluate(SCROLL_SCRIPT, [step, 300])
                frames = frames[1:]
                slow = sum(1 for frame in frames if frame > 50)
                print(
                    f"  from {start:,} px, {step} px a frame: {len(frames):,} frames; frame time p50 "
                    f"{statistics.median(frames):.1f} ms, p95 {percentile(frames, 0.95):.1f} ms, "
                    f"p99 {percentile(frames, 0.99):.1f} ms, max {max(frames):.1f} ms; {slow} frames over 50 ms"
                )
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
