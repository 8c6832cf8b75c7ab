import sqlite3
import threading
import time
from io import StringIO
from typing import Any
from unittest import mock, skipUnless

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count

from fanarchive.test import BaseTestCase, ParallelTestCase
from jobs.tests.helpers import reseed_fixed_tags
from tags.models import MetaTagging, Tag, TagParent, TagType
from works.filters import refresh_filters
from works.management.commands import generate_archive
from works.models import Chapter, FilterChange, FilterTagging, Tagging, Work


def generate(works: int, seed: int = 3) -> str:
    out = StringIO()
    call_command("generate_archive", works=works, seed=seed, stdout=out, stderr=StringIO())
    return out.getvalue()


def filter_rows(work_ids: list[int]) -> set[tuple[int, int, bool]]:
    return set(FilterTagging.objects.filter(work_id__in=work_ids).values_list("work_id", "tag_id", "inherited"))


class GenerateArchiveTests(BaseTestCase):
    def test_generated_filters_are_what_works_filters_computes(self):
        # Small batches, so the works come from the forked generator process as for big archives.
        with mock.patch.object(generate_archive, "BATCH", 100):
            self.assertIn("Created 300 works in", generate(300))
        ids = list(Work.objects.order_by("pk").values_list("pk", flat=True))
        self.assertEqual(len(ids), 300)
        generated = filter_rows(ids)
        crossovers = dict(Work.objects.values_list("pk", "crossover"))
        # The generator writes no change log: an index built from the tables sees its works.
        self.assertFalse(FilterChange.objects.exists())

        refresh_filters(ids)

        self.assertEqual(filter_rows(ids), generated)
        self.assertEqual(dict(Work.objects.values_list("pk", "crossover")), crossovers)
        # And the sample had something to get right: synonyms, metas above tags, crossovers.
        self.assertTrue(Tagging.objects.filter(tag__merger__isnull=False).exists())
        self.assertTrue(FilterTagging.objects.filter(inherited=True).exists())
        self.assertIn(True, crossovers.values())

    def test_the_archive_has_wrangled_tags(self):
        generate(300)
        self.assertGreaterEqual(Tag.objects.filter(type=TagType.FANDOM, canonical=True).count(), 5)
        self.assertTrue(Tag.objects.filter(type=TagType.FREEFORM, canonical=False, merger=None).exists())
        synonyms = Tag.objects.filter(merger__isnull=False)
        self.assertTrue(synonyms.exists())
        self.assertFalse(synonyms.filter(canonical=True).exists())
        self.assertFalse(synonyms.filter(merger__canonical=False).exists())
        # A franchise meta fandom over its media, and an additional tag over 50 AU tags.
        meta_fandom = Tag.objects.filter(type=TagType.FANDOM, name__endswith=" - All Media Types").first()
        assert meta_fandom is not None
        self.assertGreaterEqual(MetaTagging.objects.filter(meta_tag=meta_fandom).count(), 2)
        alternate_universe = Tag.objects.get(name="Alternate Universe")
        self.assertGreaterEqual(MetaTagging.objects.filter(meta_tag=alternate_universe).count(), 50)
        # Characters belong to fandoms, fandoms to media.
        character = Tag.objects.filter(type=TagType.CHARACTER, canonical=True).first()
        assert character is not None
        self.assertTrue(TagParent.objects.filter(child=character, parent__type=TagType.FANDOM).exists())
        self.assertTrue(TagParent.objects.filter(child__type=TagType.FANDOM, parent__type=TagType.MEDIA).exists())

    def test_works_look_like_an_archive(self):
        generate(300)
        works = Work.objects.all()
        self.assertLessEqual({1, 2}, {w.chapter_count for w in works if w.posted})
        self.assertGreater(works.filter(word_count__gte=100_000).count(), 0)  # one long work every 5,000
        tag_counts = works.annotate(tag_count=Count("taggings")).values_list("tag_count", flat=True)
        self.assertGreaterEqual(min(tag_counts), 5)
        ratings = Tagging.objects.filter(tag__type=TagType.RATING).values("work").annotate(n=Count("id"))
        self.assertEqual({row["n"] for row in ratings}, {1})
        self.assertEqual(len(ratings), 300)
        # Counts match the posted chapters, as works.actions keeps them.
        for work in works.filter(posted=True)[:50]:
            posted = Chapter.objects.filter(work=work, posted=True)
            self.assertEqual(work.chapter_count, posted.count())
            self.assertEqual(work.word_count, sum(c.word_count for c in posted))
        self.assertGreater(len(set(works.values_list("kudos_count", flat=True))), 10)

    def test_it_adds_to_an_existing_archive(self):
        generate(200)
        generate(100)  # fewer than there are: the indexes stay in place
        self.assertEqual(Work.objects.count(), 300)
        self.assertEqual(Tag.objects.filter(name="Fluff").count(), 1)
        ids = list(Work.objects.values_list("pk", flat=True))
        generated = filter_rows(ids)
        refresh_filters(ids)
        self.assertEqual(filter_rows(ids), generated)

    def test_pages_render(self):
        generate(300)
        response = self.client.get("/works")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content.decode().count('class="blurb"'), 20)
        fandom = (
            Tag.objects.filter(type=TagType.FANDOM, canonical=True, sub_links__isnull=True)
            .annotate(n=Count("taggings"))
            .order_by("-n")
            .first()
        )
        assert fandom is not None
        self.assertEqual(self.client.get(fandom.get_absolute_url()).status_code, 200)
        self.assertEqual(self.client.get(fandom.works_url).status_code, 200)
        # A meta tag's page lists its sub tags' works.
        page = self.client.get(Tag.objects.get(name="Alternate Universe").works_url)
        self.assertEqual(page.status_code, 200)
        self.assertIn('class="blurb"', page.content.decode())
        work = Work.objects.filter(posted=True, restricted=False, hidden_by_admin=False).first()
        assert work is not None
        self.assertEqual(self.client.get(work.get_absolute_url()).status_code, 200)


def journal_mode() -> str:
    """SQLite's journal mode for this connection's database file."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        return str(cursor.fetchone()[0])


def planner_statistics(table: str) -> int:
    """Rows of the planner's statistics for a table: SQLite's sqlite_stat1 entries; PostgreSQL's
    row estimate (pg_class.reltuples: -1 until the table is first analyzed)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchone()[0]:
                return 0
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        else:
            cursor.execute("SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE relname = %s", [table])
        return int(cursor.fetchone()[0])


class ReaderWhenTold(StringIO):
    """The command's stderr: when it says `cue`, another connection opens a read transaction on the
    SQLite file (as a bench or a sqlite3 shell would) and holds it for `hold` seconds."""

    def __init__(self, cue: str, hold: float) -> None:
        super().__init__()
        self.cue, self.hold = cue, hold
        self.reader: sqlite3.Connection | None = None
        self.timer: threading.Timer | None = None

    def write(self, text: str) -> int:
        if self.cue in text and self.reader is None:
            self.reader = hold_a_read_transaction()
            self.timer = threading.Timer(self.hold, self.reader.close)
            self.timer.start()
        return super().write(text)

    def let_go(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
        if self.reader is not None:
            self.reader.close()


def hold_a_read_transaction() -> sqlite3.Connection:
    reader = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None, check_same_thread=False)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM works_work").fetchone()
    return reader


class PlannerStatisticsAreWritten(ParallelTestCase):
    """The run commits its works and ends with ANALYZE outside any transaction, as on a real archive."""

    def setUp(self) -> None:
        super().setUp()
        reseed_fixed_tags()  # the ratings and warnings the migrations seed, flushed after each such test

    def run_generator(self, stderr: StringIO, *args: str, works: int | None = 30) -> str:
        out = StringIO()
        options: dict[str, Any] = {"seed": 5, "stdout": out, "stderr": stderr}
        if works is not None:
            options["works"] = works
        call_command("generate_archive", *args, **options)
        return out.getvalue()

    def test_a_run_writes_statistics_on_both_databases(self) -> None:
        self.assertIn("Created 30 works", self.run_generator(StringIO()))
        self.assertGreater(planner_statistics("works_work"), 0)
        self.assertGreater(planner_statistics("works_tagging"), 0)

    @skipUnless(connection.vendor == "sqlite", "SQLite's file locks")
    def test_analyze_waits_for_a_reader_that_holds_the_file_longer_than_the_busy_timeout(self) -> None:
        # A reader arrives after the works are in (the run is in rollback-journal mode, where a read
        # transaction keeps a write from committing) and stays past the connection's busy timeout,
        # scaled down here from 20 s to 0.1 s.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 100")
        stderr = ReaderWhenTold("indexes re-created", hold=2.0)
        started = time.monotonic()
        try:
            self.assertIn("Created 30 works", self.run_generator(stderr))
        finally:
            stderr.let_go()
        self.assertIsNotNone(stderr.reader, "the reader came")
        self.assertGreaterEqual(time.monotonic() - started, 2.0)
        self.assertIn("ANALYZE: another connection holds the database (database is locked); waiting", stderr.getvalue())
        self.assertGreater(planner_statistics("works_work"), 0)
        self.assertEqual(journal_mode(), "wal")

    @skipUnless(connection.vendor == "sqlite", "SQLite's file locks")
    def test_a_reader_that_never_lets_go_stops_the_run_with_a_way_out(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 100")
        stderr = ReaderWhenTold("indexes re-created", hold=60.0)
        try:
            with (
                mock.patch.object(generate_archive, "LOCK_WAIT_SECONDS", 1.0),
                self.assertRaisesMessage(CommandError, "run `manage.py generate_archive --analyze-only`"),
            ):
                self.run_generator(stderr)
        finally:
            stderr.let_go()
        # WAL could not come back while the reader held on; the next connection asks for it again.
        self.assertIn("PRAGMA journal_mode = wal: another connection kept the database locked", stderr.getvalue())
        connection.close()  # as the command's process ends
        self.assertEqual(Work.objects.count(), 30)  # the works are saved
        self.assertEqual(planner_statistics("works_work"), 0)
        self.run_generator(StringIO(), "--analyze-only", works=None)
        self.assertGreater(planner_statistics("works_work"), 0)
        self.assertEqual(journal_mode(), "wal")

    @skipUnless(connection.vendor == "sqlite", "SQLite's file locks")
    def test_a_file_open_elsewhere_from_the_start_keeps_wal_and_gets_its_statistics(self) -> None:
        Work.objects.exists()  # the tables exist and the file is in WAL mode
        reader = hold_a_read_transaction()
        try:
            stderr = StringIO()
            self.assertIn("Created 30 works", self.run_generator(stderr))
        finally:
            reader.close()
        self.assertIn("journal_mode: another connection has the database open; keeping WAL", stderr.getvalue())
        self.assertGreater(planner_statistics("works_work"), 0)
