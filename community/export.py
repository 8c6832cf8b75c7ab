"""community's part of "export my data" (accounts/export.py asks it through accounts.hooks): kudos,
history and subscriptions, and the inbox item saying the export is ready."""

from typing import Any

from accounts.hooks import data_export_ready, export_section
from accounts.models import User
from community.models import InboxItem, Kudo, Reading, Subscription


@export_section
def member_engagement(user: User) -> dict[str, Any]:
    return {
        "kudos": list(Kudo.objects.filter(user=user).values("work_id", "created_at")),
        "history": list(
            Reading.objects.filter(user=user).values(
                "work_id", "last_chapter_id", "last_visited", "visit_count", "marked_for_later"
            )
        ),
        "subscriptions": list(
            Subscription.objects.filter(user=user).values("work_id", "creator__username", "series_id", "created_at")
        ),
    }


@data_export_ready.connect
def announce_export(user: User) -> None:
    InboxItem.objects.create(user=user, kind=InboxItem.Kind.DATA_EXPORT, emailed=True)
