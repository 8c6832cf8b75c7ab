"""What /healthz reports: each part of the archive that can silently stop, checked in a few queries.

Every check returns a dict with "ok"; the page is 503 when one is not ok, so a load balancer or a
monitor notices. Dead letters are counted but do not fail it: staff handle them in the admin.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Max, Min, Q
from django.utils import timezone

from jobs.models import Job, WorkerHeartbeat

logger = logging.getLogger(__name__)
Check = Callable[[], dict[str, Any]]


def check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True, "vendor": connection.vendor}


def check_cache() -> dict[str, Any]:
    cache.set("healthz", "1", 10)
    return {"ok": cache.get("healthz") == "1"}


def check_queue() -> dict[str, Any]:
    now = timezone.now()
    due = Job.objects.filter(Q(run_after__isnull=True) | Q(run_after__lte=now), status=Job.Status.PENDING)
    oldest = due.aggregate(created=Min("created_at"))["created"]
    age = round((now - oldest).total_seconds()) if oldest else 0
    return {
        "ok": age <= settings.HEALTH_MAX_QUEUE_AGE_SECONDS,
        "oldest_due_job_seconds": age,
        "due": due.count(),
        "failed": Job.objects.filter(status=Job.Status.FAILED).count(),
    }


def check_worker() -> dict[str, Any]:
    seen = WorkerHeartbeat.objects.aggregate(seen=Max("seen_at"))["seen"]
    if seen is None:
        return {"ok": False, "last_heartbeat_seconds": None}
    age = round((timezone.now() - seen).total_seconds())
    return {"ok": age <= settings.HEALTH_MAX_HEARTBEAT_AGE_SECONDS, "last_heartbeat_seconds": age}


CHECKS: dict[str, Check] = {
    "database": check_database,
    "cache": check_cache,
    "queue": check_queue,
    "worker": check_worker,
}


def register_check(name: str, check: Check) -> Check:
    """Another app's part of /healthz (the search index), registered from its AppConfig.ready()."""
    CHECKS[name] = check
    return check


def report() -> dict[str, Any]:
    results: dict[str, dict[str, Any]] = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as error:
            logger.exception("Health check %s failed", name)
            results[name] = {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
    healthy = all(result["ok"] for result in results.values())
    return {"status": "ok" if healthy else "failing", "checks": results}
