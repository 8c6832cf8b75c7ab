"""The API's one call into rate limiting, so it can be pointed at the project's shared rate limiter.

Fixed windows counted in the cache (Redis when configured, else per process).
"""

import time

from django.core.cache import cache


def retry_after(bucket: str, limit: int, window_seconds: int) -> int | None:
    """Count one request in `bucket`; past `limit` in the current window, the seconds until it ends."""
    now = int(time.time())
    window_start = now - now % window_seconds
    key = f"api-rate:{bucket}:{window_start}"
    if cache.add(key, 1, timeout=window_seconds + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window_seconds + 1)
            count = 1
    if count > limit:
        return max(1, window_start + window_seconds - now)
    return None
