"""How many reports one user, and one address, may file in a window.

The one function the report view calls: it uses the comments' counting in the cache for now,
so the lead can point it at the archive's shared rate limiter (lib/ratelimit.py) in one place.
"""

from django.core.cache import cache
from django.http import HttpRequest

from comments.ratelimit import ip_hash

REPORT_RATE_LIMIT = 5
REPORT_RATE_WINDOW_SECONDS = 60 * 60


def take_report_slot(request: HttpRequest) -> bool:
    """Count one report against the user and the client address; False if either is over the limit."""
    keys = [f"report-rate:addr:{ip_hash(request)}"]
    if request.user.is_authenticated:
        keys.append(f"report-rate:user:{request.user.pk}")
    allowed = True
    for key in keys:
        # add then incr: both atomic in every cache backend, so parallel requests can't both slip under.
        if cache.add(key, 1, timeout=REPORT_RATE_WINDOW_SECONDS):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout=REPORT_RATE_WINDOW_SECONDS)
                count = 1
        if count > REPORT_RATE_LIMIT:
            allowed = False
    return allowed
