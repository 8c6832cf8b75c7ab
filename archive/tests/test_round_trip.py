"""An archive with every feature used goes out and comes back the same on the other database engine.

Exported here (the suite's database), loaded into a fresh database of the other
engine in a subprocess (PostgreSQL when the suite runs on SQLite, SQLite when it
runs on PostgreSQL), exported again: the two exports are byte for byte the same,
and the pages render the same.
"""

import hashlib
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
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.test import Client

from accounts import invitations
from accounts.actions import accept_terms, change_username, sign_up
from accounts.export import request_export
from accounts.models import SavedFilter, TagExclusion, User
from accounts.verification import mark_verified
from api.tokens import create_token, revoke_token
from archive.format import KINDS, NOT_EXPORTED, columns
from archive.transfer import ArchiveError, _key, load_archive
from bookmarks.actions import create_bookmark
from comments.actions import post_comment
from community.actions import block_user, leave_kudos, mark_for_later, mute_user, subscribe
from fanarchive.test import BaseTestCase
from jobs.queue import run_pending
from migration.tests.efiction_fixture import write_archive
from migration.tests.test_efiction_import import EFictionImportCase
from moderation import actions as moderation_actions
from moderation.actions import add_note, answer_notice, appoint, claim, file_report, resolve, suspend, warn
from moderation.consent import invite_co_creators
from moderation.models import InvitationSetting, Notice
from moderation.roles import Role
from moderation.targets import find_target
from news.actions import publish_news
from news.news_comments import post_news_comment
from sitecontent.actions import publish_page, save_settings
from sitecontent.config import archive_settings
from sitecontent.forms import SettingsForm
from support import actions as support_actions
from tags.actions import add_parent, make_canonical, make_synonym
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
        moderation_actions.appoint(staff, self.bob, Role.WRANGLER)
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
        works = {"lighthouse": lighthouse, "moony": Work.objects.get(title="Moony's Lament")}
        self.build_site(works)
        run_pending()  # the wrangling's filter refresh, the data export: as the worker would run them
        # Still waiting when the archive moves: import_archive queues it again.
        self.assertIsNotNone(request_export(self.alice))
        return works

    def build_site(self, works: dict[str, Work]) -> None:
        """Sign-ups, roles, site content, tokens and the moderation desk: the rest of the kinds."""
        staff, lighthouse = self.archivist, works["lighthouse"]
        settings_form = SettingsForm(
            {
                **model_to_dict(archive_settings(), fields=SettingsForm.Meta.fields),
                "site_name": "Archiv des Leuchtturms",
                "signup_mode": "queue",
                "banner_text": "<p>Read-only on Sunday, 02:00–03:00 UTC.</p>",
                "banner_kind": "outage",
            },
            instance=archive_settings(),
        )
        self.assertTrue(settings_form.is_valid(), settings_form.errors)
        save_settings(settings_form)
        publish_page("terms", {"title": "Terms of Service", "body": "<p>Be kind.</p>"}, staff)
        terms = publish_page(
            "terms", {"title": "Terms of Service", "body": "<p>Be kind. Credit «sources».</p>",
                      "summary_of_changes": "Credit"}, staff,
        )  # fmt: skip
        publish_page("about", {"title": "About", "body": "<p>A lighthouse for fandom.</p>"}, staff)
        code = invitations.issue(staff, 2)[0]
        carol = sign_up(
            "carol", "carol@example.org", self.password, invitation=code, terms_version_id=terms.pk, minimum_age=16
        )
        mark_verified(carol)
        change_username(carol, "carol_wren")
        dana = sign_up(
            "dana", "dana@example.org", self.password, invitation=None, terms_version_id=terms.pk, minimum_age=13
        )  # left unverified
        for user in (staff, self.bob, dana):
            accept_terms(user, terms.pk)
        invitations.join_queue("erin@example.org")
        invitations.join_queue("finn@example.org")
        invitations.release(1)
        post = publish_news(
            {"title": "Welcome, Tidewater fans", "body": "<p>Imports are open.</p>", "comments_enabled": True}, staff
        )
        post_news_comment(post, None, self.bob, "<p>Thank you! 🎉</p>", "")
        appoint(staff, self.bob, "moderator")
        appoint(staff, dana, "support")
        support = Permission.objects.get(codename="support", content_type__app_label="moderation")
        self.alice.user_permissions.add(support)
        self.token = create_token(self.bob, "Reader app", read_restricted=True, write=False, view_adult=True)[1]
        revoke_token(create_token(self.bob, "Old phone", read_restricted=False, write=True, view_adult=False)[0])
        self.assertIsNotNone(request_export(self.bob))  # built by run_pending, in build_archive
        InvitationSetting.objects.create(user=dana, accepts_co_creator_invitations=False)
        invite_co_creators(lighthouse, self.alice, [User.objects.get(username="carol_wren").default_pseud])
        report = file_report(
            find_target("work", works["moony"].pk, self.bob), self.bob, "", "rating", "Needs a warning — «страшно»."
        )
        claim(self.bob, report)
        add_note(self.bob, report, "Asked the archivist.")
        warn(self.bob, report, staff, "Please add the warning.")
        resolve(self.bob, report, "The creator was warned.")
        answer_notice(staff, Notice.objects.get(user=staff, kind="warning"), "Added, thank you.")
        comment = lighthouse.comments.get()
        file_report(find_target("comment", comment.pk, AnonymousUser()), None, "guest@example.org", "spam", "Spam?")
        suspend(staff, None, dana, 3, "Spam links in comments.", hide_works=False)
        self.works_extra = {"news": post, "report": report}
        asked = support_actions.ask(self.bob, "", "account", "Pseud «ünïcode»", "How do I add a pseud?", "")
        support_actions.add_note(staff, asked, "Pointed to the FAQ.")
        support_actions.reply(staff, asked, "Preferences → Pseuds.")
        guest_asked = support_actions.ask(None, "guest@example.net", "bug", "Broken", "The page is blank.", "")
        support_actions.reply(staff, guest_asked, "Fixed, thank you.")

    def pages(self, works: dict[str, Work]) -> list[tuple[str, str]]:
        lighthouse, moony = works["lighthouse"], works["moony"]
        series = Series.objects.get(title="The Wolf Cycle")
        news, report = self.works_extra["news"], self.works_extra["report"]
        return [
            ("", "/news"),
            ("", f"/news/{news.pk}"),
            ("", "/pages/terms"),
            ("", "/pages/terms/history"),
            ("", "/users/carol_wren"),
            ("openarchivist", f"/moderation/reports/{report.pk}"),
            ("openarchivist", "/moderation/log"),
            ("openarchivist", "/moderation/roles"),
            ("openarchivist", "/staff/invitations"),
            ("openarchivist", "/moderation/messages"),
            ("bob", "/moderation"),
            ("bob", "/account/tokens"),
            ("bob", "/account/export"),
            ("carol_wren", "/invitations"),
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
            ("bob", "/support/mine"),
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
                client.force_login(User.objects.get(username=username))
            response = client.get(url)
            self.assertEqual(response.status_code, 200, url)
            here[f"{username} {url}"] = normalized(response.content.decode())
        (self.folder / "pages.json").write_text(json.dumps({"pages": pages, "token": self.token}))
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
        # Old usernames still redirect, roles still hold, tokens still work, the pending export is queued again,
        # the tag filters are right.
        checks = "/users/carol_wren|True|True|build_data_export|True"
        self.assertEqual(json.loads(result.stdout)["checks"], checks)
        there = {key: normalized(html) for key, html in json.loads(result.stdout).items() if key != "checks"}
        self.maxDiff = 5000
        for key, html in here.items():
            self.assertEqual(html, there[key], key)
        self.assertIn(
            "Snow fell on", here[f" {works['moony'].chapters.get(position=2).get_absolute_url()}?view_adult=true"]
        )


class FormatTests(BaseTestCase):
    def test_every_model_is_exported_or_said_why_not(self):
        from django.apps import apps

        exported = [kind.model for kind in KINDS]
        self.assertEqual(len(exported), len(set(exported)), "a model is in two kinds")
        self.assertEqual(set(exported) & set(NOT_EXPORTED), set(), "a model is both exported and left out")
        for label in [*exported, *NOT_EXPORTED]:
            apps.get_model(label)  # no stale names
        self.assertTrue(all(reason.strip() for reason in NOT_EXPORTED.values()))
        missing = [m._meta.label for m in apps.get_models() if m._meta.label not in set(exported) | set(NOT_EXPORTED)]
        self.assertEqual(missing, [], "add new models to archive.format.KINDS (and the format document)")

    def test_the_format_document_lists_every_kind_with_its_fields(self):
        rows = re.findall(
            r"^\| `(\w+)\.jsonl` \| ([\w.]+) \| (.+) \|$", (ROOT / "docs" / "archive-format.md").read_text(), re.M
        )
        documented = [(name, model, fields) for name, model, fields in rows]
        expected = []
        for kind in KINDS:
            fields = ", ".join(_key(field) for field in columns(kind.model_class))
            for relation in kind.many_to_many:
                what = "permission keys" if relation == "permissions" else "ids"
                fields += f"; `{relation}` (list of {what})"
            expected.append((kind.name, kind.model, fields))
        self.assertEqual(documented, expected)

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

    def test_rows_written_before_a_field_existed_load_with_its_default(self):
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        User.objects.filter(username="alice").update(hide_creator_style=True, theme="dark")
        call_command("export_archive", str(folder), stdout=io.StringIO(), stderr=io.StringIO())
        # As an export made before users had hide_creator_style: its rows lack the field.
        users = folder / "users.jsonl"
        rows = [json.loads(line) for line in users.read_text(encoding="utf-8").splitlines()]
        for row in rows:
            del row["hide_creator_style"]
        users.write_bytes("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode())
        manifest = json.loads((folder / "manifest.json").read_text())
        for entry in manifest["kinds"]:
            if entry["name"] == "users":
                entry["sha256"] = hashlib.sha256(users.read_bytes()).hexdigest()
        (folder / "manifest.json").write_text(json.dumps(manifest))
        User.objects.all().delete()
        load_archive(folder, rebuild_search=False)
        alice = User.objects.get(username="alice")
        self.assertEqual((alice.hide_creator_style, alice.theme), (False, "dark"))
        self.assertFalse(alice.has_usable_password())  # exported without its hash

    def test_permissions_on_news_exported_before_it_had_its_own_app_load_as_news(self):
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        editors = Group.objects.create(name="Rédaction")
        editors.permissions.add(Permission.objects.get(codename="change_newspost"))
        editors.permissions.add(Permission.objects.get(codename="delete_newscomment"))
        call_command("export_archive", str(folder), stdout=io.StringIO(), stderr=io.StringIO())
        # As an export made when news was part of sitecontent: its permissions carry that app label.
        groups = folder / "groups.jsonl"
        text = groups.read_text(encoding="utf-8")
        self.assertIn('"news.newspost.change_newspost"', text)
        groups.write_bytes(text.replace('"news.news', '"sitecontent.news').encode())
        manifest = json.loads((folder / "manifest.json").read_text())
        for entry in manifest["kinds"]:
            if entry["name"] == "groups":
                entry["sha256"] = hashlib.sha256(groups.read_bytes()).hexdigest()
        (folder / "manifest.json").write_text(json.dumps(manifest))
        User.objects.all().delete()
        Group.objects.all().delete()
        load_archive(folder, rebuild_search=False)
        self.assertEqual(
            sorted(Group.objects.get(name="Rédaction").permissions.values_list("content_type__app_label", "codename")),
            [("news", "change_newspost"), ("news", "delete_newscomment")],
        )
        self.assertFalse(Permission.objects.filter(content_type__app_label="sitecontent", codename__contains="news"))
