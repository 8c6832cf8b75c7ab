from django.contrib import admin

from jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin[Job]):
    list_display = ("id", "kind", "status", "attempts", "created_at", "finished_at")
    list_filter = ("status", "kind")
    readonly_fields = ("kind", "payload", "status", "attempts", "error", "created_at", "started_at", "finished_at")
