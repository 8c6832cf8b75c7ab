"""Archiving for others, Open Doors style: invitations to the creators of an imported archive, and their claims.

An imported creator (ArchivedCreator) is credited "pen name (archived by archivist)" through a
pseud of the archivist's account. Their email gets an invitation with a signed link; through it they
claim the works into a new or existing account, orphan them, or ask for their removal (which is
honoured at once: the works they alone created are hidden and a case opens on the moderation desk).

A creator leaves the unclaimed state once: every resolution starts with a conditional UPDATE of
its status, so of two claims at the same moment exactly one wins and the other is refused, on
SQLite (one writer) and PostgreSQL (the second UPDATE waits for the first, then matches nothing).
Credits move through works.actions.move_credits, so filters, search and downloads follow.
"""

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts.lifecycle import orphan_account
from accounts.models import Pseud, User
from bookmarks.actions import BookmarkExists, create_bookmark
from comments.models import Comment
from community.actions import CommunityError, subscribe
from jobs.queue import enqueue, handler
from lib.mail import MailServerUnavailable, deliver
from migration.models import ArchivedComment, ArchivedCreator, ArchivedFavourite, SourceRecord
from moderation.actions import file_report
from moderation.models import Category, TargetKind
from moderation.targets import Target
from sitecontent.config import site_name
from works import actions as work_actions
from works.models import Creatorship, Series, Work

logger = logging.getLogger(__name__)

SALT = "migration.claim"
LINK_DAYS = 60  # Open Doors gives creators weeks to answer; a new invitation run sends a fresh link.
INVITATION_JOB = "send_claim_invitations"
BATCH = 50  # invitations per background job
PSEUD_NAME_MAX = 40
Status = ArchivedCreator.Status


class ClaimRefused(Exception):
    """The claim can't be made; the message says why. Nothing was changed."""


# Links


def claim_token(creator: ArchivedCreator) -> str:
    return signing.dumps({"c": creator.pk, "e": creator.email.casefold()}, salt=SALT, compress=True)


def claim_url(creator: ArchivedCreator) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("claim", args=[claim_token(creator)])


def creator_for_token(token: str) -> ArchivedCreator:
    """The creator the link was sent to, or ClaimRefused (forged, expired, or their address changed since)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_DAYS * 24 * 3600)
    except signing.SignatureExpired:
        raise ClaimRefused(
            gettext("This claim link has expired. Ask the archive's staff to send you a new invitation.")
        ) from None
    except signing.BadSignature:
        raise ClaimRefused(gettext("This claim link is not valid. Check that you copied the whole link.")) from None
    if not isinstance(data, dict) or not isinstance(data.get("c"), int) or not isinstance(data.get("e"), str):
        raise ClaimRefused(gettext("This claim link is not valid. Check that you copied the whole link."))
    creator = ArchivedCreator.objects.select_related("pseud__user", "archivist", "claimed_by").filter(pk=data["c"])
    found = creator.first()
    if found is None or not found.email or found.email.casefold() != data["e"]:
        raise ClaimRefused(
            gettext("This claim link is for an address these works no longer belong to. Ask the staff for a new one.")
        )
    return found


def works_of(creator: ArchivedCreator) -> QuerySet[Work]:
    if creator.pseud_id is None:
        return Work.objects.none()
    return Work.objects.filter(creatorships__pseud_id=creator.pseud_id).order_by("title_sort", "id")


# Invitations


def queue_invitations(creators: QuerySet[ArchivedCreator], limit: int) -> int:
    """Pick up to `limit` creators not invited yet (with an address, still unclaimed) and queue their emails
    in batches; returns how many. A second run picks the next ones."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            creators.filter(status=Status.UNCLAIMED, invitation_queued_at=None)
            .exclude(email="")
            .order_by("id")
            .values_list("id", flat=True)[:limit]
        )
        ArchivedCreator.objects.filter(pk__in=ids, invitation_queued_at=None).update(invitation_queued_at=now)
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            enqueue(INVITATION_JOB, {"ids": batch}, key=f"{INVITATION_JOB}:{batch[0]}")
    return len(ids)


def invitation_email(creator: ArchivedCreator) -> EmailMessage:
    works = list(works_of(creator).values_list("title", flat=True)[:25])
    context = {
        "creator": creator,
        "works": works,
        "more": max(works_of(creator).count() - len(works), 0),
        "link": claim_url(creator),
        "days": LINK_DAYS,
        "site_name": site_name(),
        "archivist": creator.archivist.username if creator.archivist else "",
    }
    subject = " ".join(render_to_string("emails/claim_invitation_subject.txt", context).split())
    return EmailMessage(subject, render_to_string("emails/claim_invitation.txt", context), to=[creator.email])


@handler(INVITATION_JOB)
def send_claim_invitations(payload: dict[str, Any]) -> None:
    for creator_id in payload.get("ids", []):
        # Claimed before sending: a retried job (or a second worker) never sends it again.
        if not ArchivedCreator.objects.filter(pk=creator_id, invited_at=None).update(invited_at=timezone.now()):
            continue
        creator = ArchivedCreator.objects.select_related("archivist").filter(pk=creator_id).first()
        if creator is None or creator.status != Status.UNCLAIMED or not creator.email:
            continue
        try:
            deliver(invitation_email(creator))  # a refused address is logged there and not retried
        except MailServerUnavailable:
            ArchivedCreator.objects.filter(pk=creator_id).update(invited_at=None)
            raise


# Resolutions


def _take(creator_id: int, status: str, user: User | None = None) -> ArchivedCreator:
    """Move the creator out of 'unclaimed', or refuse: the one statement that decides a race."""
    won = ArchivedCreator.objects.filter(pk=creator_id, status=Status.UNCLAIMED).update(
        status=status, claimed_by=user, resolved_at=timezone.now()
    )
    creator = ArchivedCreator.objects.select_related("pseud__user", "archivist").filter(pk=creator_id).first()
    if creator is None:
        raise ClaimRefused(gettext("There is no such archived creator."))
    if not won:
        raise ClaimRefused(already_resolved(creator))
    return creator


def already_resolved(creator: ArchivedCreator) -> str:
    return {
        Status.CLAIMED: gettext("These works have already been claimed."),
        Status.ORPHANED: gettext("These works have already been orphaned."),
        Status.REMOVAL: gettext("Removal of these works has already been requested."),
    }.get(Status(creator.status), gettext("These works can't be claimed."))


def _claimant_pseud(user: User, pen_name: str) -> Pseud:
    """The claimant's pseud under the old pen name (made if they have none by that name)."""
    name = pen_name[:PSEUD_NAME_MAX].strip() or user.username
    if name.casefold() == user.username.casefold():
        return user.default_pseud
    found = Pseud.objects.filter(user=user, name__iexact=name).first()
    return found or Pseud.objects.create(user=user, name=name)


def _point_old_profile_at(creator: ArchivedCreator, pseud: Pseud) -> None:
    """viewuser.php?uid=N now leads to the pseud the works went to."""
    SourceRecord.objects.update_or_create(
        source=creator.source,
        kind=SourceRecord.Kind.AUTHOR,
        source_id=creator.source_uid,
        defaults={"target_id": pseud.pk},
    )


@dataclass
class ClaimResult:
    creator: ArchivedCreator
    pseud: Pseud
    works: int = 0
    comments: int = 0
    bookmarks: int = 0
    subscriptions: int = 0


def _refuse_archivist(creator: ArchivedCreator, user: User) -> None:
    if creator.pseud is not None and creator.pseud.user_id == user.pk:
        raise ClaimRefused(gettext("These works are archived by your account already: the creator must claim them."))


@transaction.atomic
def claim(creator_id: int, user: User) -> ClaimResult:
    """The creator's works, comments and favourites become `user`'s."""
    creator = _take(creator_id, Status.CLAIMED, user)
    _refuse_archivist(creator, user)  # raising rolls the status back with everything else
    target = _claimant_pseud(user, creator.pen_name)
    result = ClaimResult(creator, target)
    if creator.pseud is not None:
        result.works = len(work_actions.move_credits(creator.pseud, target))
        # Replies the author wrote to reviews, and reviews they wrote as a credited author.
        result.comments += Comment.objects.filter(pseud=creator.pseud).update(pseud=target, user=user)
    result.comments += Comment.objects.filter(
        pk__in=ArchivedComment.objects.filter(creator=creator).values("comment_id")
    ).update(pseud=target, user=user, guest_name="")
    _point_old_profile_at(creator, target)
    _favourites_to_bookmarks(creator, user, target, result)
    return result


def _favourites_to_bookmarks(creator: ArchivedCreator, user: User, pseud: Pseud, result: ClaimResult) -> None:
    records = SourceRecord.objects.filter(source=creator.source)
    for favourite in creator.favourites.order_by("id"):
        data = {"pseud": pseud, "notes": favourite.notes, "private": False, "rec": False, "tags": []}
        if favourite.kind == ArchivedFavourite.Kind.AUTHOR:
            author = ArchivedCreator.objects.filter(source=creator.source, source_uid=favourite.source_id).first()
            if author is not None and author.claimed_by_id is not None and author.status == Status.CLAIMED:
                try:
                    subscribe(user, creator=author.claimed_by)
                    result.subscriptions += 1
                except CommunityError:
                    pass  # a favourite of oneself
            continue
        kind = SourceRecord.Kind.STORY if favourite.kind == ArchivedFavourite.Kind.STORY else SourceRecord.Kind.SERIES
        record = records.filter(kind=kind, source_id=favourite.source_id).first()
        if record is None:
            continue  # never imported (skipped, or not validated on the old archive)
        try:
            if kind == SourceRecord.Kind.STORY:
                work = Work.objects.visible_to(user).filter(pk=record.target_id).first()
                if work is not None:
                    create_bookmark(user, data, work=work)
                    result.bookmarks += 1
            else:
                series = Series.objects.filter(pk=record.target_id).first()
                if series is not None:
                    create_bookmark(user, data, series=series)
                    result.bookmarks += 1
        except BookmarkExists:
            pass  # bookmarked already in the claimant's account


@transaction.atomic
def orphan(creator_id: int) -> ArchivedCreator:
    """The works stay, credited to orphan_account under the old pen name; nobody owns them."""
    creator = _take(creator_id, Status.ORPHANED)
    if creator.pseud is not None:
        orphans = orphan_account()
        name = creator.pen_name[:PSEUD_NAME_MAX].strip() or orphans.username
        target = Pseud.objects.filter(user=orphans, name__iexact=name).first()
        target = target or Pseud.objects.create(user=orphans, name=name)
        work_actions.move_credits(creator.pseud, target)
        _point_old_profile_at(creator, target)
    return creator


@transaction.atomic
def request_removal(creator_id: int, message: str) -> ArchivedCreator:
    """Honoured at once, as Open Doors does: the works they alone created are hidden, and a case on the
    moderation desk asks staff to delete them (and to settle works shared with co-creators)."""
    creator = _take(creator_id, Status.REMOVAL)
    work_ids = list(works_of(creator).values_list("id", flat=True))
    others = Creatorship.objects.filter(work_id__in=work_ids).exclude(pseud=creator.pseud)
    shared = set(others.values_list("work_id", flat=True))
    alone = [work_id for work_id in work_ids if work_id not in shared]
    if alone:
        work_actions.set_hidden(alone, True)
    titles = dict(Work.objects.filter(pk__in=work_ids).values_list("id", "title"))
    hidden = [{"id": work_id, "title": titles[work_id]} for work_id in alone]
    kept = [{"id": work_id, "title": titles[work_id]} for work_id in sorted(shared)]
    snapshot: dict[str, Any] = {
        "name": str(creator.pseud) if creator.pseud else creator.pen_name,
        "pen_name": creator.pen_name,
        "source": creator.source,
        "hidden": hidden,
        "shared": kept,
    }
    owner = creator.pseud.user if creator.pseud else creator.archivist
    target = Target(TargetKind.USER, creator.pen_name, owner.get_absolute_url() if owner else "", snapshot, user=owner)
    description = gettext(
        "Removal request from %(pen_name)s, creator of works archived from %(source)s. "
        "Hidden at once: %(hidden)s. Shared with co-creators (not hidden): %(shared)s."
    ) % {
        "pen_name": creator.pen_name,
        "source": creator.source,
        "hidden": ", ".join(f"“{item['title']}”" for item in hidden) or "—",
        "shared": ", ".join(f"“{item['title']}”" for item in kept) or "—",
    }
    if message.strip():
        description += "\n\n" + message.strip()
    file_report(target, None, creator.email, Category.OTHER, description[:5000])
    return creator
