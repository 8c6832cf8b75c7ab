"""/healthz: JSON about the database, cache, search index, queue and worker; 503 when one is failing."""

import shutil
from datetime import timedelta
from typing import Any

from django.utils import timezone

from fanarchive.test import BaseTestCase
from jobs.models import Job, WorkerHeartbeat
from jobs.queue import enqueue
from search import engine
from search.indexer import rebuild


class HealthTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.post_work(title="Harbour Lights")
        rebuild()
        now = timezone.now()
        WorkerHeartbeat.objects.create(name="host:4242", started_at=now, seen_at=now)

    def health(self, status: int) -> dict[str, Any]:
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, status, response.content)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertIn("no-cache", response["Cache-Control"])
        result: dict[str, Any] = response.json()
        return result

    def test_a_healthy_archive_answers_200_with_every_check(self):
        result = self.health(200)
        self.assertEqual(result["status"], "ok")
        self.assertEqual(set(result["checks"]), {"database", "cache", "search", "queue", "worker"})
        search = result["checks"]["search"]
        self.assertEqual((search["present"], search["indexed"], search["visible"]), (True, 1, 1))
        self.assertEqual(result["checks"]["worker"]["last_heartbeat_seconds"], 0)

    def test_a_silent_worker_fails_the_check(self):
        WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(minutes=5))
        result = self.health(503)
        self.assertEqual(result["status"], "failing")
        self.assertFalse(result["checks"]["worker"]["ok"])
        self.assertEqual(result["checks"]["worker"]["last_heartbeat_seconds"], 300)

    def test_a_job_waiting_too_long_fails_the_check_and_dead_letters_are_counted(self):
        job = enqueue("build_pdf", {"work_id": self.work.pk})
        Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=1))
        Job.objects.create(kind="send_comment_emails", status=Job.Status.FAILED)
        queue = self.health(503)["checks"]["queue"]
        self.assertEqual((queue["ok"], queue["oldest_due_job_seconds"], queue["failed"]), (False, 3600, 1))

    def test_a_missing_or_short_index_fails_the_check(self):
        self.post_work(title="Open Sea")
        from search.models import SearchUpdate

        SearchUpdate.objects.all().delete()  # the update that would index it was lost
        search = self.health(503)["checks"]["search"]
        self.assertEqual((search["ok"], search["indexed"], search["visible"]), (False, 1, 2))
        engine.WRITER.close()
        shutil.rmtree(engine.search_dir())
        engine.READERS.forget()
        search = self.health(503)["checks"]["search"]
        self.assertEqual((search["ok"], search["present"]), (False, False))
