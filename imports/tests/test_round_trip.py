"""A work downloaded as EPUB and imported again keeps its title, tags by type, rating, warnings,
notes, summary, chapters and text: both halves through HTTP, as a reader and an author would."""

from django.core.files.uploadedfile import SimpleUploadedFile

from fanarchive.test import BaseTestCase
from imports.tests.test_import_page import preview_data
from works.models import Work


class EpubRoundTripTests(BaseTestCase):
    def test_exported_epub_imports_back_whole(self):
        original = self.post_work(
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
            content="“Hold on,” she said — and he did.\n\nIn the morning the sea was <strong>flat</strong> and grey.",
        )
        self.login(self.alice)
        response = self.client.post(
            f"/works/{original.pk}/chapters/new",
            {
                "chapter_title": "Morning",
                "chapter_notes": "Chapter two notes.",
                "content": "The second night.",
                "action": "post",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.client.logout()

        # A reader downloads it (through the adult gate: it is rated Mature).
        download = self.client.get(f"/works/{original.pk}/download/epub?view_adult=true")
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download["Content-Type"], "application/epub+zip")
        epub = b"".join(download.streaming_content)  # type: ignore[attr-defined]

        # Bob imports the file and saves the preview as it stands.
        self.login(self.bob)
        uploaded = self.client.post("/works/import", {"file": SimpleUploadedFile("keeper.epub", epub)})
        self.assertEqual(uploaded.status_code, 302)
        preview = self.client.get(uploaded["Location"])
        saved = self.client.post(uploaded["Location"], preview_data(preview, pseuds=[self.bob.default_pseud.pk]))
        self.assertEqual(saved.status_code, 302)
        copy = Work.objects.exclude(pk=original.pk).get()
        self.assertFalse(copy.posted, "imports are drafts")

        self.assertEqual(copy.title, original.title)
        self.assertEqual(copy.summary, original.summary)
        self.assertEqual(copy.notes, original.notes)
        self.assertEqual(copy.endnotes, original.endnotes)
        self.assertEqual(copy.expected_chapters, 3)
        self.assertEqual(copy.language, original.language)
        for tag_type in ("rating", "warning", "category", "fandom", "relationship", "character", "freeform"):
            self.assertEqual(
                sorted(t.name for t in copy.tags.filter(type=tag_type)),
                sorted(t.name for t in original.tags.filter(type=tag_type)),
                tag_type,
            )
        original_chapters = list(original.chapters.order_by("position"))
        copied_chapters = list(copy.chapters.order_by("position"))
        self.assertEqual([c.title for c in copied_chapters], [c.title for c in original_chapters])
        self.assertEqual([c.notes for c in copied_chapters], [c.notes for c in original_chapters])
        self.assertEqual([c.content for c in copied_chapters], [c.content for c in original_chapters])
        self.assertEqual([c.word_count for c in copied_chapters], [c.word_count for c in original_chapters])
