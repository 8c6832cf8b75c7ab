"""OPDS entries offer the PDF only when the current version is built (it is printed in the background
and an app cannot wait on the "being prepared" page): never a stale or missing file, never a work the
reader may not see, and through the adult gate the way the EPUB link goes."""

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.test import override_settings

from api.tokens import create_token
from feeds.opds import ACQUIRE
from feeds.tests.test_opds import OpdsTestCase
from jobs.queue import run_pending
from tags.models import Tag
from works.models import Work

PDF = "application/pdf"


class OpdsPdfTestCase(OpdsTestCase):
    def setUp(self) -> None:
        super().setUp()
        data_dir = Path(tempfile.mkdtemp(prefix="fa-opds-pdf-"))
        self.addCleanup(shutil.rmtree, data_dir, ignore_errors=True)
        self.enterContext(override_settings(DATA_DIR=data_dir))

    def acquisitions(self, path: str, **headers: Any) -> dict[str, dict[str, str]]:
        """Title -> {type: href without the host} of each entry's acquisition links."""
        feed = self.catalog(path, **headers)
        return {
            entry.title: {
                link.type: link.href.removeprefix("http://testserver") for link in entry.links if link.rel == ACQUIRE
            }
            for entry in feed.entries
        }

    def print_pdf(self, work: Work, **headers: Any) -> None:
        """A reader asks for the PDF (queued) and the background worker prints it."""
        self.assertEqual(self.client.get(f"/works/{work.pk}/download/pdf", **headers).status_code, 202)
        self.assertEqual(run_pending(), 1)


class PdfLinkTests(OpdsPdfTestCase):
    def test_the_pdf_link_appears_once_built_and_goes_with_every_change_until_rebuilt(self):
        work = self.post_work(title="Lighthouse 灯台", freeforms="Found Family", rating="General Audiences")
        self.assertEqual(set(self.acquisitions("/opds/works")["Lighthouse 灯台"]), {"application/epub+zip"})
        self.print_pdf(work)
        links = self.acquisitions("/opds/works")["Lighthouse 灯台"]
        self.assertEqual(links[PDF], f"/works/{work.pk}/download/pdf")
        response = self.client.get(links[PDF])
        self.assertEqual(response["Content-Type"], PDF)
        self.assertTrue(b"".join(response.streaming_content).startswith(b"%PDF-"))  # type: ignore[attr-defined]

        # A chapter edit: the built file is of the old text, so no link until it is printed again.
        chapter = work.chapters.get()
        self.login(self.alice)
        self.edit_chapter(chapter, "The lamp went out at midnight.")
        self.client.logout()
        self.assertNotIn(PDF, self.acquisitions("/opds/works")["Lighthouse 灯台"])
        self.print_pdf(work)
        self.assertIn(PDF, self.acquisitions("/opds/works")["Lighthouse 灯台"])

        # A renamed tag changes the file (its preface) without touching the work's row.
        Tag.objects.filter(name="Found Family").update(name="Found Family (Renamed)")
        self.assertNotIn(PDF, self.acquisitions("/opds/works")["Lighthouse 灯台"])

    def test_the_pdf_link_of_an_adult_work_passes_the_gate_only_with_consent(self):
        work = self.post_work(title="Grown-up", rating="Explicit")
        self.print_pdf(work, QUERY_STRING="view_adult=true")
        self.client.cookies.clear()
        plain = self.acquisitions("/opds/works")["Grown-up"][PDF]
        self.assertEqual(plain, f"/works/{work.pk}/download/pdf")
        self.assertEqual(self.client.get(plain)["Content-Type"], "text/html; charset=utf-8")  # the gate
        consenting = self.acquisitions("/opds/works?view_adult=true")["Grown-up"][PDF]
        self.assertEqual(consenting, f"/works/{work.pk}/download/pdf?view_adult=true")
        self.client.cookies.clear()
        self.assertEqual(self.client.get(consenting)["Content-Type"], PDF)
        _token, secret = create_token(self.bob, "reader", read_restricted=False, write=False, view_adult=True)
        self.client.cookies.clear()
        auth = self.basic(self.bob, secret)
        by_token = self.acquisitions("/opds/works", **auth)["Grown-up"][PDF]
        self.assertEqual(by_token, consenting)
        self.client.cookies.clear()
        self.assertEqual(self.client.get(by_token, **auth)["Content-Type"], PDF)


class PdfVisibilityTests(OpdsPdfTestCase):
    def test_drafts_hidden_and_restricted_works_never_offer_a_pdf_to_those_who_may_not_read_them(self):
        restricted = self.post_work(title="Restricted", restricted="on")
        hidden = self.post_work(title="Hidden")
        draft = self.post_work(title="Draft", action="draft")
        self.login(self.alice)
        for work in (restricted, hidden, draft):
            self.print_pdf(work)
        self.client.logout()
        Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
        self.assertEqual(self.acquisitions("/opds/works"), {})
        _token, secret = create_token(self.bob, "reader", read_restricted=True, write=False, view_adult=False)
        auth = self.basic(self.bob, secret)
        seen = self.acquisitions("/opds/works", **auth)
        self.assertEqual(set(seen), {"Restricted"})
        self.assertEqual(self.client.get(seen["Restricted"][PDF], **auth)["Content-Type"], PDF)
        self.assertEqual(self.client.get(seen["Restricted"][PDF]).status_code, 302)  # a guest is sent to log in

    def test_a_creators_copy_with_draft_chapters_is_not_the_readers_pdf(self):
        work = self.post_work(title="Ongoing")
        self.login(self.alice)
        response = self.client.post(
            f"/works/{work.pk}/chapters/new",
            {"chapter_title": "", "content": "Not yet posted, this one.", "action": "draft"},
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[-3000:])
        self.print_pdf(work)  # Alice's own copy, draft chapter included
        self.client.logout()
        self.assertNotIn(PDF, self.acquisitions("/opds/works")["Ongoing"])
        _token, secret = create_token(self.alice, "mine", read_restricted=True, write=False, view_adult=False)
        self.assertIn(PDF, self.acquisitions("/opds/works", **self.basic(self.alice, secret))["Ongoing"])
        self.print_pdf(work)  # now a reader's
        self.assertIn(PDF, self.acquisitions("/opds/works")["Ongoing"])
