import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.verification import verified_email_required
from imports import store
from imports.actions import drop_conflicting_tags, import_work
from imports.forms import ImportPreviewForm, ImportUploadForm, apply_edits, initial_from_parsed
from imports.parsed import ImportRefused
from imports.parsers import check_size, parse_file
from lib.html import strip_html
from tags.actions import TagTypeConflict

logger = logging.getLogger(__name__)


@login_required
@verified_email_required
def import_upload(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    status = 200
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            limit = settings.IMPORT_MAX_BYTES
            try:
                check_size(upload.size)
                parsed = drop_conflicting_tags(parse_file(upload.read(limit + 1), upload.name or ""))
            except ImportRefused as refusal:
                form.add_error("file", str(refusal))
            except Exception:  # a file the parsers choke on is the file's problem, said plainly
                logger.exception("Import of %r failed", upload.name)
                form.add_error("file", "This file couldn't be read. Try saving it in another format.")
            else:
                token = store.save(parsed, request.user.pk)
                return redirect("import_preview", token)
        status = 400
    else:
        form = ImportUploadForm()
    return render(request, "imports/upload.html", {"form": form}, status=status)


@login_required
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    assert isinstance(request.user, User)
    request.user.default_pseud  # noqa: B018 - accounts made by createsuperuser get their pseud here
    parsed = store.load(token, request.user.pk)
    if parsed is None:
        raise Http404("This import has expired or was already saved.")
    if request.method == "POST":
        post = request.POST.get("action") == "post"
        form = ImportPreviewForm(request.POST, user=request.user, chapters=parsed.chapters, draft=not post)
        if form.is_valid():
            edited, extra = apply_edits(parsed, form)
            try:
                work = import_work(edited, list(form.cleaned_data["pseuds"]), post=post, extra=extra)
            except TagTypeConflict as conflict:
                form.add_error(None, str(conflict))
            else:
                store.discard(token)
                if post:
                    messages.success(request, gettext("Work was successfully posted."))
                    return redirect(work)
                messages.success(request, gettext("Imported as a draft, visible only to you. Check it, then post it."))
                return redirect("work_preview", work.pk)
    else:
        form = ImportPreviewForm(
            user=request.user, chapters=parsed.chapters, initial=initial_from_parsed(parsed, request.user)
        )
    chapters = [
        {
            "field": field,
            "chapter": chapter,
            "words": len(strip_html(chapter.html).split()),
        }
        for field, chapter in zip(form.chapter_title_fields(), parsed.chapters, strict=True)
    ]
    context = {"form": form, "parsed": parsed, "chapters": chapters, "token": token}
    return render(request, "imports/preview.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def import_cancel(request: HttpRequest, token: str) -> HttpResponse:
    assert isinstance(request.user, User)
    if store.load(token, request.user.pk) is not None:
        store.discard(token)
        messages.success(request, gettext("The import was cancelled; nothing was saved."))
    return redirect("import_upload")
