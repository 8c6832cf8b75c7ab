from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts import actions, hooks
from accounts import signup as signup_checks
from accounts.forms import PreferencesForm, PseudForm, ReaderSettingsForm, SignupForm
from accounts.invitations import usable_invitation
from accounts.models import Pseud, User
from accounts.unsubscribe import PREFERENCES, read_unsubscribe_token
from accounts.verification import is_unverified
from lib.params import parse_id
from lib.ratelimit import (
    Limited,
    check_rate,
    client_address,
    count_rate,
    normalise_username,
    peek_rate,
    reset_rate,
    too_many_requests,
)
from sitecontent.config import archive_settings, current_terms_version_id
from sitecontent.models import PageSlug, SignupMode

# Enough for everything a reader may never want to see; AO3's most requested feature.


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return None


def _signup_refusal(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "accounts/signup_refused.html", {"message": message}, status=status)


@sensitive_post_parameters("password1", "password2")
def signup(request: HttpRequest) -> HttpResponse:
    """Sign up as the archive's staff allow: open, with an invitation (also the queue's), or not at all."""
    if request.user.is_authenticated:
        return redirect("home")
    config = archive_settings()
    mode = config.signup_mode
    if mode == SignupMode.CLOSED:
        return render(request, "accounts/signup_closed.html", status=403)
    terms_id = current_terms_version_id()
    form_options: dict[str, Any] = {
        "needs_invitation": mode != SignupMode.OPEN,
        "terms_url": reverse("site_page", args=[PageSlug.TERMS]) if terms_id else None,
        "minimum_age": config.minimum_age,
    }
    if request.method == "POST":
        limited = check_rate(request, "signup", None, settings.SIGNUP_RATE_LIMIT, settings.SIGNUP_RATE_WINDOW_SECONDS)
        if limited:
            return too_many_requests(request, limited)
        form = SignupForm(request.POST, **form_options)
        if request.POST.get(signup_checks.HONEYPOT_FIELD):
            return _signup_refusal(request, _("Sign-up refused: the form was not filled in by a person."), 400)
        if form.is_valid():
            data = form.cleaned_data
            candidate = signup_checks.SignupCandidate(data["username"], data["email"], client_address(request))
            if signup_checks.is_spam_signup(candidate):
                return _signup_refusal(request, _("Sign-up refused: it looks like spam to the archive's filter."), 400)
            invitation = None
            if form.needs_invitation:
                invitation = usable_invitation(data["invitation"])
                if invitation is None:
                    form.add_error("invitation", _("That invitation is not valid or has already been used."))
            if not form.errors:
                try:
                    user = actions.sign_up(
                        data["username"],
                        data["email"],
                        data["password1"],
                        invitation=invitation,
                        terms_version_id=terms_id,
                        minimum_age=config.minimum_age,
                    )
                except actions.SignupRefused as refused:
                    form.add_error(refused.field, str(refused))
                else:
                    login(request, user, backend="accounts.backends.CaseInsensitiveModelBackend")
                    messages.success(
                        request,
                        _("Welcome, %(username)s! Your account is ready. We sent a link to %(email)s to confirm it.")
                        % {"username": user.username, "email": user.email},
                    )
                    return redirect("user_profile", user.username)
    else:
        form = SignupForm(initial={"invitation": request.GET.get("invitation", "")}, **form_options)
    context = {"form": form, "queue": mode == SignupMode.QUEUE, "terms_url": form_options["terms_url"]}
    return render(request, "accounts/signup.html", context)


def _login_refusal(request: HttpRequest, username: str) -> Limited | None:
    window = settings.LOGIN_ATTEMPTS_WINDOW_SECONDS
    return peek_rate("login-user", normalise_username(username), settings.LOGIN_ATTEMPTS_LIMIT, window) or peek_rate(
        "login-address", client_address(request), settings.LOGIN_ADDRESS_ATTEMPTS_LIMIT, window
    )


def _count_failed_login(request: HttpRequest, username: str) -> None:
    window = settings.LOGIN_ATTEMPTS_WINDOW_SECONDS
    count_rate("login-user", normalise_username(username), settings.LOGIN_ATTEMPTS_LIMIT, window)
    count_rate("login-address", client_address(request), settings.LOGIN_ADDRESS_ATTEMPTS_LIMIT, window)


@sensitive_post_parameters("password")
def login_view(request: HttpRequest) -> HttpResponse:
    """Log in, refusing further tries after too many failures for a username or address.

    The username is counted as log-in matches it (normalised, any case), so "alice ", "ＡＬＩＣＥ"
    and "Alice" share one budget; the address is the client's, through trusted proxies.
    """
    next_url = _safe_next(request)
    if request.method == "POST":
        username = request.POST.get("username", "")
        limited = _login_refusal(request, username)
        if limited:
            context = {"form": AuthenticationForm(request), "next": next_url, "blocked": not limited.unavailable}
            return too_many_requests(request, limited, "accounts/login.html", context)
        form = AuthenticationForm(request, data=request.POST)
        if form.is_valid():
            reset_rate("login-user", normalise_username(username), settings.LOGIN_ATTEMPTS_WINDOW_SECONDS)
            login(request, form.get_user())
            return redirect(next_url or "home")
        _count_failed_login(request, username)
    else:
        form = AuthenticationForm(request)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


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
                hooks.creator_names_changed(pseud.creatorships.values_list("work_id", flat=True))
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
    context = {"form": form, "reader_form": reader_form, "unverified": is_unverified(request.user)}
    return render(request, "accounts/preferences.html", context)


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
        actions.save_filter(request.user, name, target)
        messages.success(request, _("Saved your filters as “%(name)s”.") % {"name": name})
    return redirect(target)


@login_required
def saved_filters(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    if request.method == "POST":
        actions.delete_saved_filter(request.user, parse_id(request.POST.get("delete")) or 0)
        messages.success(request, _("The saved filter was deleted."))
        return redirect("saved_filters")
    return render(request, "accounts/saved_filters.html", {"filters": request.user.saved_filters.all()})


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
