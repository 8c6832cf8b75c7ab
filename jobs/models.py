from django.db import models
from django.db.models import Q


class Job(models.Model):
    """A unit of background work in a database-backed queue (no broker needed).

    A worker claims a job by taking a lease (`lease_expires_at`) and renews it
    while the job runs; a job whose lease ran out (its worker was killed) is
    claimable again. Failures are retried with exponential backoff
    (`run_after`) until `max_attempts`, then the job is FAILED: the dead-letter
    state staff see and can retry in the admin.
    """

    class Status(models.TextChoices):
        PENDING = "pending"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    kind = models.CharField(max_length=60)
    payload = models.JSONField(default=dict)
    # Jobs that must not be queued twice (one PDF per version) carry a key: at most one
    # pending or running job per key, enforced by the database.
    key = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=5)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    run_after = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "id"], name="job_status_id"),
            models.Index(fields=["status", "lease_expires_at"], name="job_status_lease"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(status__in=["pending", "running"]) & ~Q(key=""),
                name="job_one_active_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"


class WorkerHeartbeat(models.Model):
    """One row per worker process, touched every few seconds: /healthz and the admin read it."""

    name = models.CharField(max_length=100, unique=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()
    job = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return self.name


class Schedule(models.Model):
    """When each periodic job (jobs.periodic.PERIODIC) is next due; workers claim a run by UPDATE."""

    kind = models.CharField(max_length=60, unique=True)
    next_run_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.kind} at {self.next_run_at:%Y-%m-%d %H:%M}"
