"""Email verification: the signed links that confirm an address, and who may not post until they confirm.

A link carries the user, the address to confirm and (for a change of email) the address it
replaces, signed with the secret key and valid for LINK_DAYS; nothing is stored until it is used.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts.emails import queue_email
from accounts.models import EmailVerification, User
from sitecontent.config import archive_settings

SALT = "accounts.verify-email"
LINK_DAYS = 7

View = Callable[..., HttpResponse]


def make_link(user: User, email: str, replaces: str = "") -> str:
    token = signing.dumps({"u": user.pk, "e": email, "r": replaces}, salt=SALT, compress=True)
    return settings.SITE_URL.rstrip("/") + reverse("verify_email", args=[token])


def read_token(token: str) -> dict[str, Any] | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_DAYS * 24 * 3600)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) and {"u", "e", "r"} <= data.keys() else None


def send_verification(user: User) -> None:
    queue_email(user.email, "verify_email", {"user": user, "link": make_link(user, user.email), "days": LINK_DAYS})


def send_change_confirmation(user: User, new_email: str) -> None:
    link = make_link(user, new_email, replaces=user.email)
    queue_email(new_email, "change_email", {"user": user, "link": link, "days": LINK_DAYS})


def is_unverified(user: User) -> bool:
    """Signed up, and not confirmed their address yet (accounts made by staff or scripts never need to)."""
    cached = getattr(user, "_unverified", None)
    if cached is None:
        cached = EmailVerification.objects.filter(user=user, verified_at=None).exists()
        user._unverified = cached  # type: ignore[attr-defined]
    return bool(cached)


def posting_refusal(user: Any) -> str | None:
    """Why this member may not post or comment yet, or None. Guests are judged elsewhere."""
    if not isinstance(user, User) or user.is_staff:
        return None
    if archive_settings().require_email_verification and is_unverified(user):
        return gettext(
            "Please confirm your email address first: follow the link we sent to %(email)s. "
            "You can ask for a new link from your preferences."
        ) % {"email": user.email}
    return None


def mark_verified(user: User) -> None:
    EmailVerification.objects.filter(user=user, verified_at=None).update(verified_at=timezone.now())
    user._unverified = False  # type: ignore[attr-defined]


def verified_email_required(view: View) -> View:
    """For pages that post: an unverified member gets a page saying what to do, not the form."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refusal = posting_refusal(request.user)
        if refusal:
            return render(request, "accounts/verify_first.html", {"message": refusal}, status=403)
        return view(request, *args, **kwargs)

    return wrapper
