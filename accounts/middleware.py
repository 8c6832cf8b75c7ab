from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts.identity_views import TERMS_SESSION_KEY
from accounts.models import TermsAcceptance
from sitecontent.config import current_terms_version_id

# Reachable without having accepted: the page to accept on, the site pages themselves, logging out, files.
_OPEN_PREFIXES = ("/account/terms", "/account/logout", "/pages/", "/static/", "/media/")


class TermsMiddleware:
    """A member who hasn't accepted the current terms of service is sent to accept them first.

    The acceptance found is remembered in the session, so it costs one query per session and version.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(_OPEN_PREFIXES):
            version_id = current_terms_version_id()
            if version_id is not None and request.session.get(TERMS_SESSION_KEY) != version_id:
                if TermsAcceptance.objects.filter(user_id=user.pk, version_id=version_id).exists():
                    request.session[TERMS_SESSION_KEY] = version_id
                else:
                    return redirect(reverse("terms_accept") + "?" + urlencode({"next": request.get_full_path()}))
        return self.get_response(request)
