from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from comments import actions, threads
from comments.forms import CommentEditForm, CommentForm
from comments.inbox import inbox_items
from comments.models import COMMENT_MAX, Comment
from comments.ratelimit import ip_hash
from comments.templatetags.comment_messages import beside_tag
from community.models import InboxItem
from lib.params import parse_id, parse_ids
from works.access import get_work_for_creator, get_work_for_reader, readable_chapters, require_login_for_restricted
from works.models import Chapter, Work

INBOX_PER_PAGE = 20
UNREVIEWED_PER_PAGE = 50


def _posted_message(status: str) -> str:
    if status == Comment.Status.UNREVIEWED:
        return _("Your comment was received! It will appear publicly after the work's creator has approved it.")
    if status == Comment.Status.SPAM:
        return _("Your comment looks like spam to the archive's filter, so it was not posted.")
    return _("Comment created!")


def _refused(request: HttpRequest, refusal: actions.CommentRefused, work: Work | None = None) -> HttpResponse:
    response = render(
        request, "comments/refused.html", {"message": str(refusal), "work": work}, status=refusal.status_code
    )
    if isinstance(refusal, actions.CommentRateLimited):
        response["Retry-After"] = str(refusal.retry_after)
    return response


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return None


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _readable_chapters(work: Work, request: HttpRequest) -> list[Chapter]:
    return list(readable_chapters(work, request.user).defer("content", "notes", "endnotes", "summary"))


def _comment_for_reader(request: HttpRequest, comment_id: int) -> tuple[Comment, Work, list[Chapter]]:
    """The comment, if its work and chapter are readable by this reader (else 404, or log in)."""
    comment = get_object_or_404(Comment, pk=comment_id)
    work = get_work_for_reader(request.user, comment.work_id)
    chapters = _readable_chapters(work, request)
    if comment.chapter_id is not None and all(c.pk != comment.chapter_id for c in chapters):
        raise Http404("No such comment.")
    comment.work = work
    return comment, work, chapters


def _parent_for_reader(request: HttpRequest, work: Work, parent_id: int) -> Comment:
    """The comment being replied to, if this reader may see it: published, on a chapter they can read.

    The form page quotes the parent when a post fails, so anything else is a 404, never a quote.
    """
    parent = get_object_or_404(Comment, pk=parent_id, work=work, status=Comment.Status.PUBLISHED)
    if parent.chapter_id is not None and all(c.pk != parent.chapter_id for c in _readable_chapters(work, request)):
        raise Http404("No such comment.")
    return parent


def _after_posting(request: HttpRequest, comment: Comment, work: Work) -> HttpResponse:
    if comment.status == Comment.Status.PUBLISHED:
        # Beside the comment the page is sent down to, not at the top of the page.
        messages.success(request, _posted_message(comment.status), extra_tags=beside_tag(f"comment-{comment.pk}"))
    else:
        messages.success(request, _posted_message(comment.status))
    if comment.status == Comment.Status.SPAM:
        return redirect(work)
    page = 1
    if comment.parent_id is None:
        chapters = _readable_chapters(work, request)
        page = threads.page_of_thread(comment, chapters, threads.viewer_for(request.user, work))
    return redirect(threads.comment_url(comment, page))


def _form_page(
    request: HttpRequest, form: CommentForm, work: Work, action: str, parent: Comment | None, chapter: Chapter | None
) -> HttpResponse:
    """The comment form on a page of its own: shown again, with its errors, when a post fails."""
    context = {"form": form, "work": work, "action": action, "parent": parent, "chapter": chapter}
    return render(request, "comments/comment_form_page.html", context, status=400)


# Posting and reading


@require_POST
@require_login_for_restricted
def comment_create(request: HttpRequest, work_id: int) -> HttpResponse:
    """A new comment on a chapter (chapter_id), on the whole work (neither), or a reply (parent_id)."""
    work = get_work_for_reader(request.user, work_id)
    parent_id, chapter_id = parse_id(request.POST.get("parent_id")), parse_id(request.POST.get("chapter_id"))
    parent = _parent_for_reader(request, work, parent_id) if parent_id else None
    chapter = get_object_or_404(Chapter, pk=chapter_id, work=work) if chapter_id and not parent else None
    form = CommentForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            comment = actions.post_comment(
                work,
                chapter,
                parent,
                _user(request),
                form.cleaned_data.get("pseud"),
                form.cleaned_data.get("guest_name", ""),
                form.cleaned_data.get("guest_email", ""),
                form.cleaned_data["content"],
                ip_hash(request),
            )
        except actions.CommentRefused as refusal:
            return _refused(request, refusal, work)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _after_posting(request, comment, work)
    return _form_page(request, form, work, reverse("comment_create", args=[work.pk]), parent, chapter)


@require_login_for_restricted
def comment_thread(request: HttpRequest, comment_id: int) -> HttpResponse:
    """One comment and its replies: the "Thread" and "Continue thread" links, and the reply form."""
    comment, work, chapters = _comment_for_reader(request, comment_id)
    viewer = threads.viewer_for(request.user, work)
    node = threads.thread_tree(comment, work, viewer, {c.pk: c for c in chapters})
    context = {
        "work": work,
        "node": node,
        "comment": comment,
        "chapter": node.chapter,
        "form": CommentForm(user=request.user) if node.can_reply else None,
        "refusal": viewer.refusal,
        "back_url": threads.scope_url(work.pk, comment.chapter_id) + f"#comment-{comment.thread_id}",
    }
    return render(request, "comments/thread.html", context)


@login_required
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment, work, _chapters = _comment_for_reader(request, comment_id)
    if not actions.can_edit(comment, request.user):
        raise PermissionDenied("Only the comment's author can edit it.")
    if request.method == "POST":
        form = CommentEditForm(request.POST)
        if form.is_valid():
            try:
                comment = actions.edit_comment(comment, request.user, form.cleaned_data["content"])
            except actions.CommentRefused as refusal:
                return _refused(request, refusal, work)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if comment.status == Comment.Status.SPAM:
                    messages.error(
                        request, _("Your comment looks like spam to the archive's filter; it is hidden now.")
                    )
                    return redirect(work)
                messages.success(request, _("Comment was successfully updated."))
                return redirect(threads.comment_url(comment))
    else:
        form = CommentEditForm(initial={"content": comment.content})
    return render(request, "comments/comment_edit.html", {"form": form, "comment": comment, "work": work})


@login_required
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment, work, _chapters = _comment_for_reader(request, comment_id)
    if not actions.can_delete(comment, request.user, actions.creator_ids(work)):
        raise PermissionDenied("Only the comment's author or the work's creators can delete it.")
    if request.method == "POST":
        actions.delete_comment(comment, request.user)
        messages.success(request, _("Comment deleted."))
        return redirect(_safe_next(request) or threads.comment_url(comment))
    return render(request, "comments/comment_confirm_delete.html", {"comment": comment, "work": work})


# Moderation: creators of the work


def _moderate(request: HttpRequest, comment_id: int, verb: Callable[[Comment, Any], None], done: str) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("work"), pk=comment_id)
    work = get_work_for_creator(request.user, comment.work_id)
    try:
        verb(comment, request.user)
    except actions.CommentRefused as refusal:
        return _refused(request, refusal, work)
    messages.success(request, done)
    target = _safe_next(request)
    if target and urlsplit(target).path == reverse("comment_thread", args=[comment.pk]):
        # The comment's own page may be gone with it: back to where it was posted.
        target = threads.scope_url(work.pk, comment.chapter_id) + "#comments"
    return redirect(target or reverse("unreviewed_comments", args=[work.pk]))


@require_POST
@login_required
def comment_approve(request: HttpRequest, comment_id: int) -> HttpResponse:
    return _moderate(request, comment_id, actions.approve_comment, _("Comment approved."))


@require_POST
@login_required
def comment_reject(request: HttpRequest, comment_id: int) -> HttpResponse:
    return _moderate(request, comment_id, actions.reject_comment, _("Comment rejected and deleted."))


@require_POST
@login_required
def comment_spam(request: HttpRequest, comment_id: int) -> HttpResponse:
    return _moderate(request, comment_id, actions.mark_spam, _("Comment marked as spam and hidden."))


@login_required
def unreviewed_comments(request: HttpRequest, work_id: int) -> HttpResponse:
    """A moderated work's comments waiting for its creators' approval, oldest first."""
    work = get_work_for_creator(request.user, work_id)
    waiting = (
        Comment.objects.filter(work=work, status=Comment.Status.UNREVIEWED)
        .select_related("pseud__user", "user", "chapter")
        .defer("chapter__content", "chapter__notes", "chapter__endnotes", "chapter__summary")
    )
    page = Paginator(waiting, UNREVIEWED_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "comments/unreviewed.html", {"work": work, "page": page, "query": ""})


# The inbox


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    assert user is not None
    unread_only = request.GET.get("filter") == "unread" or request.POST.get("filter") == "unread"
    if request.method == "POST":
        ids = parse_ids(request.POST.getlist("items"))
        chosen = InboxItem.objects.filter(user=user, pk__in=ids)
        action = request.POST.get("action")
        if not ids:
            messages.error(request, _("Choose at least one item first."))
        elif action == "read":
            chosen.update(read=True)
            messages.success(request, _("Marked as read."))
        elif action == "unread":
            chosen.update(read=False)
            messages.success(request, _("Marked as unread."))
        elif action == "delete":
            chosen.delete()
            messages.success(request, _("Deleted from your inbox."))
        target = reverse("inbox") + ("?filter=unread" if unread_only else "")
        return redirect(target)
    items = (
        inbox_items(user, unread_only=unread_only)
        .select_related("comment__pseud__user", "comment__user", "work", "chapter")
        .defer("chapter__content", "chapter__notes", "chapter__endnotes", "chapter__summary")
    )
    page = Paginator(items, INBOX_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unread_only": unread_only,
        "unread_count": inbox_items(user, unread_only=True).count(),
        "query": "filter=unread" if unread_only else "",
        "current_url": request.get_full_path(),
        "comment_max": COMMENT_MAX,
    }
    return render(request, "comments/inbox.html", context)


@require_POST
@login_required
def inbox_reply(request: HttpRequest, item_id: int) -> HttpResponse:
    """Reply to a comment from the inbox; the item is then marked read."""
    user = _user(request)
    assert user is not None
    item = get_object_or_404(
        InboxItem.objects.select_related("comment__work"), pk=item_id, user=user, comment__isnull=False
    )
    parent = item.comment
    assert parent is not None
    form = CommentForm(request.POST, user=user, auto_id=f"id_reply{item.pk}_%s")
    if form.is_valid():
        try:
            comment = actions.post_comment(
                parent.work, None, parent, user, form.cleaned_data.get("pseud"), "", "",
                form.cleaned_data["content"], ip_hash(request),
            )  # fmt: skip
        except actions.CommentRefused as refusal:
            return _refused(request, refusal, parent.work)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            InboxItem.objects.filter(pk=item.pk).update(read=True)
            messages.success(request, _posted_message(comment.status))
            return redirect(_safe_next(request) or reverse("inbox"))
    return _form_page(request, form, parent.work, reverse("inbox_reply", args=[item.pk]), parent, None)
