"""Behind nginx (deploy/nginx.conf) the view checks access and hands the file to the proxy."""

from django.test import override_settings

from downloads import cache
from downloads.tests.helpers import DownloadTestCase


@override_settings(DOWNLOADS_ACCEL_REDIRECT="/_downloads/")
class ProxyServesTheFilesTests(DownloadTestCase):
    def test_a_reader_gets_an_internal_redirect_to_the_cached_file_and_no_body(self):
        work = self.post_work(title="Ünïcode Harbour")
        response = self.client.get(f"/works/{work.pk}/download/epub")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"")
        target = response["X-Accel-Redirect"]
        self.assertRegex(target, rf"^/_downloads/{work.pk}/[0-9a-f]+\.epub$")
        self.assertTrue((cache.work_dir(work.pk) / target.rsplit("/", 1)[1]).exists())
        self.assertEqual(response["Content-Type"], "application/epub+zip")
        self.assertIn("attachment; filename*=utf-8''%C3%BCn%C3%AFcode-harbour.epub", response["Content-Disposition"])
        self.assertEqual(response["Cache-Control"], "private")

    def test_a_draft_is_never_handed_to_the_proxy(self):
        work = self.post_work(title="Draft Harbour", action="save")
        response = self.client.get(f"/works/{work.pk}/download/epub")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("X-Accel-Redirect", response)
