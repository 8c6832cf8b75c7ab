from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext

from downloads import actions, cache, formats
from downloads.document import WorkDocument
from sitecontent.config import archive_settings
from works.access import (
    get_work_for_reader,
    is_creator,
    needs_adult_gate,
    readable_chapters,
    require_login_for_restricted,
)

CONTENT_TYPES = {
    "epub": "application/epub+zip",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
}
PREPARING_REFRESH_SECONDS = 3
# ?progress=json: the waiting page's question "where is my PDF?", answered without the file.
PROGRESS_PARAM = "progress"


@require_login_for_restricted
def download(request: HttpRequest, work_id: int, extension: str) -> HttpResponseBase:
    if extension not in CONTENT_TYPES:
        raise Http404("No such format.")
    if not archive_settings().downloads_enabled:
        return render(request, "downloads/disabled.html", status=404)
    work = get_work_for_reader(request.user, work_id)
    # A creator's copy includes their draft chapters; its version differs, so readers never get it.
    document = formats.load(work, settings.SITE_URL, readable_chapters(work, request.user))
    if not document.chapters:
        raise Http404("This work has no chapters yet.")
    if needs_adult_gate(request, work, is_creator(request.user, work)):
        return render(request, "works/adult_gate.html", {"work": work})
    version = document.version(extension)
    path = cache.cached_path(work.pk, version, extension)
    if not path.exists():
        if extension == "pdf":
            return _pdf_not_ready(request, document, version)
        actions.build_now(document, extension, version)
    if request.GET.get(PROGRESS_PARAM) == "json":
        return JsonResponse({"state": "ready", "label": gettext("Your PDF is ready: the download has started.")})
    filename = f"{slugify(work.title, allow_unicode=True)[:80] or f'work-{work.pk}'}.{extension}"
    response: HttpResponseBase
    if settings.DOWNLOADS_ACCEL_REDIRECT:
        # The reverse proxy sends the file (deploy/nginx.conf); access was checked above.
        response = HttpResponse(content_type=CONTENT_TYPES[extension])
        response["X-Accel-Redirect"] = f"{settings.DOWNLOADS_ACCEL_REDIRECT}{work.pk}/{path.name}"
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        response = FileResponse(
            path.open("rb"), as_attachment=True, filename=filename, content_type=CONTENT_TYPES[extension]
        )
    # Restricted works and creators' copies must not sit in shared caches.
    response["Cache-Control"] = "private"
    return response


def _pdf_not_ready(request: HttpRequest, document: WorkDocument, version: str) -> HttpResponse:
    failed = actions.pdf_failed(version)
    if not failed:
        actions.request_pdf(document, version)
    state, ahead = ("failed", 0) if failed else actions.pdf_progress(version)
    label = _progress_label(state, ahead)
    if request.GET.get(PROGRESS_PARAM) == "json":
        return JsonResponse({"state": state, "label": label}, status=500 if failed else 202)
    context = {"document": document, "failed": failed, "refresh": PREPARING_REFRESH_SECONDS, "progress": label}
    return render(request, "downloads/preparing.html", context, status=500 if failed else 202)


def _progress_label(state: str, ahead: int) -> str:
    if state == "failed":
        return gettext("The PDF could not be made.")
    if state == "printing":
        return gettext("Printing now…")
    if ahead:
        return ngettext(
            "Waiting for the printer: %(count)s job is ahead of yours.",
            "Waiting for the printer: %(count)s jobs are ahead of yours.",
            ahead,
        ) % {"count": ahead}
    return gettext("Next in line for the printer.")
