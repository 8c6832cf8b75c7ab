from collections.abc import Callable
from functools import wraps

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
from comments.actions import CommentRateLimited, CommentRefused
from comments.forms import CommentEditForm
from comments.ratelimit import ip_hash
from lib.params import parse_id
from sitecontent import actions, news_comments
from sitecontent.config import archive_settings
from sitecontent.forms import NewsForm, PageForm, SettingsForm
from sitecontent.models import NewsComment, NewsPost, PageSlug, PageVersion

NEWS_PER_PAGE = 10
BANNER_SESSION_KEY = "banner_dismissed"

View = Callable[..., HttpResponse]


def staff_only(view: View) -> View:
    """Staff (and superusers, who are staff) only; others get 403, guests the log-in page."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_staff:
            raise PermissionDenied("Staff only.")
        return view(request, *args, **kwargs)

    return wrapper


def _slug(slug: str) -> str:
    if slug not in PageSlug.values:
        raise Http404("No such page.")
    return slug


# Archive settings


@staff_only
def settings_edit(request: HttpRequest) -> HttpResponse:
    row = archive_settings()
    if request.method == "POST":
        form = SettingsForm(request.POST, instance=row)
        if form.is_valid():
            actions.save_settings(form)
            messages.success(request, _("The archive's settings were saved."))
            return redirect("site_settings")
    else:
        form = SettingsForm(instance=row)
    return render(request, "sitecontent/settings.html", {"form": form})


# Site pages: terms of service, privacy policy, content policy, FAQ, about


def site_page(request: HttpRequest, slug: str) -> HttpResponse:
    version = PageVersion.objects.filter(slug=_slug(slug)).order_by("-number").first()
    if version is None:
        raise Http404("This page hasn't been written yet.")
    return render(request, "sitecontent/page.html", {"version": version, "current": True})


def site_page_version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    version = get_object_or_404(PageVersion, slug=_slug(slug), number=number)
    latest = PageVersion.objects.filter(slug=slug).order_by("-number").values_list("number", flat=True).first()
    return render(request, "sitecontent/page.html", {"version": version, "current": version.number == latest})


def site_page_history(request: HttpRequest, slug: str) -> HttpResponse:
    versions = list(PageVersion.objects.filter(slug=_slug(slug)).defer("body"))
    if not versions:
        raise Http404("This page hasn't been written yet.")
    return render(request, "sitecontent/page_history.html", {"versions": versions, "slug": slug})


@staff_only
def site_page_edit(request: HttpRequest, slug: str) -> HttpResponse:
    latest = PageVersion.objects.filter(slug=_slug(slug)).order_by("-number").first()
    if request.method == "POST":
        form = PageForm(request.POST)
        if form.is_valid():
            assert isinstance(request.user, User)
            version = actions.publish_page(slug, form.cleaned_data, request.user)
            messages.success(request, _("Version %(number)s of the page was published.") % {"number": version.number})
            return redirect("site_page", slug)
    else:
        initial = {"title": latest.title, "body": latest.body} if latest else {"title": PageSlug(slug).label}
        form = PageForm(initial=initial)
    return render(
        request, "sitecontent/page_edit.html", {"form": form, "latest": latest, "page_name": PageSlug(slug).label}
    )


@staff_only
def site_pages(request: HttpRequest) -> HttpResponse:
    """Staff's list of the site pages, written or not."""
    latest: dict[str, PageVersion] = {}
    for version in PageVersion.objects.defer("body").order_by("slug", "-number"):
        latest.setdefault(version.slug, version)
    pages = [(slug, label, latest.get(slug)) for slug, label in PageSlug.choices]
    return render(request, "sitecontent/pages.html", {"pages": pages})


# News


def news_index(request: HttpRequest) -> HttpResponse:
    page = Paginator(NewsPost.objects.all(), NEWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "sitecontent/news_index.html", {"page": page})


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
    return render(request, "sitecontent/news_detail.html", context, status=status)


def _comment_refused(request: HttpRequest, refusal: CommentRefused, post: NewsPost) -> HttpResponse:
    context = {"message": str(refusal), "post": post}
    response = render(request, "sitecontent/news_comment_refused.html", context, status=refusal.status_code)
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
    return render(request, "sitecontent/news_comment_thread.html", context, status=status)


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
    return render(request, "sitecontent/news_comment_edit.html", {"form": form, "comment": comment}, status=status)


@login_required
def news_comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _news_comment(comment_id)
    if not news_comments.can_delete(comment, request.user):
        raise PermissionDenied("Only the comment's author can delete it.")
    if request.method == "POST":
        news_comments.delete_news_comment(comment, request.user)
        messages.success(request, _("Comment deleted."))
        return redirect(reverse("news_detail", args=[comment.post_id]) + "#news-comments-heading")
    return render(request, "sitecontent/news_comment_delete.html", {"comment": comment})


@staff_only
def news_new(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    form = NewsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        post = actions.publish_news(form.cleaned_data, request.user)
        messages.success(request, _("The news post was published."))
        return redirect(post)
    return render(request, "sitecontent/news_form.html", {"form": form, "post": None})


@staff_only
def news_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = get_object_or_404(NewsPost, pk=post_id)
    form = NewsForm(request.POST if request.method == "POST" else None, instance=post)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The news post was updated."))
        return redirect(post)
    return render(request, "sitecontent/news_form.html", {"form": form, "post": post})


@staff_only
def news_delete(request: HttpRequest, post_id: int) -> HttpResponse:
    post = get_object_or_404(NewsPost, pk=post_id)
    if request.method == "POST":
        post.delete()
        messages.success(request, _("The news post was deleted."))
        return redirect("news_index")
    return render(request, "sitecontent/news_confirm_delete.html", {"post": post})


# The banner


@require_POST
def banner_dismiss(request: HttpRequest) -> HttpResponse:
    """Hide the current banner for this visitor (guest or member) until its text changes."""
    changed = archive_settings().banner_changed_at
    request.session[BANNER_SESSION_KEY] = changed.isoformat() if changed else ""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    return redirect(target)
