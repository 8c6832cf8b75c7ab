import gzip
import secrets
from collections.abc import Callable

import brotli
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.crypto import get_random_string

# Defence in depth behind the sanitizer: even if user HTML slipped through,
# the browser would run no inline or foreign script. Images in works may come
# from anywhere on the web (as on AO3); styles allow inline for Django's admin.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' https: http: data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


def _accepts(header: str, coding: str) -> bool:
    """Whether an Accept-Encoding header allows `coding` (named, without q=0)."""
    for item in header.split(","):
        name, _semicolon, params = item.strip().partition(";")
        if name.strip().lower() != coding:
            continue
        for param in params.split(";"):
            key, _equals, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    return float(value) > 0
                except ValueError:
                    return False
        return True
    return False


_RANDOM_NAME_BYTES = 100


def _gzip(content: bytes) -> bytes:
    """gzip at its fastest level, with Django's random file name in the header (its defence
    against BREACH-style length guessing, which GZipMiddleware adds at level 6)."""
    compressed = gzip.compress(content, compresslevel=1, mtime=0)
    header = bytearray(compressed[:10])
    header[3] = gzip.FNAME
    name = get_random_string(secrets.randbelow(_RANDOM_NAME_BYTES) + 1).encode() + b"\x00"
    return bytes(header) + name + compressed[10:]


class CompressionMiddleware(GZipMiddleware):
    """Pages in Brotli for browsers that take it (all of them over HTTPS), else gzip, both at
    their fastest settings.

    Django's GZipMiddleware compresses at level 6: a 100,000-word chapter's page (566 KB) cost
    50 ms of CPU to compress, more than building it. Brotli quality 1 makes it about as small
    (208 KB against 204) in 4 ms; gzip level 1 takes 10 ms (244 KB). Measured with
    bench/pages.py --accept-encoding; README "Speed as felt". Streaming responses and
    already-encoded ones are left to Django's middleware, as before.
    """

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if not isinstance(response, HttpResponse) or response.has_header("Content-Encoding"):
            return super().process_response(request, response)
        content = response.content
        if len(content) < 200:
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")
        if _accepts(accepted, "br"):
            encoding, compressed = "br", brotli.compress(content, quality=1)
        elif _accepts(accepted, "gzip"):
            encoding, compressed = "gzip", _gzip(content)
        else:
            return response
        if len(compressed) >= len(content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        # A strong ETag names the exact bytes (RFC 9110 8.8.1), so it becomes weak.
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = encoding
        return response
