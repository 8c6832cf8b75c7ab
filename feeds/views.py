"""Atom feeds of every listing: a tag's works, a filtered works listing, a creator, a pseud,
a series, a user's public bookmarks and a search.

A feed takes the same query string as its page (so a reader's saved filter is a
feed) and always shows what a guest sees: never a draft, a hidden work or a
restricted one, whoever asks, so one cached copy serves everyone. It costs
about what its listing page costs, and answers 304 to a feed reader that has it.
"""

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.html import format_html
from django.utils.http import http_date
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from accounts.models import Pseud, User
from api import queries
from feeds.atom import ATOM_TYPE, Feed, Link, build, entry_count_subtitle, etag_for, updated_of, work_entry
from lib.querystring import link_to_page
from tags.models import Tag, TagType, tag_name_key
from works.models import Creatorship, Series, Work

FEED_MAX_AGE = 300  # seconds a shared cache may keep a feed


def respond(
    request: HttpRequest, body: bytes, updated: datetime, content_type: str, *, public: bool = True
) -> HttpResponseBase:
    """The feed, or 304 when the reader's copy is current; public when it shows only what guests see."""
    etag = etag_for(body)
    last_modified = int(updated.timestamp())
    response: HttpResponseBase | None = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    if public:
        patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    else:
        patch_cache_control(response, private=True, max_age=0)
    return response


def _page_links(request: HttpRequest, page: queries.WorkPage) -> list[Link]:
    """RFC 5005 paging, so a reader can fetch older entries of a long listing."""
    links = []
    absolute = request.build_absolute_uri
    if page.number > 1:
        links.append(Link(href=absolute(link_to_page(request.path, request.GET, 1)), rel="first", type=ATOM_TYPE))
        links.append(
            Link(
                href=absolute(link_to_page(request.path, request.GET, page.number - 1)), rel="previous", type=ATOM_TYPE
            )
        )
    if page.number < page.num_pages:
        links.append(
            Link(href=absolute(link_to_page(request.path, request.GET, page.number + 1)), rel="next", type=ATOM_TYPE)
        )
    return links


def _base_links(request: HttpRequest, page_url: str) -> tuple[str, list[Link]]:
    """The feed's id (its address without a page number) and its self and page links."""
    absolute = request.build_absolute_uri
    feed_id = absolute(link_to_page(request.path, request.GET))
    links = [
        Link(href=absolute(request.get_full_path()), rel="self", type=ATOM_TYPE),
        Link(href=absolute(link_to_page(page_url, request.GET)), type="text/html"),
    ]
    return feed_id, links


def works_feed_response(
    request: HttpRequest, title: str, page_url: str, page: queries.WorkPage, entries: list[Any] | None = None
) -> HttpResponseBase:
    feed_id, links = _base_links(request, page_url)
    updated = updated_of(page.works)
    feed = Feed(
        id=feed_id,
        title=title,
        subtitle=entry_count_subtitle(page.total),
        links=links + _page_links(request, page),
        updated=updated,
        entries=entries
        if entries is not None
        else [work_entry(work, request.build_absolute_uri) for work in page.works],
    )
    return respond(request, build(feed), updated, f"{ATOM_TYPE}; charset=utf-8")


def _listing_feed(
    request: HttpRequest,
    title: str,
    page_url: str,
    *,
    fixed_tag: Tag | None = None,
    only_ids: set[int] | None = None,
) -> HttpResponseBase:
    page = queries.work_page(request, queries.guest(), request.GET, fixed_tag=fixed_tag, only_ids=only_ids)
    return works_feed_response(request, title, page_url, page)


@require_safe
def tag_feed(request: HttpRequest, name: str) -> HttpResponseBase:
    """A tag's works with its synonyms and sub tags, as its works page."""
    tag = get_object_or_404(Tag.objects.select_related("merger"), name_key=tag_name_key(name))
    if tag.type == TagType.MEDIA:
        raise Http404("Media tags list fandoms, not works.")
    if tag.merger is not None and tag.merger.canonical:
        query = request.META.get("QUERY_STRING", "")
        return redirect(reverse("tag_feed", args=[tag.merger.name]) + (f"?{query}" if query else ""))
    title = gettext("Works in %(tag)s") % {"tag": tag.name}
    return _listing_feed(request, title, tag.get_works_url(), fixed_tag=tag)


@require_safe
def works_feed(request: HttpRequest) -> HttpResponseBase:
    """The works listing with the page's filters (include, exclude, sort, words, dates, …)."""
    return _listing_feed(request, gettext("Works"), reverse("work_index"))


@require_safe
def user_feed(request: HttpRequest, username: str) -> HttpResponseBase:
    user = get_object_or_404(User, username=username, is_active=True)
    work_ids = set(Creatorship.objects.filter(pseud__user=user).values_list("work_id", flat=True))
    title = gettext("Works by %(creator)s") % {"creator": user.username}
    return _listing_feed(request, title, user.get_absolute_url(), only_ids=work_ids)


@require_safe
def pseud_feed(request: HttpRequest, username: str, pseud_name: str) -> HttpResponseBase:
    pseud = get_object_or_404(Pseud.objects.select_related("user"), user__username=username, name=pseud_name)
    work_ids = set(Creatorship.objects.filter(pseud=pseud).values_list("work_id", flat=True))
    title = gettext("Works by %(creator)s") % {"creator": str(pseud)}
    return _listing_feed(request, title, pseud.get_absolute_url(), only_ids=work_ids)


@require_safe
def series_feed(request: HttpRequest, series_id: int) -> HttpResponseBase:
    series = get_object_or_404(Series, pk=series_id)
    works = queries.series_works(queries.guest(), series)
    if not works:
        # As the series page: a series whose works are all drafts or restricted reveals nothing.
        raise Http404("No such series.")
    page = queries.WorkPage(works=works, total=len(works), number=1, num_pages=1)
    title = gettext("Series: %(title)s") % {"title": series.title}
    return works_feed_response(request, title, series.get_absolute_url(), page)


@require_safe
def bookmarks_feed(request: HttpRequest, username: str) -> HttpResponseBase:
    """A user's public bookmarks of works: one entry per bookmark, with the bookmarker's notes."""
    owner = get_object_or_404(User, username=username, is_active=True)
    listing = queries.bookmark_page(request, queries.guest(), request.GET, owner.pk)
    absolute = request.build_absolute_uri
    page_url = reverse("user_bookmarks", args=[owner.username])
    entries = []
    works: list[Work] = []
    for bookmark in listing.page.object_list:
        work = bookmark.work
        if work is None:
            continue
        works.append(work)
        updated = max(bookmark.updated_at, work.revised_at)
        work.revised_at = updated  # the feed's `updated` is its newest entry
        entries.append(
            work_entry(
                work,
                absolute,
                entry_id=absolute(f"{page_url}#bookmark-{bookmark.pk}"),
                updated=updated,
                extra_html=_bookmark_notes(bookmark.notes),
            )
        )
    page = queries.WorkPage(
        works=works, total=listing.total, number=listing.page.number, num_pages=listing.page.paginator.num_pages
    )
    title = gettext("Bookmarks by %(user)s") % {"user": owner.username}
    return works_feed_response(request, title, page_url, page, entries)


def _bookmark_notes(notes: str) -> str:
    if not notes:
        return ""
    # Bookmark notes are stored sanitized, like every user HTML.
    return format_html("<h4>{}</h4><blockquote>{}</blockquote>", gettext("Bookmarker's notes"), SafeString(notes))


@require_safe
def search_feed(request: HttpRequest) -> HttpResponseBase:
    """A full-text search (the query language and every listing filter) as a feed of its newest page."""
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    try:
        page, _response = queries.search_works(request, queries.guest(), request.GET, page=number)
    except queries.SearchUnavailable:
        return HttpResponse(gettext("Search is unavailable right now."), status=503, content_type="text/plain")
    title = gettext("Search: %(query)s") % {"query": request.GET.get("q", "")}
    return works_feed_response(request, title, reverse("search"), page)
