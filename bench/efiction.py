"""eFiction migration speed: a generated eFiction 3.5 archive through `import_efiction`.

Usage:
    FANARCHIVE_DATA_DIR=/tmp/fa-bench .venv/bin/python bench/efiction.py [--stories 1000]
    DATABASE_URL=postgres://postgres@127.0.0.1/fa_bench .venv/bin/python bench/efiction.py --stories 10000

Migrates the database, makes an archivist account, writes a mysqldump file and a
stories/ folder with --stories generated stories (1–5 chapters of about 800
words each, reviews on 30% of chapters, by stories/5 authors) plus the sample
archive of the tests, then times the dry run (reading the dump, proposing the
mapping, checking every story) and the import, then a second run (which must
change nothing). Imported rows stay in the database: use a throwaway one.
"""

import argparse
import io
import os
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
from migration.tests.efiction_fixture import generated_archive, write_archive
from works.models import Chapter, Work


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=1000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="bench-archivist").exists():
        create_account("bench-archivist", "archivist@example.org", "correct horse battery staple")
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        dump = write_archive(Path(folder) / "site", generated_archive(args.stories))
        size = dump.stat().st_size
        print(f"wrote the archive: {args.stories:,} stories, dump {size / 1e6:,.1f} MB "
              f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
        mapping = Path(folder) / "mapping.json"
        common = [str(dump), "--stories", str(dump.parent / "stories"), "--mapping", str(mapping)]
        works, chapters = Work.objects.count(), Chapter.objects.count()
        for label, extra in [
            ("dry run", ["--dry-run"]),
            ("import", ["--archivist", "bench-archivist", "--source", f"bench-{args.stories}"]),
            ("second run", ["--archivist", "bench-archivist", "--source", f"bench-{args.stories}"]),
        ]:
            started = time.perf_counter()
            call_command("import_efiction", *common, *extra, stdout=io.StringIO(), stderr=io.StringIO())
            seconds = time.perf_counter() - started
            load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
            print(f"{label:>10}: {seconds:7.1f} s  ({args.stories / seconds:,.0f} stories/s)  load {load}")
        print(f"created {Work.objects.count() - works:,} works, {Chapter.objects.count() - chapters:,} chapters")


if __name__ == "__main__":
    main()
