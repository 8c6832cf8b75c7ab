"""The news part of "export my data" (accounts/export.py asks it through accounts.hooks.EXPORT_SECTIONS)."""

from typing import Any

from django.db.models import F

from accounts.hooks import export_section
from accounts.models import User
from news.models import NewsComment


@export_section
def member_news_comments(user: User) -> dict[str, Any]:
    # A deleted comment keeps its row for its replies' sake, but no longer any text of the member's.
    comments = NewsComment.objects.filter(user=user).exclude(status=NewsComment.Status.DELETED)
    return {
        "news_comments": list(
            comments.order_by("created_at", "id").values(
                "post_id", "parent_id", "body", "status", "created_at", "edited_at", post_title=F("post__title")
            )
        ),
    }
