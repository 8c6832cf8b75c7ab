"""How many support requests one address, and one member, may send in a window (through lib.ratelimit)."""

from django.http import HttpRequest

from lib.ratelimit import Limited, check_rate

SUPPORT_RATE_LIMIT = 5
SUPPORT_RATE_WINDOW_SECONDS = 60 * 60


def take_support_slot(request: HttpRequest) -> Limited | None:
    """Count one request against the address, then (only if that allowed it) the member, as reports do."""
    by_address = check_rate(request, "support-address", None, SUPPORT_RATE_LIMIT, SUPPORT_RATE_WINDOW_SECONDS)
    if by_address or not request.user.is_authenticated:
        return by_address
    return check_rate(request, "support-user", str(request.user.pk), SUPPORT_RATE_LIMIT, SUPPORT_RATE_WINDOW_SECONDS)
