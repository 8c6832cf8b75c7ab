"""The news pages: the list, a post with its comment threads, a comment's thread, and staff's publishing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from comments.actions import CommentRateLimited, CommentRefused
from comments.forms import CommentEditForm
from comments.ratelimit import ip_hash
from lib.params import parse_id
from news import actions, news_comments
from news.forms import NewsForm
from news.models import NewsComment, NewsPost
from sitecontent.views import staff_only

NEWS_PER_PAGE = 10


def news_index(request: HttpRequest) -> HttpResponse:
    page = Paginator(NewsPost.objects.all(), NEWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "news/news_index.html", {"page": page})


def news_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    post = get_object_or_404(NewsPost, pk=post_id)
    return _news_page(request, post, CommentEditForm())


def _news_page(request: HttpRequest, post: NewsPost, form: CommentEditForm, status: int = 200) -> HttpResponse:
    viewer = news_comments.viewer_for(post, request.user)
    context = {
        "post": post,
        "section": news_comments.news_threads(post, viewer, request.GET.get("page")) if post.comments_enabled else None,
        "form": form if viewer.refusal is None else None,
        "refusal": viewer.refusal if request.user.is_authenticated else None,
    }
    return render(request, "news/news_detail.html", context, status=status)


def _comment_refused(request: HttpRequest, refusal: CommentRefused, post: NewsPost) -> HttpResponse:
    context = {"message": str(refusal), "post": post}
    response = render(request, "news/news_comment_refused.html", context, status=refusal.status_code)
    if isinstance(refusal, CommentRateLimited):
        response["Retry-After"] = str(refusal.retry_after)
    return response


@require_POST
@login_required
def news_comment(request: HttpRequest, post_id: int) -> HttpResponse:
    """A new comment on the post, or (with `parent`) a reply; a refused one keeps its text in the form."""
    assert isinstance(request.user, User)
    post = get_object_or_404(NewsPost, pk=post_id)
    parent = None
    if "parent_id" in request.POST:
        parent_id = parse_id(request.POST["parent_id"])
        parent = get_object_or_404(NewsComment, pk=parent_id or 0, post=post, status=NewsComment.Status.PUBLISHED)
    form = CommentEditForm(request.POST)
    if not form.is_valid():
        return _reply_or_news_page(request, post, parent, form, 400)
    try:
        comment = news_comments.post_news_comment(
            post, parent, request.user, form.cleaned_data["content"], ip_hash(request)
        )
    except CommentRateLimited as refusal:
        form.add_error(None, str(refusal))
        response = _reply_or_news_page(request, post, parent, form, refusal.status_code)
        response["Retry-After"] = str(refusal.retry_after)
        return response
    except CommentRefused as refusal:
        return _comment_refused(request, refusal, post)
    except ValidationError as error:
        form.add_error(None, error)
        return _reply_or_news_page(request, post, parent, form, 400)
    if comment.status == NewsComment.Status.SPAM:
        messages.error(request, _("Your comment looks like spam to the archive's filter, so it was not posted."))
        return redirect(post)
    messages.success(request, _("Comment created!"))
    return redirect(_comment_url(comment))


def _reply_or_news_page(
    request: HttpRequest, post: NewsPost, parent: NewsComment | None, form: CommentEditForm, status: int
) -> HttpResponse:
    if parent is None:
        return _news_page(request, post, form, status)
    return _thread_page(request, parent, form, status)


def _comment_url(comment: NewsComment) -> str:
    """A reply is shown on its parent's thread page; a top-level comment on the post."""
    if comment.parent_id is not None:
        return reverse("news_comment_thread", args=[comment.parent_id]) + f"#news-comment-{comment.pk}"
    return reverse("news_detail", args=[comment.post_id]) + f"#news-comment-{comment.pk}"


def _thread_page(
    request: HttpRequest, comment: NewsComment, form: CommentEditForm | None = None, status: int = 200
) -> HttpResponse:
    viewer = news_comments.viewer_for(comment.post, request.user)
    node = news_comments.thread_tree(comment, viewer)
    context = {
        "post": comment.post,
        "node": node,
        "comment": comment,
        "form": (form or CommentEditForm()) if node.can_reply else None,
        "refusal": viewer.refusal if request.user.is_authenticated else None,
    }
    return render(request, "news/news_comment_thread.html", context, status=status)


def _news_comment(comment_id: int) -> NewsComment:
    comment = get_object_or_404(NewsComment.objects.select_related("post", "user"), pk=comment_id)
    if not comment.post.comments_enabled:
        raise Http404("Comments are off for this post.")
    return comment


def news_comment_thread(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A comment and its replies (deeper ones than the post's page shows), with the reply form."""
    return _thread_page(request, _news_comment(comment_id))


@login_required
def news_comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _news_comment(comment_id)
    if not news_comments.can_edit(comment, request.user):
        raise PermissionDenied("Only the comment's author can edit it.")
    form = CommentEditForm(request.POST if request.method == "POST" else None, initial={"content": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            comment = news_comments.edit_news_comment(comment, request.user, form.cleaned_data["content"])
        except CommentRefused as refusal:
            return _comment_refused(request, refusal, comment.post)
        if comment.status == NewsComment.Status.SPAM:
            messages.error(request, _("Your comment looks like spam to the archive's filter; it is hidden now."))
            return redirect(comment.post)
        messages.success(request, _("Comment was successfully updated."))
        return redirect(_comment_url(comment))
    status = 400 if form.is_bound else 200
    return render(request, "news/news_comment_edit.html", {"form": form, "comment": comment}, status=status)


@login_required
def news_comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _news_comment(comment_id)
    if not news_comments.can_delete(comment, request.user):
        raise PermissionDenied("Only the comment's author can delete it.")
    if request.method == "POST":
        news_comments.delete_news_comment(comment, request.user)
        messages.success(request, _("Comment deleted."))
        return redirect(reverse("news_detail", args=[comment.post_id]) + "#news-comments-heading")
    return render(request, "news/news_comment_delete.html", {"comment": comment})


@staff_only
def news_new(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    form = NewsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        post = actions.publish_news(form.cleaned_data, request.user)
        messages.success(request, _("The news post was published."))
        return redirect(post)
    return render(request, "news/news_form.html", {"form": form, "post": None})


@staff_only
def news_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = get_object_or_404(NewsPost, pk=post_id)
    form = NewsForm(request.POST if request.method == "POST" else None, instance=post)
    if request.method == "POST" and form.is_valid():
        post = actions.edit_news(post, form.cleaned_data)
        messages.success(request, _("The news post was updated."))
        return redirect(post)
    return render(request, "news/news_form.html", {"form": form, "post": post})


@staff_only
def news_delete(request: HttpRequest, post_id: int) -> HttpResponse:
    post = get_object_or_404(NewsPost, pk=post_id)
    if request.method == "POST":
        actions.delete_news(post)
        messages.success(request, _("The news post was deleted."))
        return redirect("news_index")
    return render(request, "news/news_confirm_delete.html", {"post": post})
