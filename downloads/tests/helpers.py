"""A work that uses everything a download must carry: every tag type, a series,
notes everywhere, several chapters, CJK text, and HTML the sanitizer keeps but
EPUB readers would not (obsolete elements, stray list items, remote images)."""

import io
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from django.test import override_settings

from works.models import Work
from works.tests.helpers import WorksTestCase

TRICKY_HTML = """<p align="center">Centred <tt>mono</tt> &amp; <big>big</big> <u>under</u> <strike>gone</strike>
<acronym title="As Far As I Know">AFAIK</acronym> <small>small</small> <sup>up</sup><sub>down</sub></p>
<center>A centre of old</center>
<table border="1" cellpadding="2" cellspacing="0" summary="old" width="80%"><caption>Tides</caption>
<tr><th scope="col" abbr="H">High</th><th>Low</th></tr>
<tr><td width="10" valign="top" headers="x" axis="y" scope="row">06:12</td>
<td colspan="1" rowspan="0">12:30</td></tr></table>
<p>An image <img src="https://example.org/lamp.png" alt="a lamp" width="20" height="20" border="0"> and
<a href="/works/1" name="anchor">a relative link</a> and <a href="https://example.org/?a=1&amp;b=2">a query</a>.</p>
<ul type="disc"><li>one</li><li>two</li></ul><li>an orphan item</li><dd>an orphan definition</dd>
<span><p>a paragraph inside a span</p></span>
<details open><summary>More</summary><p>Hidden</p></details>
<p><ruby>灯<rp>(</rp><rt>tō</rt><rp>)</rp></ruby> and <q cite="nowhere">a quote</q></p>
<ol type="i" start="3"><li>three</li></ol><ol type="square"><li>bad type</li></ol>
<blockquote cite="not a url">Quote</blockquote><p><del datetime="yesterday">old</del> <ins>new</ins></p>
<p dir="sideways" lang="not a lang!">Odd attributes</p>
<h3>A heading</h3><hr><pre>  pre
  text  </pre>
<dl><dt>term</dt><dd>definition</dd></dl><figure><figcaption>A figure</figcaption><p>body</p></figure>
<p>Control \x0b characters \x0c and \ufffe dropped.</p>"""

CJK_TEXT = (
    "灯台守は夜通しランプを回した。朝になると、海は平らで灰色だった。\n\n"
    "燈塔看守整夜轉動著燈。早上，大海平靜而灰暗。\n\n등대지기는 밤새 등불을 돌렸다。"
)


class DownloadTestCase(WorksTestCase):
    def setUp(self) -> None:
        super().setUp()
        # Built files live in the data directory; each test gets an empty one.
        self.data_dir = Path(tempfile.mkdtemp(prefix="fa-downloads-"))
        self.addCleanup(shutil.rmtree, self.data_dir, ignore_errors=True)
        self.enterContext(override_settings(DATA_DIR=self.data_dir))

    def post_rich_work(self, **overrides: Any) -> Work:
        data: dict[str, Any] = {
            "title": "The Lighthouse Keeper: 灯台守 & <Friends>",
            "rating": "Teen And Up Audiences",
            "warnings": ["Graphic Depictions Of Violence", "Major Character Death"],
            "categories": ["Gen", "F/M"],
            "fandoms": "Tidewater (TV), 灯台 (Anime)",
            "relationships": "Mara/Jonah",
            "characters": "Mara Quill, Jonah Reyes",
            "freeforms": "Found Family, Angst & Fluff",
            "summary": "A storm, <em>a lamp</em>, a long night.\n\nTwo paragraphs.",
            "notes": "Thanks to <strong>my beta</strong>!",
            "endnotes": "The end <em>notes</em>.",
            "new_series_title": "Tidewater Tales",
            "series_position": "2",
            "expected_chapters": "4",
            "chapter_title": "The Storm",
            "chapter_summary": "Rain.",
            "chapter_notes": "A chapter note.",
            "chapter_endnotes": "A chapter end note.",
            "content": "The lamp turned all night.\n\nIn the morning the sea was flat and grey.",
            **overrides,
        }
        work = self.post_work(**data)
        self.add_chapter(work, CJK_TEXT, title="灯台")
        self.add_chapter(work, TRICKY_HTML, title="Odd <HTML>", chapter_endnotes="Last chapter's end note.")
        work.refresh_from_db()
        return work

    def download(self, work: Work, extension: str) -> bytes:
        response = self.client.get(f"/works/{work.pk}/download/{extension}")
        assert response.status_code == 200, response.status_code
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def epub_files(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}
