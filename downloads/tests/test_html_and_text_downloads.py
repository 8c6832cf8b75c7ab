"""The single-file HTML and the plain text downloads, and the menu that offers them."""

from downloads.tests.helpers import DownloadTestCase


class HtmlAndTextTests(DownloadTestCase):
    def test_the_html_file_is_self_contained_with_preface_contents_chapters_and_afterword(self):
        work = self.post_rich_work()
        page = self.download(work, "html").decode()
        self.assertTrue(page.startswith('<!DOCTYPE html>\n<html lang="en" dir="ltr">'))
        self.assertIn("<style>", page)
        self.assertNotIn('rel="stylesheet"', page)
        self.assertIn('<div id="preface"><div class="meta">', page)
        self.assertIn('<dt class="relationship">Relationship:</dt>', page)
        self.assertIn('<nav id="toc" aria-labelledby="toc-title">', page)
        self.assertIn('<a class="toc-entry" href="#chapter-2">Chapter 2: 灯台</a>', page)
        self.assertIn('<h2 class="toc-heading" id="chapter-3">Chapter 3: Odd &lt;HTML&gt;</h2>', page)
        # The stored, sanitized HTML as the site shows it (remote images stay images here).
        self.assertIn('<img src="https://example.org/lamp.png" alt="a lamp"', page)
        self.assertIn('<div id="afterword">', page)
        self.assertIn(f'href="http://127.0.0.1:8000/works/{work.pk}/"', page)
        self.assertNotIn("\x0b", page)

    def test_a_one_chapter_work_has_no_contents_and_no_chapter_heading(self):
        work = self.post_work()
        page = self.download(work, "html").decode()
        self.assertNotIn('<nav id="toc"', page)
        self.assertNotIn('class="toc-heading"', page)
        self.assertIn('<div id="chapters"><div class="userstuff"><p>The lamp turned all night.</p>', page)

    def test_the_text_file_has_the_metadata_and_every_chapter_as_plain_text(self):
        work = self.post_rich_work()
        text = self.download(work, "txt").decode()
        self.assertTrue(text.startswith("The Lighthouse Keeper: 灯台守 & <Friends>\nby alice\n"))
        self.assertIn("Archive Warning: Graphic Depictions Of Violence, Major Character Death", text)
        self.assertIn("Additional Tags: Angst & Fluff, Found Family", text)
        self.assertIn("Series: Part 2 of Tidewater Tales", text)
        self.assertIn(f"URL: http://127.0.0.1:8000/works/{work.pk}/", text)
        self.assertIn("Summary:\n\n    A storm, a lamp, a long night.\n\n    Two paragraphs.", text)
        # Underlined to the heading's width on screen: a CJK character takes two columns.
        self.assertIn("Chapter 2: 灯台\n===============\n", text)
        self.assertIn("灯台守は夜通しランプを回した。", text)
        self.assertIn("- one\n- two", text)
        self.assertRegex(text, "High +Low\n06:12 +12:30")
        self.assertIn("Chapter End Notes:\n\n    Last chapter's end note.", text)
        self.assertIn("End Notes:\n\n    The end notes.", text)
        self.assertNotIn("<p>", text)

    def test_the_work_page_offers_every_format(self):
        work = self.post_work()
        response = self.client.get(f"/works/{work.pk}/")
        self.assertContains(response, '<details class="download-menu">')
        for extension in ("epub", "pdf", "html", "txt"):
            self.assertContains(response, f'href="/works/{work.pk}/download/{extension}"')
