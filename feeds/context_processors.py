from django.http import HttpRequest
from django.urls import reverse

from lib.querystring import link_to_page

# A listing page's route -> its Atom feed's route (same arguments, same query string). A tag's
# own page is not a listing (and media tags have none): its works page carries the feed.
FEED_OF_PAGE = {
    "work_index": "works_feed",
    "tag_works": "tag_feed",
    "user_profile": "user_feed",
    "pseud_profile": "pseud_feed",
    "series_detail": "series_feed",
    "user_bookmarks": "bookmarks_feed",
    "search": "search_feed",
}


def feed(request: HttpRequest) -> dict[str, str]:
    """`feed_url`: the page's Atom feed, for <link rel="alternate"> and the visible link in base.html."""
    match = request.resolver_match
    if match is None or match.url_name not in FEED_OF_PAGE:
        return {}
    if match.url_name == "search" and not request.GET.get("q"):
        return {}
    return {"feed_url": link_to_page(reverse(FEED_OF_PAGE[match.url_name], kwargs=match.kwargs), request.GET)}
