"""Writes for reader engagement: kudos, subscriptions, reading history, blocks and mutes.

Each verb runs in one transaction and refuses what is not allowed with a
CommunityError whose message is shown to the reader.
"""

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from accounts.models import User
from accounts.reader import reader_changed, readers_changed
from community.models import MAX_BLOCKED, MAX_MUTED, Block, Kudo, Mute, Reading, Subscription
from community.muting import blocked_by_creators
from lib.hashing import keyed_hash
from sitecontent.config import archive_settings
from works.access import is_creator
from works.filters import note_changed
from works.models import Chapter, Series, Work


class CommunityError(Exception):
    """An action was refused; the message says why, for the reader."""

    @property
    def message(self) -> str:
        return str(self.args[0])


# Kudos


def guest_hash(address: str) -> str:
    """Tells guests apart for kudos without storing their address: a keyed hash, as works.hits does for hits."""
    return keyed_hash(f"kudos|{address}")


@transaction.atomic
def leave_kudos(work: Work, user: User | None, address: str = "") -> Kudo:
    """One kudos per work per user (or per guest address); never on one's own work or from a blocked user."""
    if not work.is_published:
        raise CommunityError(gettext("You can't leave kudos on this work."))
    if user is None:
        if not archive_settings().guest_kudos:
            raise CommunityError(gettext("Only logged-in users can leave kudos on this archive. Please log in."))
        if not work.is_visible_to(AnonymousUser()):
            raise CommunityError(gettext("Only logged-in users can leave kudos on this work. Please log in."))
    else:
        if is_creator(user, work):
            raise CommunityError(gettext("You can't leave kudos on your own work."))
        if blocked_by_creators(user, work):
            raise CommunityError(gettext("Sorry, you have been blocked by one of this work's creators."))
    try:
        # A savepoint, so a duplicate leaves the outer transaction usable on PostgreSQL.
        with transaction.atomic():
            kudo = Kudo.objects.create(work=work, user=user, guest_hash="" if user else guest_hash(address))
    except IntegrityError:
        raise CommunityError(gettext("You have already left kudos here. :)")) from None
    # F(): the increment happens in the database, so concurrent kudos are never lost.
    Work.objects.filter(pk=work.pk).update(kudos_count=F("kudos_count") + 1)
    note_changed([work.pk])
    return kudo


# Subscriptions


@transaction.atomic
def subscribe(
    user: User, *, work: Work | None = None, creator: User | None = None, series: Series | None = None
) -> Subscription:
    if creator is not None and creator.pk == user.pk:
        raise CommunityError(gettext("You can't subscribe to yourself."))
    if work is not None and is_creator(user, work):
        raise CommunityError(gettext("You can't subscribe to your own work."))
    subscription, _created = Subscription.objects.get_or_create(user=user, work=work, creator=creator, series=series)
    return subscription


@transaction.atomic
def unsubscribe(subscription: Subscription) -> None:
    subscription.delete()


# Reading history and Marked for Later


def record_visit(user: User, work: Work, chapter: Chapter | None) -> None:
    """Count a visit in the reader's history; `chapter` is the one read (None for the entire work)."""
    if not user.history_enabled:
        return
    now = timezone.now()
    changes: dict[str, object] = {"last_visited": now, "visit_count": F("visit_count") + 1}
    if chapter is not None:
        changes["last_chapter"] = chapter
    with transaction.atomic():
        if Reading.objects.filter(user=user, work=work).update(**changes):
            return
        try:
            with transaction.atomic():
                Reading.objects.create(user=user, work=work, last_chapter=chapter, last_visited=now, visit_count=1)
        except IntegrityError:
            # The same reader's other tab got there first.
            Reading.objects.filter(user=user, work=work).update(**changes)


@transaction.atomic
def mark_for_later(user: User, work: Work) -> None:
    Reading.objects.update_or_create(user=user, work=work, defaults={"marked_for_later": True})


@transaction.atomic
def mark_as_read(user: User, work: Work) -> None:
    """Take the work off the Marked for Later list (its history, if any, stays)."""
    Reading.objects.filter(user=user, work=work).update(marked_for_later=False)
    Reading.objects.filter(user=user, work=work, last_visited__isnull=True).delete()


@transaction.atomic
def clear_history(user: User) -> None:
    """Forget every visit; works marked for later stay on that list."""
    Reading.objects.filter(user=user, marked_for_later=False).delete()
    Reading.objects.filter(user=user).update(last_visited=None, visit_count=0, last_chapter=None)


# Blocking and muting


def _relate(owner: User, other: User, model: type[Block] | type[Mute], limit: int, verb: str) -> None:
    """Record that `owner` blocks or mutes `other`: the same rules and caps for both (as AO3)."""
    owner_field, other_field = ("blocker", "blocked") if model is Block else ("muter", "muted")
    blocking = model is Block
    if owner.pk == other.pk:
        raise CommunityError(gettext("You can't block yourself.") if blocking else gettext("You can't mute yourself."))
    # The owner's row, locked: two blocks at once by one user queue here, so the cap holds
    # and the second finds the first (SQLite's IMMEDIATE transactions queue them anyway).
    list(User.objects.select_for_update().filter(pk=owner.pk).values_list("pk", flat=True))
    if model.objects.filter(**{owner_field: owner, other_field: other}).exists():
        return
    if model.objects.filter(**{owner_field: owner}).count() >= limit:
        if blocking:
            message = gettext("You can block at most %(count)s users. Unblock someone first.")
        else:
            message = gettext("You can mute at most %(count)s users. Unmute someone first.")
        raise CommunityError(message % {"count": number_format(limit, force_grouping=True)})
    try:
        with transaction.atomic():
            model.objects.create(**{owner_field: owner, other_field: other})
    except IntegrityError:
        return  # made at the same moment by another request: done either way


@transaction.atomic
def block_user(blocker: User, blocked: User) -> None:
    _relate(blocker, blocked, Block, MAX_BLOCKED, "block")


@transaction.atomic
def unblock_user(blocker: User, blocked: User) -> None:
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()


@transaction.atomic
def mute_user(muter: User, muted: User) -> None:
    # Pages read the mute list from the reader's record (accounts.reader): its version moves with it.
    _relate(muter, muted, Mute, MAX_MUTED, "mute")
    reader_changed(muter)


@transaction.atomic
def unmute_user(muter: User, muted: User) -> None:
    Mute.objects.filter(muter=muter, muted=muted).delete()
    reader_changed(muter)


def forget_mutes_of(user: User, delete_works: bool, keep_pseud_names: bool) -> None:
    """The user is deleting their account (accounts.hooks.account_deleting): their mutes of others
    go with it, and so does every mute of them, from their muters' records."""
    readers_changed(Mute.objects.filter(muted=user).values("muter_id"))


def forget_kudos_of(user: User, delete_works: bool, keep_pseud_names: bool) -> None:
    """The user is deleting their account (accounts.hooks.account_deleting): their kudos go, counted down."""
    kudos_on = list(Kudo.objects.filter(user=user).values_list("work_id", flat=True))
    Kudo.objects.filter(user=user).delete()
    # One kudos per user per work, so each of these works loses exactly one.
    Work.objects.filter(pk__in=kudos_on, kudos_count__gt=0).update(kudos_count=F("kudos_count") - 1)
    note_changed(kudos_on)
