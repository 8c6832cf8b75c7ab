"""The works part of "export my data" (accounts/export.py asks it through accounts.hooks.EXPORT_SECTIONS)."""

from typing import Any

from accounts.hooks import export_section
from accounts.models import User
from works.models import Chapter, Creatorship, Work


@export_section
def member_works(user: User) -> dict[str, Any]:
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
    return {"works": works}
