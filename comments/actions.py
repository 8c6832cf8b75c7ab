"""Every write to comments: post, edit, delete, approve, reject, mark as spam. Each runs in one transaction.

Who may comment is decided here and nowhere else: the work must be readable by
the commenter (works.access), its comment setting must let them in, none of its
creators may have blocked them, and the author of the comment they reply to
must not have blocked them either. `Work.comments_count` counts published
comments only and moves by F() updates guarded by a conditional status change,
so concurrent posts and deletions never lose or double a count.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Pseud, User
from accounts.verification import posting_refusal
from comments import ratelimit, spam
from comments.models import COMMENT_MAX, Comment
from community.models import Block, InboxItem, Mute
from jobs.queue import enqueue
from lib.html import clean_html
from sitecontent.config import archive_settings
from works.access import AnyUser, get_work_for_reader, readable_chapters
from works.filters import note_changed
from works.models import Chapter, Creatorship, Work

EMAIL_JOB = "send_comment_emails"
GUEST_NAME_MAX = 100

Status = Comment.Status
# Comments whose text someone may still see (the author, or creators reviewing it).
LIVE = (Status.PUBLISHED, Status.UNREVIEWED)


class CommentRefused(Exception):
    """This person may not do this; the message is shown to them as it is."""

    status_code = 403


class CommentRateLimited(CommentRefused):
    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


OFF_MESSAGE = _("Sorry, this work doesn't allow comments.")
GUESTS_MESSAGE = _("Sorry, this work doesn't allow non-Archive users to comment. Log in to leave a comment.")
BLOCKED_MESSAGE = _("Sorry, you have been blocked by one or more of this work's creators.")
REPLY_BLOCKED_MESSAGE = _("Sorry, you have been blocked by that comment's author, so you can't reply to it.")
UNPOSTED_MESSAGE = _("Comments open when the work is posted.")
ARCHIVE_GUESTS_MESSAGE = _("Sorry, guests can't comment on this archive. Log in to leave a comment.")
RATE_MESSAGE = _("You have posted a lot of comments in a short time. Please wait a few minutes and try again.")


@dataclass(frozen=True)
class CleanInput:
    guest_name: str
    guest_email: str
    content: str  # sanitized HTML, ready to store


def creator_ids(work: Work) -> set[int]:
    return set(Creatorship.objects.filter(work=work).values_list("pseud__user_id", flat=True))


def blockers_of(user: AnyUser) -> set[int]:
    """Users who have blocked this one (nobody blocks a guest)."""
    if not user.is_authenticated:
        return set()
    return set(Block.objects.filter(blocked_id=user.pk).values_list("blocker_id", flat=True))


def comment_refusal(work: Work, user: AnyUser, creators: set[int], blockers: set[int]) -> str | None:
    """Why this person may not comment on the work at all, or None if they may."""
    if not work.is_published:
        # Only its creators (and staff) can see such a work, and there is nobody to talk to yet.
        return str(UNPOSTED_MESSAGE)
    if work.comment_permission == Work.CommentPermission.OFF:
        return str(OFF_MESSAGE)
    if not user.is_authenticated:
        if not archive_settings().guest_comments:
            return str(ARCHIVE_GUESTS_MESSAGE)
        if work.comment_permission == Work.CommentPermission.REGISTERED:
            return str(GUESTS_MESSAGE)
        return None
    unverified = posting_refusal(user)
    if unverified:
        return unverified
    if creators & blockers:
        return str(BLOCKED_MESSAGE)
    return None


def clean_comment_input(*, guest: bool, guest_name: str, guest_email: str, content: str) -> CleanInput:
    """The posted fields, checked and sanitized; a ValidationError names each field in trouble."""
    errors: dict[str, str] = {}  # gettext, not lazy: messages in the language of this request
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    cleaned = ""
    if len(content) > COMMENT_MAX:
        errors["content"] = gettext("Comment must be at most %(maximum)s characters long (it has %(count)s).") % {
            "maximum": number_format(COMMENT_MAX, force_grouping=True),
            "count": number_format(len(content), force_grouping=True),
        }
    else:
        cleaned = clean_html(content)
        if not cleaned:
            errors["content"] = gettext("Comment can't be blank.")
    name = " ".join(guest_name.split()) if guest else ""
    email = guest_email.strip() if guest else ""
    if guest:
        if not name:
            errors["guest_name"] = gettext("Please enter your name.")
        elif len(name) > GUEST_NAME_MAX:
            errors["guest_name"] = gettext("Your name must be at most %(count)s characters long.") % {
                "count": GUEST_NAME_MAX
            }
        if not email:
            errors["guest_email"] = gettext("Please enter your email address.")
        else:
            try:
                validate_email(email)
            except ValidationError:
                errors["guest_email"] = gettext("Please enter a valid email address.")
    if errors:
        raise ValidationError(errors)
    return CleanInput(guest_name=name, guest_email=email, content=cleaned)


@transaction.atomic
def post_comment(
    work: Work,
    chapter: Chapter | None,
    parent: Comment | None,
    user: User | None,
    pseud: Pseud | None,
    guest_name: str,
    guest_email: str,
    content: str,
    ip_hash: str,
) -> Comment:
    """Post a comment on a chapter (or on the work as a whole), or a reply to `parent`.

    Raises Http404 / LoginRequiredForWork (from works.access) when the commenter may not
    read the work, CommentRefused when they may not comment, ValidationError for bad input.
    A spammy comment is stored as SPAM; on a moderated work, one by anyone but a creator
    waits as UNREVIEWED. Only published comments count and notify the parent's author.
    """
    reader: AnyUser = user if user is not None else AnonymousUser()
    work = get_work_for_reader(reader, work.pk)
    creators = creator_ids(work)
    if parent is not None and (parent.work_id != work.pk or parent.status != Status.PUBLISHED):
        raise CommentRefused(gettext("That comment can't be replied to."))
    # Replies stay with the chapter of the comment they answer.
    chapter_id = parent.chapter_id if parent is not None else (chapter.pk if chapter is not None else None)
    if chapter_id is not None and not readable_chapters(work, reader).filter(pk=chapter_id).exists():
        raise CommentRefused(gettext("That chapter can't be commented on."))
    blockers = blockers_of(reader)
    refusal = comment_refusal(work, reader, creators, blockers)
    if refusal:
        raise CommentRefused(refusal)
    if parent is not None and parent.user_id is not None and parent.user_id in blockers:
        raise CommentRefused(str(REPLY_BLOCKED_MESSAGE))
    if user is not None:
        if pseud is None:
            pseud = user.default_pseud
        elif pseud.user_id != user.pk:
            raise ValidationError({"pseud": gettext("Choose one of your own pseuds.")})
    fields = clean_comment_input(guest=user is None, guest_name=guest_name, guest_email=guest_email, content=content)
    limited = ratelimit.take_comment_slot(user.pk if user else None, ip_hash)
    if limited is not None:
        message = limited.message if limited.unavailable else str(RATE_MESSAGE)
        raise CommentRateLimited(message, limited.retry_after)
    by_creator = user is not None and user.pk in creators
    candidate = spam.Candidate(work, user, fields.guest_name, fields.guest_email, fields.content, ip_hash)
    if not by_creator and spam.is_spam(candidate):
        status = Status.SPAM
    elif work.moderated_comments and not by_creator:
        status = Status.UNREVIEWED
    else:
        status = Status.PUBLISHED
    comment = Comment.objects.create(
        work=work,
        chapter_id=chapter_id,
        parent=parent,
        thread_id=parent.thread_id if parent is not None else None,
        depth=parent.depth + 1 if parent is not None else 0,
        user=user,
        pseud=pseud,
        guest_name=fields.guest_name,
        guest_email=fields.guest_email,
        content=fields.content,
        status=status,
        ip_hash=ip_hash,
    )
    if parent is None:
        comment.thread_id = comment.pk
        comment.save(update_fields=["thread"])
    if status == Status.PUBLISHED:
        _count(work.pk, +1)
        _deliver(comment, creators, to_creators=True, to_parent=True)
    elif status == Status.UNREVIEWED:
        # Creators hear of it at once, to review it; the parent's author only once it is approved.
        _deliver(comment, creators, to_creators=True, to_parent=False)
    return comment


@transaction.atomic
def edit_comment(comment: Comment, user: AnyUser, content: str) -> Comment:
    """The author rewrites their comment; it is marked edited (and checked for spam again)."""
    comment = _locked(comment)
    if not can_edit(comment, user):
        raise CommentRefused(gettext("Only the comment's author can edit it."))
    get_work_for_reader(user, comment.work_id)
    fields = clean_comment_input(guest=False, guest_name="", guest_email="", content=content)
    assert isinstance(user, User)
    comment.content = fields.content
    comment.edited_at = timezone.now()
    comment.save(update_fields=["content", "edited_at"])
    by_creator = user.pk in creator_ids(comment.work)
    candidate = spam.Candidate(comment.work, user, "", "", fields.content, comment.ip_hash)
    if not by_creator and spam.is_spam(candidate):
        _change_status(comment, Status.SPAM)
    return comment


@transaction.atomic
def delete_comment(comment: Comment, user: AnyUser) -> None:
    """Delete a comment (its author, a creator of the work, or staff).

    The row stays, emptied, so replies keep their place under "(Previous comment deleted.)".
    """
    comment = _locked(comment)
    if comment.status == Status.DELETED:
        # Already gone (say, a second click that waited for the first): nothing to do.
        return
    if not can_delete(comment, user, creator_ids(comment.work)):
        raise CommentRefused(gettext("Only the comment's author or the work's creators can delete it."))
    _delete(comment)


@transaction.atomic
def approve_comment(comment: Comment, user: AnyUser) -> None:
    """A creator lets a comment waiting on their moderated work through."""
    comment = _locked(comment)
    creators = creator_ids(comment.work)
    if user.pk not in creators:
        raise CommentRefused(gettext("Only the work's creators can approve its comments."))
    if comment.status != Status.UNREVIEWED:
        return
    _change_status(comment, Status.PUBLISHED)
    _deliver(comment, creators, to_creators=False, to_parent=True)


@transaction.atomic
def reject_comment(comment: Comment, user: AnyUser) -> None:
    """A creator turns away a comment waiting for review: it is deleted, never shown."""
    comment = _locked(comment)
    if user.pk not in creator_ids(comment.work):
        raise CommentRefused(gettext("Only the work's creators can reject its comments."))
    if comment.status != Status.UNREVIEWED:
        raise CommentRefused(gettext("Only comments waiting for review can be rejected."))
    delete_comment(comment, user)


@transaction.atomic
def mark_spam(comment: Comment, user: AnyUser) -> None:
    """A creator of the work (or staff) marks a comment as spam: hidden from everyone, no longer counted."""
    comment = _locked(comment)
    if not (user.is_staff or user.pk in creator_ids(comment.work)):
        raise CommentRefused(gettext("Only the work's creators can mark its comments as spam."))
    if comment.status not in LIVE:
        return
    _change_status(comment, Status.SPAM)


# For the moderation desk: the caller (moderation.actions) has checked the moderator's role.


@transaction.atomic
def hide_by_moderator(comment: Comment) -> None:
    comment = _locked(comment)
    if comment.status in LIVE:
        _change_status(comment, Status.HIDDEN)


@transaction.atomic
def unhide_by_moderator(comment: Comment) -> None:
    comment = _locked(comment)
    if comment.status == Status.HIDDEN:
        _change_status(comment, Status.PUBLISHED)


@transaction.atomic
def delete_by_moderator(comment: Comment) -> None:
    comment = _locked(comment)
    if comment.status != Status.DELETED:
        _delete(comment)


def recount_comments(work_id: int) -> None:
    """Set the work's count from its rows, in one UPDATE (after its chapters' comments went with a chapter)."""
    published = (
        Comment.objects.filter(work_id=OuterRef("pk"), status=Status.PUBLISHED)
        .order_by()
        .values("work_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Work.objects.filter(pk=work_id).update(comments_count=Coalesce(Subquery(published), Value(0)))
    note_changed([work_id])


# Permission checks shared with the views (which show or hide the links)


def can_edit(
    comment: Comment, user: AnyUser, creators: set[int] | None = None, blockers: set[int] | None = None
) -> bool:
    """The author may edit a live comment, unless a creator of the work has blocked them since (as AO3)."""
    if not (user.is_authenticated and comment.user_id == user.pk and comment.status in LIVE):
        return False
    creators = creator_ids(comment.work) if creators is None else creators
    blockers = blockers_of(user) if blockers is None else blockers
    return not (creators & blockers)


def can_delete(comment: Comment, user: AnyUser, creators: set[int]) -> bool:
    if not user.is_authenticated or comment.status == Status.DELETED:
        return False
    return comment.user_id == user.pk or user.pk in creators or user.is_staff


# Internals


def _locked(comment: Comment) -> Comment:
    # Row lock on PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers.
    return Comment.objects.select_for_update().select_related("work").get(pk=comment.pk)


def _change_status(comment: Comment, new: str) -> None:
    """Move a comment to another status, adjusting the work's count if it enters or leaves PUBLISHED.

    The UPDATE is conditional on the status read, so of two concurrent changes only one moves the count.
    """
    old = comment.status
    if old == new:
        return
    changed = Comment.objects.filter(pk=comment.pk, status=old).update(status=new)
    comment.status = new
    if not changed:
        return
    if new != Status.PUBLISHED and old == Status.PUBLISHED:
        _count(comment.work_id, -1)
    elif new == Status.PUBLISHED:
        _count(comment.work_id, +1)
    if new not in LIVE:
        # Nobody should be told about a comment that is gone.
        InboxItem.objects.filter(comment=comment).delete()


def _delete(comment: Comment) -> None:
    _change_status(comment, Status.DELETED)
    comment.content = ""
    comment.guest_email = ""
    comment.save(update_fields=["content", "guest_email"])


def _count(work_id: int, delta: int) -> None:
    Work.objects.filter(pk=work_id).update(comments_count=Greatest(F("comments_count") + delta, 0))
    # Listings sort by comments from the in-memory filter index, which follows this log.
    note_changed([work_id])


def _deliver(comment: Comment, creators: set[int], *, to_creators: bool, to_parent: bool) -> None:
    """Inbox items for the work's creators and for the author of the comment replied to, then the email job."""
    recipients: dict[int, str] = {}
    parent = comment.parent
    if to_creators:
        for user_id in creators:
            recipients[user_id] = InboxItem.Kind.COMMENT
    if to_parent and parent is not None and parent.user_id is not None:
        recipients[parent.user_id] = InboxItem.Kind.REPLY
        if not to_creators and parent.user_id in creators:
            # Creators were told when the comment arrived for review.
            del recipients[parent.user_id]
    if comment.user_id is not None:
        recipients.pop(comment.user_id, None)
        # Someone who muted the commenter hears nothing from them.
        for muter_id in Mute.objects.filter(muted_id=comment.user_id, muter_id__in=list(recipients)).values_list(
            "muter_id", flat=True
        ):
            recipients.pop(muter_id, None)
    if not recipients:
        return
    InboxItem.objects.bulk_create(
        [
            InboxItem(
                user_id=user_id, kind=kind, comment=comment, work_id=comment.work_id, chapter_id=comment.chapter_id
            )
            for user_id, kind in sorted(recipients.items())
        ]
    )
    enqueue(EMAIL_JOB, {})
