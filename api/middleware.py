import json
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from api import tokens
from api.ratelimit import retry_after
from lib.ratelimit import client_address

READ_METHODS = ("GET", "HEAD", "OPTIONS")


class ReadCorsMiddleware:
    """Any web page may read the API and the feeds (CORS), but only with GET.

    Allowing every origin is safe because it is never with credentials: browsers send no
    cookies on such requests, so a page elsewhere sees what a guest sees, or what the
    personal token it holds (in Authorization) may see. Writes get no CORS headers at all.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        readable = request.path.startswith("/api/v1/") or request.path.endswith(".atom")
        if not readable:
            return self.get_response(request)
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ", ".join(READ_METHODS)
            response["Access-Control-Allow-Headers"] = "Authorization"
            response["Access-Control-Max-Age"] = "86400"
        else:
            response = self.get_response(request)
        if request.method in READ_METHODS:
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Retry-After"
        return response


# Paths where personal tokens are accepted and requests are rate limited: the API, the OPDS catalog,
# and downloads, which reading apps follow from the catalog.
TOKEN_PATHS = ("/api/v1/", "/opds/")
DOWNLOAD_PATH = re.compile(r"^/works/\d+/download/")


def _json_error(status: int, code: str, message: str) -> HttpResponse:
    body = json.dumps({"error": {"code": code, "message": message, "details": []}})
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


class TokenAuthMiddleware:
    """Who an API or OPDS request reads as (a personal token's owner, or a guest), and its rate limits.

    After Django's authentication: a valid token replaces the session's user; a bad one is a 401
    (never silently a guest). A request with a token counts against the token, one without against
    its address (stored only as a keyed hash, by lib.ratelimit), so one client cannot starve the others.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "OPTIONS" or not (
            request.path.startswith(TOKEN_PATHS) or DOWNLOAD_PATH.match(request.path)
        ):
            return self.get_response(request)
        try:
            auth = tokens.authenticate(request)
        except tokens.BadCredentials:
            response = _json_error(401, "invalid_token", "That token is not valid: it may have been revoked.")
            response["WWW-Authenticate"] = 'Bearer realm="api", Basic realm="api"'
            return response
        request.api_token = auth.token if auth else None  # type: ignore[attr-defined]
        if auth is not None:
            request.user = auth.reader
        elif not request.path.startswith(TOKEN_PATHS):
            # A browser's download (no token) is a page like any other, not a use of the API.
            return self.get_response(request)
        if auth is not None:
            bucket, limit = f"token:{auth.token.pk}", settings.API_RATE_LIMIT_TOKEN
        else:
            # The address as it is: lib.ratelimit keys every count by a keyed hash of its key already.
            bucket, limit = f"addr:{client_address(request)}", settings.API_RATE_LIMIT_ADDRESS
        wait = retry_after(bucket, limit, settings.API_RATE_WINDOW_SECONDS)
        if wait is not None:
            response = _json_error(429, "rate_limited", f"Too many requests: try again in {wait} seconds.")
            response["Retry-After"] = str(wait)
            return response
        return self.get_response(request)
