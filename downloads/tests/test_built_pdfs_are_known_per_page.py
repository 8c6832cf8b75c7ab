"""downloads.built tells a listing (the OPDS feeds) which works' PDFs are built, with version keys equal to
the download view's, in a fixed number of queries for a page of works and without reading chapter text."""

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from downloads.built import built_pdfs
from downloads.document import load_documents
from downloads.formats import load
from downloads.tests.helpers import DownloadTestCase
from jobs.queue import run_pending
from sitecontent.config import site_name
from works.models import Work


class BuiltPdfTests(DownloadTestCase):
    def test_the_page_version_key_is_the_download_views(self):
        rich = self.post_rich_work()
        self.add_chapter(rich, "A draft chapter, not yet posted.", action="save")
        plain = self.post_work(title="Plain 灯台", freeforms="")
        works = list(Work.objects.filter(pk__in=[rich.pk, plain.pk]).defer("notes", "endnotes").order_by("pk"))
        for own in (set(), {rich.pk}):
            documents = load_documents(works, own, settings.SITE_URL, site_name())
            for work in works:
                chapters = work.chapters.all() if work.pk in own else None
                single = load(Work.objects.get(pk=work.pk), settings.SITE_URL, chapters)
                with self.subTest(work=work.title, own=bool(own)):
                    self.assertEqual(documents[work.pk], single)
                    self.assertEqual(documents[work.pk].version("pdf"), single.version("pdf"))
        self.assertEqual(len(documents[rich.pk].chapters), 4)

    def test_a_page_costs_the_same_few_queries_for_two_works_or_twenty_and_reads_no_chapter_text(self):
        for n in range(20):
            self.post_work(title=f"Work {n}", new_series_title=f"Series {n}" if n % 2 else "")
        first = self.post_work(title="Printed")
        self.client.get(f"/works/{first.pk}/download/pdf")
        run_pending()
        counts = []
        for size in (2, 20):
            works = list(Work.objects.order_by("-pk").defer("notes", "endnotes")[:size])
            with CaptureQueriesContext(connection) as queries:
                built = built_pdfs(works, self.bob)
            counts.append(len(queries))
            self.assertEqual(built, {first.pk})
            self.assertFalse(any("content" in q["sql"] for q in queries.captured_queries), queries.captured_queries)
        self.assertEqual(counts[0], counts[1])
