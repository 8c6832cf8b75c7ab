"""An archive with every feature used goes out and comes back the same on the other database engine.

Exported here (the suite's database), loaded into a fresh database of the other
engine in a subprocess (PostgreSQL when the suite runs on SQLite, SQLite when it
runs on PostgreSQL), exported again: the two exports are byte for byte the same,
and the pages render the same.
"""

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from accounts.models import SavedFilter, TagExclusion
from archive.format import KINDS, NOT_EXPORTED
from archive.transfer import ArchiveError, load_archive
from bookmarks.actions import create_bookmark
from comments.actions import post_comment
from community.actions import block_user, leave_kudos, mark_for_later, mute_user, subscribe
from fanarchive.test import BaseTestCase
from jobs.queue import run_pending
from migration.tests.efiction_fixture import write_archive
from migration.tests.test_efiction_import import EFictionImportCase
from tags.actions import add_parent, appoint_wrangler, make_canonical, make_synonym
from tags.models import Tag
from works import actions as work_actions
from works.models import Series, Work

ROOT = Path(__file__).resolve().parents[2]
_VOLATILE = [
    re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'),
    re.compile(r'nonce="[^"]*"'),
]


def normalized(html: str) -> str:
    for pattern in _VOLATILE:
        html = pattern.sub("", html)
    return html


def other_engine(folder: Path) -> tuple[str, str | None]:
    """DATABASE_URL of a fresh database of the other engine, and the PostgreSQL database to drop after."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return f"sqlite:///{folder / 'target.sqlite3'}", None
    return fresh_postgres("fa_round_trip")


def _server() -> str:
    """The PostgreSQL server: the suite's own when it runs on PostgreSQL, else ./test's."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        database = settings.DATABASES["default"]
        auth = f"{database['USER']}:{database['PASSWORD']}@" if database.get("PASSWORD") else f"{database['USER']}@"
        return f"postgres://{auth}{database['HOST']}:{database['PORT'] or 5432}/postgres"
    return os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fanarchive")


def fresh_postgres(prefix: str) -> tuple[str, str]:
    """A new, empty PostgreSQL database (skipping the test when there is no server): its URL and name."""
    server = _server()
    name = f"{prefix}_{os.getpid()}"
    parts = urlsplit(server)
    try:
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True, connect_timeout=5) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}"')
            db.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable at {server}: {error}")
    return urlunsplit(parts._replace(path=f"/{name}")), name


def drop_database(name: str) -> None:
    server = _server()
    with psycopg.connect(urlunsplit(urlsplit(server)._replace(path="/postgres")), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow  # a subprocess: ./test --quick leaves it out
class RoundTripTests(EFictionImportCase):
    def build_archive(self) -> dict[str, Work]:
        """Every kind of record the export holds."""
        self.import_archive(write_archive(self.folder / "site"))
        lighthouse = self.make_work(title="The Lighthouse Keeper", freeforms="Found Family, Fluff")
        self.make_work(author=self.bob, title="Ночной дозор", language="ru", fandoms="Tidewater (TV)")
        work_actions.add_chapter(
            lighthouse, {"content": "Morning came, grey and calm.", "chapter_title": "Dawn"}, post=True
        )
        staff = self.archivist
        staff.is_staff = True
        staff.save(update_fields=["is_staff"])
        comfort = Tag.objects.create(name="Hurt/Comfort & Fluff", type="freeform", canonical=True)
        make_synonym(staff, Tag.objects.get(name="Fluff"), comfort)
        make_canonical(staff, Tag.objects.get(name="Tidewater (TV)"))
        add_parent(staff, Tag.objects.get(name="Mara Quill"), Tag.objects.get(name="Tidewater (TV)"))
        appoint_wrangler(staff, self.bob, None)
        leave_kudos(lighthouse, self.bob)
        leave_kudos(lighthouse, None, "203.0.113.9")
        first_chapter = lighthouse.chapters.get(position=1)
        pseud = self.bob.default_pseud
        post_comment(lighthouse, first_chapter, None, self.bob, pseud, "", "", "The lamp! «Прекрасно».", "")
        create_bookmark(
            self.bob,
            {
                "pseud": self.bob.default_pseud,
                "notes": "<p>Re-read yearly.</p>",
                "private": False,
                "rec": True,
                "tags": ["comfort read", "Tidewater (TV)"],
            },
            work=lighthouse,
        )
        create_bookmark(
            self.bob, {"pseud": self.bob.default_pseud, "notes": "", "private": True, "rec": False, "tags": []},
            series=Series.objects.get(title="The Wolf Cycle"),
        )  # fmt: skip
        subscribe(self.bob, work=lighthouse)
        subscribe(self.bob, creator=self.alice)
        mark_for_later(self.bob, Work.objects.get(title="Full Moon Rising"))
        block_user(self.alice, self.archivist)
        mute_user(self.bob, self.archivist)
        SavedFilter.objects.create(user=self.bob, name="Short gen", query="rating=General+Audiences")
        TagExclusion.objects.create(user=self.bob, tag=Tag.objects.get(name="Angst"))
        run_pending()  # the wrangling's filter refresh, as the worker would run it
        return {"lighthouse": lighthouse, "moony": Work.objects.get(title="Moony's Lament")}

    def pages(self, works: dict[str, Work]) -> list[tuple[str, str]]:
        lighthouse, moony = works["lighthouse"], works["moony"]
        series = Series.objects.get(title="The Wolf Cycle")
        return [
            ("", "/works"),
            ("", lighthouse.get_absolute_url()),
            ("", f"{moony.get_absolute_url()}?view_adult=true"),
            ("", f"{moony.chapters.get(position=2).get_absolute_url()}?view_adult=true"),
            ("", "/tags/Harry Potter/works"),
            ("", "/tags/Hurt%2FComfort %26 Fluff/works".replace("%2F", "*s*")),
            ("", series.get_absolute_url()),
            ("", "/users/openarchivist/pseuds/Zoë Ashford"),
            ("", "/users/bob/bookmarks"),
            ("", "/search/?q=Hogsmeade"),
            ("bob", "/account/subscriptions"),
            ("bob", "/"),
        ]

    def test_export_to_the_other_engine_and_back_is_identical_and_renders_the_same(self):
        works = self.build_archive()
        first, second = self.folder / "first", self.folder / "second"
        call_command("export_archive", str(first), stdout=io.StringIO(), stderr=io.StringIO())
        # A real index, as the other side builds after its import (not the tests' stand-in, whose
        # pages say search is rebuilding).
        call_command("rebuild_search_index", stdout=io.StringIO(), stderr=io.StringIO())
        pages = self.pages(works)
        here = {}
        for username, url in pages:
            client = Client()
            if username:
                client.force_login(type(self.alice).objects.get(username=username))
            response = client.get(url)
            self.assertEqual(response.status_code, 200, url)
            here[f"{username} {url}"] = normalized(response.content.decode())
        (self.folder / "pages.json").write_text(json.dumps({"pages": pages}))
        target_url, database = other_engine(self.folder)
        if database:
            self.addCleanup(drop_database, database)
        data_dir = self.folder / "target-data"
        data_dir.mkdir()
        env = {**os.environ, "DATABASE_URL": target_url, "FANARCHIVE_DATA_DIR": str(data_dir)}
        command = [sys.executable, "-m", "archive.tests.roundtrip_target", str(first), str(second)]
        command.append(str(self.folder / "pages.json"))
        result = subprocess.run(  # noqa: S603 (our own module, with paths we made)
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
        )
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        for name in sorted(path.name for path in first.iterdir()):
            self.assertEqual((first / name).read_bytes(), (second / name).read_bytes(), name)
        manifest = json.loads((first / "manifest.json").read_text())
        counts = {entry["name"]: entry["count"] for entry in manifest["kinds"]}
        # Every kind is really in the test: a kind left empty would round-trip without proving anything.
        self.assertEqual([name for name, count in counts.items() if count == 0], [])
        there = {key: normalized(html) for key, html in json.loads(result.stdout).items()}
        self.maxDiff = 5000
        for key, html in here.items():
            self.assertEqual(html, there[key], key)
        self.assertIn(
            "Snow fell on", here[f" {works['moony'].chapters.get(position=2).get_absolute_url()}?view_adult=true"]
        )


class FormatTests(BaseTestCase):
    def test_every_model_is_exported_or_said_why_not(self):
        from django.apps import apps

        exported = {kind.model for kind in KINDS}
        missing = [m._meta.label for m in apps.get_models() if m._meta.label not in exported | set(NOT_EXPORTED)]
        self.assertEqual(missing, [], "add new models to archive.format.KINDS (and the format document)")

    def test_users_are_exported_without_password_hashes_unless_asked(self):
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        call_command("export_archive", str(folder / "plain"), stdout=io.StringIO(), stderr=io.StringIO())
        call_command(
            "export_archive", str(folder / "full"), "--with-passwords", stdout=io.StringIO(), stderr=io.StringIO()
        )
        plain = [json.loads(line) for line in (folder / "plain" / "users.jsonl").read_text().splitlines()]
        full = [json.loads(line) for line in (folder / "full" / "users.jsonl").read_text().splitlines()]
        self.assertEqual([user["username"] for user in plain], ["alice", "bob"])
        self.assertNotIn("password", plain[0])
        self.assertTrue(full[0]["password"].startswith(("pbkdf2_", "argon2", "scrypt", "md5")))

    def test_loading_refuses_a_database_that_is_not_empty_and_a_damaged_export(self):
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        call_command("export_archive", str(folder / "out"), stdout=io.StringIO(), stderr=io.StringIO())
        with self.assertRaisesMessage(ArchiveError, "not empty"):
            load_archive(folder / "out", rebuild_search=False)
        with (folder / "out" / "users.jsonl").open("a") as stream:
            stream.write('{"id": 99, "username": "mallory"}\n')
        with self.assertRaisesMessage(ArchiveError, "does not match the manifest"):
            load_archive(folder / "out", rebuild_search=False)
