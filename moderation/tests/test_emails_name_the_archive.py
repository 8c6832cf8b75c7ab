"""The moderators' emails (a report's outcome, a co-creator invitation) carry the name staff gave the archive."""

from django.core import mail

from jobs.queue import run_pending
from moderation.tests.helpers import ModerationTestCase
from sitecontent.tests.test_archive_settings import settings_form

NAME = "Gezeitenarchiv ü"


class EmailsNameTheArchiveAsStaffSetIt(ModerationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.login(self.staff)
        self.assertEqual(self.client.post("/staff/settings", settings_form(site_name=NAME)).status_code, 302)
        self.client.logout()

    def test_a_reports_outcome(self) -> None:
        report = self.report_work(self.post_work(), description="Ads.", email="wanderer@example.net")
        self.login(self.moderator)
        self.client.post(f"/moderation/reports/{report.pk}/resolve", {"outcome": "We removed the ads."})
        run_pending()
        self.assertEqual(mail.outbox[0].subject, f"[{NAME}] Your report {report.reference}")
        self.assertIn(f"Thank you for your report {report.reference} to {NAME}.", mail.outbox[0].body)

    def test_a_co_creator_invitation(self) -> None:
        self.post_work(title="Two Lamps", co_creators="bob")
        run_pending()
        self.assertEqual(mail.outbox[0].subject, f"[{NAME}] An invitation to co-create “Two Lamps”")
