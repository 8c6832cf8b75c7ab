"""The comments part of "export my data" (accounts/export.py asks it through accounts.hooks.EXPORT_SECTIONS)."""

from typing import Any

from accounts.hooks import export_section
from accounts.models import User
from comments.models import Comment


@export_section
def member_comments(user: User) -> dict[str, Any]:
    return {
        "comments": list(Comment.objects.filter(user=user).values("work_id", "chapter_id", "content", "created_at")),
    }
