from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from sitecontent.config import archive_settings, current_pages
from sitecontent.models import PageSlug


def site(request: HttpRequest) -> dict[str, Any]:
    """The archive's name and description, the banner (unless this visitor dismissed it), the footer's pages."""
    row = archive_settings()
    banner = None
    if row.banner_text:
        changed = row.banner_changed_at.isoformat() if row.banner_changed_at else ""
        session = getattr(request, "session", None)
        if session is None or session.get("banner_dismissed") != changed:
            banner = row
    pages = current_pages()
    footer_pages = [(label, reverse("site_page", args=[slug])) for slug, label in PageSlug.choices if slug in pages]
    return {
        "SITE_NAME": row.site_name,
        "SITE_DESCRIPTION": row.site_description,
        "DOWNLOADS_ENABLED": row.downloads_enabled,
        "site_banner": banner,
        "footer_pages": footer_pages,
    }
