"""The EPUB's package metadata and files: what e-book readers and the importer read."""

import re

from downloads.formats import build_epub
from downloads.tests.helpers import DownloadTestCase, epub_files


class EpubMetadataTests(DownloadTestCase):
    def test_the_package_carries_dublin_core_series_and_modified_metadata(self):
        work = self.post_rich_work()
        opf = epub_files(self.download(work, "epub"))["EPUB/content.opf"]
        self.assertIn("<dc:title>The Lighthouse Keeper: 灯台守 &amp; &lt;Friends&gt;</dc:title>", opf)
        self.assertIn('<dc:creator id="creator1">alice</dc:creator>', opf)
        self.assertIn("<dc:language>en</dc:language>", opf)
        self.assertIn(f"<dc:source>http://127.0.0.1:8000/works/{work.pk}/</dc:source>", opf)
        tags = ["Teen And Up Audiences", "Major Character Death", "F/M", "灯台 (Anime)", "Mara/Jonah", "Jonah Reyes"]
        for tag in tags:
            self.assertIn(f"<dc:subject>{tag}</dc:subject>", opf)
        self.assertIn("<dc:subject>Angst &amp; Fluff</dc:subject>", opf)
        self.assertIn("<dc:description>A storm, a lamp, a long night. Two paragraphs.</dc:description>", opf)
        self.assertRegex(opf, r'<meta property="dcterms:modified">\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ</meta>')
        self.assertIn('<meta name="calibre:series" content="Tidewater Tales"/>', opf)
        self.assertIn('<meta name="calibre:series_index" content="2"/>', opf)
        self.assertIn('<meta refines="#series1" property="group-position">2</meta>', opf)

    def test_the_identifier_stays_the_same_when_the_work_changes(self):
        work = self.post_rich_work()
        first = epub_files(self.download(work, "epub"))["EPUB/content.opf"]
        self.add_chapter(work, "A fourth chapter, much later.")
        self.login(self.bob)
        second = epub_files(self.download(work, "epub"))["EPUB/content.opf"]
        identifier = re.compile(r'<dc:identifier id="uid">(urn:uuid:[0-9a-f-]{36})</dc:identifier>')
        self.assertEqual(identifier.search(first).group(1), identifier.search(second).group(1))  # type: ignore[union-attr]
        self.assertNotIn("chapter-004.xhtml", first)
        self.assertIn("chapter-004.xhtml", second)

    def test_preface_chapters_and_afterword_follow_ao3s_download_markup(self):
        work = self.post_rich_work()
        files = epub_files(build_epub(work, "http://127.0.0.1:8000"))
        self.assertEqual(next(iter(files)), "mimetype")
        self.assertEqual(files["mimetype"], "application/epub+zip")
        preface = files["EPUB/preface.xhtml"]
        self.assertIn('<dt class="rating">Rating:</dt><dd class="rating tags"><ul><li><a class="tag"', preface)
        self.assertIn('<dt class="warning">Archive Warning:</dt>', preface)
        self.assertIn('<dt class="freeform">Additional Tags:</dt>', preface)
        self.assertIn('<dt class="series">Series:</dt><dd class="series">Part 2 of <a href=', preface)
        self.assertIn('<dd class="language">English</dd>', preface)
        self.assertRegex(preface, r'<dd class="stats">Published: \d{4}-\d\d-\d\d Words: [\d,]+ Chapters: 3/4</dd>')
        self.assertIn('<h1 class="title">The Lighthouse Keeper: 灯台守 &amp; &lt;Friends&gt;</h1>', preface)
        self.assertIn('<div class="byline">by <a rel="author" href="http://127.0.0.1:8000/users/alice/', preface)
        self.assertIn('<p>Notes</p><blockquote class="userstuff notes"><p>Thanks to <strong>my beta</strong>!', preface)
        second = files["EPUB/chapter-002.xhtml"]
        self.assertIn('<div id="chapters"><h2 class="toc-heading" id="chapter-2">Chapter 2: 灯台</h2>', second)
        self.assertIn('<div class="userstuff"><p>灯台守は夜通しランプを回した。', second)
        first = files["EPUB/chapter-001.xhtml"]
        self.assertIn('<div class="meta group"><p>Chapter Summary</p><blockquote class="userstuff"><p>Rain.</p>', first)
        self.assertIn("<p>Chapter End Notes</p>", first)
        third = files["EPUB/chapter-003.xhtml"]
        self.assertIn('<a href="https://example.org/lamp.png">[Image: a lamp]</a>', third)
        self.assertIn('<a href="http://127.0.0.1:8000/works/1">a relative link</a>', third)
        self.assertIn('<div class="center">A centre of old</div>', third)
        afterword = files["EPUB/afterword.xhtml"]
        self.assertIn('<div id="afterword"><p>End Notes</p><blockquote class="userstuff"><p>The end', afterword)
        self.assertIn(f'<a href="http://127.0.0.1:8000/works/{work.pk}/chapters/', afterword)
        nav = files["EPUB/nav.xhtml"]
        self.assertIn('<nav epub:type="toc" id="toc">', nav)
        self.assertIn('<a href="chapter-003.xhtml">Chapter 3: Odd &lt;HTML&gt;</a>', nav)
        self.assertIn("<svg", files["EPUB/cover.svg"])
        self.assertIn("Tidewater Tales", files["EPUB/content.opf"])
