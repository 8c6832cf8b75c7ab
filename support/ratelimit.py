"""How many support requests one address, and one member, may send in a window (through lib.ratelimit)."""

from django.http import HttpRequest

from lib.ratelimit import Limited, check_address_then_member

SUPPORT_RATE_LIMIT = 5
SUPPORT_RATE_WINDOW_SECONDS = 60 * 60


def take_support_slot(request: HttpRequest) -> Limited | None:
    """Count one request against the address, then (only if that allowed it) the member, as reports do."""
    return check_address_then_member(request, "support", SUPPORT_RATE_LIMIT, SUPPORT_RATE_WINDOW_SECONDS)
