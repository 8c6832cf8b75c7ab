from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from jobs.health import report


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The archive's health as JSON; 503 when a part is failing (for monitors and load balancers)."""
    result = report()
    return JsonResponse(result, status=200 if result["status"] == "ok" else 503)
