"""The background job that prints a work to PDF (WeasyPrint takes seconds for a long work)."""

from typing import Any

from django.conf import settings

from downloads import cache, formats
from jobs.queue import handler
from works.models import Chapter, Work


@handler("build_pdf")
def build_pdf(payload: dict[str, Any]) -> None:
    # The view checked who may read what; the job prints exactly the chapters that reader
    # was given (the queued version), never more.
    work = Work.objects.filter(pk=payload["work_id"]).first()
    if work is None:
        return
    chapters = Chapter.objects.filter(work=work, pk__in=payload["chapter_ids"])
    document = formats.load(work, settings.SITE_URL, chapters)
    version = document.version("pdf")
    if cache.cached_path(work.pk, version, "pdf").exists():
        return
    cache.store(work.pk, version, "pdf", formats.write_pdf(document, formats.load_texts(document)))
