from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import OrphanForm
from accounts.models import Pseud, User, UsernameChange
from accounts.verification import verified_email_required
from lib.params import parse_id
from tags.actions import TagTypeConflict
from works import actions, hits
from works.access import (
    get_work_for_creator,
    get_work_for_reader,
    is_creator,
    listed_works,
    needs_adult_gate,
    readable_chapters,
    require_login_for_restricted,
)
from works.blurbs import blurb_prefetches
from works.filter_sheet import count_response, wants_count
from works.forms import ChapterForm, WorkForm
from works.listing import list_works, with_blurb_data
from works.models import Chapter, Creatorship, Series, Work
from works.page import WorkPage, parts_context


def home(request: HttpRequest) -> HttpResponse:
    recent = with_blurb_data(listed_works(request.user).order_by("-revised_at", "-id"))[:10]
    return render(request, "works/home.html", {"works": recent})


def work_index(request: HttpRequest) -> HttpResponse:
    if wants_count(request):
        return count_response(request)
    listing = list_works(request)
    return render(request, "works/work_list.html", {"listing": listing, "heading": _("Works")})


def series_detail(request: HttpRequest, series_id: int) -> HttpResponse:
    series = get_object_or_404(Series, pk=series_id)
    works = with_blurb_data(
        listed_works(request.user).filter(serial_works__series=series).order_by("serial_works__position", "id")
    )
    works_list = list(works)
    if not works_list:
        # A series whose works are all drafts or restricted reveals nothing.
        raise Http404("No such series.")
    return render(request, "works/series_detail.html", {"series": series, "works": works_list})


# Reading


def _series_navigation(request: HttpRequest, work: Work) -> list[dict[str, Any]]:
    navigation = []
    for link in work.serial_works.all():
        siblings = list(
            listed_works(request.user)
            .filter(serial_works__series=link.series)
            .order_by("serial_works__position", "id")
            .values_list("pk", "title")
        )
        ids = [pk for pk, _title in siblings]
        if work.pk not in ids:
            continue
        index = ids.index(work.pk)
        navigation.append(
            {
                "series": link.series,
                "part": index + 1,
                "previous": siblings[index - 1] if index > 0 else None,
                "next": siblings[index + 1] if index + 1 < len(siblings) else None,
            }
        )
    return navigation


def _render_work(request: HttpRequest, work_id: int, chapter_id: int | None) -> HttpResponse:
    work = get_work_for_reader(request.user, work_id)
    prefetch_related_objects([work], *blurb_prefetches())
    creator = is_creator(request.user, work)
    chapters = list(readable_chapters(work, request.user).defer("content"))
    if not chapters:
        raise Http404("This work has no chapters yet.")
    # A chapter the reader can't see is a 404 before any gate, so the gate reveals nothing.
    if chapter_id is not None and all(chapter.pk != chapter_id for chapter in chapters):
        raise Http404("No such chapter.")
    if needs_adult_gate(request, work, creator):
        return render(request, "works/adult_gate.html", {"work": work})
    full_work = request.GET.get("view_full_work") == "true" or len(chapters) == 1
    if chapter_id is not None:
        index = next((i for i, c in enumerate(chapters) if c.pk == chapter_id), None)
        if index is None:
            raise Http404("No such chapter.")
        full_work = False
    else:
        index = 0
    # Their text is read by the template ({% chapter_bodies %}), only for chapters it has not cached.
    shown = chapters if full_work else [chapters[index]]
    if not creator:
        hits.record_hit(request, work.pk)
    context = {
        "work": work,
        "chapters": chapters,
        "shown_chapters": shown,
        "full_work": full_work,
        "multi_chapter": len(chapters) > 1,
        "previous_chapter": chapters[index - 1] if not full_work and index > 0 else None,
        "next_chapter": chapters[index + 1] if not full_work and index + 1 < len(chapters) else None,
        "is_creator": creator,
        "series_navigation": _series_navigation(request, work),
        # Kudos, subscription, bookmark and history state (recording the visit in the reader's
        # history), the comments and the form to post one: from the apps that own them (works/page.py).
        **parts_context(request, WorkPage(work, chapters, shown, creator)),
    }
    return render(request, "works/work_detail.html", context)


@require_login_for_restricted
def work_detail(request: HttpRequest, work_id: int) -> HttpResponse:
    return _render_work(request, work_id, None)


@require_login_for_restricted
def chapter_detail(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    return _render_work(request, work_id, chapter_id)


@require_login_for_restricted
def work_navigate(request: HttpRequest, work_id: int) -> HttpResponse:
    work = get_work_for_reader(request.user, work_id)
    chapters = readable_chapters(work, request.user).defer("content")
    return render(request, "works/work_navigate.html", {"work": work, "chapters": chapters})


# Posting and editing


def _own_pseuds(form: WorkForm) -> list[Pseud]:
    return list(form.cleaned_data["pseuds"])


@login_required
@verified_email_required
def work_new(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    request.user.default_pseud  # noqa: B018 - accounts made by createsuperuser get their pseud here
    if request.method == "POST":
        action = request.POST.get("action", "post")
        # A draft (or its preview) saves with anything filled in; posting asks for AO3's fields.
        form = WorkForm(request.POST, user=request.user, draft=action != "post")
        if form.is_valid():
            try:
                work = actions.create_work(_own_pseuds(form), form.cleaned_data, post=action == "post")
            except TagTypeConflict as conflict:
                form.add_error(None, str(conflict))
                return render(request, "works/work_form.html", {"form": form, "editing": False})
            if action == "post":
                messages.success(request, _("Work was successfully posted."))
                return redirect(work)
            if action == "preview":
                return redirect("work_preview", work.pk)
            messages.success(request, _("Draft was successfully saved. It is visible only to you."))
            return redirect(work)
    else:
        form = WorkForm(user=request.user)
    return render(request, "works/work_form.html", {"form": form, "editing": False})


def _initial_from_work(work: Work, user: User, include_chapter: bool) -> dict[str, Any]:
    work = with_blurb_data(Work.objects.filter(pk=work.pk)).get()
    groups = work.tag_groups
    series_link = work.serial_works.first()
    initial: dict[str, Any] = {
        "title": work.title,
        "pseuds": [p.pk for p in work.creator_pseuds if p.user_id == user.pk],
        "rating": groups["rating"][0].name if groups["rating"] else "",
        "warnings": [t.name for t in groups["warning"]],
        "categories": [t.name for t in groups["category"]],
        "fandoms": ", ".join(t.name for t in groups["fandom"]),
        "relationships": ", ".join(t.name for t in groups["relationship"]),
        "characters": ", ".join(t.name for t in groups["character"]),
        "freeforms": ", ".join(t.name for t in groups["freeform"]),
        "summary": work.summary,
        "notes": work.notes,
        "endnotes": work.endnotes,
        "language": work.language,
        "restricted": work.restricted,
        "comment_permission": work.comment_permission,
        "moderated_comments": work.moderated_comments,
        "expected_chapters": work.expected_chapters,
        "backdate": work.backdated,
        "published_at": work.published_at,
        "series": series_link.series_id if series_link else None,
        "series_position": series_link.position if series_link else None,
    }
    if include_chapter:
        chapter = work.chapters.get(position=1)
        initial.update(
            chapter_title=chapter.title,
            chapter_summary=chapter.summary,
            chapter_notes=chapter.notes,
            chapter_endnotes=chapter.endnotes,
            content=chapter.content,
        )
    return initial


@login_required
def work_edit(request: HttpRequest, work_id: int) -> HttpResponse:
    assert isinstance(request.user, User)
    work = get_work_for_creator(request.user, work_id)
    # One-shots are edited in one place; longer works edit chapters separately.
    include_chapter = work.chapters.count() == 1
    if request.method == "POST":
        drafting = not work.posted and request.POST.get("action", "save") != "post"
        form = WorkForm(request.POST, user=request.user, include_chapter=include_chapter, draft=drafting)
        if form.is_valid():
            try:
                actions.update_work(work, _own_pseuds(form), form.cleaned_data)
            except TagTypeConflict as conflict:
                form.add_error(None, str(conflict))
                return render(request, "works/work_form.html", {"form": form, "editing": True, "work": work})
            action = request.POST.get("action", "save")
            if action == "post" and not work.posted:
                actions.post_work(work)
                messages.success(request, _("Work was successfully posted."))
            elif action == "preview":
                return redirect("work_preview", work.pk)
            else:
                messages.success(request, _("Work was successfully updated."))
            return redirect(work)
    else:
        form = WorkForm(
            user=request.user,
            include_chapter=include_chapter,
            initial=_initial_from_work(work, request.user, include_chapter),
        )
    return render(request, "works/work_form.html", {"form": form, "editing": True, "work": work})


@login_required
def work_preview(request: HttpRequest, work_id: int) -> HttpResponse:
    work = get_work_for_creator(request.user, work_id)
    work = with_blurb_data(Work.objects.filter(pk=work.pk)).get()
    chapters = list(work.chapters.all())
    return render(request, "works/work_preview.html", {"work": work, "shown_chapters": chapters})


@require_POST
@login_required
@verified_email_required
def work_post(request: HttpRequest, work_id: int) -> HttpResponse:
    work = get_work_for_creator(request.user, work_id)
    if not work.posted:
        missing = _missing_for_posting(request, work)
        if missing:
            # A draft may lack what posting needs: send the writer to the form, saying what.
            messages.error(request, _("To post this work, fill in: %(fields)s.") % {"fields": ", ".join(missing)})
            return redirect("work_edit", work.pk)
        actions.post_work(work)
        messages.success(request, _("Work was successfully posted."))
    return redirect(work)


def _missing_for_posting(request: HttpRequest, work: Work) -> list[str]:
    """The labels of the fields posting needs that this draft leaves empty: the posting form's own rules."""
    assert isinstance(request.user, User)
    include_chapter = work.chapters.count() == 1
    initial = _initial_from_work(work, request.user, include_chapter)
    data = QueryDict(mutable=True)
    for name, value in initial.items():
        if isinstance(value, list):
            data.setlist(name, [str(v) for v in value])
        elif value is True:
            data[name] = "on"
        elif value not in (None, False):
            data[name] = str(value)
    form = WorkForm(data, user=request.user, include_chapter=include_chapter)
    if form.is_valid():
        return []
    return [str(form.fields[name].label) for name in form.errors if name in form.fields]


@login_required
def work_delete(request: HttpRequest, work_id: int) -> HttpResponse:
    work = get_work_for_creator(request.user, work_id)
    if request.method == "POST":
        title = work.title
        actions.delete_work(work)
        messages.success(request, _("Your work “%(title)s” was deleted.") % {"title": title})
        return redirect("user_profile", request.user.get_username())
    return render(request, "works/work_confirm_delete.html", {"work": work})


@login_required
def drafts(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    works = with_blurb_data(
        Work.objects.filter(creatorships__pseud__user=request.user, posted=False).order_by("-created_at").distinct()
    )
    return render(request, "works/drafts.html", {"works": works})


# Chapters


@login_required
@verified_email_required
def chapter_new(request: HttpRequest, work_id: int) -> HttpResponse:
    work = get_work_for_creator(request.user, work_id)
    if request.method == "POST":
        form = ChapterForm(request.POST)
        if form.is_valid():
            post = request.POST.get("action", "post") == "post"
            chapter = actions.add_chapter(work, form.cleaned_data, post=post)
            if chapter.posted:
                messages.success(request, _("Chapter was successfully posted."))
            else:
                messages.success(request, _("Chapter was saved as a draft; it is visible only to you."))
            return redirect(chapter)
    else:
        form = ChapterForm()
    return render(request, "works/chapter_form.html", {"form": form, "work": work, "chapter": None})


def _chapter_for_creator(request: HttpRequest, work_id: int, chapter_id: int) -> tuple[Work, Chapter]:
    work = get_work_for_creator(request.user, work_id)
    chapter = get_object_or_404(Chapter, pk=chapter_id, work=work)
    return work, chapter


@login_required
def chapter_edit(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    work, chapter = _chapter_for_creator(request, work_id, chapter_id)
    if request.method == "POST":
        form = ChapterForm(request.POST)
        if form.is_valid():
            actions.update_chapter(chapter, form.cleaned_data)
            if request.POST.get("action") == "post" and not chapter.posted and work.posted:
                actions.post_chapter(chapter)
            messages.success(request, _("Chapter was successfully updated."))
            return redirect(chapter)
    else:
        form = ChapterForm(
            initial={
                "chapter_title": chapter.title,
                "chapter_summary": chapter.summary,
                "chapter_notes": chapter.notes,
                "chapter_endnotes": chapter.endnotes,
                "content": chapter.content,
            }
        )
    return render(request, "works/chapter_form.html", {"form": form, "work": work, "chapter": chapter})


@login_required
def chapter_delete(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    work, chapter = _chapter_for_creator(request, work_id, chapter_id)
    # A posted work must keep a posted chapter: readers would otherwise find an empty work.
    other_chapters = work.chapters.exclude(pk=chapter.pk)
    if not other_chapters.exists() or (work.posted and not other_chapters.filter(posted=True).exists()):
        messages.error(
            request,
            _("A work needs at least one posted chapter. Post another chapter first, or delete the whole work."),
        )
        return redirect(work)
    if request.method == "POST":
        actions.delete_chapter(chapter)
        messages.success(request, _("The chapter was deleted."))
        return redirect(work)
    return render(request, "works/chapter_confirm_delete.html", {"work": work, "chapter": chapter})


@login_required
def chapters_manage(request: HttpRequest, work_id: int) -> HttpResponse:
    work = get_work_for_creator(request.user, work_id)
    chapters = list(work.chapters.defer("content"))
    if request.method == "POST":
        # parse_id: ASCII digits only, bounded; anything else fails the check below with its message.
        positions = {chapter.pk: parse_id(request.POST.get(f"position-{chapter.pk}")) or 0 for chapter in chapters}
        if sorted(positions.values()) != list(range(1, len(chapters) + 1)):
            messages.error(
                request, _("Give each chapter a different position from 1 to %(count)s.") % {"count": len(chapters)}
            )
            return render(request, "works/chapters_manage.html", {"work": work, "chapters": chapters}, status=400)
        actions.reorder_chapters(work, sorted(positions, key=lambda pk: positions[pk]))
        messages.success(request, _("Chapter order was updated."))
        return redirect("work_navigate", work.pk)
    return render(request, "works/chapters_manage.html", {"work": work, "chapters": chapters})


# Orphaning: a creator gives up their works (or a pseud's) to orphan_account.


@login_required
def work_orphan(request: HttpRequest, work_id: int) -> HttpResponse:
    """Orphan one of my works (its creator only)."""
    assert isinstance(request.user, User)
    work = get_work_for_creator(request.user, work_id)
    form = OrphanForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actions.orphan_works(request.user, [work.pk], keep_pseud_names=form.cleaned_data["keep_pseud_names"])
        messages.success(request, _("“%(title)s” was orphaned.") % {"title": work.title})
        return redirect(work)
    return render(request, "accounts/orphan_confirm.html", {"form": form, "work": work, "pseud": None})


@login_required
def pseud_orphan(request: HttpRequest, pseud_id: int) -> HttpResponse:
    """Orphan every work of one of my pseuds."""
    assert isinstance(request.user, User)
    pseud = get_object_or_404(Pseud, pk=pseud_id, user=request.user)
    form = OrphanForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        work_ids = list(pseud.creatorships.values_list("work_id", flat=True))
        count = actions.orphan_works(request.user, work_ids, keep_pseud_names=form.cleaned_data["keep_pseud_names"])
        messages.success(request, _("%(count)s work(s) were orphaned.") % {"count": count})
        return redirect("user_profile", request.user.username)
    return render(request, "accounts/orphan_confirm.html", {"form": form, "work": None, "pseud": pseud})


# Profiles: a member's (or one pseud's) works, as a listing.


def _renamed(username: str) -> User | None:
    """The member who used to be called `username`, if any (asked only when nobody has that name now)."""
    change = UsernameChange.objects.filter(old_username__iexact=username).select_related("user").first()
    return change.user if change is not None and change.user.is_active else None


def user_profile(request: HttpRequest, username: str) -> HttpResponse:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        renamed = _renamed(username)
        if renamed is None:
            raise Http404("No such user.")
        return redirect(renamed, permanent=True)
    work_ids = set(Creatorship.objects.filter(pseud__user=user).values_list("work_id", flat=True))
    if wants_count(request):
        return count_response(request, only_ids=work_ids)
    listing = list_works(request, only_ids=work_ids)
    return render(
        request,
        "accounts/profile.html",
        {"profile_user": user, "pseuds": user.pseuds.all(), "listing": listing, "pseud": None},
    )


def pseud_profile(request: HttpRequest, username: str, pseud_name: str) -> HttpResponse:
    pseud = Pseud.objects.select_related("user").filter(user__username=username, name=pseud_name).first()
    if pseud is None:
        renamed = _renamed(username) if not User.objects.filter(username=username).exists() else None
        if renamed is None:
            raise Http404("No such pseud.")
        # The default pseud was renamed with the account; other pseuds kept their names.
        pseud_name = renamed.username if pseud_name.casefold() == username.casefold() else pseud_name
        return redirect("pseud_profile", renamed.username, pseud_name, permanent=True)
    work_ids = set(Creatorship.objects.filter(pseud=pseud).values_list("work_id", flat=True))
    if wants_count(request):
        return count_response(request, only_ids=work_ids)
    listing = list_works(request, only_ids=work_ids)
    return render(
        request,
        "accounts/profile.html",
        {"profile_user": pseud.user, "pseuds": pseud.user.pseuds.all(), "listing": listing, "pseud": pseud},
    )
