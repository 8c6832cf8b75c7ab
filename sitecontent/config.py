"""The archive's settings, as staff set them: `archive_settings()` reads them, cached.

One row, cached under one key and deleted when staff save. With Redis (REDIS_URL) every
process sees a change at once; without it each process keeps its own copy in memory
(settings.CACHES["local"]: not the database cache, which would cost a query per read) and
another process sees a change within CACHE_SECONDS.
"""

import contextlib
import logging

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import IntegrityError, transaction

from sitecontent.models import PageSlug, PageVersion, SiteSettings

logger = logging.getLogger(__name__)

CACHE_KEY = "sitecontent:settings:v1"
PAGES_CACHE_KEY = "sitecontent:pages:v1"
CACHE_SECONDS = 30


def _cache() -> BaseCache:
    return caches["local" if "local" in settings.CACHES and not settings.REDIS_URL else "default"]


def _cache_get(key: str) -> object:
    # A cache outage (Redis down) costs a query, never the page.
    try:
        return _cache().get(key)
    except Exception:
        logger.warning("The cache is unreachable; reading %s from the database", key)
        return None


def _cache_set(key: str, value: object) -> None:
    with contextlib.suppress(Exception):
        _cache().set(key, value, CACHE_SECONDS)


def _cache_delete(key: str) -> None:
    with contextlib.suppress(Exception):
        _cache().delete(key)


def archive_settings() -> SiteSettings:
    found = _cache_get(CACHE_KEY)
    if isinstance(found, SiteSettings):
        return found
    row = SiteSettings.objects.filter(pk=1).first()
    if row is None:
        try:
            # A savepoint: two first requests at once both try; one wins, the other reads it.
            with transaction.atomic():
                # The old SITE_NAME environment variable seeds the name of an archive that had one.
                row = SiteSettings.objects.create(pk=1, site_name=settings.SITE_NAME)
        except IntegrityError:
            row = SiteSettings.objects.get(pk=1)
    _cache_set(CACHE_KEY, row)
    return row


def forget_settings() -> None:
    """Called after every write to the settings row (the cache would otherwise serve the old one)."""
    _cache_delete(CACHE_KEY)


def site_name() -> str:
    """The archive's name as staff set it (emails, downloads' title pages, every page's title)."""
    return str(archive_settings().site_name)


def default_work_language() -> str:
    return str(archive_settings().default_language)


def current_pages() -> dict[str, tuple[int, int, str]]:
    """Each published page's slug -> (version id, number, title), cached like the settings."""
    found = _cache_get(PAGES_CACHE_KEY)
    if isinstance(found, dict):
        return found
    pages: dict[str, tuple[int, int, str]] = {}
    for version in PageVersion.objects.order_by("slug", "-number").only("id", "slug", "number", "title"):
        pages.setdefault(version.slug, (version.pk, version.number, version.title))
    _cache_set(PAGES_CACHE_KEY, pages)
    return pages


def forget_pages() -> None:
    _cache_delete(PAGES_CACHE_KEY)


def current_terms_version_id() -> int | None:
    """The terms of service every member must have accepted, or None while the archive has none."""
    current = current_pages().get(PageSlug.TERMS)
    return current[0] if current else None
