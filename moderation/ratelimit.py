"""How many reports one user, and one address, may file in a window (through lib.ratelimit)."""

from django.http import HttpRequest

from lib.ratelimit import Limited, check_rate

REPORT_RATE_LIMIT = 5
REPORT_RATE_WINDOW_SECONDS = 60 * 60


def take_report_slot(request: HttpRequest) -> Limited | None:
    """Count one report against the client address, then the user; Limited if either is over the limit.

    The user is counted only once the address allowed the report: two counters bumped side by side
    can reach the limit in different orders under parallel requests and refuse more than they should.
    """
    limit, window = REPORT_RATE_LIMIT, REPORT_RATE_WINDOW_SECONDS
    by_address = check_rate(request, "report-address", None, limit, window)
    if by_address or not request.user.is_authenticated:
        return by_address
    return check_rate(request, "report-user", str(request.user.pk), limit, window)
