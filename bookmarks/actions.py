"""Creating, editing and deleting bookmarks, keeping Work.bookmarks_count (public bookmarks) in step."""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
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
    if not bookmark.private:
        _count(bookmark, +1)
    return bookmark


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
    was_public = not locked.private
    _apply(bookmark, data)
    target = bookmark.work or bookmark.series
    if target is not None:
        bookmark.title_snapshot = target.title[:255]
    bookmark.save()
    bookmark.tags.set(_tags(data["tags"]))
    if was_public != (not bookmark.private):
        _count(bookmark, -1 if bookmark.private else +1)
    return bookmark


@transaction.atomic
def delete_bookmark(bookmark: Bookmark) -> None:
    locked = _locked(bookmark)
    if locked is None:
        return  # deleted by a request just before this one
    if not locked.private:
        _count(locked, -1)
    locked.delete()


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
    """Public bookmarks are counted on the work; listings sorted by bookmarks follow through note_changed."""
    if bookmark.work_id is None:
        return
    works = Work.objects.filter(pk=bookmark.work_id)
    if delta < 0:
        works = works.filter(bookmarks_count__gte=-delta)
    works.update(bookmarks_count=F("bookmarks_count") + delta)
    note_changed([bookmark.work_id])
