"""Account standing, enforced on every request: one place, so no write path can be forgotten.

A banned account is logged out (also right after logging in) with a message saying why.
A suspended account may read, but every write request (POST and the like) is refused,
except a few that concern only the account itself: logging out, display settings,
answering the moderators, tidying the inbox, blocking and muting, contacting support.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from moderation.models import Standing
from moderation.standing import load_standing_and_roles, standing_of, write_refusal

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
ALLOWED_WHILE_SUSPENDED = {
    "login",
    "logout",
    "reader_settings",
    "password_change",
    "preferences",
    "inbox",
    "block",
    "unblock",
    "mute",
    "unmute",
    "moderation_notice_answer",
    # Someone suspended may still need help with their account.
    "support_contact",
}
_STANDING = "_moderation_standing"


class StandingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user_id = request.user.pk if request.user.is_authenticated else None
        standing = load_standing_and_roles(request.user)
        setattr(request, _STANDING, standing)
        if standing is not None and standing.banned:
            return _turn_away(request, standing)
        response = self.get_response(request)
        if request.user.is_authenticated and request.user.pk != user_id:
            # Just logged in (inside the view): a banned account is turned away at once.
            standing = standing_of(request.user)
            if standing is not None and standing.banned:
                return _turn_away(request, standing)
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., HttpResponseBase], args: object, kwargs: object
    ) -> HttpResponseBase | None:
        if request.method in SAFE_METHODS or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.url_name in ALLOWED_WHILE_SUSPENDED:
            return None
        standing: Standing | None = getattr(request, _STANDING, None)
        if standing is None:
            # Good standing (or an account that logged in during this very request, checked after the view).
            return None
        reason = write_refusal(standing)
        if reason is None:
            return None
        return render(request, "moderation/refused.html", {"reason": reason}, status=403)


def _turn_away(request: HttpRequest, standing: Standing) -> HttpResponse:
    logout(request)
    messages.error(
        request,
        gettext("This account has been banned and cannot log in. Reason: %(reason)s")
        % {"reason": standing.reason or gettext("none given")},
    )
    return redirect("login")
