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

from accounts import hooks
from accounts.emails import queue_email
from accounts.models import DataExport, SavedFilter, TagExclusion, User
from jobs.queue import enqueue, handler

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
    return {
        "format": "fanarchive-export-1",
        "exported_at": timezone.now(),
        "profile": {"username": user.username, "email": user.email, "date_joined": user.date_joined},
        "preferences": {name: getattr(user, name) for name in PREFERENCE_FIELDS},
        "pseuds": list(user.pseuds.values("name", "description", "is_default", "created_at")),
        # Each app's part (works, comments, bookmarks, kudos, history, subscriptions):
        # accounts.hooks.EXPORT_SECTIONS, filled from their AppConfig.ready().
        **{key: value for section in hooks.EXPORT_SECTIONS for key, value in section(user).items()},
        "saved_filters": list(SavedFilter.objects.filter(user=user).values("name", "query")),
        "tag_exclusions": list(TagExclusion.objects.filter(user=user).values_list("tag__name", flat=True)),
    }


def _write_zip(user: User, path: Path) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(describe(user), default=str, ensure_ascii=False, indent=1))
        # Each work as EPUB and HTML (downloads): accounts.hooks.EXPORT_FILES.
        for write_files in hooks.EXPORT_FILES:
            write_files(user, archive)


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
        hooks.data_export_ready(export.user)
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
