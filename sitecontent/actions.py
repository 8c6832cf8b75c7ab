"""Every write to the archive's settings, site pages, news and banner."""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from sitecontent.config import forget_pages, forget_settings
from sitecontent.forms import SettingsForm
from sitecontent.models import NewsPost, PageVersion, SiteSettings


def save_settings(form: SettingsForm) -> SiteSettings:
    """Save the staff's settings form; a new banner text shows again to readers who dismissed the old one."""
    row = form.save(commit=False)
    fields = list(form.Meta.fields)
    if "banner_text" in form.changed_data:
        row.banner_changed_at = timezone.now()
        fields.append("banner_changed_at")
    row.save(update_fields=[*fields, "updated_at"])
    forget_settings()
    return row


def publish_page(slug: str, data: dict[str, Any], author: User) -> PageVersion:
    """A new version of a site page (the old ones stay, numbered)."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                latest = PageVersion.objects.filter(slug=slug).aggregate(n=Max("number"))["n"] or 0
                version = PageVersion.objects.create(
                    slug=slug,
                    number=latest + 1,
                    title=data["title"],
                    body=data["body"],
                    summary_of_changes=data.get("summary_of_changes", ""),
                    created_by=author,
                )
        except IntegrityError:
            # Two staff published at once: the unique (slug, number) refused one; number it again.
            continue
        transaction.on_commit(forget_pages)
        forget_pages()
        return version
    raise IntegrityError("Could not number the page version")


def publish_news(data: dict[str, Any], author: User) -> NewsPost:
    return NewsPost.objects.create(
        title=data["title"], body=data["body"], comments_enabled=data["comments_enabled"], author=author
    )
