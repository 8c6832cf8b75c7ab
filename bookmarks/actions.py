"""Creating, editing, deleting and hiding bookmarks, keeping Work.bookmarks_count in step.

The count is of the bookmarks other readers see: public and not hidden by the moderators.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.http import Http404

from accounts.models import User
from bookmarks.models import Bookmark
from tags.actions import find_or_create_tags
from tags.models import Tag, TagType, tag_name_key
from works.filters import note_changed
from works.models import Series, Work


class BookmarkExists(Exception):
    """The user has bookmarked this already (a double submission)."""


@transaction.atomic
def create_bookmark(
    user: User, data: dict[str, Any], *, work: Work | None = None, series: Series | None = None
) -> Bookmark:
    target = work or series
    assert target is not None and (work is None or series is None)
    bookmark = Bookmark(user=user, work=work, series=series, title_snapshot=target.title[:255])
    _apply(bookmark, data)
    try:
        with transaction.atomic():
            bookmark.save()
    except IntegrityError:
        raise BookmarkExists from None
    bookmark.tags.set(_tags(data["tags"]))
    if _counted(bookmark):
        _count(bookmark, +1)
    return bookmark


def _counted(bookmark: Bookmark) -> bool:
    return not bookmark.private and not bookmark.hidden_by_admin


def _locked(bookmark: Bookmark) -> Bookmark | None:
    """The bookmark's row as committed now, locked until the transaction ends (None: deleted meanwhile).

    Counts are decided from this row, never from the copy the view loaded: two requests at
    once would both see "public" and both count the change."""
    return Bookmark.objects.select_for_update().filter(pk=bookmark.pk).first()


@transaction.atomic
def update_bookmark(bookmark: Bookmark, data: dict[str, Any]) -> Bookmark:
    locked = _locked(bookmark)
    if locked is None:
        raise Http404("The bookmark was deleted meanwhile.")
    was_counted = _counted(locked)
    _apply(bookmark, data)
    # The moderators' flag as committed, never the view's copy (a ban may have hidden it meanwhile).
    bookmark.hidden_by_admin = locked.hidden_by_admin
    target = bookmark.work or bookmark.series
    if target is not None:
        bookmark.title_snapshot = target.title[:255]
    bookmark.save(update_fields=["pseud", "notes", "private", "rec", "title_snapshot", "updated_at"])
    bookmark.tags.set(_tags(data["tags"]))
    if was_counted != _counted(bookmark):
        _count(bookmark, +1 if _counted(bookmark) else -1)
    return bookmark


@transaction.atomic
def delete_bookmark(bookmark: Bookmark) -> None:
    locked = _locked(bookmark)
    if locked is None:
        return  # deleted by a request just before this one
    if _counted(locked):
        _count(locked, -1)
    locked.delete()


@transaction.atomic
def set_hidden(bookmark_ids: list[int], hidden: bool) -> list[int]:
    """Hide (or show again) these bookmarks for everyone but their bookmarker; the ids changed.

    Rows are locked in id order and the counts decided from them, so an edit or delete of the
    same bookmark at the same moment is counted once, before or after."""
    rows = list(
        Bookmark.objects.select_for_update()
        .filter(pk__in=bookmark_ids, hidden_by_admin=not hidden)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not rows:
        return []
    Bookmark.objects.filter(pk__in=rows).update(hidden_by_admin=hidden)
    per_work = list(
        Bookmark.objects.filter(pk__in=rows, private=False, work__isnull=False)
        .values("work_id")
        .annotate(n=Count("pk"))
        .order_by("work_id")
    )
    for row in per_work:
        works = Work.objects.filter(pk=row["work_id"])
        if hidden:
            works = works.filter(bookmarks_count__gte=row["n"])
        works.update(bookmarks_count=F("bookmarks_count") + (-row["n"] if hidden else row["n"]))
    note_changed([row["work_id"] for row in per_work])
    return rows


def delete_bookmarks_of(user: User, delete_works: bool, keep_pseud_names: bool) -> None:
    """The user is deleting their account (accounts.hooks.account_deleting): their bookmarks go, counted down."""
    for bookmark in user.bookmarks.all():
        delete_bookmark(bookmark)


def _apply(bookmark: Bookmark, data: dict[str, Any]) -> None:
    bookmark.pseud = data["pseud"]
    bookmark.notes = data["notes"]
    bookmark.private = data["private"]
    bookmark.rec = data["rec"]


def _tags(names: list[str]) -> list[Tag]:
    """The bookmarker's tags: existing tags of any type as they are, new names as additional tags."""
    existing = {t.name_key: t for t in Tag.objects.filter(name_key__in=[tag_name_key(n) for n in names])}
    missing = [name for name in names if tag_name_key(name) not in existing]
    return list(existing.values()) + find_or_create_tags(missing, TagType.FREEFORM)


def _count(bookmark: Bookmark, delta: int) -> None:
    """Counted bookmarks are counted on the work; listings sorted by bookmarks follow through note_changed."""
    if bookmark.work_id is None:
        return
    works = Work.objects.filter(pk=bookmark.work_id)
    if delta < 0:
        works = works.filter(bookmarks_count__gte=-delta)
    works.update(bookmarks_count=F("bookmarks_count") + delta)
    note_changed([bookmark.work_id])
