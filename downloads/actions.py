"""Building downloads: on request for the quick formats, in the background for PDF."""

from django.db import transaction

from downloads import cache, formats
from downloads.document import WorkDocument
from jobs.models import Job
from jobs.queue import enqueue

PDF_JOB = "build_pdf"
_ACTIVE = [Job.Status.PENDING, Job.Status.RUNNING]


def build_now(document: WorkDocument, extension: str, version: str) -> None:
    """Build and cache an EPUB, HTML or TXT file for this version of the work."""
    texts = formats.load_texts(document)
    if extension == "epub":
        data = formats.write_epub(document, texts)
    elif extension == "html":
        data = formats.write_html(document, texts).encode()
    elif extension == "txt":
        data = formats.write_txt(document, texts).encode()
    else:
        raise ValueError(f"{extension} is not built on request")
    cache.store(document.id, version, extension, data)


@transaction.atomic
def request_pdf(document: WorkDocument, version: str) -> None:
    """Queue the PDF of this version unless a worker already has it queued or in hand."""
    jobs = Job.objects.select_for_update().filter(kind=PDF_JOB, payload__version=version, status__in=_ACTIVE)
    if jobs.exists():
        return
    enqueue(PDF_JOB, {"work_id": document.id, "version": version, "chapter_ids": [c.id for c in document.chapters]})


def pdf_progress(version: str) -> tuple[str, int]:
    """Where the PDF of this version is: ("printing", 0), or ("waiting", jobs ahead of it in the queue)."""
    job = Job.objects.filter(kind=PDF_JOB, payload__version=version, status__in=_ACTIVE).order_by("-id").first()
    if job is None:
        return ("waiting", 0)
    if job.status == Job.Status.RUNNING:
        return ("printing", 0)
    return ("waiting", Job.objects.filter(status__in=_ACTIVE, id__lt=job.id).count())


def pdf_failed(version: str) -> bool:
    return Job.objects.filter(kind=PDF_JOB, payload__version=version, status=Job.Status.FAILED).exists()
