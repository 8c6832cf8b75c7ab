from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.models import User
from bookmarks import actions
from bookmarks.forms import BookmarkForm
from bookmarks.listing import list_bookmarks, visible_bookmarks
from bookmarks.models import Bookmark
from community.muting import muted_user_ids
from tags.actions import TagTypeConflict
from works.access import LoginRequiredForWork, get_work_for_reader, visible_works
from works.models import Series, Work


def _form_page(
    request: HttpRequest, form: BookmarkForm, target: Work | Series, bookmark: Bookmark | None
) -> HttpResponse:
    context = {"form": form, "target": target, "bookmark": bookmark, "is_series": isinstance(target, Series)}
    return render(request, "bookmarks/bookmark_form.html", context)


def _new(request: HttpRequest, target: Work | Series) -> HttpResponse:
    assert isinstance(request.user, User)
    is_work = isinstance(target, Work)
    existing = Bookmark.objects.filter(user=request.user, **{"work" if is_work else "series": target}).first()
    if existing is not None:
        return redirect("bookmark_edit", existing.pk)
    form = BookmarkForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if isinstance(target, Work):
                actions.create_bookmark(request.user, form.cleaned_data, work=target)
            else:
                actions.create_bookmark(request.user, form.cleaned_data, series=target)
        except actions.BookmarkExists:
            messages.info(request, _("You have bookmarked this already."))
        except TagTypeConflict as conflict:
            form.add_error("tags", str(conflict))
            return _form_page(request, form, target, None)
        else:
            messages.success(request, _("Bookmark was successfully created."))
        return redirect(target)
    return _form_page(request, form, target, None)


@login_required
def bookmark_work(request: HttpRequest, work_id: int) -> HttpResponse:
    work = get_work_for_reader(request.user, work_id)
    if not work.is_published:
        messages.error(request, _("You can bookmark a work once it is posted."))
        return redirect(work)
    return _new(request, work)


@login_required
def bookmark_series(request: HttpRequest, series_id: int) -> HttpResponse:
    series = get_object_or_404(Series, pk=series_id)
    if not visible_works(request.user).filter(serial_works__series=series).exists():
        raise Http404("No such series.")
    return _new(request, series)


def _own_bookmark(request: HttpRequest, bookmark_id: int) -> Bookmark:
    return get_object_or_404(Bookmark.objects.select_related("work", "series"), pk=bookmark_id, user_id=request.user.pk)


@login_required
def bookmark_edit(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    assert isinstance(request.user, User)
    bookmark = _own_bookmark(request, bookmark_id)
    initial = {
        "pseud": bookmark.pseud_id,
        "notes": bookmark.notes,
        "tags": ", ".join(tag.name for tag in bookmark.tags.order_by("name")),
        "private": bookmark.private,
        "rec": bookmark.rec,
    }
    form = BookmarkForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_bookmark(bookmark, form.cleaned_data)
        except TagTypeConflict as conflict:
            form.add_error("tags", str(conflict))
        else:
            messages.success(request, _("Bookmark was successfully updated."))
            return redirect("user_bookmarks", request.user.username)
    target = bookmark.work or bookmark.series
    context = {"form": form, "target": target, "bookmark": bookmark, "is_series": bookmark.series_id is not None}
    return render(request, "bookmarks/bookmark_form.html", context)


@login_required
def bookmark_delete(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    bookmark = _own_bookmark(request, bookmark_id)
    if request.method == "POST":
        actions.delete_bookmark(bookmark)
        messages.success(request, _("Bookmark was successfully deleted."))
        return redirect("user_bookmarks", request.user.get_username())
    return render(request, "bookmarks/bookmark_confirm_delete.html", {"bookmark": bookmark})


def user_bookmarks(request: HttpRequest, username: str) -> HttpResponse:
    """A user's bookmarks: public ones for others, all of them for the user."""
    owner = get_object_or_404(User, username=username, is_active=True)
    muted = owner.pk in muted_user_ids(request.user)
    listing = list_bookmarks(request, visible_bookmarks(request.user).filter(user=owner))
    return render(request, "bookmarks/user_bookmarks.html", {"owner": owner, "listing": listing, "muted": muted})


def work_bookmarks(request: HttpRequest, work_id: int) -> HttpResponse:
    """Everyone's public bookmarks of one work (and the reader's own, even private)."""
    try:
        work = get_work_for_reader(request.user, work_id)
    except LoginRequiredForWork:
        return redirect_to_login(request.get_full_path())
    # The door lets creators and staff into drafts and hidden works; its bookmarks page does not.
    # The work is loaded already: ask it, not the database again.
    if not work.is_visible_to(request.user):
        raise Http404("No such work.")
    listing = list_bookmarks(request, visible_bookmarks(request.user).filter(work=work))
    return render(request, "bookmarks/work_bookmarks.html", {"work": work, "listing": listing})
