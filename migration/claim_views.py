"""The claim page a creator of an imported archive reaches from their invitation, and the archivist's status page.

Every refusal (forged, expired or re-addressed link, a creator id that isn't the link's, a creator
already claimed) is a page saying why, and changes nothing.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts import actions as account_actions
from accounts.forms import SignupForm
from accounts.models import EmailVerification, User
from lib.ratelimit import check_rate, too_many_requests
from migration import claims
from migration.claims import ClaimRefused
from migration.models import ArchivedCreator
from sitecontent.config import archive_settings, current_terms_version_id
from sitecontent.models import PageSlug

MESSAGE_MAX = 2000
INVITATION_RUN_MAX = 1000


def _refused(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(request, "migration/claim_refused.html", {"message": message}, status=status)


def _signup_form(request: HttpRequest, creator: ArchivedCreator) -> SignupForm:
    terms_id = current_terms_version_id()
    options: dict[str, Any] = {
        # The claim link is the invitation: it proves the address the works were archived under.
        "needs_invitation": False,
        "terms_url": reverse("site_page", args=[PageSlug.TERMS]) if terms_id else None,
        "minimum_age": archive_settings().minimum_age,
    }
    if request.method == "POST" and request.POST.get("action") == "signup":
        return SignupForm(request.POST, **options)
    return SignupForm(initial={"email": creator.email}, **options)


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "HEAD", "POST"])
def claim_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        creator = claims.creator_for_token(token)
    except ClaimRefused as refusal:
        return _refused(request, str(refusal))
    user = request.user if isinstance(request.user, User) else None
    if creator.status != ArchivedCreator.Status.UNCLAIMED:
        if user is not None and creator.claimed_by_id == user.pk:
            messages.info(request, _("You have claimed these works."))
            return redirect("user_profile", user.username)
        return _refused(request, claims.already_resolved(creator), status=410)
    signup_form = _signup_form(request, creator)
    if request.method == "POST":
        if request.POST.get("creator") != str(creator.pk):
            return _refused(request, _("This form was sent for other works than the link's. Nothing was changed."))
        action = request.POST.get("action")
        try:
            if action == "claim":
                if user is None:
                    return redirect(f"{reverse('login')}?next={request.path}")
                result = claims.claim(creator.pk, user)
                return _claimed(request, result)
            if action == "signup":
                response = _sign_up_and_claim(request, creator, signup_form)
                if response is not None:
                    return response
            elif action == "orphan":
                if not request.POST.get("confirm"):
                    messages.error(request, _("Tick the box to confirm that you want to orphan these works."))
                else:
                    claims.orphan(creator.pk)
                    return render(request, "migration/claim_done.html", {"outcome": "orphaned", "creator": creator})
            elif action == "remove":
                message = request.POST.get("message", "")
                if len(message) > MESSAGE_MAX:
                    messages.error(request, _("Your message is too long (at most 2,000 characters)."))
                else:
                    claims.request_removal(creator.pk, message)
                    return render(request, "migration/claim_done.html", {"outcome": "removal", "creator": creator})
            else:
                return _refused(request, _("Choose what to do with these works."))
        except ClaimRefused as refusal:
            return _refused(request, str(refusal), status=409)
    context = {
        "creator": creator,
        "works": list(claims.works_of(creator).only("id", "title")),
        "comments": creator.comments.count(),
        "favourites": creator.favourites.count(),
        "signup_form": signup_form,
        "terms_url": signup_form.terms_url,
        "token": token,
    }
    return render(request, "migration/claim.html", context)


def _claimed(request: HttpRequest, result: claims.ClaimResult) -> HttpResponse:
    messages.success(
        request,
        _("The works are yours now: %(works)s works, %(comments)s comments, %(bookmarks)s bookmarks.")
        % {"works": result.works, "comments": result.comments, "bookmarks": result.bookmarks},
    )
    return redirect(result.pseud.get_absolute_url())


def _sign_up_and_claim(request: HttpRequest, creator: ArchivedCreator, form: SignupForm) -> HttpResponse | None:
    """A new account through the normal sign-up rules (terms, age, a free name), for the link's address only."""
    if request.user.is_authenticated:
        return _refused(request, _("You are logged in: claim the works into this account, or log out first."))
    limited = check_rate(request, "signup", None, settings.SIGNUP_RATE_LIMIT, settings.SIGNUP_RATE_WINDOW_SECONDS)
    if limited:
        return too_many_requests(request, limited)
    if not form.is_valid():
        return None
    data = form.cleaned_data
    if str(data["email"]).casefold() != creator.email.casefold():
        form.add_error("email", _("Sign up with the address the invitation was sent to."))
        return None
    try:
        with transaction.atomic():
            user = account_actions.sign_up(
                data["username"],
                data["email"],
                data["password1"],
                invitation=None,
                terms_version_id=current_terms_version_id(),
                minimum_age=archive_settings().minimum_age,
            )
            # The link reached this address: it is confirmed.
            EmailVerification.objects.filter(user=user).update(verified_at=timezone.now())
            result = claims.claim(creator.pk, user)
    except account_actions.SignupRefused as refused:
        form.add_error(refused.field, str(refused))
        return None
    login(request, user, backend="accounts.backends.CaseInsensitiveModelBackend")
    return _claimed(request, result)


# The archivist's view


def _creators_for(user: User) -> QuerySet[ArchivedCreator]:
    creators = ArchivedCreator.objects.all()
    return creators if user.is_staff else creators.filter(archivist=user)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def claim_status(request: HttpRequest) -> HttpResponse:
    """Claim status per creator, for staff (every import) and archivists (their own); sending invitations."""
    assert isinstance(request.user, User)
    creators = _creators_for(request.user)
    if not request.user.is_staff and not creators.exists():
        raise PermissionDenied
    source = request.GET.get("source") or request.POST.get("source") or ""
    if source:
        creators = creators.filter(source=source)
    if request.method == "POST":
        raw = request.POST.get("limit", "")
        if not raw.isdigit() or not 1 <= int(raw) <= INVITATION_RUN_MAX:
            messages.error(
                request, _("Send between 1 and %(max)s invitations at a time.") % {"max": INVITATION_RUN_MAX}
            )
        else:
            queued = claims.queue_invitations(creators, int(raw))
            messages.success(request, _("%(count)s invitations queued.") % {"count": queued})
        return redirect(reverse("claim_status") + (f"?source={source}" if source else ""))
    totals = creators.aggregate(
        **{status: Count("id", filter=Q(status=status)) for status in ArchivedCreator.Status.values},
        waiting=Count("id", filter=Q(status="unclaimed", invitation_queued_at=None) & ~Q(email="")),
    )
    rows = creators.select_related("pseud__user", "claimed_by", "archivist").order_by("source", "pen_name", "id")
    context = {
        "creators": rows[:500],
        "shown": min(rows.count(), 500),
        "totals": totals,
        "sources": _creators_for(request.user).order_by("source").values_list("source", flat=True).distinct(),
        "source": source,
        "run_max": INVITATION_RUN_MAX,
    }
    return render(request, "migration/claim_status.html", context)
