from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts import actions, ratelimit
from accounts.forms import PreferencesForm, PseudForm, ReaderSettingsForm, SignupForm
from accounts.models import Pseud, SavedFilter, TagExclusion, User
from accounts.unsubscribe import PREFERENCES, read_unsubscribe_token
from search.indexer import queue_updates
from tags.models import Tag, tag_name_key
from tags.parsing import split_tag_names
from works.filter_sheet import count_response, wants_count
from works.listing import list_works
from works.models import Creatorship

# Enough for everything a reader may never want to see; AO3's most requested feature.
MAX_EXCLUSIONS = 500


def _client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return None


@sensitive_post_parameters("password1", "password2")
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid():
            user = actions.create_account(
                form.cleaned_data["username"], form.cleaned_data["email"], form.cleaned_data["password1"]
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome, %(username)s! Your account is ready.") % {"username": user.username})
            return redirect("user_profile", user.username)
    else:
        form = SignupForm()
    return render(request, "accounts/signup.html", {"form": form})


@sensitive_post_parameters("password")
def login_view(request: HttpRequest) -> HttpResponse:
    """Log in, refusing further tries after too many failures for a username or address."""
    next_url = _safe_next(request)
    if request.method == "POST":
        username = request.POST.get("username", "")
        address = _client_address(request)
        form = AuthenticationForm(request, data=request.POST)
        if ratelimit.login_blocked(username, address):
            context = {"form": AuthenticationForm(request), "next": next_url, "blocked": True}
            return render(request, "accounts/login.html", context, status=429)
        if form.is_valid():
            ratelimit.clear_failed_logins(username, address)
            login(request, form.get_user())
            return redirect(next_url or "home")
        ratelimit.record_failed_login(username, address)
    else:
        form = AuthenticationForm(request)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


def user_profile(request: HttpRequest, username: str) -> HttpResponse:
    user = get_object_or_404(User, username=username, is_active=True)
    work_ids = set(Creatorship.objects.filter(pseud__user=user).values_list("work_id", flat=True))
    if wants_count(request):
        return count_response(request, only_ids=work_ids)
    listing = list_works(request, only_ids=work_ids)
    return render(
        request,
        "accounts/profile.html",
        {"profile_user": user, "pseuds": user.pseuds.all(), "listing": listing, "pseud": None},
    )


def pseud_profile(request: HttpRequest, username: str, pseud_name: str) -> HttpResponse:
    pseud = get_object_or_404(Pseud.objects.select_related("user"), user__username=username, name=pseud_name)
    work_ids = set(Creatorship.objects.filter(pseud=pseud).values_list("work_id", flat=True))
    if wants_count(request):
        return count_response(request, only_ids=work_ids)
    listing = list_works(request, only_ids=work_ids)
    return render(
        request,
        "accounts/profile.html",
        {"profile_user": pseud.user, "pseuds": pseud.user.pseuds.all(), "listing": listing, "pseud": pseud},
    )


@login_required
def pseud_new(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    if request.method == "POST":
        form = PseudForm(request.POST, user=request.user)
        if form.is_valid():
            pseud = form.save(commit=False)
            pseud.user = request.user
            pseud.save()
            messages.success(request, _("Pseud “%(name)s” was created.") % {"name": pseud.name})
            return redirect("user_profile", request.user.username)
    else:
        form = PseudForm(user=request.user)
    return render(request, "accounts/pseud_form.html", {"form": form, "pseud": None})


@login_required
def pseud_edit(request: HttpRequest, pseud_id: int) -> HttpResponse:
    assert isinstance(request.user, User)
    pseud = get_object_or_404(Pseud, pk=pseud_id, user=request.user)
    if request.method == "POST":
        form = PseudForm(request.POST, instance=pseud, user=request.user)
        if form.is_valid():
            form.save()
            if "name" in form.changed_data:
                # Searches by creator find the works under the new name shortly.
                queue_updates(pseud.creatorships.values_list("work_id", flat=True), soon=False)
            messages.success(request, _("Pseud was updated."))
            return redirect("user_profile", request.user.username)
    else:
        form = PseudForm(instance=pseud, user=request.user)
    return render(request, "accounts/pseud_form.html", {"form": form, "pseud": pseud})


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    if request.method == "POST":
        form = PreferencesForm(request.POST, instance=request.user)
        if form.is_valid():
            # The form has set the fields on request.user (its instance).
            request.user.save(update_fields=list(PreferencesForm.Meta.fields))
            messages.success(request, _("Your preferences were saved."))
            return redirect("preferences")
    else:
        form = PreferencesForm(instance=request.user)
    reader_form = ReaderSettingsForm(instance=request.user, auto_id="reader_%s")
    return render(request, "accounts/preferences.html", {"form": form, "reader_form": reader_form})


@require_POST
@login_required
def reader_settings(request: HttpRequest) -> HttpResponse:
    """Save how works look; the Display panel posts here in the background (fetch) or as a plain form."""
    assert isinstance(request.user, User)
    form = ReaderSettingsForm(request.POST, instance=request.user)
    in_background = request.headers.get("X-Requested-With") == "fetch"
    if not form.is_valid():
        if in_background:
            return HttpResponse(status=400)
        messages.error(request, _("Those display settings are not ones we offer."))
    else:
        request.user.save(update_fields=list(ReaderSettingsForm.Meta.fields))
        if in_background:
            return HttpResponse(status=204)
        messages.success(request, _("Your display settings were saved."))
    return redirect(_safe_next(request) or "preferences")


# Saved filters and the permanent exclusion list


@require_POST
@login_required
def saved_filter_new(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    name = " ".join(request.POST.get("name", "").split())[:100]
    path = request.POST.get("path", "/works")
    query = request.POST.get("query", "")
    # Only paths on this site: a saved filter is a link its owner will follow.
    if not path.startswith("/") or path.startswith("//"):
        path = "/works"
    target = f"{path}?{query}" if query else path
    if not name:
        messages.error(request, _("Give the saved filter a name."))
    elif len(target) > 4000:
        messages.error(request, _("Those filters are too long to save."))
    else:
        SavedFilter.objects.update_or_create(user=request.user, name=name, defaults={"query": target})
        messages.success(request, _("Saved your filters as “%(name)s”.") % {"name": name})
    return redirect(target)


@login_required
def saved_filters(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    if request.method == "POST":
        SavedFilter.objects.filter(user=request.user, pk=request.POST.get("delete", "0")).delete()
        messages.success(request, _("The saved filter was deleted."))
        return redirect("saved_filters")
    return render(request, "accounts/saved_filters.html", {"filters": request.user.saved_filters.all()})


@login_required
def exclusions(request: HttpRequest) -> HttpResponse:
    """The tags this reader never wants to see; works with them are left out of every listing."""
    assert isinstance(request.user, User)
    if request.method == "POST":
        if "remove" in request.POST:
            TagExclusion.objects.filter(user=request.user, tag_id=request.POST.get("remove", "0")).delete()
            messages.success(request, _("The tag was removed from your exclusion list."))
            return redirect("exclusions")
        names = split_tag_names(request.POST.get("tags", ""))
        found = {t.name_key: t for t in Tag.objects.filter(name_key__in=[tag_name_key(n) for n in names])}
        missing = [n for n in names if tag_name_key(n) not in found]
        if missing:
            messages.error(
                request,
                _("No tag is called %(names)s; nothing was added.") % {"names": ", ".join(f"“{n}”" for n in missing)},
            )
        elif not names:
            messages.error(request, _("Type the names of the tags to exclude."))
        else:
            current = TagExclusion.objects.filter(user=request.user).count()
            if current + len(found) > MAX_EXCLUSIONS:
                messages.error(
                    request, _("An exclusion list can hold at most %(count)s tags.") % {"count": MAX_EXCLUSIONS}
                )
            else:
                for tag in found.values():
                    TagExclusion.objects.get_or_create(user=request.user, tag=tag)
                messages.success(
                    request,
                    ngettext(
                        "Added %(count)s tag to your exclusion list.",
                        "Added %(count)s tags to your exclusion list.",
                        len(found),
                    )
                    % {"count": len(found)},
                )
        return redirect("exclusions")
    excluded = Tag.objects.filter(pk__in=TagExclusion.objects.filter(user=request.user).values("tag_id")).order_by(
        "name"
    )
    return render(request, "accounts/exclusions.html", {"excluded": excluded, "limit": MAX_EXCLUSIONS})


# The link at the foot of notification emails: no log-in needed, the signed token is the credential.
@csrf_exempt  # Mail clients' one-click unsubscribe (RFC 8058) posts without a CSRF token.
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = read_unsubscribe_token(token)
    if found is None:
        raise Http404("This unsubscribe link is not valid.")
    user, preference = found
    context = {"what": PREFERENCES[preference], "done": False, "subscribed": getattr(user, preference)}
    if request.method == "POST":
        setattr(user, preference, False)
        user.save(update_fields=[preference])
        context.update(done=True, subscribed=False)
    return render(request, "accounts/unsubscribe.html", context)
