"""Every write to the archive's settings, site pages and banner."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from sitecontent.config import forget_pages, forget_settings
from sitecontent.forms import SettingsForm
from sitecontent.models import PageVersion, SiteSettings


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


def publish_page(slug: str, data: dict[str, Any], author: AbstractBaseUser) -> PageVersion:
    """A new version of a site page (the old ones stay, numbered).

    `author` is typed as Django's base user, not accounts.User: sitecontent sits below accounts
    (CONTRIBUTING.md "Layers"), and the page only records who published it."""
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
                    created_by_id=author.pk,
                )
        except IntegrityError:
            # Two staff published at once: the unique (slug, number) refused one; number it again.
            continue
        transaction.on_commit(forget_pages)
        forget_pages()
        return version
    raise IntegrityError("Could not number the page version")
