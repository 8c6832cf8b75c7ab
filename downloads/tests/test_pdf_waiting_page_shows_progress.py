"""The PDF waiting page says where the file is (waiting with N jobs ahead, printing, ready) and its
script switches to "ready" when it is (e2e/test_journeys.py watches it do so in Chromium)."""

from downloads.tests.helpers import DownloadTestCase
from jobs.models import Job
from jobs.queue import enqueue, run_pending


class PdfProgressTests(DownloadTestCase):
    def progress(self, work_id: int) -> tuple[int, dict[str, str]]:
        response = self.client.get(f"/works/{work_id}/download/pdf?progress=json")
        return response.status_code, response.json()

    def test_waiting_printing_and_ready_are_told_apart(self) -> None:
        work = self.post_rich_work()
        enqueue("refresh_filters_unknown_kind", {})  # another job already waiting in the queue
        page = self.client.get(f"/works/{work.pk}/download/pdf")
        self.assertContains(page, "Waiting for the printer: 1 job is ahead of yours.", status_code=202)
        self.assertContains(page, "<progress", status_code=202)
        Job.objects.exclude(kind="build_pdf").delete()
        self.assertEqual(self.progress(work.pk), (202, {"state": "waiting", "label": "Next in line for the printer."}))
        Job.objects.filter(kind="build_pdf").update(status=Job.Status.RUNNING)
        self.assertEqual(self.progress(work.pk), (202, {"state": "printing", "label": "Printing now…"}))
        Job.objects.filter(kind="build_pdf").update(status=Job.Status.PENDING)
        self.assertEqual(run_pending(), 1)
        status, answer = self.progress(work.pk)
        self.assertEqual((status, answer["state"]), (200, "ready"))
        # Asking for progress never hands over the file; the download itself does.
        self.assertEqual(self.client.get(f"/works/{work.pk}/download/pdf")["Content-Type"], "application/pdf")

    def test_a_failed_pdf_says_so(self) -> None:
        work = self.post_rich_work()
        self.client.get(f"/works/{work.pk}/download/pdf")
        Job.objects.filter(kind="build_pdf").update(status=Job.Status.FAILED, error="boom")
        self.assertEqual(self.progress(work.pk), (500, {"state": "failed", "label": "The PDF could not be made."}))
        self.assertEqual(Job.objects.filter(kind="build_pdf").count(), 1)
