"""Structure detection in plain text: title, header, notes, chapters, end markers, paragraphs, encodings."""

import codecs

import pytest
from django.test import SimpleTestCase

from imports.parsed import ImportRefused
from imports.parsers import parse_file
from imports.parsers.structure import chapter_title_from_heading, is_chapter_heading

STORY = """The Long Night
by Mara Quill

Rating: Teen And Up Audiences
Fandom: Tidewater (TV)
Pairing: Mara Quill/Jonah Reyes

Disclaimer: I don't own Tidewater.

A/N: Written for the winter exchange.

Chapter One: The Storm

The lamp turned all night. “Hold on,” she said — and he did.

* * *

In the morning the sea was flat and grey.

A/N: Thanks for reading!

Chapter 2

Second chapter text, long enough to keep.

Epilogue

They never spoke of the storm again.

The End
"""


class StructureDetectionTests(SimpleTestCase):
    def parse(self, text: str, name: str = "story.txt", encoding: str = "utf-8"):
        return parse_file(text.encode(encoding), name)

    def test_title_byline_header_notes_chapters_and_end_marker_are_found(self):
        work = self.parse(STORY)
        assert work.title == "The Long Night"
        assert work.creators == ["Mara Quill"]
        assert work.rating == "Teen And Up Audiences"
        assert work.fandoms == ["Tidewater (TV)"]
        assert work.relationships == ["Mara Quill/Jonah Reyes"]
        assert "Disclaimer: I don't own Tidewater." in work.notes
        assert "Written for the winter exchange." in work.notes
        assert [c.title for c in work.chapters] == ["The Storm", "", "Epilogue"]
        assert work.chapters[0].endnotes == "<p>Thanks for reading!</p>"
        assert "Thanks for reading" not in work.chapters[0].html
        assert "The End" not in work.chapters[2].html
        assert work.expected_chapters == 3
        assert any("end marker “The End” dropped" in remark for remark in work.detected)

    def test_smart_quotes_dashes_and_scene_breaks_are_kept(self):
        work = self.parse(STORY)
        text = work.chapters[0].html
        assert "“Hold on,” she said — and he did." in text
        assert '<p align="center">* * *</p>' in text

    def test_one_shot_notes_at_start_and_end_become_the_works_notes(self):
        work = self.parse(
            "Sea Glass\n\nAuthor’s Notes: My first fic.\n\nShe walked the beach at dawn.\n\n"
            "She found a piece of green glass.\n\nFin.\n\nNotes: Thanks to my beta."
        )
        assert work.title == "Sea Glass"
        assert work.notes == "<p>My first fic.</p>"
        assert work.endnotes == "<p>Thanks to my beta.</p>"
        assert len(work.chapters) == 1
        assert work.chapters[0].notes == work.chapters[0].endnotes == ""
        assert "Fin" not in work.chapters[0].html
        assert work.chapters[0].html.count("<p>") == 2

    def test_tbc_is_dropped_and_makes_a_work_in_progress(self):
        work = self.parse("Unfinished\n\nChapter 1\n\nIt began one night.\n\nChapter 2\n\nIt went on a while.\n\nTBC")
        assert work.expected_chapters is None
        assert "TBC" not in work.chapters[1].html

    def test_a_summary_label_fills_the_summary(self):
        work = self.parse("Tide\n\nSummary: Two keepers, one lamp.\n\nThe lamp turned all night long.")
        assert work.summary == "<p>Two keepers, one lamp.</p>"

    def test_a_notes_label_alone_takes_the_paragraphs_up_to_the_scene_break(self):
        work = self.parse("Tide\n\nA/N:\n\nFirst note.\n\nSecond note.\n\n***\n\nThe lamp turned all night long.")
        assert work.notes == "<p>First note.</p>\n<p>Second note.</p>"
        assert work.chapters[0].html == "<p>The lamp turned all night long.</p>"

    def test_title_from_the_file_name_when_the_first_line_is_prose(self):
        long_line = "The lamp turned all night, and the keeper " * 5
        work = self.parse(f"{long_line}\n\nMore text here.", name="the_keepers_light.txt")
        assert work.title == "the keepers light"

    def test_chapter_heading_variants(self):
        for heading, title in [
            ("Chapter 1", ""),
            ("Chapter One: The Storm", "The Storm"),
            ("CHAPTER XII - Homecoming", "Homecoming"),
            ("Ch. 3", ""),
            ("Part 2", ""),
            ("Part Two: After", "After"),
            ("Prologue", "Prologue"),
            ("Epilogue: Years Later", "Epilogue: Years Later"),
        ]:
            assert is_chapter_heading(heading), heading
            assert chapter_title_from_heading(heading) == title, heading
        for prose in ["Chapter and verse were quoted at length by the keeper, who liked them.", "Partly cloudy"]:
            assert not is_chapter_heading(prose), prose

    def test_long_separator_lines_split_chapters_when_there_are_no_headings(self):
        work = self.parse("Tide\n\nFirst part of the story.\n\n**********\n\nSecond part of the story.")
        assert len(work.chapters) == 2
        assert "Second part" in work.chapters[1].html

    def test_paragraphs_from_indentation_and_hard_wrapped_lines_joined(self):
        body = "\n".join(
            [
                "    The lamp turned all night and the keeper watched it turn from the",
                "gallery, counting the seconds between each sweep of the beam.",
            ]
            * 6
        )
        work = self.parse(f"Tide\n{body}")
        html = work.chapters[0].html
        assert html.count("<p>") == 6
        assert "from the gallery" in html
        assert "<br>" not in html

    def test_short_lines_keep_their_line_breaks(self):
        work = self.parse("Poem\n\nroses are red\nthe lamp is bright\n\nand the sea is grey tonight")
        assert "roses are red<br>" in work.chapters[0].html

    def test_html_in_plain_text_is_escaped(self):
        work = self.parse("Tide\n\n<script>alert(1)</script> and <b>bold</b> words here.")
        assert "<script" not in work.chapters[0].html
        assert "&lt;b&gt;bold&lt;/b&gt;" in work.chapters[0].html


class EncodingTests(SimpleTestCase):
    def test_windows_1252_is_detected(self):
        data = "Café\r\n\r\n“Naïve,” she said — it’s déjà vu.\r\n".encode("cp1252")
        work = parse_file(data, "cafe.txt")
        assert work.title == "Café"
        assert "“Naïve,” she said — it’s déjà vu." in work.chapters[0].html
        assert "Encoding: Windows-1252 (the file was not UTF-8)." in work.detected

    def test_utf8_with_bom_and_utf16_with_bom(self):
        text = "Tide\n\nThe lamp — “on” — turned all night."
        for data, name in [(codecs.BOM_UTF8 + text.encode("utf-8"), "UTF-8"), (text.encode("utf-16"), "UTF-16")]:
            work = parse_file(data, "tide.txt")
            assert work.title == "Tide"
            assert "The lamp — “on” — turned all night." in work.chapters[0].html
            assert f"Encoding: {name}." in work.detected

    def test_latin1_when_cp1252_cannot_be_right(self):
        data = "Tide\n\nA façade with a \x81 control byte in it, and more words.".encode("latin-1")
        work = parse_file(data, "tide.txt")
        assert "façade" in work.chapters[0].html
        assert any("Latin-1" in remark for remark in work.detected)


class RefusalTests(SimpleTestCase):
    def test_empty_binary_and_oversized_files_are_refused_with_a_message(self):
        cases = [
            (b"", "tide.txt", "The file is empty."),
            (b"   \n\n  ", "tide.txt", "The file is empty."),
            (bytes(range(256)) * 40, "tide.txt", "binary file"),
            (b"%PDF-1.7 ...", "tide.pdf", "This is a PDF"),
            (b"x" * (20 * 1024 * 1024 + 1), "big.txt", "files can be at most 20 MB"),
            (b"PK\x03\x04 not really a zip", "tide.docx", "damaged or is not a DOCX"),
            (b"just text", "tide.epub", "damaged or is not a EPUB"),
            (b"Title\n\n***\n\n", "tide.txt", "No text was found"),
        ]
        for data, name, message in cases:
            with pytest.raises(ImportRefused) as refused:
                parse_file(data, name)
            assert message in str(refused.value), (name, str(refused.value))
