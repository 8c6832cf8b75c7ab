"""The queue: retries with growing delays, a dead letter staff can retry, leases, keys, periodic jobs, purging."""

from datetime import timedelta
from typing import Any

from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from fanarchive.test import BaseTestCase
from jobs import periodic
from jobs.models import Job, Schedule
from jobs.queue import claim_next, enqueue, handler, run_pending

ran: list[dict[str, Any]] = []


@handler("test_record")
def _record(payload: dict[str, Any]) -> None:
    ran.append(payload)


@handler("test_always_fails")
def _always_fails(payload: dict[str, Any]) -> None:
    raise RuntimeError("the printer is on fire")


def make_due(job: Job) -> None:
    Job.objects.filter(pk=job.pk).update(run_after=timezone.now() - timedelta(seconds=1))


@override_settings(JOBS_MAX_ATTEMPTS=3, JOBS_RETRY_BASE_SECONDS=30)
class RetryTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        ran.clear()

    def test_a_failing_job_waits_twice_as_long_each_time_then_is_a_dead_letter_staff_can_retry(self):
        job = enqueue("test_always_fails", {"work_id": 3_000_000_000})
        delays = []
        for _ in range(2):
            before = timezone.now()
            self.assertEqual(run_pending(), 1)
            job.refresh_from_db()
            self.assertEqual(job.status, Job.Status.PENDING)
            self.assertIn("the printer is on fire", job.error)
            assert job.run_after is not None
            delays.append(round((job.run_after - before).total_seconds()))
            self.assertEqual(run_pending(), 0)  # not due yet
            make_due(job)
        self.assertEqual(delays, [30, 60])
        run_pending()
        job.refresh_from_db()
        self.assertEqual((job.status, job.attempts), (Job.Status.FAILED, 3))
        make_due(job)
        self.assertEqual(run_pending(), 0)  # a dead letter stays put

        staff = self.alice
        staff.is_staff = staff.is_superuser = True
        staff.save(update_fields=["is_staff", "is_superuser"])
        self.login(staff)
        listing = self.client.get("/admin/jobs/job/?status__exact=failed")
        self.assertContains(listing, "test_always_fails")
        response = self.client.post("/admin/jobs/job/", {"action": "retry", "_selected_action": [job.pk]}, follow=True)
        self.assertContains(response, "1 job queued again.")
        job.refresh_from_db()
        self.assertEqual((job.status, job.attempts), (Job.Status.PENDING, 0))

    def test_the_worker_survives_a_failing_job_and_runs_the_next_one(self):
        enqueue("test_always_fails", {})
        enqueue("test_record", {"title": "Ünïcode 灯台"})
        call_command("run_jobs", "--once")
        self.assertEqual(ran, [{"title": "Ünïcode 灯台"}])
        self.assertEqual(Job.objects.get(kind="test_record").status, Job.Status.DONE)
        self.assertEqual(Job.objects.get(kind="test_always_fails").status, Job.Status.PENDING)

    def test_a_job_of_an_unknown_kind_fails_without_stopping_the_others(self):
        enqueue("no_such_kind", {})
        enqueue("test_record", {"n": 1})
        self.assertEqual(run_pending(), 2)
        self.assertIn("No handler for job kind 'no_such_kind'", Job.objects.get(kind="no_such_kind").error)
        self.assertEqual(ran, [{"n": 1}])


class LeaseTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        ran.clear()

    def test_a_job_held_by_a_live_worker_is_not_taken_and_one_whose_lease_ran_out_is(self):
        job = enqueue("test_record", {"n": 7})
        claimed = claim_next("host:111")
        assert claimed is not None
        self.assertEqual((claimed.pk, claimed.worker, claimed.attempts), (job.pk, "host:111", 1))
        self.assertIsNone(claim_next("host:222"))
        # host:111 was killed: it stops renewing, the lease runs out.
        Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
        self.assertEqual(run_pending(worker="host:222"), 1)
        job.refresh_from_db()
        self.assertEqual((job.status, job.attempts, job.worker), (Job.Status.DONE, 2, "host:222"))
        self.assertEqual(ran, [{"n": 7}])

    @override_settings(JOBS_MAX_ATTEMPTS=2)
    def test_a_job_that_keeps_losing_its_worker_becomes_a_dead_letter(self):
        job = enqueue("test_record", {})
        for worker in ("host:1", "host:2"):
            self.assertIsNotNone(claim_next(worker))
            Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
        self.assertIsNone(claim_next("host:3"))
        job.refresh_from_db()
        self.assertEqual(job.status, Job.Status.FAILED)
        self.assertIn("worker was lost on each of 2 attempts", job.error)
        self.assertEqual(ran, [])


class KeyTests(BaseTestCase):
    def test_a_key_allows_one_active_job_and_a_new_one_once_it_finished(self):
        first = enqueue("test_record", {"n": 1}, key="pdf:abc")
        self.assertEqual(enqueue("test_record", {"n": 2}, key="pdf:abc").pk, first.pk)
        run_pending()
        third = enqueue("test_record", {"n": 3}, key="pdf:abc")
        self.assertNotEqual(third.pk, first.pk)
        self.assertEqual(Job.objects.filter(key="pdf:abc").count(), 2)


class PeriodicTests(BaseTestCase):
    def test_periodic_jobs_are_queued_once_per_period(self):
        self.assertEqual(sorted(periodic.queue_due()), sorted(periodic.PERIODIC))
        self.assertEqual(periodic.queue_due(), [])
        self.assertEqual(Job.objects.filter(kind="purge_finished_jobs").count(), 1)
        run_pending()
        Schedule.objects.filter(kind="purge_finished_jobs").update(next_run_at=timezone.now())
        self.assertEqual(periodic.queue_due(), ["purge_finished_jobs"])
        self.assertEqual(Job.objects.filter(kind="purge_finished_jobs").count(), 2)

    def test_finished_jobs_are_purged_after_a_day_and_dead_letters_after_a_month(self):
        now = timezone.now()
        old_done = enqueue("test_record", {})
        new_done = enqueue("test_record", {})
        old_failed = enqueue("test_record", {})
        new_failed = enqueue("test_record", {})
        Job.objects.filter(pk=old_done.pk).update(status=Job.Status.DONE, finished_at=now - timedelta(days=2))
        Job.objects.filter(pk=new_done.pk).update(status=Job.Status.DONE, finished_at=now - timedelta(hours=2))
        Job.objects.filter(pk=old_failed.pk).update(status=Job.Status.FAILED, finished_at=now - timedelta(days=31))
        Job.objects.filter(pk=new_failed.pk).update(status=Job.Status.FAILED, finished_at=now - timedelta(days=2))
        enqueue("purge_finished_jobs", {})
        run_pending()
        left = set(Job.objects.exclude(kind="purge_finished_jobs").values_list("pk", flat=True))
        self.assertEqual(left, {new_done.pk, new_failed.pk})
