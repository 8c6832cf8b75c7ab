"""Leaving the archive: the shared `orphan_account` orphaned works are credited to, and deleting one's account.

Every change goes through the apps' own verbs, so the filter index, the search index, the
counters and the download cache follow. accounts never imports those apps: deleting an account
calls the `accounts.hooks.account_deleting` hook, which they fill from AppConfig.ready() —
works (its works deleted or orphaned, works.actions.remove_creator, and their downloads through
works.hooks.works_purged), bookmarks (delete_bookmarks_of) and community (forget_kudos_of).
Orphaning works is works.actions.orphan_works.
"""

from pathlib import Path

from django.db import transaction

from accounts import hooks
from accounts.export import export_path
from accounts.models import Pseud, User

ORPHAN_USERNAME = "orphan_account"


def orphan_account() -> User:
    """The account orphaned works are credited to: it can't log in, its profile lists them."""
    user = User.objects.filter(username=ORPHAN_USERNAME).first()
    if user is None:
        user = User.objects.create_user(username=ORPHAN_USERNAME, email="", password=None)
        Pseud.objects.create(user=user, name=ORPHAN_USERNAME, is_default=True)
    return user


def orphan_pseud(name: str | None) -> Pseud:
    """The orphan_account pseud a work is credited to: plain, or under the leaving pseud's name."""
    orphans = orphan_account()
    if not name:
        return orphans.default_pseud
    found = Pseud.objects.filter(user=orphans, name__iexact=name).first()
    return found or Pseud.objects.create(user=orphans, name=name)


def _remove_files(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


@transaction.atomic
def delete_account(user: User, *, delete_works: bool, keep_pseud_names: bool) -> None:
    """Delete the account: its works deleted or orphaned, its kudos and bookmarks removed.

    Its comments stay, signed "(deleted account)" (the database sets their user and pseud to null).
    """
    hooks.account_deleting(user, delete_works, keep_pseud_names)
    exports = [export_path(export) for export in user.data_exports.all()]
    transaction.on_commit(lambda: _remove_files(exports))
    user.delete()
