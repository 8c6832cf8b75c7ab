"""Comments on news posts: post, reply, edit, delete, the moderators' hide/unhide/delete, and their threads.

The rules are the comments app's, called rather than copied (CONTRIBUTING.md says why news comments
keep a table of their own): `comments.actions.clean_comment_input` (the length limit and the one nh3
sanitizer), `comments.spam.is_spam` (the pluggable spam check), `comments.ratelimit.take_comment_slot`
(one budget for all of a person's comments), `comments.actions.blockers_of` (no reply to someone who
blocked you), `comments.threads.Skeleton` (muting, "(Previous comment deleted.)" placeholders) and
`THREAD_DISPLAY_DEPTH` (deeper replies continue on the comment's own page).
"""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.verification import posting_refusal
from comments import ratelimit, spam
from comments.actions import (
    RATE_MESSAGE,
    REPLY_BLOCKED_MESSAGE,
    CommentRateLimited,
    CommentRefused,
    blockers_of,
    clean_comment_input,
)
from comments.models import THREAD_DISPLAY_DEPTH
from comments.threads import THREADS_PER_PAGE, Skeleton, Viewer
from community.muting import muted_user_ids
from news.models import NewsComment, NewsPost
from works.access import AnyUser

Status = NewsComment.Status
OFF_MESSAGE = _("Comments are off for this post.")
GUEST_MESSAGE = _("Log in to comment on the archive's news.")


def news_comment_refusal(post: NewsPost, user: AnyUser) -> str | None:
    """Why this person may not comment on the post at all, or None if they may."""
    if not post.comments_enabled:
        return str(OFF_MESSAGE)
    if not user.is_authenticated:
        return str(GUEST_MESSAGE)
    return posting_refusal(user)


@transaction.atomic
def post_news_comment(
    post: NewsPost, parent: NewsComment | None, user: User, content: str, ip_hash: str
) -> NewsComment:
    """A comment on the post, or a reply to `parent`. Raises CommentRefused (or CommentRateLimited),
    or ValidationError for bad input. A spammy comment is stored as SPAM and shown to nobody."""
    refusal = news_comment_refusal(post, user)
    if refusal:
        raise CommentRefused(refusal)
    if parent is not None:
        if parent.post_id != post.pk or parent.status != Status.PUBLISHED:
            raise CommentRefused(gettext("That comment can't be replied to."))
        if parent.user_id is not None and parent.user_id in blockers_of(user):
            raise CommentRefused(str(REPLY_BLOCKED_MESSAGE))
    fields = clean_comment_input(guest=False, guest_name="", guest_email="", content=content)
    limited = ratelimit.take_comment_slot(user.pk, ip_hash)
    if limited is not None:
        raise CommentRateLimited(limited.message if limited.unavailable else str(RATE_MESSAGE), limited.retry_after)
    candidate = spam.Candidate(None, user, "", "", fields.content, ip_hash)
    comment = NewsComment.objects.create(
        post=post,
        parent=parent,
        thread_id=parent.thread_id if parent is not None else None,
        depth=parent.depth + 1 if parent is not None else 0,
        user=user,
        body=fields.content,
        status=Status.SPAM if spam.is_spam(candidate) else Status.PUBLISHED,
        ip_hash=ip_hash,
    )
    if parent is None:
        comment.thread_id = comment.pk
        comment.save(update_fields=["thread"])
    return comment


def can_edit(comment: NewsComment, user: AnyUser) -> bool:
    return bool(user.is_authenticated and comment.user_id == user.pk and comment.status == Status.PUBLISHED)


def can_delete(comment: NewsComment, user: AnyUser) -> bool:
    """The author, or staff (who run the news)."""
    if not user.is_authenticated or comment.status == Status.DELETED:
        return False
    return comment.user_id == user.pk or user.is_staff


@transaction.atomic
def edit_news_comment(comment: NewsComment, user: AnyUser, content: str) -> NewsComment:
    """The author rewrites their comment; it is marked edited and checked for spam again."""
    comment = _locked(comment)
    if not can_edit(comment, user):
        raise CommentRefused(gettext("Only the comment's author can edit it."))
    assert isinstance(user, User)
    fields = clean_comment_input(guest=False, guest_name="", guest_email="", content=content)
    comment.body = fields.content
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    if spam.is_spam(spam.Candidate(None, user, "", "", fields.content, comment.ip_hash)):
        _change_status(comment, Status.SPAM)
    return comment


@transaction.atomic
def delete_news_comment(comment: NewsComment, user: AnyUser) -> None:
    """Delete a comment (its author or staff); the row stays, emptied, so replies keep their place."""
    comment = _locked(comment)
    if comment.status == Status.DELETED:
        return
    if not can_delete(comment, user):
        raise CommentRefused(gettext("Only the comment's author can delete it."))
    _delete(comment)


# For the moderation desk: moderation.actions has checked the moderator's role and logs the decision.


@transaction.atomic
def hide_by_moderator(comment: NewsComment) -> None:
    _change_status(_locked(comment), Status.HIDDEN, only_from=Status.PUBLISHED)


@transaction.atomic
def unhide_by_moderator(comment: NewsComment) -> None:
    _change_status(_locked(comment), Status.PUBLISHED, only_from=Status.HIDDEN)


@transaction.atomic
def delete_by_moderator(comment: NewsComment) -> None:
    comment = _locked(comment)
    if comment.status != Status.DELETED:
        _delete(comment)


def _locked(comment: NewsComment) -> NewsComment:
    # Row lock on PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers.
    return NewsComment.objects.select_for_update().get(pk=comment.pk)


def _change_status(comment: NewsComment, new: str, only_from: str | None = None) -> None:
    old = comment.status
    if old == new or (only_from is not None and old != only_from):
        return
    if NewsComment.objects.filter(pk=comment.pk, status=old).update(status=new):
        comment.status = new


def _delete(comment: NewsComment) -> None:
    _change_status(comment, Status.DELETED)
    comment.body = ""
    comment.save(update_fields=["body"])


# Threads, as a reader sees them


@dataclass
class NewsNode:
    comment: NewsComment
    children: list["NewsNode"] = field(default_factory=list)
    # Deleted or hidden, but with replies the reader sees.
    placeholder: bool = False
    continue_thread: bool = False
    can_reply: bool = False
    can_edit: bool = False
    can_delete: bool = False


def viewer_for(post: NewsPost, user: AnyUser) -> Viewer:
    return Viewer(
        user=user,
        creators=set(),
        blockers=blockers_of(user),
        muted=muted_user_ids(user),
        refusal=news_comment_refusal(post, user),
    )


def _build(root: int, skeleton: Skeleton, loaded: dict[int, NewsComment], max_depth: int, viewer: Viewer) -> NewsNode:
    comment = loaded[root]
    kids = skeleton.children.get(root, [])
    node = NewsNode(
        comment=comment,
        placeholder=root not in skeleton.self_visible,
        continue_thread=bool(kids) and comment.depth >= max_depth,
    )
    if not node.placeholder:
        node.can_reply = viewer.refusal is None and (comment.user_id is None or comment.user_id not in viewer.blockers)
        node.can_edit = can_edit(comment, viewer.user)
        node.can_delete = can_delete(comment, viewer.user)
    if comment.depth < max_depth:
        node.children = [_build(kid, skeleton, loaded, max_depth, viewer) for kid in kids]
    return node


def _load(ids: list[int]) -> dict[int, NewsComment]:
    return {c.pk: c for c in NewsComment.objects.filter(pk__in=ids).select_related("user")} if ids else {}


@dataclass
class NewsThreads:
    count: int
    threads: list[NewsNode]
    page: Page[int]


def news_threads(post: NewsPost, viewer: Viewer, page_number: str | None) -> NewsThreads:
    """One page of the post's threads (two queries: the skeleton, then the comments shown)."""
    skeleton = Skeleton.load(Q(post_id=post.pk), viewer, NewsComment)
    roots = [pk for pk in skeleton.order if skeleton.depth[pk] == 0]
    page = Paginator(roots, THREADS_PER_PAGE).get_page(page_number)
    loaded = _load([pk for root in page.object_list for pk in skeleton.subtree(root, THREAD_DISPLAY_DEPTH)])
    threads = [_build(root, skeleton, loaded, THREAD_DISPLAY_DEPTH, viewer) for root in page.object_list]
    return NewsThreads(count=len(skeleton.published), threads=threads, page=page)


def thread_tree(comment: NewsComment, viewer: Viewer) -> NewsNode:
    """The comment and its replies, THREAD_DISPLAY_DEPTH levels down; 404 if the reader doesn't see it."""
    skeleton = Skeleton.load(Q(thread_id=comment.thread_id), viewer, NewsComment)
    if comment.pk not in skeleton.order:
        raise Http404("No such comment.")
    max_depth = comment.depth + THREAD_DISPLAY_DEPTH
    return _build(comment.pk, skeleton, _load(skeleton.subtree(comment.pk, max_depth)), max_depth, viewer)
