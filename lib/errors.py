"""The archive's own page for a request Django refuses before any view runs (fanarchive.urls handler400):
a POST over DATA_UPLOAD_MAX_MEMORY_SIZE (413) or DATA_UPLOAD_MAX_NUMBER_FIELDS / FILES (400)."""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    status = 400
    if isinstance(exception, RequestDataTooBig):
        status = 413
        message = gettext(
            "What you sent is too large for the archive (more than 8 MB). A very long chapter can be "
            "posted in parts: post the first part, then add the rest as further chapters."
        )
    elif isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)):
        message = gettext("What you sent has too many fields for the archive to read. Please send less at once.")
    else:
        message = gettext("The archive couldn't understand that request.")
    return render(request, "400.html", {"message": message, "status": status}, status=status)
