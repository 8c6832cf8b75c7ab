"""How many reports one user, and one address, may file in a window (through lib.ratelimit)."""

from django.http import HttpRequest

from lib.ratelimit import Limited, check_rate

REPORT_RATE_LIMIT = 5
REPORT_RATE_WINDOW_SECONDS = 60 * 60


def take_report_slot(request: HttpRequest) -> Limited | None:
    """Count one report against the user and the client address; Limited if either is over the limit."""
    limit, window = REPORT_RATE_LIMIT, REPORT_RATE_WINDOW_SECONDS
    by_address = check_rate(request, "report-address", None, limit, window)
    by_user = (
        check_rate(request, "report-user", str(request.user.pk), limit, window)
        if request.user.is_authenticated
        else None
    )
    return by_address or by_user
