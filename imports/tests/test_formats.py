"""Each format read into the same ParsedWork: DOCX, EPUB (contract, AO3, FanFicFare, generic), HTML, Markdown."""

import pytest
from django.test import SimpleTestCase, override_settings

from imports.parsed import ImportRefused, ParsedWork
from imports.parsers import parse_file
from imports.tests import samples
from imports.tests.samples import build_docx, build_epub, docx_paragraph, run, xhtml


class DocxTests(SimpleTestCase):
    def test_styles_formatting_headings_and_notes(self):
        data = build_docx(
            [
                docx_paragraph("The Keeper’s Light", style="Title"),
                docx_paragraph("A/N: For the winter exchange."),
                docx_paragraph("Chapter 1: The Storm", style="Heading1"),
                docx_paragraph(
                    runs=run("The lamp ") + run("turned", italic=True) + run(" all ") + run("night", bold=True)
                ),
                docx_paragraph("* * *"),
                docx_paragraph("“Hold on,” she said — and he did."),
                docx_paragraph("Morning", style="Heading1"),
                docx_paragraph("The sea was flat and grey."),
                docx_paragraph("TBC"),
            ]
        )
        work = parse_file(data, "keeper.docx")
        assert work.source_format == "DOCX"
        assert work.title == "The Keeper’s Light"
        assert work.notes == "<p>For the winter exchange.</p>"
        assert [c.title for c in work.chapters] == ["The Storm", "Morning"]
        assert "<p>The lamp <em>turned</em> all <strong>night</strong></p>" in work.chapters[0].html
        assert '<p align="center">* * *</p>' in work.chapters[0].html
        assert "“Hold on,” she said — and he did." in work.chapters[0].html
        assert "TBC" not in work.chapters[1].html
        assert work.expected_chapters is None

    def test_page_breaks_split_chapters_without_headings(self):
        data = build_docx(
            [
                docx_paragraph("Tide"),
                docx_paragraph("First part of the story."),
                docx_paragraph("Second part of the story.", page_break=True),
            ]
        )
        work = parse_file(data, "tide.docx")
        assert [c.html for c in work.chapters] == [
            "<p>First part of the story.</p>",
            "<p>Second part of the story.</p>",
        ]

    def test_macro_enabled_documents_are_refused(self):
        for data, name in [
            (build_docx([docx_paragraph("Text of the story.")], content_types=samples.DOCM_CONTENT_TYPES), "a.docx"),
            (build_docx([docx_paragraph("Text.")], extra={"word/vbaProject.bin": b"\0macro"}), "a.docx"),
            (build_docx([docx_paragraph("Text of the story.")]), "a.docm"),
        ]:
            with pytest.raises(ImportRefused, match=r"(?i)macro"):
                parse_file(data, name)

    def test_external_images_are_dropped_with_a_remark_and_never_fetched(self):
        image = (
            '<w:r><w:drawing><a:blip xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
            'r:link="rId9"/></w:drawing></w:r>'
        )
        rels = (
            '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
            'Target="http://tracker.example/pixel.png" TargetMode="External"/>'
        )
        data = build_docx(
            [docx_paragraph("Tide"), docx_paragraph(runs=run("Before the image. ") + image + run("After."))], rels=rels
        )
        work = parse_file(data, "tide.docx")
        assert "tracker.example" not in work.chapters[0].html
        assert "<img" not in work.chapters[0].html
        assert any("external" in remark for remark in work.warnings_found)

    def test_xml_entities_are_not_expanded(self):
        document = (
            '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
            f'<w:document xmlns:w="{samples.W_NS}"><w:body><w:p><w:r><w:t>Tide</w:t></w:r></w:p>'
            "<w:p><w:r><w:t>Text &b; and &secret; here.</w:t></w:r></w:p></w:body></w:document>"
        )
        data = build_docx([], extra={})
        data = _replace_member(data, "word/document.xml", document)
        try:
            work = parse_file(data, "tide.docx")
        except ImportRefused:
            return  # refusing is as good as ignoring
        assert "root:" not in work.chapters[0].html
        assert (
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            not in work.chapters[0].html
        )


def _replace_member(data: bytes, name: str, content: str) -> bytes:
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == name else source.read(info.filename))
    return buffer.getvalue()


class DownloadContractTests(SimpleTestCase):
    """Fanarchive's and AO3's downloads (the shared preface contract) read back whole."""

    def assert_keeper(self, work: ParsedWork) -> None:
        assert work.title == "The Keeper’s Light"
        assert work.creators == ["mara", "jonah_r"]
        assert work.rating == "Mature"
        assert work.warnings == ["Graphic Depictions Of Violence", "Major Character Death"]
        assert work.categories == ["F/M", "Gen"]
        assert work.fandoms == ["Tidewater (TV)"]
        assert work.relationships == ["Mara Quill/Jonah Reyes"]
        assert work.characters == ["Mara Quill", "Jonah Reyes"]
        assert work.freeforms == ["Lighthouses", "Slow Burn"]
        assert work.language == "fr"
        assert work.series_title == "Tidewater Nights"
        assert work.series_position == 2
        assert work.expected_chapters == 3
        assert work.summary == "<p>A storm, a <em>lamp</em>, a long night.</p>"
        assert work.notes == "<p>For the winter exchange.</p>"
        assert work.endnotes == "<p>Thank you for reading.</p>"
        first, second = work.chapters
        assert first.title == "The Storm"
        assert first.summary == "<p>The storm arrives.</p>"
        assert first.notes == "<p>Chapter one notes.</p>"
        assert first.endnotes == "<p>See you next week.</p>"
        assert "“Hold on,” she said — and he did." in first.html
        assert '<p align="center">* * *</p>' in first.html
        assert second.title == ""
        assert second.html == "<p>The second night was quieter, and <strong>longer</strong>.</p>"

    def test_contract_epub(self):
        work = parse_file(samples.contract_epub(), "keeper.epub")
        assert work.source_format == "EPUB (AO3-style download)"
        self.assert_keeper(work)

    def test_ao3_download_html_and_its_script_is_dropped(self):
        work = parse_file(samples.ao3_html(), "keeper.html")
        assert work.source_format == "HTML (AO3-style download)"
        self.assert_keeper(work)
        assert any("Scripts" in remark for remark in work.warnings_found)
        assert all("alert" not in chapter.html for chapter in work.chapters)

    def test_choose_not_to_warn_and_unknown_ratings_map_to_the_archives(self):
        data = (
            samples.ao3_html()
            .replace(b">Mature<", b">PG-13<")
            .replace(b">Graphic Depictions Of Violence<", b">Choose Not To Use Archive Warnings<")
            .replace(b">Major Character Death<", b">Spiders<")
        )
        work = parse_file(data, "keeper.html")
        assert work.rating == "Teen And Up Audiences"
        assert work.warnings == ["Creator Chose Not To Use Archive Warnings"]
        assert "Spiders" in work.freeforms
        data = samples.ao3_html().replace(b">Mature<", b">Spicy<")
        work = parse_file(data, "keeper.html")
        assert work.rating == "Not Rated"
        assert any("Spicy" in remark for remark in work.warnings_found)

    def test_one_chapter_download_without_headings(self):
        body = (
            samples.PREFACE
            + '<div id="chapters" class="userstuff">'
            + "<p>Only one chapter, with its text.</p><p>Second paragraph.</p></div>"
        )
        work = parse_file(f"<!DOCTYPE html><html><body>{body}</body></html>".encode(), "one.html")
        assert len(work.chapters) == 1
        assert work.chapters[0].html == "<p>Only one chapter, with its text.</p>\n<p>Second paragraph.</p>"


class OtherEpubTests(SimpleTestCase):
    def test_fanficfare_title_page(self):
        work = parse_file(samples.fanficfare_epub(), "keeper.epub")
        assert work.source_format == "EPUB (FanFicFare)"
        assert work.creators == ["mara"]
        assert work.fandoms == ["Tidewater (TV)"]
        assert work.rating == "Teen And Up Audiences"
        assert work.characters == ["Mara Quill", "Jonah Reyes"]
        assert work.relationships == ["Mara Quill/Jonah Reyes"]
        assert work.freeforms == ["Angst", "Romance"]
        assert work.summary == "<p>A storm, a lamp, a long night.</p>"
        assert work.expected_chapters is None
        assert [(c.title, c.html) for c in work.chapters] == [
            ("The Storm", "<p>The lamp turned.</p>"),
            ("Morning", "<p>The sea was flat.</p>"),
        ]

    def test_generic_epub_one_chapter_per_file_title_from_the_opf(self):
        data = build_epub(
            [
                ("cover.xhtml", xhtml("Cover", "<p>The Keeper’s Light</p>")),
                ("ch1.xhtml", xhtml("1", "<h1>Chapter 1: Storm</h1><p>The lamp turned all night.</p>")),
                ("ch2.xhtml", xhtml("2", "<h2>Morning</h2><p>The sea was flat and grey.</p>")),
            ],
            "<dc:title>The Keeper’s Light</dc:title><dc:creator>Mara</dc:creator><dc:language>de</dc:language>"
            "<dc:subject>Lighthouses</dc:subject><dc:description>A long night.</dc:description>",
        )
        work = parse_file(data, "book.epub")
        assert work.title == "The Keeper’s Light"
        assert work.creators == ["Mara"]
        assert work.language == "de"
        assert work.freeforms == ["Lighthouses"]
        assert work.summary == "<p>A long night.</p>"
        assert [c.title for c in work.chapters] == ["Storm", "Morning"]
        assert work.expected_chapters == 2

    def test_zip_bomb_is_refused_before_unpacking(self):
        with pytest.raises(ImportRefused, match="zip bomb"):
            parse_file(samples.zip_bomb(), "bomb.epub")

    @override_settings(IMPORT_MAX_UNPACKED_BYTES=10_000_000_000)
    def test_high_compression_ratio_is_refused_even_under_the_total_limit(self):
        with pytest.raises(ImportRefused, match="zip bomb"):
            parse_file(samples.zip_bomb(), "bomb.epub")


class HtmlAndMarkdownTests(SimpleTestCase):
    def test_generic_html_title_chapters_and_scripts(self):
        page = (
            "<html><head><title>Ignored Title</title><script>steal()</script></head><body>"
            "<h1>Sea Glass</h1><p>Notes: My first fic.</p>"
            "<h2>Chapter 1</h2><p onclick='x()'>She walked the <em>beach</em> at dawn.</p><hr>"
            "<p>She found green glass.</p><h2>Chapter 2: Home</h2><p>She went home with it.</p>"
            "<iframe src='https://evil.example'></iframe></body></html>"
        )
        work = parse_file(page.encode(), "sea.html")
        assert work.title == "Sea Glass"
        assert work.notes == "<p>My first fic.</p>"
        assert [c.title for c in work.chapters] == ["", "Home"]
        assert (
            work.chapters[0].html
            == "<p>She walked the <em>beach</em> at dawn.</p>\n<hr>\n<p>She found green glass.</p>"
        )
        assert "evil" not in work.chapters[1].html and "onclick" not in work.chapters[0].html
        assert any("Scripts" in remark for remark in work.warnings_found)

    def test_markdown(self):
        text = (
            "# Sea Glass\n\nSummary: A beach, a find.\n\n## Chapter 1\n\nShe walked the *beach* at dawn.\n\n"
            "## Chapter 2: Home\n\nShe went **home** with it.<script>x()</script>\n"
        )
        work = parse_file(text.encode(), "sea.md")
        assert work.title == "Sea Glass"
        assert work.summary == "<p>A beach, a find.</p>"
        assert [c.title for c in work.chapters] == ["", "Home"]
        assert work.chapters[0].html == "<p>She walked the <em>beach</em> at dawn.</p>"
        assert "<strong>home</strong>" in work.chapters[1].html
        assert "script" not in work.chapters[1].html
