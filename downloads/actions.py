"""Building downloads: on request for the quick formats, in the background for PDF."""

from downloads import cache, formats
from downloads.document import WorkDocument
from jobs.models import Job
from jobs.queue import ACTIVE, enqueue

PDF_JOB = "build_pdf"


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


def _pdf_key(version: str) -> str:
    return f"{PDF_JOB}:{version}"


def request_pdf(document: WorkDocument, version: str) -> None:
    """Queue the PDF of this version unless a worker already has it queued or in hand.

    The queue key makes "one active job per version" a database constraint: parallel requests
    for a new version cannot both insert (a locking read of no rows locked nothing)."""
    payload = {"work_id": document.id, "version": version, "chapter_ids": [c.id for c in document.chapters]}
    enqueue(PDF_JOB, payload, key=_pdf_key(version))


def pdf_progress(version: str) -> tuple[str, int]:
    """Where the PDF of this version is: ("printing", 0), or ("waiting", jobs ahead of it in the queue)."""
    job = Job.objects.filter(key=_pdf_key(version), status__in=ACTIVE).order_by("-id").first()
    if job is None:
        return ("waiting", 0)
    if job.status == Job.Status.RUNNING:
        return ("printing", 0)
    return ("waiting", Job.objects.filter(status__in=ACTIVE, id__lt=job.id).count())


def pdf_failed(version: str) -> bool:
    return Job.objects.filter(key=_pdf_key(version), status=Job.Status.FAILED).exists()
