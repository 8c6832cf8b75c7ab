"""Leaving the archive: orphaning works (to the shared `orphan_account`) and deleting one's account.

Every change goes through the apps' own verbs, so the filter index, the search index, the
counters and the download cache follow: works.actions.refresh_work_stats (creator names and
sort keys changed) and delete_work, bookmarks.actions.delete_bookmark, kudos counted down with F().
"""

import shutil
from pathlib import Path

from django.db import transaction
from django.db.models import F

from accounts.export import export_path
from accounts.models import Pseud, User
from bookmarks.actions import delete_bookmark
from community.models import Kudo
from downloads.cache import work_dir
from works.actions import delete_work, refresh_work_stats
from works.filters import note_changed
from works.models import Creatorship, Work

ORPHAN_USERNAME = "orphan_account"


def orphan_account() -> User:
    """The account orphaned works are credited to: it can't log in, its profile lists them."""
    user = User.objects.filter(username=ORPHAN_USERNAME).first()
    if user is None:
        user = User.objects.create_user(username=ORPHAN_USERNAME, email="", password=None)
        Pseud.objects.create(user=user, name=ORPHAN_USERNAME, is_default=True)
    return user


def _orphan_pseud(name: str | None) -> Pseud:
    orphans = orphan_account()
    if not name:
        return orphans.default_pseud
    found = Pseud.objects.filter(user=orphans, name__iexact=name).first()
    return found or Pseud.objects.create(user=orphans, name=name)


@transaction.atomic
def orphan_works(user: User, work_ids: list[int], *, keep_pseud_names: bool) -> int:
    """Credit this user's share of these works to orphan_account (under their pseud's name if they wish)."""
    creatorships = list(
        Creatorship.objects.filter(pseud__user=user, work_id__in=work_ids).select_related("pseud").order_by("id")
    )
    changed: set[int] = set()
    for creatorship in creatorships:
        target = _orphan_pseud(creatorship.pseud.name if keep_pseud_names else None)
        if Creatorship.objects.filter(work_id=creatorship.work_id, pseud=target).exists():
            creatorship.delete()  # two of the user's pseuds on one work become one orphan credit
        else:
            Creatorship.objects.filter(pk=creatorship.pk).update(pseud=target)
        changed.add(creatorship.work_id)
    for work in Work.objects.filter(pk__in=changed):
        # Creator names and sort keys changed: filters, search and download versions follow.
        refresh_work_stats(work)
    return len(changed)


def _remove_files(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _remove_downloads(work_ids: set[int]) -> None:
    for work_id in work_ids:
        shutil.rmtree(work_dir(work_id), ignore_errors=True)


def _solely_theirs(user: User, work_ids: set[int]) -> set[int]:
    shared = (
        Creatorship.objects.filter(work_id__in=work_ids).exclude(pseud__user=user).values_list("work_id", flat=True)
    )
    return work_ids - set(shared)


@transaction.atomic
def delete_account(user: User, *, delete_works: bool, keep_pseud_names: bool) -> None:
    """Delete the account: its works deleted or orphaned, its kudos and bookmarks removed.

    Its comments stay, signed "(deleted account)" (the database sets their user and pseud to null).
    """
    work_ids = set(Creatorship.objects.filter(pseud__user=user).values_list("work_id", flat=True))
    if delete_works:
        # Works shared with co-creators stay theirs; only the works that are wholly this user's go.
        sole = _solely_theirs(user, work_ids)
        for work in Work.objects.filter(pk__in=sole):
            delete_work(work)
        # The deleted works' downloads go too, once the deletion is committed.
        transaction.on_commit(lambda: _remove_downloads(sole))
        Creatorship.objects.filter(pseud__user=user).delete()
        for work in Work.objects.filter(pk__in=work_ids - sole):
            refresh_work_stats(work)
    else:
        orphan_works(user, list(work_ids), keep_pseud_names=keep_pseud_names)
    kudos_on = list(Kudo.objects.filter(user=user).values_list("work_id", flat=True))
    Kudo.objects.filter(user=user).delete()
    # One kudos per user per work, so each of these works loses exactly one.
    Work.objects.filter(pk__in=kudos_on, kudos_count__gt=0).update(kudos_count=F("kudos_count") - 1)
    note_changed(kudos_on)
    for bookmark in user.bookmarks.all():
        delete_bookmark(bookmark)
    exports = [export_path(export) for export in user.data_exports.all()]
    transaction.on_commit(lambda: _remove_files(exports))
    user.delete()
