"""The reader's own record: what pages ask about the logged-in reader on every request (whom they
muted, the tags they exclude, their saved filters), cached per process by `User.reader_version`.

Why a cached part is never stale, even with a separate cache in every process: every write that
changes a part bumps `reader_version` with F() in the write's own transaction (`reader_changed`),
and each request reads the version with its user row (accounts.backends), before any part. An
entry is keyed by the user, their sign-up moment and that version, and filled by reading the
database after the version was read: it may hold a state newer than its version (a change
committed between the two reads; the next request reads the new version and misses), never an
older one. F() makes two bumps at once two versions, not one.

Only the request's user as the backend loaded it is read through the cache (`loaded_for_request`):
any other user object (a job's, an API token's owner, a test's) may carry an old version, so it
reads the database. After a request changes a part it reads the database for the rest of the
request: its transaction may still roll back, and what it sees must not be cached under a
version someone else may commit.
"""

from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db.models import F, QuerySet

from accounts import hooks
from accounts.models import SavedFilter, TagExclusion, User

CACHE = "readers"
_FRESH = "_reader_version_fresh"
_PARTS = "_reader_parts"
_MISSING = object()


def loaded_for_request(user: User) -> None:
    """The backend has just read this user's row for the request: its version is current."""
    setattr(user, _FRESH, True)


def read_part(user: User, name: str) -> Any:
    """A part of the reader's record (see accounts.hooks.READER_PARTS), once per request."""
    memo: dict[str, Any] | None = getattr(user, _PARTS, None)
    if memo is None:
        memo = {}
        setattr(user, _PARTS, memo)
    if name in memo:
        return memo[name]
    load = hooks.READER_PARTS[name]
    cache = _cache() if getattr(user, _FRESH, False) else None
    if cache is None:
        value = load(user.pk)
    else:
        key = f"reader:{user.pk}:{user.date_joined.timestamp():.6f}:{user.reader_version}:{name}"
        value = cache.get(key, _MISSING)
        if value is _MISSING:
            value = load(user.pk)
            cache.set(key, value)
    memo[name] = value
    return value


def reader_changed(user: User) -> None:
    """Call in the transaction of every write that changes a part of this reader's record."""
    User.objects.filter(pk=user.pk).update(reader_version=F("reader_version") + 1)
    setattr(user, _FRESH, False)
    setattr(user, _PARTS, None)


def readers_changed(user_ids: QuerySet[Any] | list[int]) -> None:
    """reader_changed for several readers (a subquery of ids, or ids)."""
    User.objects.filter(pk__in=user_ids).update(reader_version=F("reader_version") + 1)


def _cache() -> BaseCache | None:
    # Settings without it (the cache-outage tests replace CACHES) read the database every time.
    return caches[CACHE] if CACHE in settings.CACHES else None


# accounts' own parts


@hooks.reader_part("tag_exclusions")
def _tag_exclusions(user_id: int) -> tuple[int, ...]:
    return tuple(TagExclusion.objects.filter(user_id=user_id).order_by("tag_id").values_list("tag_id", flat=True))


@hooks.reader_part("saved_filters")
def _saved_filters(user_id: int) -> tuple[tuple[int, str, str], ...]:
    return tuple(SavedFilter.objects.filter(user_id=user_id).values_list("pk", "name", "query"))


def excluded_tag_ids(user: User) -> list[int]:
    """The tags on the reader's exclusion list."""
    return list(read_part(user, "tag_exclusions"))


def saved_filters(user: User) -> list[SavedFilter]:
    """The reader's saved filters, by name (for showing: name and query)."""
    return [
        SavedFilter(pk=pk, user_id=user.pk, name=name, query=query)
        for pk, name, query in read_part(user, "saved_filters")
    ]
