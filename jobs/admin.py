from django.contrib import admin, messages
from django.db import IntegrityError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jobs.models import Job, Schedule, WorkerHeartbeat
from jobs.queue import retry_failed


@admin.register(Job)
class JobAdmin(admin.ModelAdmin[Job]):
    list_display = ("id", "kind", "status", "attempts", "max_attempts", "run_after", "created_at", "finished_at")
    list_filter = ("status", "kind")
    readonly_fields = (
        "kind", "payload", "key", "status", "attempts", "max_attempts", "error", "created_at", "run_after",
        "started_at", "lease_expires_at", "worker", "finished_at",
    )  # fmt: skip
    actions = ["retry"]

    @admin.action(description=_("Retry the selected failed jobs"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        retried = 0
        for job_id in queryset.filter(status=Job.Status.FAILED).values_list("pk", flat=True):
            try:
                retried += retry_failed([job_id])
            except IntegrityError:  # the same key is queued again already
                continue
        self.message_user(
            request,
            ngettext("%(count)d job queued again.", "%(count)d jobs queued again.", retried) % {"count": retried},
            messages.SUCCESS,
        )


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin[WorkerHeartbeat]):
    list_display = ("name", "started_at", "seen_at")
    readonly_fields = ("name", "started_at", "seen_at", "job")


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin[Schedule]):
    list_display = ("kind", "next_run_at")
