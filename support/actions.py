"""Every write to the support queue: asking, claiming, internal notes, answering, the member's follow-ups,
closing. Each in one transaction.

Who may work the queue is the views' check (moderation.roles.can_support); these functions refuse
only what is impossible.
"""

from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils.html import escape
from django.utils.translation import gettext

from accounts.models import User
from comments import spam
from community.models import InboxItem
from jobs.queue import enqueue
from support.models import SupportNote, SupportReply, SupportRequest

REPLY_EMAIL_JOB = "send_support_reply_email"
Status = SupportRequest.Status


class SupportError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@transaction.atomic
def ask(user: User | None, email: str, category: str, subject: str, message: str, ip_hash: str) -> SupportRequest:
    """A new request. The pluggable spam check (the comments' one) files spam apart, kept for support to see."""
    # The checker reads sanitized HTML; the message is plain text, so escaped it is exactly that.
    candidate = spam.Candidate(None, user, "", email, escape(f"{subject}\n{message}"), ip_hash)
    return SupportRequest.objects.create(
        user=user,
        email="" if user is not None else email,
        category=category,
        subject=subject,
        message=message,
        status=Status.SPAM if spam.is_spam(candidate) else Status.OPEN,
        ip_hash=ip_hash,
    )


@transaction.atomic
def claim(actor: User, request: SupportRequest) -> None:
    changed = (
        SupportRequest.objects.filter(pk=request.pk)
        .exclude(status=Status.CLOSED)
        .update(status=Status.CLAIMED, claimed_by=actor)
    )
    if not changed:
        raise SupportError(gettext("This request is closed; it cannot be claimed."))


@transaction.atomic
def add_note(actor: User, request: SupportRequest, text: str) -> SupportNote:
    return SupportNote.objects.create(request=request, author=actor, text=text)


@transaction.atomic
def reply(actor: User, request: SupportRequest, text: str) -> SupportReply:
    """Answer the request: into the member's inbox, or by email to a guest (queued, keyed, sent once)."""
    answer = SupportReply.objects.create(request=request, author=actor, text=text)
    SupportRequest.objects.filter(pk=request.pk).update(status=Status.ANSWERED)
    if request.user is not None:
        InboxItem.objects.create(user=request.user, kind=InboxItem.Kind.SUPPORT_REPLY, emailed=True)
    elif request.email:
        enqueue(REPLY_EMAIL_JOB, {"reply_id": answer.pk}, key=f"{REPLY_EMAIL_JOB}:{answer.pk}")
    return answer


@transaction.atomic
def follow_up(member: User, request: SupportRequest, text: str) -> SupportReply:
    """The member who asked writes again on their own request. An answered request goes back to the
    queue (to whoever claimed it, or open); a closed one, or one filed as spam, takes nothing more."""
    back_in_queue = Case(
        When(status=Status.ANSWERED, claimed_by__isnull=True, then=Value(Status.OPEN)),
        When(status=Status.ANSWERED, then=Value(Status.CLAIMED)),
        default=F("status"),
    )
    # One conditional UPDATE: a close at the same moment either comes first (and this refuses) or after.
    reopened = (
        SupportRequest.objects.filter(pk=request.pk, user=member)
        .exclude(status__in=[Status.CLOSED, Status.SPAM])
        .update(status=back_in_queue)
    )
    if not reopened:
        raise SupportError(gettext("This request is closed. Please contact support again with a new request."))
    return SupportReply.objects.create(request=request, author=member, text=text, from_member=True)


@transaction.atomic
def close(actor: User, request: SupportRequest) -> None:
    if not SupportRequest.objects.filter(pk=request.pk).exclude(status=Status.CLOSED).update(status=Status.CLOSED):
        raise SupportError(gettext("This request is already closed."))
