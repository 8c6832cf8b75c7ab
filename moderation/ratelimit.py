"""How many reports one user, and one address, may file in a window (through lib.ratelimit)."""

from django.http import HttpRequest

from lib.ratelimit import Limited, check_address_then_member

REPORT_RATE_LIMIT = 5
REPORT_RATE_WINDOW_SECONDS = 60 * 60


def take_report_slot(request: HttpRequest) -> Limited | None:
    """Count one report against the client address, then the user; Limited if either is over the limit."""
    return check_address_then_member(request, "report", REPORT_RATE_LIMIT, REPORT_RATE_WINDOW_SECONDS)
