"""Archiving for others: invitation runs and a prolific creator's claim, timed.

Usage:
    FANARCHIVE_DATA_DIR=/tmp/fa-claims .venv/bin/python bench/claims.py [--stories 1000] [--prolific 500]
    DATABASE_URL=postgres://postgres@127.0.0.1/fa_claims_bench .venv/bin/python bench/claims.py

Imports a generated eFiction archive (as bench/efiction.py) in which one author wrote
--prolific of the stories, with a review they wrote as a member on each of their works
and a favourite of every story, then times: queueing invitations for every creator
(one run, no cap in practice), the worker sending them (emails kept in memory), the
prolific creator's claim page, and their claim into an existing account through the
HTTP client (works, comments and favourites moved, filters and search queued). Uses the
database it is given: use a throwaway one.
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

from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.actions import create_account
from accounts.models import User
from jobs.queue import run_pending
from migration import claims
from migration.models import ArchivedCreator
from migration.tests.efiction_fixture import generated_archive, write_archive
from search.indexer import apply_pending


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--prolific", type=int, default=500)
    args = parser.parse_args()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="bench-archivist").exists():
        create_account("bench-archivist", "archivist@example.org", "correct horse battery staple")
    claimant = User.objects.filter(username="bench-claimant").first() or create_account(
        "bench-claimant", "claimant@example.org", "correct horse battery staple"
    )
    source = f"claims-{args.stories}-{time.time_ns()}"
    archive = generated_archive(args.stories)
    prolific_uid = 100
    stories = [row for row in archive.rows["stories"] if row["sid"] >= 100][: args.prolific]
    for story in stories:
        story["uid"] = prolific_uid
        for chapter in archive.rows["chapters"]:
            if chapter["sid"] == story["sid"]:
                chapter["uid"] = prolific_uid
        archive.rows["reviews"].append(
            {"reviewid": 10_000_000 + story["sid"], "item": story["sid"], "chapid": 0, "reviewer": "Writer 0 ÿ",
             "uid": prolific_uid, "review": "Thanks, all!", "date": story["date"], "type": "ST"}
        )  # fmt: skip
        archive.rows["favorites"].append({"uid": prolific_uid, "item": story["sid"], "type": "ST", "comments": ""})
    with tempfile.TemporaryDirectory() as folder:
        dump = write_archive(Path(folder) / "site", archive)
        mapping = Path(folder) / "mapping.json"
        common = [str(dump), "--stories", str(dump.parent / "stories"), "--mapping", str(mapping)]
        started = time.perf_counter()
        call_command("import_efiction", *common, "--dry-run", stdout=io.StringIO(), stderr=io.StringIO())
        call_command(
            "import_efiction", *common, "--archivist", "bench-archivist", "--source", source,
            stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip
        seconds = time.perf_counter() - started
        print(f"imported {args.stories:,} stories ({args.prolific:,} by one author) in {seconds:.1f} s")
    apply_pending()
    creators = ArchivedCreator.objects.filter(source=source)

    started = time.perf_counter()
    queued = claims.queue_invitations(creators, 100_000)
    queue_seconds = time.perf_counter() - started
    started = time.perf_counter()
    run_pending()
    send_seconds = time.perf_counter() - started
    print(f"invitations: {queued:,} queued in {queue_seconds * 1000:.0f} ms, "
          f"{len(mail.outbox):,} sent by the worker in {send_seconds:.1f} s "
          f"({send_seconds / max(len(mail.outbox), 1) * 1000:.1f} ms each)")  # fmt: skip

    prolific = creators.get(source_uid=prolific_uid)
    path = f"/claim/{claims.claim_token(prolific)}"
    client = Client()
    client.force_login(claimant)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as page_queries:
        page = client.get(path)
    print(f"claim page ({args.prolific:,} works): {(time.perf_counter() - started) * 1000:.0f} ms, "
          f"{len(page_queries)} queries, status {page.status_code}")  # fmt: skip
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as claim_queries:
        response = client.post(path, {"creator": prolific.pk, "action": "claim"})
    seconds = time.perf_counter() - started
    print(f"claim: {seconds:.1f} s, {len(claim_queries):,} queries, status {response.status_code} "
          f"({seconds / args.prolific * 1000:.1f} ms per work)")  # fmt: skip
    started = time.perf_counter()
    indexed = apply_pending()
    print(f"search catches up: {indexed:,} documents in {time.perf_counter() - started:.1f} s")
    print(f"claimant now has {claimant.bookmarks.count():,} bookmarks")


if __name__ == "__main__":
    main()
