"""The bookmarks part of "export my data" (accounts/export.py asks it through accounts.hooks.EXPORT_SECTIONS)."""

from typing import Any

from accounts.hooks import export_section
from accounts.models import User
from bookmarks.models import Bookmark


@export_section
def member_bookmarks(user: User) -> dict[str, Any]:
    return {
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
    }
