"""The import page: upload, preview with corrections, save as a draft; bad files say why and save nothing."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from fanarchive.test import BaseTestCase
from imports.tests import samples
from tags.models import Tag, TagType
from works.models import Chapter, Series, Work

STORY = (
    "The Long Night\nby Mara Quill\n\nRating: Teen And Up Audiences\nFandom: Tidewater (TV)\n\n"
    "A/N: Written for the winter exchange.\n\nChapter One: The Storm\n\nThe lamp turned all night.\n\n"
    "Chapter 2\n\nIn the morning the sea was flat — “grey”.\n\nThe End\n"
)


def preview_data(response: Any, **overrides: Any) -> dict[str, Any]:
    """The preview form's fields as the browser would send them back."""
    form = response.context["form"]
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = value
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None and value is not False}


class ImportPageTests(BaseTestCase):
    def upload(self, data: bytes, name: str):
        return self.client.post("/works/import", {"file": SimpleUploadedFile(name, data)})

    def test_guests_are_sent_to_log_in(self):
        response = self.client.get("/works/import")
        assert response.status_code == 302 and "/account/login" in response["Location"]

    def test_upload_preview_correct_and_save_as_a_draft(self):
        self.login(self.alice)
        assert "Import a work" in self.client.get("/works/import").content.decode()
        response = self.upload(STORY.encode("cp1252"), "night.txt")
        assert response.status_code == 302
        preview = self.client.get(response["Location"])
        page = preview.content.decode()
        assert "Check your import" in page
        for shown in ["The Long Night", "Mara Quill", "Windows-1252", "Chapter headings: 2 found", "The lamp turned"]:
            assert shown in page, shown
        assert Work.objects.count() == 0
        data = preview_data(
            preview,
            title="The Longest Night",
            characters="Mara Quill",
            chapter_title_2="Morning",
            pseuds=[self.alice.default_pseud.pk],
        )
        saved = self.client.post(response["Location"], data)
        work = Work.objects.get()
        assert saved.status_code == 302 and saved["Location"] == f"/works/{work.pk}/preview"
        assert not work.posted
        assert work.title == "The Longest Night"
        assert work.notes == "<p>Written for the winter exchange.</p>"
        assert work.expected_chapters == 2
        assert {(t.name, t.type) for t in work.tags.all()} == {
            ("Teen And Up Audiences", TagType.RATING),
            ("Creator Chose Not To Use Archive Warnings", TagType.WARNING),
            ("Tidewater (TV)", TagType.FANDOM),
            ("Mara Quill", TagType.CHARACTER),
        }
        chapters = list(work.chapters.order_by("position"))
        assert [(c.title, c.posted) for c in chapters] == [("The Storm", False), ("Morning", False)]
        assert chapters[1].content == "<p>In the morning the sea was flat — “grey”.</p>"
        assert list(work.creator_pseuds) == [self.alice.default_pseud]
        # The stored upload is gone: saving twice can't make two works.
        assert self.client.post(response["Location"], data).status_code == 404
        # A draft: nobody else sees it.
        self.client.logout()
        assert self.client.get(f"/works/{work.pk}/").status_code == 404

    def test_preview_form_errors_keep_the_upload(self):
        self.login(self.alice)
        response = self.upload(b"Sea Glass\n\nShe walked the beach at dawn, alone.", "sea.txt")
        preview = self.client.get(response["Location"])
        assert "No fandom found" in preview.content.decode()
        # Posting needs a fandom (a draft would save without one: tests/test_import_posts_or_drafts.py).
        data = preview_data(preview, pseuds=[self.alice.default_pseud.pk], action="post")
        refused = self.client.post(response["Location"], data)
        assert refused.status_code == 400
        assert "fandoms" in refused.context["form"].errors
        assert Work.objects.count() == 0
        data["fandoms"] = "Tidewater (TV)"
        assert self.client.post(response["Location"], data).status_code == 302
        assert Work.objects.get().title == "Sea Glass"

    def test_contract_epub_keeps_everything_and_creates_the_series(self):
        self.login(self.alice)
        response = self.upload(samples.contract_epub(), "keeper.epub")
        preview = self.client.get(response["Location"])
        data = preview_data(preview, pseuds=[self.alice.default_pseud.pk])
        assert self.client.post(response["Location"], data).status_code == 302
        work = Work.objects.get()
        assert work.title == "The Keeper’s Light"
        assert work.language == "fr"
        assert work.summary == "<p>A storm, a <em>lamp</em>, a long night.</p>"
        assert work.endnotes == "<p>Thank you for reading.</p>"
        assert work.expected_chapters == 3
        tags = {(t.type, t.name) for t in work.tags.all()}
        assert (TagType.RATING, "Mature") in tags
        assert (TagType.WARNING, "Major Character Death") in tags
        assert (TagType.RELATIONSHIP, "Mara Quill/Jonah Reyes") in tags
        assert (TagType.FREEFORM, "Slow Burn") in tags
        first = Chapter.objects.get(work=work, position=1)
        assert (first.title, first.summary, first.notes, first.endnotes) == (
            "The Storm",
            "<p>The storm arrives.</p>",
            "<p>Chapter one notes.</p>",
            "<p>See you next week.</p>",
        )
        assert Series.objects.get().title == "Tidewater Nights"
        assert work.serial_works.get().position == 2

    def test_bad_files_get_a_clear_message_and_nothing_is_saved(self):
        self.login(self.alice)
        cases = [
            (b"", "empty.txt", "The file is empty."),
            (bytes(range(256)) * 40, "noise.txt", "binary file"),
            (samples.zip_bomb(), "bomb.epub", "zip bomb"),
            (
                samples.build_docx([samples.docx_paragraph("Text")], content_types=samples.DOCM_CONTENT_TYPES),
                "macro.docx",
                "contains macros",
            ),
        ]
        for data, name, message in cases:
            response = self.upload(data, name)
            assert response.status_code == 400, name
            assert message in response.content.decode(), name
        assert Work.objects.count() == 0

    @override_settings(IMPORT_MAX_BYTES=1024)
    def test_a_file_over_the_limit_is_refused(self):
        self.login(self.alice)
        response = self.upload(b"Tide\n\n" + b"words " * 1000, "big.txt")
        assert response.status_code == 400
        assert "files can be at most" in response.content.decode()

    def test_another_user_cannot_open_or_save_someone_elses_upload(self):
        self.login(self.alice)
        location = self.upload(STORY.encode(), "night.txt")["Location"]
        self.login(self.bob)
        assert self.client.get(location).status_code == 404
        assert self.client.post(location, {"title": "Stolen"}).status_code == 404
        assert self.client.get("/works/import/..%2F..%2Fsecret_key").status_code == 404

    def test_cancel_discards_the_upload(self):
        self.login(self.alice)
        location = self.upload(STORY.encode(), "night.txt")["Location"]
        assert self.client.post(f"{location}/cancel").status_code == 302
        assert self.client.get(location).status_code == 404
        assert Work.objects.count() == 0

    def test_a_tag_that_exists_as_another_type_is_left_out_with_a_remark(self):
        Tag.objects.create(name="Slow Burn", type=TagType.CHARACTER)
        self.login(self.alice)
        location = self.upload(samples.ao3_html(), "keeper.html")["Location"]
        preview = self.client.get(location)
        assert "“Slow Burn” is already a Character tag here" in preview.content.decode()
        data = preview_data(preview, pseuds=[self.alice.default_pseud.pk])
        assert self.client.post(location, data).status_code == 302
        assert not Work.objects.get().tags.filter(name="Slow Burn").exists()
