"""A work downloaded as EPUB and imported again keeps its title, tags, notes, summary, chapters and text.

Runs once the downloads app (downloads.formats.build_epub, same preface contract) is in the tree;
until then the hand-built contract EPUB in test_formats and test_import_page stands in for it.
"""

import importlib.util

import pytest

from fanarchive.test import BaseTestCase
from imports.parsers import parse_file
from works import actions
from works.models import Chapter

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("downloads") is None, reason="the downloads app (build_epub) is not in this tree"
)


class EpubRoundTripTests(BaseTestCase):
    def test_exported_epub_imports_back_whole(self):
        from downloads.formats import build_epub  # type: ignore[import-not-found,unused-ignore]

        work = self.make_work(
            title="The Keeper’s Light",
            rating="Mature",
            warnings=["Graphic Depictions Of Violence", "Major Character Death"],
            categories=["F/M", "Gen"],
            relationships="Mara Quill/Jonah Reyes",
            summary="A storm, a <em>lamp</em>, a long night.",
            notes="For the winter exchange.",
            endnotes="Thank you for reading.",
            expected_chapters="3",
            chapter_title="The Storm",
            content="“Hold on,” she said — and he did.\n\nIn the morning the sea was flat and grey.",
        )
        actions.add_chapter(
            work,
            {"chapter_title": "Morning", "chapter_notes": "Chapter two notes.", "content": "<p>The second night.</p>"},
            post=True,
        )
        parsed = parse_file(build_epub(work, "http://testserver"), "keeper.epub")
        assert parsed.title == work.title
        assert parsed.rating == "Mature"
        assert parsed.warnings == ["Graphic Depictions Of Violence", "Major Character Death"]
        assert sorted(parsed.categories) == ["F/M", "Gen"]
        assert parsed.fandoms == ["Tidewater (TV)"]
        assert parsed.relationships == ["Mara Quill/Jonah Reyes"]
        assert sorted(parsed.characters) == ["Jonah Reyes", "Mara Quill"]
        assert sorted(parsed.freeforms) == ["Fluff", "Found Family"]
        assert parsed.summary == work.summary
        assert parsed.notes == work.notes
        assert parsed.endnotes == work.endnotes
        assert parsed.expected_chapters == 3
        chapters = list(Chapter.objects.filter(work=work).order_by("position"))
        assert [c.title for c in parsed.chapters] == [c.title for c in chapters]
        assert [c.html for c in parsed.chapters] == [c.content for c in chapters]
        assert parsed.chapters[1].notes == chapters[1].notes
