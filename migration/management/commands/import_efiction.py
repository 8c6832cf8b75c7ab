"""manage.py import_efiction: bring an eFiction 3.x archive in from its mysqldump file."""

import tempfile
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from lib.languages import LANGUAGES
from migration.efiction import mapping as efiction_mapping
from migration.efiction.importer import Importer, Report, plan_story
from migration.efiction.source import EFictionArchive, NotEFiction
from migration.sqldump import DumpError, load_dump, read_live_database
from search.indexer import ProgressBar


class Command(BaseCommand):
    help = (
        "Import an eFiction 3.x archive from a mysqldump file (no MySQL needed) and its stories/ folder. "
        "First run with --dry-run --mapping FILE: it writes the proposed mapping of categories, characters, "
        "classes, ratings and challenges to tags, and reports what would be imported or skipped. Edit the "
        "file, then run again with --mapping FILE --archivist USERNAME. Authors become pseuds of the "
        "archivist's account (pen name and email kept for claims), stories posted works with their dates, "
        "series, co-authors and reviews. Running it again changes nothing that was imported; each story "
        "is imported whole or not at all."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "dump",
            help="The archive's mysqldump (or phpMyAdmin) .sql file, or a live database: "
            "mysql://user:password@host:port/database (read with mariadb-dump or mysqldump).",
        )
        parser.add_argument(
            "--stories",
            type=Path,
            help="eFiction's stories/ folder (stories/<uid>/<chapid>.txt); "
            "without it chapter text is read from the database's storytext column.",
        )
        parser.add_argument(
            "--mapping",
            type=Path,
            required=True,
            help="The mapping file: written by --dry-run, read (after your edits) by the real run.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Write the proposed mapping (or check an existing one) and report what would be imported; "
            "change nothing.",
        )
        parser.add_argument("--archivist", help="Username of the existing account that will own the imported works.")
        parser.add_argument(
            "--source",
            default="efiction",
            help="A name for this archive, kept with every imported id (default: efiction). "
            "Use the same name when running again.",
        )
        parser.add_argument("--prefix", help="The table prefix (found by itself when there is one).")
        parser.add_argument(
            "--language",
            default="en",
            choices=[code for code, _name in LANGUAGES],
            help="The language of the stories (eFiction does not record it; default en).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dump: str = options["dump"]
        live = dump.startswith(("mysql://", "mariadb://"))
        if not live and not Path(dump).is_file():
            raise CommandError(f"{dump}: no such file")
        stories_dir: Path | None = options["stories"]
        if stories_dir is not None and not stories_dir.is_dir():
            raise CommandError(f"{stories_dir}: no such folder")
        archivist = None
        if not options["dry_run"]:
            if not options["archivist"]:
                raise CommandError("--archivist USERNAME is required (the account that will own the works)")
            archivist = User.objects.filter(username=options["archivist"]).first()
            if archivist is None:
                raise CommandError(f"no account named {options['archivist']!r}")
            if not options["mapping"].is_file():
                raise CommandError(f"{options['mapping']}: no such file (write it with --dry-run first)")
        with tempfile.TemporaryDirectory(prefix="efiction-") as folder:
            self.stderr.write(f"Reading {dump.split('@')[-1] if live else dump} …")
            try:
                staging_path = str(Path(folder) / "staging.sqlite3")
                if live:
                    staging = read_live_database(dump, staging_path)
                else:
                    with Path(dump).open("rb") as stream:
                        staging = load_dump(stream, staging_path)
                archive = EFictionArchive.open(staging, stories_dir, options["prefix"])
            except (DumpError, NotEFiction) as error:
                raise CommandError(f"{dump}: {error}") from error
            self.stderr.write(
                f"eFiction tables{f' (prefix {archive.prefix!r})' if archive.prefix else ''}: "
                f"{archive.count('stories'):,} stories, {archive.count('chapters'):,} chapters, "
                f"{archive.count('authors'):,} authors, {archive.count('reviews'):,} reviews."
            )
            if options["dry_run"]:
                self._dry_run(archive, options)
            else:
                assert archivist is not None
                self._import(archive, archivist, options)

    def _dry_run(self, archive: EFictionArchive, options: dict[str, Any]) -> None:
        path: Path = options["mapping"]
        if path.exists():
            # Never overwrite the admin's edits: check them and show what they would do.
            try:
                mapping = efiction_mapping.read(path)
            except efiction_mapping.MappingError as error:
                raise CommandError(f"The mapping can't be used:\n{error}") from error
            self.stdout.write(f"Using your mapping {path} (delete it to get a new proposal).")
        else:
            mapping = efiction_mapping.propose(archive)
            efiction_mapping.write(mapping, path)
            self.stdout.write(f"Proposed mapping written to {path}: edit it, then run without --dry-run.")
        plan = efiction_mapping.preview(mapping)
        report = Report()
        for story in archive.table("stories", "1 ORDER BY sid"):
            result = plan_story(archive, story, plan, options["language"])
            if isinstance(result, str):
                report.skip("story", int(story["sid"]), str(story["title"])[:80], result)
            else:
                report.created["works (would be)"] += 1
        for line in report.lines():
            self.stdout.write(line)

    def _import(self, archive: EFictionArchive, archivist: User, options: dict[str, Any]) -> None:
        try:
            mapping = efiction_mapping.read(options["mapping"])
        except efiction_mapping.MappingError as error:
            raise CommandError(f"The mapping can't be used:\n{error}") from error
        tags = efiction_mapping.apply(mapping, options["source"])
        importer = Importer(
            archive,
            tags,
            source=options["source"],
            archivist=archivist,
            language=options["language"],
            progress=ProgressBar("Importing stories", self.stderr),
        )
        report = importer.run()
        report.created["tags"] += tags.tags_created
        for conflict in tags.conflicts:
            report.skip("tag", 0, conflict, "name taken")
        for line in report.lines():
            self.stdout.write(line)
