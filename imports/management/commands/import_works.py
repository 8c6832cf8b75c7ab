import sys
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Pseud
from imports.actions import drop_conflicting_tags, import_work
from imports.parsed import ImportRefused
from imports.parsers import check_size, parse_file
from tags.parsing import split_tag_names

EXTENSIONS = {".txt", ".text", ".html", ".htm", ".xhtml", ".md", ".markdown", ".docx", ".docm", ".epub"}


def find_pseud(entry: str) -> Pseud | None:
    """ "pseud (username)", a username (their default pseud), or a pseud name no one else uses."""
    pseuds = Pseud.objects.select_related("user")
    if entry.endswith(")") and "(" in entry:
        name, _, username = entry[:-1].rpartition("(")
        return pseuds.filter(name__iexact=name.strip(), user__username__iexact=username.strip()).first()
    by_user = pseuds.filter(user__username__iexact=entry, is_default=True).first()
    if by_user:
        return by_user
    matches = list(pseuds.filter(name__iexact=entry)[:2])
    return matches[0] if len(matches) == 1 else None


def collect_files(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in EXTENSIONS
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            files.append(path)
    return files


class Progress:
    """A one-line progress bar on stderr, drawn only on a terminal (logs get the result lines alone)."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.enabled = sys.stderr.isatty() and total > 1

    def show(self, done: int, name: str) -> None:
        if not self.enabled:
            return
        width = 30
        filled = width * done // max(self.total, 1)
        sys.stderr.write(f"\r[{'#' * filled}{'-' * (width - filled)}] {done}/{self.total} {name[:40]:<40}")
        sys.stderr.flush()

    def clear(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 80 + "\r")


class Command(BaseCommand):
    help = (
        "Import works from files or folders (searched recursively): plain text, HTML (AO3 downloads too), "
        "Markdown, DOCX and EPUB (AO3, FanFicFare and Fanarchive downloads too). Each file becomes one "
        "work, saved as a draft of the pseud so its creator can check it before posting (pass --post to "
        "publish at once, for migrating an archive whose works were already public). A file that can't "
        "be imported is skipped with the reason and nothing of it is saved; the others go on. "
        "The exit status is 1 if any file was skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="Files or folders.")
        parser.add_argument(
            "--pseud",
            required=True,
            help="Who the works are credited to: “pseud (username)”, a username (their default pseud) or a pseud name.",
        )
        parser.add_argument("--post", action="store_true", help="Post the works instead of saving drafts.")
        parser.add_argument("--dry-run", action="store_true", help="Read and check every file; save nothing.")
        parser.add_argument("--fandom", default="", help="Fandom(s), comma-separated, for works whose files name none.")

    def handle(self, *args: Any, **options: Any) -> None:
        pseud = find_pseud(options["pseud"])
        if pseud is None:
            raise CommandError(f"No pseud or user called “{options['pseud']}” (use “pseud (username)”).")
        files = collect_files(options["paths"])
        if not files:
            raise CommandError("No files to import.")
        fallback_fandoms = split_tag_names(options["fandom"])
        created = 0
        skipped: Counter[str] = Counter()
        progress = Progress(len(files))
        for done, path in enumerate(files, start=1):
            progress.show(done - 1, path.name)
            try:
                reason = None
                check_size(path.stat().st_size)
                parsed = drop_conflicting_tags(parse_file(path.read_bytes(), path.name))
                if not parsed.fandoms and fallback_fandoms:
                    parsed.fandoms = list(fallback_fandoms)
                if options["post"] and not parsed.fandoms:
                    raise ImportRefused("No fandom found, and a posted work needs one (use --fandom).")
                if options["dry_run"]:
                    line = f"would import  {path}: “{parsed.title}”, {len(parsed.chapters)} chapter(s)"
                else:
                    work = import_work(parsed, [pseud], post=options["post"])
                    kind = "posted" if options["post"] else "draft"
                    line = f"created  {path}: {kind} {work.pk} “{work.title}”, {len(parsed.chapters)} chapter(s)"
                created += 1
                progress.clear()
                self.stdout.write(line)
                for remark in parsed.warnings_found:
                    self.stdout.write(f"    note: {remark}")
            except ImportRefused as refusal:
                reason = str(refusal)
            except OSError as error:
                reason = f"can't read the file ({error.strerror or error})"
            except Exception as error:  # one bad file must not stop a batch; its transaction rolled back
                reason = f"unexpected error ({type(error).__name__}: {error})"
            if reason:
                skipped[reason] += 1
                progress.clear()
                self.stdout.write(f"skipped  {path}: {reason}")
        progress.show(len(files), "")
        progress.clear()
        verb = "would import" if options["dry_run"] else "imported"
        self.stdout.write(f"\n{len(files)} file(s): {created} {verb}, {sum(skipped.values())} skipped.")
        for reason, count in skipped.most_common():
            self.stdout.write(f"  {count} × {reason}")
        if skipped:
            raise CommandError(f"{sum(skipped.values())} file(s) could not be imported.")
