from django.db import models


class Job(models.Model):
    """A unit of background work in a database-backed queue (no broker needed).

    Workers claim a job with a conditional UPDATE, so several workers on
    several machines never run the same job twice.
    """

    class Status(models.TextChoices):
        PENDING = "pending"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    kind = models.CharField(max_length=60)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "id"], name="job_status_id")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"
