"""The one rate-limit path: log-in, sign-up, comments, kudos, hits (and reports).

In a view::

    limited = check_rate(request, "reports", key=None, limit=5, window=3600)  # key None: the client's address
    if limited:
        return too_many_requests(request, limited)

Below the views (an action that has no request) use `count_rate(scope, key, limit, window)`.
Log-in checks before trying the password (`peek_rate`) and counts only failures.

Counts live in Django's default cache, which every process shares: Redis when REDIS_URL is
set, the database's cache table otherwise (created by `migrate`, accounts migration 0005).
Windows are fixed (the key carries the window's start), so `Retry-After` is exact. When Redis
is unreachable, counting falls back to the database's cache table; when that fails too, limits
fail closed with a message saying so. Hit de-duplication (`first_visit`) fails open instead:
the hit is skipped and the page is served.

The client's address comes from `client_address`: REMOTE_ADDR, or, when that is one of the
TRUSTED_PROXIES, the first address in X-Forwarded-For that is not a trusted proxy, read from
the right (a client can write anything on the left).
"""

import contextlib
import ipaddress
import logging
import time
import unicodedata
from dataclasses import dataclass
from functools import cache as memoize
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.db import BaseDatabaseCache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from lib.hashing import keyed_hash

logger = logging.getLogger(__name__)

# Used when the default cache (Redis) fails: the database's cache table (settings.CACHES).
FALLBACK_CACHE = "database"


@dataclass(frozen=True)
class Limited:
    """A refusal: which limit, how many seconds until it lifts, and what to tell the person."""

    scope: str
    retry_after: int
    message: str
    # True when the count could not be kept at all (no cache): refused, failing closed.
    unavailable: bool = False


class _CacheDown(Exception):
    pass


# The client's address


@memoize
def _trusted_networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _trusted_networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str:
    """The address of the person making the request, through the proxies the archive trusts."""
    address = str(request.META.get("REMOTE_ADDR", ""))
    if not settings.TRUSTED_PROXIES or not _is_trusted(address):
        return address
    forwarded = [hop.strip() for hop in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    for hop in reversed([hop for hop in forwarded if hop]):
        if not _is_trusted(hop):
            return hop
        address = hop
    return address


def normalise_username(raw: str) -> str:
    """A username as log-in matches it: NFKC and stripped (as Django's form), case-folded (as sign-up)."""
    return unicodedata.normalize("NFKC", raw).strip().casefold()


# Counting


def _cache_key(scope: str, key: str, window: int, now: float) -> tuple[str, int]:
    start = int(now) // window * window
    # Hashed with the secret: the cache never holds an address or a username in clear.
    return f"rate:{scope}:{keyed_hash(key)}:{start}", max(start + window - int(now), 1)


def _run(cache: BaseCache, operation: Any) -> Any:
    if isinstance(cache, BaseDatabaseCache) and transaction.get_connection().in_atomic_block:
        # A savepoint: a failed cache query must not abort the caller's transaction (PostgreSQL).
        with transaction.atomic():
            return operation(cache)
    return operation(cache)


def _on_cache(operation: Any) -> Any:
    """Run `operation(cache)` on the shared cache, falling back to the database's cache table."""
    try:
        return _run(caches["default"], operation)
    except Exception:
        if settings.CACHES["default"]["BACKEND"] == settings.CACHES[FALLBACK_CACHE]["BACKEND"]:
            logger.exception("Rate limits: the cache failed")
            raise _CacheDown from None
        logger.warning("Rate limits: the shared cache failed; counting in the database instead", exc_info=True)
    try:
        return _run(caches[FALLBACK_CACHE], operation)
    except Exception:
        logger.exception("Rate limits: the database's cache table failed too")
        raise _CacheDown from None


def _add_one(cache: BaseCache, cache_key: str, timeout: int) -> int:
    # add then incr: both atomic in Redis and in the database cache, so two requests at once
    # can't both slip under a limit.
    if cache.add(cache_key, 1, timeout=timeout):
        return 1
    try:
        return int(cache.incr(cache_key))
    except ValueError:
        # Expired between add and incr: the first of a new window.
        cache.set(cache_key, 1, timeout=timeout)
        return 1


def _unavailable(scope: str) -> Limited:
    return Limited(
        scope=scope,
        retry_after=60,
        unavailable=True,
        message=gettext(
            "The archive can't check how often you are doing this right now, so it can't let you do it. "
            "Please try again in a minute."
        ),
    )


def _too_many(scope: str, retry_after: int) -> Limited:
    minutes = max(1, (retry_after + 59) // 60)
    message = gettext("You have done this too many times in a short while. Please wait %(minutes)s minutes.") % {
        "minutes": minutes
    }
    return Limited(scope=scope, retry_after=retry_after, message=message)


def count_rate(scope: str, key: str, limit: int, window: int) -> Limited | None:
    """Count one event against (scope, key); Limited when it goes over `limit` in `window` seconds."""
    cache_key, retry_after = _cache_key(scope, key, window, time.time())
    try:
        count = _on_cache(lambda cache: _add_one(cache, cache_key, window + 1))
    except _CacheDown:
        return _unavailable(scope)
    return _too_many(scope, retry_after) if count > limit else None


def check_rate(request: HttpRequest, scope: str, key: str | None, limit: int, window: int) -> Limited | None:
    """`count_rate` for a request; a key of None counts by the client's address."""
    return count_rate(scope, client_address(request) if key is None else key, limit, window)


def check_address_then_member(request: HttpRequest, scope: str, limit: int, window: int) -> Limited | None:
    """Count one action against the client address (`<scope>-address`), then, only if the address
    allowed it, against the signed-in member (`<scope>-user`).

    Two counters bumped side by side can reach the limit in different orders under parallel
    requests and refuse more than they should; counted one after the other, they cannot.
    """
    by_address = check_rate(request, f"{scope}-address", None, limit, window)
    if by_address or not request.user.is_authenticated:
        return by_address
    return check_rate(request, f"{scope}-user", str(request.user.pk), limit, window)


def peek_rate(scope: str, key: str, limit: int, window: int) -> Limited | None:
    """Limited when (scope, key) has already used up its `limit`, without counting this request."""
    cache_key, retry_after = _cache_key(scope, key, window, time.time())
    try:
        count = _on_cache(lambda cache: cache.get(cache_key, 0))
    except _CacheDown:
        return _unavailable(scope)
    return _too_many(scope, retry_after) if int(count) >= limit else None


def reset_rate(scope: str, key: str, window: int) -> None:
    """Forget (scope, key)'s count in the current window (a successful log-in clears its failures)."""
    cache_key, _retry_after = _cache_key(scope, key, window, time.time())
    with contextlib.suppress(_CacheDown):
        _on_cache(lambda cache: cache.delete(cache_key))


def first_visit(key: str, timeout: int) -> bool:
    """True the first time `key` is seen within `timeout` seconds (hit de-duplication).

    A read comes first: most visits are repeats, and on SQLite a read takes no write lock.
    Fails open the other way: with no cache at all the visit is not counted (and the page is served).
    """
    cache_key = f"seen:{keyed_hash(key)}"
    try:
        return bool(_on_cache(lambda cache: cache.get(cache_key) is None and cache.add(cache_key, 1, timeout)))
    except _CacheDown:
        return False


def too_many_requests(
    request: HttpRequest, limited: Limited, template: str = "429.html", context: dict[str, Any] | None = None
) -> HttpResponse:
    """The archive's 429 page (or `template`, given `message`), with Retry-After."""
    response = render(request, template, {"message": limited.message, **(context or {})}, status=429)
    response["Retry-After"] = str(limited.retry_after)
    return response
