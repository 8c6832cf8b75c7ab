"""Import speed: a folder of plain-text works through `import_works`, and one long DOCX.

Usage:
    FANARCHIVE_DATA_DIR=/tmp/fa-bench .venv/bin/python bench/importing.py [--files 200] [--words 100000]
    DATABASE_URL=postgres://postgres@127.0.0.1/fa_bench .venv/bin/python bench/importing.py

Migrates the database, makes a user, writes --files text works (3 chapters of
about 2,000 words each, cp1252, with header lines and notes) to a temporary
folder and imports them with the management command (parsing, structure
detection, sanitizing, one transaction per work); then builds a DOCX of
--words words in 50 Heading-1 chapters and times parsing it and importing it.
The works are deleted afterwards.
"""

import argparse
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanarchive.settings")
os.environ.setdefault("PLAIN_STATIC_FILES", "true")
os.environ.setdefault("HITS_FLUSH_SECONDS", "0")

import django

django.setup()

from django.core.management import call_command

from accounts.actions import create_account
from accounts.models import User
from imports.actions import import_work
from imports.parsers import parse_file
from imports.tests.samples import build_docx, docx_paragraph, run
from works.actions import delete_work
from works.models import Chapter, Work

WORDS = "the lamp turned all night and keeper watched sea grey storm light tide harbour morning quiet".split()


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def text_work(rng: random.Random, number: int) -> bytes:
    lines = [f"Night Watch {number}", "by Keeper", "", "Rating: Teen And Up Audiences", "Fandom: Tidewater (TV)", ""]
    lines += ["A/N: Written for the bench.", ""]
    for chapter in range(1, 4):
        lines += [f"Chapter {chapter}: Part {chapter}", ""]
        for _ in range(100):
            lines += [f"“{sentence(rng, 8)}” — {sentence(rng, 12)}", ""]
    lines += ["The End"]
    return "\n".join(lines).encode("cp1252")


def long_docx(rng: random.Random, words: int) -> bytes:
    paragraphs = [docx_paragraph("The Long Docx", style="Title")]
    per_chapter = words // 50
    for chapter in range(1, 51):
        paragraphs.append(docx_paragraph(f"Chapter {chapter}", style="Heading1"))
        for _ in range(per_chapter // 20):
            paragraphs.append(docx_paragraph(runs=run(sentence(rng, 10) + " ") + run(sentence(rng, 9), italic=True)))
    return build_docx(paragraphs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--words", type=int, default=100_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    user = User.objects.filter(username="bench_importer").first() or create_account(
        "bench_importer", "bench@example.org", "bench password 123"
    )
    rng = random.Random(1)
    before = set(Work.objects.values_list("pk", flat=True))
    with tempfile.TemporaryDirectory() as folder:
        total_bytes = 0
        for number in range(args.files):
            data = text_work(rng, number)
            total_bytes += len(data)
            Path(folder, f"work{number:04}.txt").write_bytes(data)
        started = time.perf_counter()
        call_command("import_works", folder, "--pseud", "bench_importer", stdout=io.StringIO())
        elapsed = time.perf_counter() - started
    # Drafts count no words on the work (only posted chapters do), so add up the chapters.
    words = sum(Chapter.objects.exclude(work_id__in=before).values_list("word_count", flat=True))
    print(f"{args.files} text files ({total_bytes / 2**20:.1f} MB, {words:,} words, 3 chapters each):")
    print(f"  import_works {elapsed:.2f} s = {args.files / elapsed:.0f} files/s, {words / elapsed:,.0f} words/s")

    data = long_docx(rng, args.words)
    started = time.perf_counter()
    parsed = parse_file(data, "long.docx")
    parsed_at = time.perf_counter()
    work = import_work(parsed, [user.default_pseud])
    saved_at = time.perf_counter()
    docx_words = sum(work.chapters.values_list("word_count", flat=True))
    print(f"DOCX of {docx_words:,} words ({len(data) / 2**20:.1f} MB zipped, {len(parsed.chapters)} chapters):")
    print(f"  parse {parsed_at - started:.2f} s, save {saved_at - parsed_at:.2f} s")

    for leftover in Work.objects.exclude(pk__in=before):
        delete_work(leftover)


if __name__ == "__main__":
    main()
