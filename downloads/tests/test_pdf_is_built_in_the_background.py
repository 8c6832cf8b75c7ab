"""PDFs are printed by the background worker; the reader is told it is being prepared."""

import io

from pypdf import PdfReader

from downloads.tests.helpers import DownloadTestCase
from jobs.models import Job
from jobs.queue import run_pending

PREPARING = "Your PDF is being prepared"


class PdfDownloadTests(DownloadTestCase):
    def test_the_first_request_queues_one_job_and_says_the_pdf_is_being_prepared(self):
        work = self.post_rich_work()
        for _ in range(2):
            response = self.client.get(f"/works/{work.pk}/download/pdf")
            self.assertEqual(response.status_code, 202)
            self.assertContains(response, PREPARING, status_code=202)
            # The page checks again by itself (a small script; no meta refresh, which WCAG forbids).
            self.assertContains(response, 'src="/static/js/download-wait.js"', status_code=202)
            self.assertNotContains(response, 'http-equiv="refresh"', status_code=202)
        self.assertEqual(Job.objects.filter(kind="build_pdf").count(), 1)

    def test_once_the_worker_has_run_the_pdf_downloads_with_page_numbers_and_cjk_text(self):
        work = self.post_rich_work()
        self.client.get(f"/works/{work.pk}/download/pdf")
        self.assertEqual(run_pending(), 1)
        response = self.client.get(f"/works/{work.pk}/download/pdf")
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("attachment; filename*=utf-8''the-lighthouse-keeper-", response["Content-Disposition"])
        reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
        text = "\n".join(page.extract_text() for page in reader.pages)
        self.assertIn("The Lighthouse Keeper", text)
        self.assertIn("灯台守は夜通しランプを回した", text)
        self.assertIn("등대지기는", text)
        self.assertIn("Archive Warning:", text)
        # The page number sits in the bottom margin of every page.
        self.assertRegex(reader.pages[1].extract_text(), r"(?m)^\s*2\s*$")
        fonts = {
            str(font["/BaseFont"])
            for page in reader.pages
            for font in page["/Resources"]["/Font"].values()  # type: ignore[index]
        }
        self.assertTrue(any("CJK" in font for font in fonts), fonts)

    def test_a_japanese_work_prints_with_a_cjk_font(self):
        work = self.post_work(title="灯台守", language="ja", content="灯台守は夜通しランプを回した。", fandoms="灯台")
        self.client.get(f"/works/{work.pk}/download/pdf")
        run_pending()
        reader = PdfReader(io.BytesIO(self.download(work, "pdf")))
        self.assertIn("灯台守は夜通しランプを回した", reader.pages[0].extract_text())

    def test_an_edit_makes_a_new_version_that_is_prepared_again(self):
        work = self.post_rich_work()
        self.client.get(f"/works/{work.pk}/download/pdf")
        run_pending()
        self.download(work, "pdf")
        self.add_chapter(work, "A new chapter arrives.")
        response = self.client.get(f"/works/{work.pk}/download/pdf")
        self.assertContains(response, PREPARING, status_code=202)
        run_pending()
        reader = PdfReader(io.BytesIO(self.download(work, "pdf")))
        self.assertIn("A new chapter arrives.", "\n".join(page.extract_text() for page in reader.pages))

    def test_a_pdf_that_fails_three_times_says_so_instead_of_reloading_forever(self):
        work = self.post_rich_work()
        self.client.get(f"/works/{work.pk}/download/pdf")
        Job.objects.filter(kind="build_pdf").update(status=Job.Status.FAILED, error="boom")
        response = self.client.get(f"/works/{work.pk}/download/pdf", follow=False)
        self.assertContains(response, "The PDF could not be made", status_code=500)
        self.assertNotContains(response, "http-equiv", status_code=500)
