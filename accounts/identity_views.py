"""Views for invitations and the invite queue, email verification, the terms of service, and changing
one's username or email (kept apart from views.py, which holds log-in, profiles and preferences)."""

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts import actions, export, invitations, lifecycle, verification
from accounts import signup as signup_checks
from accounts.forms import (
    DeleteAccountForm,
    EmailChangeForm,
    InviteForm,
    IssueInvitationsForm,
    QueueForm,
    ReleaseForm,
    UsernameChangeForm,
)
from accounts.models import DataExport, Invitation, InviteRequest, User
from lib.ratelimit import client_address
from sitecontent.config import archive_settings, current_terms_version_id
from sitecontent.models import PageVersion, SignupMode
from sitecontent.views import staff_only

TERMS_SESSION_KEY = "terms_accepted"


# The invite queue


def queue_join(request: HttpRequest) -> HttpResponse:
    """Ask for an invitation: join the queue, then follow the emailed link to see one's place."""
    if archive_settings().signup_mode != SignupMode.QUEUE:
        return render(request, "accounts/queue_closed.html", status=404)
    form = QueueForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not signup_checks.take_signup_slot(client_address(request)):
            messages.error(request, _("Too many requests from your address. Please try again in an hour."))
            return render(request, "accounts/queue_join.html", {"form": form, "waiting": None}, status=429)
        if request.POST.get(signup_checks.HONEYPOT_FIELD):
            messages.error(request, _("Request refused: the form was not filled in by a person."))
            return render(request, "accounts/queue_join.html", {"form": form, "waiting": None}, status=400)
        if form.is_valid():
            email = form.cleaned_data["email"]
            if User.objects.filter(email__iexact=email).exists():
                form.add_error("email", _("An account with that email already exists. Try resetting your password."))
            else:
                _request, new = invitations.join_queue(email)
                if new:
                    messages.success(request, _("You're in the queue! We emailed you a link to check your place."))
                else:
                    messages.success(request, _("That address is already in the queue: we emailed its link again."))
                return redirect("queue_join")
    return render(request, "accounts/queue_join.html", {"form": form, "waiting": invitations.waiting()})


def queue_status(request: HttpRequest, token: str) -> HttpResponse:
    queued = get_object_or_404(InviteRequest.objects.select_related("invitation"), token=token)
    context = {"queued": queued, "position": invitations.position(queued)}
    return render(request, "accounts/queue_status.html", context)


# Invitations


@login_required
def my_invitations(request: HttpRequest) -> HttpResponse:
    """A member's invitations: their allotment, and new ones to send or copy."""
    assert isinstance(request.user, User)
    refusal = verification.posting_refusal(request.user)
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if refusal:
            messages.error(request, refusal)
            return redirect("my_invitations")
        if form.is_valid():
            invitation = invitations.invite_by_member(request.user, form.cleaned_data["email"])
            if invitation is None:
                messages.error(request, _("You have no invitations left."))
            else:
                messages.success(request, _("A new invitation is ready: share its link, or we emailed it."))
            return redirect("my_invitations")
    mine = Invitation.objects.filter(created_by=request.user).select_related("used_by")[:200]
    context = {"form": form, "invitations": mine, "left": invitations.allotment_left(request.user)}
    return render(request, "accounts/invitations.html", context)


@staff_only
def staff_invitations(request: HttpRequest) -> HttpResponse:
    """Staff: issue invitation codes, release the queue now, see what was sent and used."""
    assert isinstance(request.user, User)
    issue_form = IssueInvitationsForm(request.POST if "issue" in request.POST else None)
    release_form = ReleaseForm(request.POST if "release" in request.POST else None)
    if request.method == "POST":
        if "issue" in request.POST and issue_form.is_valid():
            made = invitations.issue(request.user, issue_form.cleaned_data["count"], issue_form.cleaned_data["email"])
            messages.success(request, _("%(count)s invitation(s) issued.") % {"count": len(made)})
            return redirect("staff_invitations")
        if "release" in request.POST and release_form.is_valid():
            released = invitations.release(release_form.cleaned_data["count"])
            messages.success(request, _("%(count)s invitation(s) sent from the queue.") % {"count": released})
            return redirect("staff_invitations")
    context = {
        "issue_form": issue_form,
        "release_form": release_form,
        "waiting": invitations.waiting(),
        "config": archive_settings(),
        "recent": Invitation.objects.select_related("created_by", "used_by")[:100],
    }
    return render(request, "accounts/staff_invitations.html", context)


# Email verification and changes


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link in a verification email: confirms a new account's address, or applies a change of address."""
    data = verification.read_token(token)
    user = User.objects.filter(pk=data["u"], is_active=True).first() if data else None
    if data is None or user is None:
        return render(request, "accounts/verify_done.html", {"ok": False}, status=400)
    if data["r"]:
        ok = actions.change_email(user, data["r"], data["e"])
        return render(request, "accounts/verify_done.html", {"ok": ok, "changed": True}, status=200 if ok else 400)
    if user.email != data["e"]:
        return render(request, "accounts/verify_done.html", {"ok": False}, status=400)
    verification.mark_verified(user)
    return render(request, "accounts/verify_done.html", {"ok": True, "changed": False})


@require_POST
@login_required
def resend_verification(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    if not verification.is_unverified(request.user):
        messages.info(request, _("Your email address is already confirmed."))
    elif not signup_checks.take_signup_slot(f"resend:{request.user.pk}"):
        messages.error(request, _("We sent several links already. Please wait an hour and check your spam folder."))
    else:
        verification.send_verification(request.user)
        messages.success(request, _("We sent a new link to %(email)s.") % {"email": request.user.email})
    return redirect("preferences")


@sensitive_post_parameters("password")
@login_required
def email_change(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    form = EmailChangeForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        # Each change sends an email to an address of the member's choosing: limited like sign-ups.
        if not signup_checks.take_signup_slot(f"email-change:{request.user.pk}"):
            messages.error(request, _("You asked for several changes already. Please wait an hour."))
            return render(request, "accounts/email_change.html", {"form": form}, status=429)
        verification.send_change_confirmation(request.user, form.cleaned_data["email"])
        messages.success(
            request,
            _("We sent a link to %(email)s. Your email changes when you follow it.")
            % {"email": form.cleaned_data["email"]},
        )
        return redirect("preferences")
    return render(request, "accounts/email_change.html", {"form": form})


@sensitive_post_parameters("password")
@login_required
def username_change(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    days = archive_settings().username_change_days
    not_before = actions.next_username_change(request.user, days)
    form = UsernameChangeForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST":
        if not_before is not None:
            messages.error(request, _("You can change your username only once every %(days)s days.") % {"days": days})
            return render(
                request, "accounts/username_change.html", {"form": form, "not_before": not_before}, status=403
            )
        if form.is_valid():
            actions.change_username(request.user, form.cleaned_data["username"])
            update_session_auth_hash(request, request.user)
            messages.success(
                request,
                _("Your username is now %(username)s. Links to your old profile lead here.")
                % {"username": request.user.username},
            )
            return redirect("user_profile", request.user.username)
    return render(request, "accounts/username_change.html", {"form": form, "not_before": not_before})


# The terms of service


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@login_required
def terms_accept(request: HttpRequest) -> HttpResponse:
    """Where TermsMiddleware sends a member who hasn't accepted the current terms of service."""
    assert isinstance(request.user, User)
    version_id = current_terms_version_id()
    if version_id is None:
        return redirect(_safe_next(request))
    version = get_object_or_404(PageVersion, pk=version_id)
    if request.method == "POST":
        if request.POST.get("accept") != "yes":
            messages.error(request, _("To go on using the archive, please accept the Terms of Service."))
        else:
            actions.accept_terms(request.user, version.pk)
            request.session[TERMS_SESSION_KEY] = version.pk
            messages.success(request, _("Thank you for accepting the Terms of Service."))
            return redirect(_safe_next(request))
    return render(request, "accounts/terms_accept.html", {"version": version, "next": _safe_next(request)})


# Leaving: deleting the account (orphaning works is in works.views)


@sensitive_post_parameters("password")
@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        lifecycle.delete_account(
            user,
            delete_works=form.cleaned_data["works"] == "delete",
            keep_pseud_names=form.cleaned_data["keep_pseud_names"],
        )
        messages.success(request, _("Your account was deleted. Goodbye, and thank you."))
        return redirect("home")
    return render(request, "accounts/account_delete.html", {"form": form})


# Export my data


@login_required
def data_export(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    if request.method == "POST":
        if export.request_export(request.user) is None:
            messages.info(request, _("Your export is already being prepared."))
        else:
            messages.success(request, _("Your export is being prepared. We'll tell you in your inbox when it's ready."))
        return redirect("data_export")
    exports = DataExport.objects.filter(user=request.user)[:20]
    return render(request, "accounts/data_export.html", {"exports": exports, "days": export.EXPORT_DAYS})


@login_required
def data_export_download(request: HttpRequest, export_id: int) -> FileResponse:
    found = get_object_or_404(
        DataExport, pk=export_id, user=request.user, status=DataExport.Status.READY, expires_at__gt=timezone.now()
    )
    path = export.export_path(found)
    if not path.exists():
        raise Http404("This export is gone.")
    response = FileResponse(path.open("rb"), as_attachment=True, filename=f"{request.user.get_username()}-data.zip")
    response["Cache-Control"] = "private"
    return response
