from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
