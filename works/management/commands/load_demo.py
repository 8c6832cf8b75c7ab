"""Load the demo archive: a few users, fandoms and works written for Fanarchive."""

import json
import secrets
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from accounts.actions import create_account
from accounts.models import Pseud, User
from lib.html import clean_html
from tags.actions import find_or_create_tags
from tags.models import Tag, TagParent, TagType
from works import actions
from works.models import Series, Work

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "demo_content.json"


class Command(BaseCommand):
    help = "Load the demo users, fandoms and works (original text written for Fanarchive)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing unless the archive is brand new: no works and no accounts (used by ./run on every start).",
        )
        parser.add_argument("--file", type=Path, default=DEMO_FILE, help="Demo content JSON file.")

    def handle(self, *args: Any, **options: Any) -> None:
        # Never into an archive that has had real users, even if they deleted every work.
        if options["if_empty"] and (Work.objects.exists() or User.objects.exists()):
            return
        if User.objects.filter(username__in=self._usernames(options["file"])).exists():
            raise CommandError("The demo users already exist: the demo content was loaded before.")
        password = secrets.token_urlsafe(9)
        with transaction.atomic():
            count = self._load(json.loads(options["file"].read_text(encoding="utf-8")), password)
        self.stdout.write(self.style.SUCCESS(f"Loaded {count} demo works."))
        self.stdout.write(f"Demo users can log in with the password: {password}")

    def _usernames(self, path: Path) -> list[str]:
        return [user["username"] for user in json.loads(path.read_text(encoding="utf-8"))["users"]]

    def _load(self, data: dict[str, Any], password: str) -> int:
        pseuds: dict[tuple[str, str], Pseud] = {}
        for entry in data["users"]:
            user = create_account(entry["username"], entry["email"], password)
            default = user.default_pseud
            default.name = entry["pseuds"][0]
            default.save(update_fields=["name"])
            pseuds[(user.username, default.name)] = default
            for extra in entry["pseuds"][1:]:
                pseuds[(user.username, extra)] = Pseud.objects.create(user=user, name=extra)
        for fandom_name, media_name in data["fandom_media"].items():
            (fandom,) = find_or_create_tags([fandom_name], TagType.FANDOM)
            media = Tag.objects.get(name=media_name, type=TagType.MEDIA)
            TagParent.objects.get_or_create(child=fandom, parent=media)
        series_by_title: dict[str, Series] = {}
        today = timezone.localdate()
        for entry in data["works"]:
            creators = [pseuds[(username, pseud)] for username, pseud in entry["creators"]]
            chapters = entry["chapters"]
            form_data = {
                "title": entry["title"],
                "summary": clean_html(entry["summary"]),
                "notes": clean_html(entry["notes"]),
                "endnotes": clean_html(entry["endnotes"]),
                "language": entry["language"],
                "restricted": entry["restricted"],
                "expected_chapters": entry["expected_chapters"],
                "backdate": True,
                "published_at": today - timedelta(days=entry["days_ago"]),
                "rating": entry["rating"],
                "warnings": entry["warnings"],
                "categories": entry["categories"],
                "fandoms": entry["fandoms"],
                "relationships": entry["relationships"],
                "characters": entry["characters"],
                "freeforms": entry["freeforms"],
                "series": None,
                "new_series_title": "",
                "series_position": None,
                **_chapter_data(chapters[0]),
            }
            if entry["series"]:
                title = entry["series"]["title"]
                if title in series_by_title:
                    form_data["series"] = series_by_title[title]
                else:
                    form_data["new_series_title"] = title
                form_data["series_position"] = entry["series"]["position"]
            work = actions.create_work(creators, form_data, post=True)
            for link in work.serial_works.select_related("series"):
                series_by_title[link.series.title] = link.series
            for chapter in chapters[1:]:
                actions.add_chapter(work, _chapter_data(chapter), post=True)
            if len(chapters) > 1:
                _spread_chapter_dates(work, today)
        _wrangle_demo_tags()
        return len(data["works"])


def _wrangle_demo_tags() -> None:
    """A demo archive looks wrangled: fandoms, characters and relationships are canonical and
    know their fandom; additional tags are left for a wrangler to try the dashboard on."""
    wrangled = [TagType.FANDOM, TagType.CHARACTER, TagType.RELATIONSHIP]
    Tag.objects.filter(type__in=wrangled).update(canonical=True)
    for work in Work.objects.prefetch_related("tags"):
        fandoms = [t for t in work.tags.all() if t.type == TagType.FANDOM]
        if len(fandoms) != 1:
            continue  # a crossover's characters belong to one fandom each: learn them elsewhere
        for tag in work.tags.all():
            if tag.type in (TagType.CHARACTER, TagType.RELATIONSHIP):
                for fandom in fandoms:
                    TagParent.objects.get_or_create(child=tag, parent=fandom)


def _spread_chapter_dates(work: Work, today: date) -> None:
    """A demo serial was updated weekly, not all on the day the demo was loaded."""
    published = work.published_at
    for chapter in work.chapters.all():
        chapter.published_at = min(today, published + timedelta(days=7 * (chapter.position - 1)))
        chapter.save(update_fields=["published_at"])
    last = work.chapters.order_by("-position").values_list("published_at", flat=True)[0]
    work.revised_at = timezone.make_aware(datetime.combine(last, time(12, 0)))
    work.save(update_fields=["revised_at"])


def _chapter_data(chapter: dict[str, Any]) -> dict[str, Any]:
    return {
        "chapter_title": chapter["title"],
        "chapter_summary": clean_html(chapter["summary"]),
        "chapter_notes": clean_html(chapter["notes"]),
        "chapter_endnotes": clean_html(chapter["endnotes"]),
        "content": clean_html(chapter["text"]),
    }
