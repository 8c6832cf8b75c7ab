"""Old links of an imported eFiction archive, answered with permanent redirects through the id map."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from django.views.decorators.http import require_safe

from accounts.models import Pseud
from migration.models import SourceRecord
from tags.models import Tag
from works.models import Chapter

Kind = SourceRecord.Kind


def _target(kind: str, raw_id: str | None) -> int:
    """What the old id became; old links carry no archive name, so the first import of that id wins."""
    if raw_id is None or not raw_id.strip().isdigit():
        raise Http404
    record = SourceRecord.objects.filter(kind=kind, source_id=int(raw_id)).order_by("id").first()
    if record is None:
        raise Http404
    return record.target_id


@require_safe
def viewstory(request: HttpRequest) -> HttpResponse:
    """viewstory.php?sid=N[&chapter=K]: the work, or its K-th chapter (eFiction numbers chapters from 1)."""
    work_id = _target(Kind.STORY, request.GET.get("sid"))
    position = request.GET.get("chapter", "")
    if position.isdigit():
        chapter = Chapter.objects.filter(work_id=work_id, position=int(position)).only("pk").first()
        if chapter is not None:
            return HttpResponsePermanentRedirect(reverse("chapter_detail", args=[work_id, chapter.pk]))
    return HttpResponsePermanentRedirect(reverse("work_detail", args=[work_id]))


@require_safe
def viewuser(request: HttpRequest) -> HttpResponse:
    pseud = Pseud.objects.select_related("user").filter(pk=_target(Kind.AUTHOR, request.GET.get("uid"))).first()
    if pseud is None:
        raise Http404
    return HttpResponsePermanentRedirect(reverse("pseud_profile", args=[pseud.user.username, pseud.name]))


@require_safe
def viewseries(request: HttpRequest) -> HttpResponse:
    return HttpResponsePermanentRedirect(
        reverse("series_detail", args=[_target(Kind.SERIES, request.GET.get("seriesid"))])
    )


# browse.php?type=…: which parameter holds the id, and what it was.
_BROWSE = {
    "categories": ("catid", Kind.CATEGORY),
    "characters": ("charid", Kind.CHARACTER),
    "class": ("classid", Kind.CLASS),
    "challenges": ("chalid", Kind.CHALLENGE),
}


@require_safe
def browse(request: HttpRequest) -> HttpResponse:
    """browse.php?type=categories&catid=N (and characters, classes, challenges): the tag's works."""
    kind = _BROWSE.get(request.GET.get("type", ""))
    if kind is None:
        return HttpResponsePermanentRedirect(reverse("work_index"))
    parameter, record_kind = kind
    tag = Tag.objects.filter(pk=_target(record_kind, request.GET.get(parameter))).first()
    if tag is None:
        raise Http404
    return HttpResponsePermanentRedirect(tag.works_url)
