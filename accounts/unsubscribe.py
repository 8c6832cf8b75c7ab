"""Signed one-click unsubscribe links: each turns one email preference off, without logging in.

The token is the user's id and the preference, signed with the secret key (django.core.signing),
so it can't be forged or pointed at another user or setting. It does not expire: an old
email's link should still work.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from accounts.models import User

SALT = "fanarchive.unsubscribe"
# What an unsubscribe link can turn off, and how the confirmation page names it.
PREFERENCES = {
    "email_on_comments": "emails about comments on your works and replies to your comments",
    "email_on_subscriptions": "emails about your subscriptions",
}


def unsubscribe_token(user: User, preference: str) -> str:
    assert preference in PREFERENCES, preference
    return signing.dumps({"u": user.pk, "p": preference}, salt=SALT, compress=True)


def unsubscribe_url(user: User, preference: str) -> str:
    """The absolute link for an email's footer."""
    path = reverse("unsubscribe", args=[unsubscribe_token(user, preference)])
    return settings.SITE_URL.rstrip("/") + path


def read_unsubscribe_token(token: str) -> tuple[User, str] | None:
    """The user and preference a token names, or None if it is forged, mangled or its user is gone."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("p") not in PREFERENCES or not isinstance(data.get("u"), int):
        return None
    user = User.objects.filter(pk=data["u"], is_active=True).first()
    if user is None:
        return None
    return user, str(data["p"])
