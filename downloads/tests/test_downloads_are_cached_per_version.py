"""Files are built once per version of a work and served from disk after that."""

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from downloads.tests.helpers import DownloadTestCase
from tags.models import Tag


class DownloadCacheTests(DownloadTestCase):
    def built_files(self, extension: str) -> list[str]:
        return sorted(path.name for path in (self.data_dir / "downloads").glob(f"*/*.{extension}"))

    def test_a_second_download_is_served_from_the_same_file(self):
        work = self.post_work()
        first = self.download(work, "epub")
        [name] = self.built_files("epub")
        path = next((self.data_dir / "downloads").glob("*/*.epub"))
        built_at = path.stat().st_mtime_ns
        time.sleep(0.01)
        self.assertEqual(self.download(work, "epub"), first)
        self.assertEqual(path.stat().st_mtime_ns, built_at)
        self.assertEqual(self.built_files("epub"), [name])

    def test_editing_a_chapter_or_renaming_a_tag_makes_a_new_version(self):
        work = self.post_work()
        self.assertIn(b"The lamp turned all night.", self.download(work, "txt"))
        chapter = work.chapters.get()
        self.login(self.alice)
        self.edit_chapter(chapter, "The lamp went out at midnight.")
        self.assertIn(b"The lamp went out at midnight.", self.download(work, "txt"))
        Tag.objects.filter(name="Found Family").update(name="Found Family (Renamed)")
        self.assertIn(b"Found Family (Renamed)", self.download(work, "txt"))
        # Older versions are pruned: the current one and the one before stay.
        self.assertEqual(len(self.built_files("txt")), 2)

    def test_downloads_are_named_after_the_title_and_typed(self):
        work = self.post_work(title="The Lighthouse Keeper")
        expected = {
            "epub": "application/epub+zip",
            "html": "text/html; charset=utf-8",
            "txt": "text/plain; charset=utf-8",
        }
        for extension, content_type in expected.items():
            with self.subTest(extension=extension):
                response = self.client.get(f"/works/{work.pk}/download/{extension}")
                self.assertEqual(response["Content-Type"], content_type)
                self.assertEqual(
                    response["Content-Disposition"], f'attachment; filename="the-lighthouse-keeper.{extension}"'
                )
                self.assertEqual(response["Cache-Control"], "private")

    def test_serving_a_cached_file_reads_no_chapter_text_and_costs_the_same_queries_for_any_length(self):
        short = self.post_work(title="Short")
        long = self.post_work(title="Long")
        for number in range(2, 6):
            self.add_chapter(long, f"Chapter {number} of the long work.")
        counts = []
        for work in (short, long):
            self.download(work, "epub")
            with CaptureQueriesContext(connection) as queries:
                self.download(work, "epub")
            counts.append(len(queries))
            self.assertFalse(any('"content"' in query["sql"] for query in queries.captured_queries))
        self.assertEqual(counts[0], counts[1])
        self.assertLessEqual(counts[0], 7)
