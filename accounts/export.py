"""Export my data: one zip with a JSON description of everything the member made or chose, plus each of

their works as EPUB and HTML. Built by the background worker, announced in the inbox and by email,
downloadable from /account/export until it expires (EXPORT_DAYS), then deleted by the worker's housekeeping.
"""

import json
import secrets
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.emails import queue_email
from accounts.models import DataExport, SavedFilter, TagExclusion, User
from bookmarks.models import Bookmark
from comments.models import Comment
from community.models import InboxItem, Kudo, Reading, Subscription
from downloads.formats import build_epub, build_html
from jobs.queue import enqueue, handler
from works.models import Chapter, Creatorship, Work

EXPORT_JOB = "build_data_export"
EXPORT_DAYS = 3
PREFERENCE_FIELDS = [
    "skip_adult_gate",
    "history_enabled",
    "email_on_comments",
    "email_on_subscriptions",
    "theme",
    "reader_font",
    "reader_size",
    "reader_spacing",
    "reader_width",
    "hide_creator_style",
]


def export_dir() -> Path:
    return Path(settings.DATA_DIR) / "exports"


def export_path(export: DataExport) -> Path:
    return export_dir() / f"{export.token}.zip"


@transaction.atomic
def request_export(user: User) -> DataExport | None:
    """Queue a new export; None if one is already being built for this member."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    # A job that failed for good leaves its export pending: after a day the member may ask again.
    recent = timezone.now() - timedelta(days=1)
    if DataExport.objects.filter(user=user, status=DataExport.Status.PENDING, created_at__gt=recent).exists():
        return None
    export = DataExport.objects.create(user=user, token=secrets.token_urlsafe(24))
    enqueue(EXPORT_JOB, {"export_id": export.pk})
    return export


def describe(user: User) -> dict[str, Any]:
    """Everything about the member, as plain JSON values."""
    work_ids = list(Creatorship.objects.filter(pseud__user=user).values_list("work_id", flat=True).distinct())
    works = []
    for work in Work.objects.filter(pk__in=work_ids).prefetch_related("tags", "pseuds").order_by("id"):
        works.append(
            {
                "id": work.pk,
                "title": work.title,
                "summary": work.summary,
                "notes": work.notes,
                "endnotes": work.endnotes,
                "language": work.language,
                "posted": work.posted,
                "restricted": work.restricted,
                "published_at": work.published_at,
                "revised_at": work.revised_at,
                "creators": [str(pseud) for pseud in work.pseuds.all()],
                "tags": [{"type": tag.type, "name": tag.name} for tag in work.tags.all()],
                "chapters": list(
                    Chapter.objects.filter(work=work)
                    .order_by("position")
                    .values("position", "title", "summary", "notes", "content", "endnotes", "posted", "published_at")
                ),
            }
        )
    return {
        "format": "fanarchive-export-1",
        "exported_at": timezone.now(),
        "profile": {"username": user.username, "email": user.email, "date_joined": user.date_joined},
        "preferences": {name: getattr(user, name) for name in PREFERENCE_FIELDS},
        "pseuds": list(user.pseuds.values("name", "description", "is_default", "created_at")),
        "works": works,
        "bookmarks": [
            {
                "work_id": bookmark.work_id,
                "series_id": bookmark.series_id,
                "title": bookmark.title_snapshot,
                "notes": bookmark.notes,
                "tags": [tag.name for tag in bookmark.tags.all()],
                "private": bookmark.private,
                "rec": bookmark.rec,
                "created_at": bookmark.created_at,
            }
            for bookmark in Bookmark.objects.filter(user=user).prefetch_related("tags")
        ],
        "comments": list(Comment.objects.filter(user=user).values("work_id", "chapter_id", "content", "created_at")),
        "kudos": list(Kudo.objects.filter(user=user).values("work_id", "created_at")),
        "history": list(
            Reading.objects.filter(user=user).values(
                "work_id", "last_chapter_id", "last_visited", "visit_count", "marked_for_later"
            )
        ),
        "subscriptions": list(
            Subscription.objects.filter(user=user).values("work_id", "creator__username", "series_id", "created_at")
        ),
        "saved_filters": list(SavedFilter.objects.filter(user=user).values("name", "query")),
        "tag_exclusions": list(TagExclusion.objects.filter(user=user).values_list("tag__name", flat=True)),
    }


def _write_zip(user: User, path: Path) -> None:
    base_url = settings.SITE_URL
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(describe(user), default=str, ensure_ascii=False, indent=1))
        work_ids = Creatorship.objects.filter(pseud__user=user).values_list("work_id", flat=True)
        for work in Work.objects.filter(pk__in=work_ids).order_by("id"):
            # Drafts too: the member's own copy of everything they wrote.
            chapters = work.chapters.all()
            if not chapters.exists():
                continue
            archive.writestr(f"works/{work.pk}.epub", build_epub(work, base_url, chapters))
            archive.writestr(f"works/{work.pk}.html", build_html(work, base_url, chapters))


@handler(EXPORT_JOB)
def build_data_export(payload: dict[str, Any]) -> None:
    export = DataExport.objects.select_related("user").filter(pk=payload["export_id"]).first()
    if export is None or export.status != DataExport.Status.PENDING:
        return  # ran already (or the account is gone)
    export_dir().mkdir(parents=True, exist_ok=True)
    final = export_path(export)
    partial = final.with_suffix(".partial")
    _write_zip(export.user, partial)
    partial.replace(final)
    now = timezone.now()
    with transaction.atomic():
        # Conditional: a retried job never announces the same export twice.
        if not DataExport.objects.filter(pk=export.pk, status=DataExport.Status.PENDING).update(
            status=DataExport.Status.READY,
            size=final.stat().st_size,
            finished_at=now,
            expires_at=now + timedelta(days=EXPORT_DAYS),
        ):
            return
        InboxItem.objects.create(user=export.user, kind=InboxItem.Kind.DATA_EXPORT, emailed=True)
        queue_email(export.user.email, "data_export", {"user": export.user, "days": EXPORT_DAYS})


@handler("prune_data_exports")
def _prune_exports_job(payload: dict[str, Any]) -> None:
    prune_exports()


def prune_exports() -> int:
    """Delete expired exports' files (the worker's hourly housekeeping)."""
    expired = list(
        DataExport.objects.filter(status=DataExport.Status.READY, expires_at__lte=timezone.now()).only("token")
    )
    for export in expired:
        export_path(export).unlink(missing_ok=True)
    DataExport.objects.filter(pk__in=[export.pk for export in expired]).update(status=DataExport.Status.EXPIRED)
    return len(expired)
