"""How many comments one user, and one address, may post in a window (through lib.ratelimit)."""

from django.conf import settings
from django.http import HttpRequest

from lib.hashing import keyed_hash
from lib.ratelimit import Limited, client_address, count_rate


def ip_hash(request: HttpRequest) -> str:
    """A keyed hash of the client's address: stable enough to count by, useless to anyone without the secret."""
    return keyed_hash(client_address(request))


def take_comment_slot(user_id: int | None, ip_hash: str) -> Limited | None:
    """Count one comment against the user, then the address; Limited if either is over the limit.

    The address is counted only once the user's count allowed the comment: two counters bumped side
    by side reach the limit in different orders under parallel requests and refuse more than they should.
    """
    limit, window = settings.COMMENT_RATE_LIMIT, settings.COMMENT_RATE_WINDOW_SECONDS
    by_user = count_rate("comment-user", str(user_id), limit, window) if user_id is not None else None
    if by_user is not None:
        return by_user
    return count_rate("comment-address", ip_hash, limit, window) if ip_hash else None
