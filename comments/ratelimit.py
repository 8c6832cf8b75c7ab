"""How many comments one user, and one address, may post in a window; counted in the cache.

Counting is `add` then `incr`, both atomic in every cache backend, so two
requests at once cannot both slip under the limit.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from lib.hashing import keyed_hash


def ip_hash(request: HttpRequest) -> str:
    """A keyed hash of the client's address: stable enough to count by, useless to anyone without the secret."""
    address = str(request.META.get("REMOTE_ADDR", ""))
    return keyed_hash(address)


def _keys(user_id: int | None, ip_hash: str) -> list[str]:
    keys = []
    if user_id is not None:
        keys.append(f"comment-rate:user:{user_id}")
    if ip_hash:
        keys.append(f"comment-rate:addr:{ip_hash}")
    return keys


def take_comment_slot(user_id: int | None, ip_hash: str) -> bool:
    """Count one comment against the user and the address; False if either is over the limit."""
    allowed = True
    for key in _keys(user_id, ip_hash):
        if cache.add(key, 1, timeout=settings.COMMENT_RATE_WINDOW_SECONDS):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:
                # Expired between add and incr: this is the first of a new window.
                cache.set(key, 1, timeout=settings.COMMENT_RATE_WINDOW_SECONDS)
                count = 1
        if count > settings.COMMENT_RATE_LIMIT:
            allowed = False
    return allowed
