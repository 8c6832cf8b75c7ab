from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.verification import posting_refusal
from comments.ratelimit import ip_hash, take_comment_slot
from sitecontent import actions
from sitecontent.config import archive_settings
from sitecontent.forms import NewsCommentForm, NewsForm, PageForm, SettingsForm
from sitecontent.models import NewsPost, PageSlug, PageVersion

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
    return _news_page(request, post, NewsCommentForm())


def _news_page(request: HttpRequest, post: NewsPost, form: NewsCommentForm, status: int = 200) -> HttpResponse:
    refusal = None
    if post.comments_enabled and request.user.is_authenticated:
        refusal = posting_refusal(request.user)
    context = {
        "post": post,
        "comments": post.comments.select_related("user") if post.comments_enabled else [],
        "form": form if post.comments_enabled and request.user.is_authenticated and not refusal else None,
        "refusal": refusal,
    }
    return render(request, "sitecontent/news_detail.html", context, status=status)


@require_POST
@login_required
def news_comment(request: HttpRequest, post_id: int) -> HttpResponse:
    assert isinstance(request.user, User)
    post = get_object_or_404(NewsPost, pk=post_id)
    if not post.comments_enabled:
        messages.error(request, _("Comments are off for this post."))
        return redirect(post)
    refusal = posting_refusal(request.user)
    if refusal:
        messages.error(request, refusal)
        return redirect(post)
    form = NewsCommentForm(request.POST)
    if not form.is_valid():
        return _news_page(request, post, form, status=400)
    limited = take_comment_slot(request.user.pk, ip_hash(request))
    if limited:
        messages.error(request, limited.message)
        response = _news_page(request, post, form, status=429)
        response["Retry-After"] = str(limited.retry_after)
        return response
    comment = actions.comment_on_news(post, request.user, form.cleaned_data["body"])
    messages.success(request, _("Comment created!"))
    return redirect(post.get_absolute_url() + f"#news-comment-{comment.pk}")


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
