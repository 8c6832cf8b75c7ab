"""Invitations: codes staff issue, members' allotments, and the request queue released in order."""

import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.emails import queue_email
from accounts.models import Invitation, InviteRequest, User
from jobs.queue import handler
from sitecontent.config import archive_settings, forget_settings
from sitecontent.models import SignupMode, SiteSettings

# One batch of "release N now" or of codes issued at once.
MAX_BATCH = 500


def _code() -> str:
    return secrets.token_urlsafe(15)


def usable_invitation(code: str) -> Invitation | None:
    code = code.strip()
    if not code or len(code) > 32:
        return None
    return Invitation.objects.filter(code=code, used_by=None).first()


def claim(invitation: Invitation, user: User) -> bool:
    """Mark the invitation used by this new account; False if someone else used it first (a conditional UPDATE)."""
    return bool(Invitation.objects.filter(pk=invitation.pk, used_by=None).update(used_by=user, used_at=timezone.now()))


def issue(creator: User, count: int, email: str = "") -> list[Invitation]:
    """Staff's invitations (any number); each is emailed when given an address."""
    invitations = [Invitation.objects.create(code=_code(), created_by=creator, email=email) for _ in range(count)]
    if email:
        for invitation in invitations:
            _send(invitation)
    return invitations


def allotment_left(user: User) -> int:
    if user.is_staff:
        return MAX_BATCH
    used = Invitation.objects.filter(created_by=user).count()
    return max(0, archive_settings().invitations_per_user - used)


@transaction.atomic
def invite_by_member(user: User, email: str) -> Invitation | None:
    """One invitation from the member's allotment, or None when it is spent."""
    # Lock the member's row so two invitations at once can't both take the last one.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if allotment_left(user) <= 0:
        return None
    invitation = Invitation.objects.create(code=_code(), created_by=user, email=email)
    if email:
        _send(invitation)
    return invitation


def _send(invitation: Invitation) -> None:
    queue_email(invitation.email, "invitation", {"invitation": invitation, "inviter": invitation.created_by})


# The queue


def join_queue(email: str) -> tuple[InviteRequest, bool]:
    """Add an address to the queue; (the request, True) if new. An address already there gets its link again."""
    try:
        with transaction.atomic():
            request = InviteRequest.objects.create(email=email, token=secrets.token_urlsafe(18))
    except IntegrityError:
        request = InviteRequest.objects.get(email__iexact=email)
        queue_email(request.email, "queue_joined", {"queued": request})
        return request, False
    queue_email(request.email, "queue_joined", {"queued": request})
    return request, True


def position(request: InviteRequest) -> int | None:
    """1 for the next to be invited; None once invited."""
    if request.invitation_id is not None:
        return None
    return InviteRequest.objects.filter(invitation=None, id__lte=request.pk).count()


def waiting() -> int:
    return InviteRequest.objects.filter(invitation=None).count()


def release(count: int) -> int:
    """Invite the `count` oldest waiting requests; returns how many were invited."""
    released = 0
    for request in InviteRequest.objects.filter(invitation=None).order_by("id")[: min(count, MAX_BATCH)]:
        with transaction.atomic():
            invitation = Invitation.objects.create(code=_code(), email=request.email)
            # Conditional: two releases at once never invite the same request twice.
            if not InviteRequest.objects.filter(pk=request.pk, invitation=None).update(
                invitation=invitation, released_at=timezone.now()
            ):
                transaction.set_rollback(True)
                continue
            _send(invitation)
        released += 1
    return released


@handler("release_queued_invitations")
def _release_daily_job(payload: dict[str, object]) -> None:
    release_daily()


def release_daily(now: datetime | None = None) -> int:
    """The automatic release: once a day, queue_release_per_day invitations. Safe to call from every worker."""
    now = now or timezone.now()
    config = archive_settings()
    if config.signup_mode != SignupMode.QUEUE or config.queue_release_per_day <= 0:
        return 0
    due = Q(queue_released_at=None) | Q(queue_released_at__lte=now - timedelta(days=1))
    # Whoever moves the timestamp releases: a second worker finds it already moved.
    if not SiteSettings.objects.filter(due, pk=1).update(queue_released_at=now):
        return 0
    forget_settings()
    return release(config.queue_release_per_day)
