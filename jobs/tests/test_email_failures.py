"""A mail server that hangs delays only its own emails; a refused address never blocks the others;
a retried job never sends an email twice."""

import time
from datetime import timedelta

from django.core import mail
from django.test import override_settings
from django.utils import timezone

from comments.tests.helpers import CommentsTestCase
from community.models import InboxItem
from jobs.models import Job
from jobs.queue import run_pending
from jobs.tests.smtp import hung_smtp_server, smtp_server
from tags.models import Tag
from works.filters import queue_refresh_for_tags


@override_settings(JOBS_RETRY_BASE_SECONDS=30, SITE_URL="https://archive.test")
class MailFailureTests(CommentsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.alices_work = self.make_work(title="Lamps")
        self.bobs_work = self.make_work(author=self.bob, title="Lanterns")

    def test_a_mail_server_that_never_answers_delays_only_its_own_emails(self):
        self.comment(self.alices_work, "Loved it — ünïcode too.", user=self.bob)
        self.comment(self.bobs_work, "Thank you!", user=self.alice)
        fandom = Tag.objects.get(name="Tidewater (TV)")
        queue_refresh_for_tags([fandom.pk])
        with hung_smtp_server(timeout=1) as server:
            started = time.monotonic()
            self.assertEqual(run_pending(), 3)  # one email job per comment, and the refresh
            elapsed = time.monotonic() - started
        # One wait per job, not one per email (each job found both emails), and the filter refresh ran.
        self.assertEqual(server.connections, 2)
        self.assertLess(elapsed, 30)  # the old worker froze for 143 s
        self.assertEqual(Job.objects.get(kind="refresh_filters_for_tags").status, Job.Status.DONE)
        email_jobs = Job.objects.filter(kind="send_comment_emails")
        for email_job in email_jobs:
            self.assertEqual(email_job.status, Job.Status.PENDING)
            assert email_job.run_after is not None
            self.assertGreater(email_job.run_after, timezone.now() + timedelta(seconds=20))
            self.assertIn("MailServerUnavailable", email_job.error)
        self.assertEqual(InboxItem.objects.filter(kind="comment", emailed=False).count(), 2)

        # The server is back: the retries send each email once.
        email_jobs.update(run_after=timezone.now())
        with smtp_server() as (box, _port):
            run_pending()
            run_pending()
        self.assertEqual(sorted(r for recipients, _ in box.accepted for r in recipients),
                         ["alice@example.org", "bob@example.org"])  # fmt: skip
        self.assertEqual(set(email_jobs.values_list("status", flat=True)), {Job.Status.DONE})

    def test_a_refused_address_is_skipped_and_the_others_are_sent(self):
        self.comment(self.alices_work, "Loved it.", user=self.bob)
        self.comment(self.bobs_work, "Thank you!", user=self.alice)
        with smtp_server(refuse={"alice@example.org"}) as (box, _port):
            run_pending()
            self.assertEqual([recipients for recipients, _ in box.accepted], [["bob@example.org"]])
            # Refused for good: not retried, not sent again by the next comment's job.
            self.comment(self.bobs_work, "And again!", user=self.alice)
            run_pending()
        self.assertEqual([recipients for recipients, _ in box.accepted], [["bob@example.org"]] * 2)
        self.assertFalse(Job.objects.exclude(status=Job.Status.DONE).filter(kind="send_comment_emails").exists())

    @override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    def test_running_the_email_job_again_sends_nothing_twice(self):
        self.comment(self.alices_work, "Loved it.", user=self.bob)
        run_pending()
        Job.objects.create(kind="send_comment_emails")
        run_pending()
        self.assertEqual([m.to for m in mail.outbox], [["alice@example.org"]])
