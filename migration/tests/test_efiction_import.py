"""manage.py import_efiction: an eFiction 3.5 archive (its own schema, realistic rows) comes in whole."""

import io
import json
import os
import shutil
import subprocess
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.actions import create_account
from accounts.models import Pseud
from comments.actions import recount_comments
from comments.models import Comment
from fanarchive.test import BaseTestCase
from migration.models import ArchivedCreator, SourceRecord
from migration.tests.efiction_fixture import write_archive
from tags.models import MetaTagging, Tag, TagParent
from works.actions import refresh_work_stats
from works.models import Chapter, SerialWork, Series, Work


class EFictionImportCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)
        self.archivist = create_account("openarchivist", "archivist@example.org", self.password)
        self.mapping = self.folder / "mapping.json"

    def run_command(self, dump: Path, *args: str, stories: bool = True) -> str:
        out, err = io.StringIO(), io.StringIO()
        options = ["--stories", str(dump.parent / "stories")] if stories else []
        call_command("import_efiction", str(dump), *options, *args, stdout=out, stderr=err)
        return out.getvalue()

    def import_archive(self, dump: Path, *, stories: bool = True, edit: Any = None) -> str:
        self.run_command(dump, "--dry-run", "--mapping", str(self.mapping), stories=stories)
        if edit is not None:
            mapping = json.loads(self.mapping.read_text())
            edit(mapping)
            self.mapping.write_text(json.dumps(mapping))
        return self.run_command(dump, "--mapping", str(self.mapping), "--archivist", "openarchivist", stories=stories)

    @staticmethod
    def pseud_of(creator: ArchivedCreator) -> Pseud:
        assert creator.pseud is not None
        return creator.pseud

    @staticmethod
    def named(item: Pseud | Tag | None) -> str:
        assert item is not None
        return item.name

    def work(self, title: str) -> Work:
        return Work.objects.get(title=title)


class DryRunTests(EFictionImportCase):
    def test_a_dry_run_writes_the_proposed_mapping_and_imports_nothing(self):
        dump = write_archive(self.folder / "site")
        output = self.run_command(dump, "--dry-run", "--mapping", str(self.mapping))
        mapping = json.loads(self.mapping.read_text(encoding="utf-8"))
        self.assertEqual(
            {entry["name"]: entry["as"] for entry in mapping["ratings"]},
            {"G": "General Audiences", "PG-13": "Teen And Up Audiences", "R": "Mature", "NC-17": "Explicit"},
        )
        categories = {entry["catid"]: entry for entry in mapping["categories"]}
        self.assertEqual(categories[2]["parent"], 1)
        self.assertEqual(categories[2]["tag"], "Marauders Era")
        self.assertEqual({e["name"]: e["as"] for e in mapping["class_types"]},
                         {"genres": "freeform", "warnings": "warning", "couple": "relationship"})  # fmt: skip
        classes = {entry["class_id"]: entry["tag"] for entry in mapping["classes"]}
        self.assertEqual(classes[3], "Major Character Death")  # "Character Death", matched by name
        self.assertEqual(classes[5], "Mild Language")
        self.assertEqual(mapping["challenges"][0]["tag"], "Winter Solstice Challenge 2006")
        self.assertIn("Created: 4 works (would be).", output)
        self.assertIn("story 4 “Still in the queue”: not validated", output)
        self.assertIn("story 5 “Lost Chapter”: chapter 8 has no text", output)
        self.assertFalse(Work.objects.exists())
        self.assertFalse(SourceRecord.objects.exists())
        self.assertFalse(Tag.objects.filter(name="Marauders Era").exists())

    def test_the_real_run_needs_an_existing_archivist_and_the_mapping_file(self):
        dump = write_archive(self.folder / "site")
        with self.assertRaisesMessage(CommandError, "--archivist"):
            self.run_command(dump, "--mapping", str(self.mapping))
        with self.assertRaisesMessage(CommandError, "no account named"):
            self.run_command(dump, "--mapping", str(self.mapping), "--archivist", "nobody")
        with self.assertRaisesMessage(CommandError, "write it with --dry-run first"):
            self.run_command(dump, "--mapping", str(self.mapping), "--archivist", "openarchivist")

    def test_a_mapping_with_an_unknown_rating_is_refused_with_the_reason(self):
        dump = write_archive(self.folder / "site")

        def edit(mapping: dict[str, Any]) -> None:
            mapping["ratings"][0]["as"] = "Everyone"

        with self.assertRaisesMessage(CommandError, "'as' must be one of"):
            self.import_archive(dump, edit=edit)
        self.assertFalse(Work.objects.exists())


class ImportTests(EFictionImportCase):
    def test_authors_become_pseuds_of_the_archivist_with_their_pen_names_and_emails_kept(self):
        dump = write_archive(self.folder / "site")
        self.import_archive(dump)
        creators = {c.source_uid: c for c in ArchivedCreator.objects.select_related("pseud")}
        self.assertEqual(len(creators), 5)
        self.assertEqual(creators[2].pen_name, "小林さくら")
        self.assertEqual(creators[2].email, "sakura@example.jp")
        self.assertEqual(self.pseud_of(creators[2]).user, self.archivist)
        self.assertEqual(self.pseud_of(creators[3]).name, "Þórunn Ævarsdóttir")
        # A member who only reviewed keeps a record for claims but gets no pseud; nobody gets an account.
        self.assertIsNone(creators[5].pseud)
        self.assertEqual(self.archivist.pseuds.count(), 1 + 3)
        self.assertFalse(type(self.archivist).objects.filter(username__in=["quietreader", "Zoë Ashford"]).exists())

    def test_stories_become_posted_works_with_their_chapters_dates_and_tags(self):
        dump = write_archive(self.folder / "site")
        output = self.import_archive(dump)
        self.assertIn(
            "Created: 5 archived creators, 7 chapters, 3 comments, 1 favourites (bookmarks once claimed), "
            "3 pseuds, 1 replies, 2 series",
            output,
        )
        self.assertIn("Skipped: 2.", output)
        moony = self.work("Moony's Lament")
        self.assertTrue(moony.posted)
        self.assertTrue(moony.complete)
        self.assertEqual(moony.published_at, date(2006, 1, 1))
        self.assertEqual(moony.revised_at, datetime(2006, 3, 1, tzinfo=UTC))
        self.assertEqual(moony.hits, 4321)
        self.assertEqual(moony.summary, "<p>Three full moons, one long winter.</p>")
        self.assertEqual(moony.notes, "<p>For the solstice challenge.</p>")
        self.assertEqual(
            {tag.name: tag.type for tag in moony.tags.all()},
            {
                "Mature": "rating",
                "Major Character Death": "warning",
                "Marauders Era": "fandom",
                "Remus Lupin": "character",
                "Sirius Black": "character",
                "Remus/Sirius": "relationship",
                "Angst": "freeform",
                "Winter Solstice Challenge 2006": "freeform",
            },
        )
        # Only validated chapters, in eFiction's order, with titles and notes.
        chapters = list(moony.chapters.order_by("position"))
        self.assertEqual([c.title for c in chapters], ["First Moon", "Second Moon", "Third Moon"])
        self.assertEqual(chapters[0].notes, "<p>Set in 1977.</p>")
        self.assertEqual(chapters[0].endnotes, "<p>Thanks to my beta!</p>")
        self.assertEqual(moony.chapter_count, 3)
        self.assertGreater(moony.word_count, 20)
        ink = self.work("A Study in Ink")
        self.assertFalse(ink.complete)
        self.assertIsNone(ink.expected_chapters)
        self.assertEqual(ink.summary, "<p>Café au lait and a cold case — “elementary”.</p>")
        self.assertEqual([p.name for p in ink.creator_pseuds], ["小林さくら", "Zoë Ashford"])
        saga = self.work("Saga of the Long Night")
        self.assertEqual(self.named(saga.rating), "Explicit")
        # "Mild Language" is no archive warning: it is said as an additional tag.
        self.assertEqual(
            sorted((t.name, t.type) for t in saga.tags.exclude(type="rating")),
            sorted(
                [
                    ("Graphic Depictions Of Violence", "warning"),
                    ("Mild Language", "freeform"),
                    ("Sagas & Eddas", "fandom"),
                    ("Guðrún Ósvífursdóttir", "character"),
                ]
            ),
        )
        short = self.work("Full Moon Rising")
        self.assertEqual(
            [t.name for t in short.tags.filter(type="warning")], ["Creator Chose Not To Use Archive Warnings"]
        )

    def test_plain_text_chapters_become_sanitized_paragraphs(self):
        dump = write_archive(self.folder / "site")
        self.import_archive(dump)
        moony = self.work("Moony's Lament")
        first, second, _third = moony.chapters.order_by("position")
        # CRLF plain text: blank lines are paragraphs, single line ends breaks, magic-quote slashes gone.
        self.assertEqual(
            first.content,
            "<p>The moon rose over the Forbidden Forest.</p>\n"
            '<p>Remus counted the hours "until dawn" and didn\'t sleep.<br>\nSirius stayed.</p>\n'
            "<p>A path of C:\\Windows ran nowhere.</p>",
        )
        self.assertEqual(second.content, "<p>Snow fell on <i>Hogsmeade</i>.</p><p>They walked home slowly.</p>")
        spring = self.work("A Study in Ink").chapters.get(position=2)
        self.assertIn("“Elementary,” said nobody.", spring.content)
        self.assertNotIn("script", Chapter.objects.filter(content__contains="Nobody minded").values_list(
            "content", flat=True).first() or "")  # fmt: skip

    def test_series_keep_their_stories_in_order_and_belong_to_their_author(self):
        dump = write_archive(self.folder / "site")
        self.import_archive(dump)
        wolf = Series.objects.get(title="The Wolf Cycle")
        self.assertEqual(
            [(link.position, link.work.title) for link in SerialWork.objects.filter(series=wolf).order_by("position")],
            [(1, "Moony's Lament"), (2, "Full Moon Rising")],
        )
        self.assertEqual([p.name for p in wolf.pseuds.all()], ["Zoë Ashford"])
        self.assertEqual(wolf.summary, "<p>Moons, in order.</p>")
        response = self.client.get(f"/series/{wolf.pk}")
        self.assertContains(response, "Full Moon Rising")

    def test_reviews_become_comments_on_their_chapter_and_author_responses_replies(self):
        dump = write_archive(self.folder / "site")
        self.import_archive(dump)
        moony = self.work("Moony's Lament")
        first, second, _third = moony.chapters.order_by("position")
        member = Comment.objects.get(content__contains="Remus deserved better")
        self.assertEqual(member.chapter, first)
        self.assertEqual(member.guest_name, "quietreader")
        self.assertEqual(member.created_at, datetime(2006, 3, 1, tzinfo=UTC))
        owl = Comment.objects.get(guest_name="Anonymous Owl")
        self.assertEqual(owl.chapter, second)
        self.assertEqual(owl.content, "<p>Loved the snow scene!</p>")
        reply = Comment.objects.get(parent=owl)
        self.assertEqual(reply.content, "<p>Thank you so much, Owl!</p>")
        self.assertEqual(self.named(reply.pseud), "Zoë Ashford")
        self.assertEqual((reply.thread_id, reply.depth), (owl.pk, 1))
        self.assertEqual(Work.objects.get(pk=moony.pk).comments_count, 3)
        # A review by an archived author is credited to their pseud.
        czech = Comment.objects.get(content__contains="oblíbený")
        self.assertEqual(self.named(czech.pseud), "Zoë Ashford")
        # Series reviews have no home here: counted in the report, not imported.
        self.assertFalse(Comment.objects.filter(content__contains="whole series").exists())
        self.login(self.bob)
        page = self.client.get(f"/works/{moony.pk}/chapters/{second.pk}", {"view_adult": "true"})
        self.assertContains(page, "Thank you so much, Owl!")

    def test_the_category_tree_becomes_meta_and_sub_fandoms_and_characters_their_fandom(self):
        dump = write_archive(self.folder / "site")
        self.import_archive(dump)
        harry = Tag.objects.get(name="Harry Potter")
        marauders = Tag.objects.get(name="Marauders Era")
        self.assertTrue(harry.canonical and marauders.canonical)
        self.assertTrue(MetaTagging.objects.filter(meta_tag=harry, sub_tag=marauders).exists())
        self.assertTrue(TagParent.objects.filter(child__name="Remus Lupin", parent=harry).exists())
        # Filtering by the meta fandom finds the work tagged with the sub fandom.
        response = self.client.get("/tags/Harry Potter/works")
        self.assertContains(response, "Full Moon Rising")
        self.assertContains(response, "Moony&#x27;s Lament")

    def test_imported_works_are_listed_and_searchable(self):
        dump = write_archive(self.folder / "site")
        self.import_archive(dump)
        self.assertContains(self.client.get("/works"), "Saga of the Long Night")
        self.index_search()
        response = self.client.get("/search/", {"q": "Hogsmeade"})
        self.assertContains(response, "Moony&#x27;s Lament")

    def test_kept_counts_are_what_recomputing_them_gives(self):
        # The importer writes a story's counts itself (not through refresh_work_stats, for speed).
        self.import_archive(write_archive(self.folder / "site"))
        fields = ["word_count", "chapter_count", "expected_chapters", "complete", "comments_count", "crossover"]
        works = list(Work.objects.order_by("pk"))
        kept = [{name: getattr(work, name) for name in fields} for work in works]
        self.assertTrue(any(row["comments_count"] > 1 for row in kept))
        self.assertTrue(any(row["chapter_count"] > 1 and row["complete"] for row in kept))
        for work in works:
            refresh_work_stats(work)
            recount_comments(work.pk)
        again = [{name: getattr(work, name) for name in fields} for work in Work.objects.order_by("pk")]
        self.assertEqual(kept, again)

    def test_running_again_changes_nothing(self):
        dump = write_archive(self.folder / "site")
        self.import_archive(dump)
        models: list[type[Any]] = [
            Work,
            Chapter,
            Comment,
            Series,
            SerialWork,
            Tag,
            ArchivedCreator,
            SourceRecord,
            MetaTagging,
        ]
        before = {model.__name__: model.objects.count() for model in models}
        pseuds = self.archivist.pseuds.count()
        output = self.import_archive(dump)
        self.assertEqual({model.__name__: model.objects.count() for model in models}, before)
        self.assertEqual(self.archivist.pseuds.count(), pseuds)
        self.assertIn("Already imported (unchanged): 4 works.", output)

    def test_an_edited_mapping_is_what_the_import_uses(self):
        dump = write_archive(self.folder / "site")

        def edit(mapping: dict[str, Any]) -> None:
            next(e for e in mapping["ratings"] if e["name"] == "R")["as"] = "Explicit"
            next(e for e in mapping["class_types"] if e["name"] == "genres")["as"] = "ignore"
            next(e for e in mapping["categories"] if e["catid"] == 3)["tag"] = "Sherlock (TV 2010)"
            mapping["challenges"][0]["as"] = "ignore"

        self.import_archive(dump, edit=edit)
        moony = self.work("Moony's Lament")
        self.assertEqual(self.named(moony.rating), "Explicit")
        names = {tag.name for tag in moony.tags.all()}
        self.assertNotIn("Angst", names)
        self.assertNotIn("Winter Solstice Challenge 2006", names)
        self.assertIn("Sherlock (TV 2010)", {t.name for t in self.work("A Study in Ink").tags.all()})

    def test_a_tag_name_taken_by_another_kind_is_left_out_and_reported(self):
        Tag.objects.create(name="Angst", type="fandom", canonical=True)
        dump = write_archive(self.folder / "site")
        output = self.import_archive(dump)
        self.assertIn("“Angst” is already a fandom tag here", output)
        self.assertNotIn("Angst", {tag.name for tag in self.work("Moony's Lament").tags.all()})


class DumpVariantTests(EFictionImportCase):
    def test_a_prefixed_latin1_dump_with_datetime_dates_and_text_in_the_database(self):
        dump = write_archive(
            self.folder / "old", prefix="site_", datetime_dates=True, latin1=True, texts_in_database=True
        )
        self.assertIn("ZoÃ«", dump.read_text(encoding="utf-8"))  # the mojibake really is in the dump
        output = self.import_archive(dump, stories=False)
        self.assertIn("Created: 5 archived creators, 7 chapters", output)
        self.assertEqual(
            sorted(ArchivedCreator.objects.values_list("pen_name", flat=True)),
            sorted(["Zoë Ashford", "小林さくら", "Þórunn Ævarsdóttir", "Marcus O'Brien", "quietreader"]),
        )
        ink = self.work("A Study in Ink")
        self.assertEqual(ink.summary, "<p>Café au lait and a cold case — “elementary”.</p>")
        self.assertEqual(ink.revised_at, datetime(2007, 6, 15, 12, 30, tzinfo=UTC))
        saga = self.work("Saga of the Long Night")
        self.assertIn("Þá mælti hon: „Þeim var ek verst er ek unna mest.“", saga.chapters.get().content)
        self.assertTrue(Tag.objects.filter(name="Guðrún Ósvífursdóttir", type="character").exists())

    def test_cp1252_chapter_files_of_a_latin1_site_are_read(self):
        dump = write_archive(self.folder / "old", latin1=True, sandbox_line=False)
        self.assertEqual((self.folder / "old" / "stories" / "3" / "9.txt").read_bytes()[:6], b"Gu\xf0r\xfan")
        self.import_archive(dump)
        self.assertIn("Guðrún sat by the fire", self.work("Saga of the Long Night").chapters.get().content)

    def test_a_file_that_is_not_an_efiction_dump_is_refused(self):
        other = self.folder / "other.sql"
        other.write_text("CREATE TABLE `wp_posts` (\n  `ID` bigint(20)\n);\nINSERT INTO `wp_posts` VALUES (1);\n")
        with self.assertRaisesMessage(CommandError, "no fanfiction_stories table"):
            self.run_command(other, "--dry-run", "--mapping", str(self.mapping), stories=False)


class RealMariaDBDumpTests(EFictionImportCase):
    """Dumps written by mariadb-dump 10.11 itself (rows one per line, sandbox line, server comments).

    Made from efiction_fixture.write_archive loaded into MariaDB, then dumped: fixtures/README.
    """

    fixtures_dir = Path(__file__).parent / "fixtures"

    def check_archive(self) -> None:
        self.assertEqual(
            sorted(ArchivedCreator.objects.values_list("pen_name", flat=True)),
            sorted(["Zoë Ashford", "小林さくら", "Þórunn Ævarsdóttir", "Marcus O'Brien", "quietreader"]),
        )
        moony = self.work("Moony's Lament")
        self.assertEqual(moony.revised_at, datetime(2006, 3, 1, tzinfo=UTC))
        self.assertIn("didn't sleep.<br>\nSirius stayed.", moony.chapters.get(position=1).content)
        self.assertEqual(Comment.objects.filter(work=moony).count(), 3)

    def test_a_utf8mb4_dump_with_a_table_prefix(self):
        output = self.import_archive(self.fixtures_dir / "mariadb-10.11-prefixed.sql", stories=False)
        self.assertIn("Created: 5 archived creators, 7 chapters", output)
        self.check_archive()

    def test_a_latin1_database_dumped_over_a_latin1_connection_with_datetime_dates(self):
        dump = self.fixtures_dir / "mariadb-10.11-latin1-connection.sql"
        self.assertIn(b"DEFAULT CHARSET=latin1", dump.read_bytes())
        self.import_archive(dump, stories=False)
        self.check_archive()
        self.assertEqual(self.work("A Study in Ink").revised_at, datetime(2007, 6, 15, 12, 30, tzinfo=UTC))


class DryRunKeepsEditsTests(EFictionImportCase):
    def test_a_second_dry_run_checks_the_edited_mapping_instead_of_overwriting_it(self):
        dump = write_archive(self.folder / "site")
        self.run_command(dump, "--dry-run", "--mapping", str(self.mapping))
        mapping = json.loads(self.mapping.read_text())
        next(e for e in mapping["categories"] if e["catid"] == 3)["tag"] = "Sherlock (TV 2010)"
        self.mapping.write_text(json.dumps(mapping))
        output = self.run_command(dump, "--dry-run", "--mapping", str(self.mapping))
        self.assertIn("Using your mapping", output)
        self.assertIn("Sherlock (TV 2010)", self.mapping.read_text())
        self.assertIn("Created: 4 works (would be).", output)
        self.assertFalse(Tag.objects.filter(name="Sherlock (TV 2010)").exists())


@pytest.mark.slow  # a subprocess: ./test --quick leaves it out
class LiveDatabaseTests(EFictionImportCase):
    """mysql://… reads a running MariaDB through mariadb-dump (skipped where there is none)."""

    def test_a_live_mariadb_database_imports_like_its_dump(self):
        client = shutil.which("mariadb") or shutil.which("mysql")
        if client is None:
            self.skipTest("no mariadb client on this machine")
        server = os.environ.get("TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306")
        parts = urlsplit(server)
        login = [client, "--host", parts.hostname or "127.0.0.1", "--port", str(parts.port or 3306)]
        login += ["--user", parts.username or "root", "--default-character-set=utf8mb4"]
        env = {**os.environ, "MYSQL_PWD": parts.password or ""}
        name = f"fa_efiction_{os.getpid()}"
        created = subprocess.run(  # noqa: S603
            [*login, "-e", f"CREATE DATABASE {name} CHARACTER SET latin1"],
            env=env, capture_output=True, text=True, timeout=30, check=False,
        )  # fmt: skip
        if created.returncode != 0:
            self.skipTest(f"MariaDB is not reachable at {server}: {created.stderr.strip()}")
        self.addCleanup(
            subprocess.run, [*login, "-e", f"DROP DATABASE {name}"], env=env, capture_output=True, timeout=30
        )
        dump = write_archive(self.folder / "site", latin1=True, texts_in_database=True)
        with dump.open("rb") as stream:
            subprocess.run([*login, name], stdin=stream, env=env, check=True, timeout=60)  # noqa: S603
        output = self.import_archive_from(f"{server}/{name}")
        self.assertIn("Created: 5 archived creators, 7 chapters", output)
        self.assertEqual(self.work("A Study in Ink").summary, "<p>Café au lait and a cold case — “elementary”.</p>")
        self.assertTrue(ArchivedCreator.objects.filter(pen_name="小林さくら").exists())

    def import_archive_from(self, url: str) -> str:
        out = io.StringIO()
        call_command("import_efiction", url, "--dry-run", "--mapping", str(self.mapping), stdout=out, stderr=out)
        out = io.StringIO()
        call_command(
            "import_efiction", url, "--mapping", str(self.mapping), "--archivist", "openarchivist",
            stdout=out, stderr=io.StringIO(),
        )  # fmt: skip
        return out.getvalue()
