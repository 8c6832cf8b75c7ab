from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sitecontent import actions
from sitecontent.config import archive_settings
from sitecontent.forms import PageForm, SettingsForm
from sitecontent.models import PageSlug, PageVersion

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
            assert isinstance(request.user, AbstractBaseUser)
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
