"""The API's one call into rate limiting (lib.ratelimit, the archive's shared limiter)."""

from lib.ratelimit import count_rate


def retry_after(bucket: str, limit: int, window_seconds: int) -> int | None:
    """Count one request in `bucket`; past `limit` in the current window, the seconds until it ends.

    When the count can't be kept (no cache at all), the API refuses too, as every limit does.
    """
    limited = count_rate("api", bucket, limit, window_seconds)
    return limited.retry_after if limited else None
