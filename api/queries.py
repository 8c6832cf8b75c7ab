"""The one adapter between readers' tools (Atom feeds, OPDS, the API) and the archive's queries.

Feeds and the API never filter, sort or page works themselves: they hand the
query string to the same public entry points as the pages, as a given reader:
`works.filter_form.parse_work_query` (the one parser, giving a `WorkQuery`) with
works.listing.list_works for listings and search.backend for search, and
bookmarks.listing for bookmarks.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.http import HttpRequest, QueryDict

from accounts.models import User
from bookmarks.listing import BookmarkListing, list_bookmarks, visible_bookmarks
from community.models import Reading
from search.backend import SearchResponse, SearchUnavailable, run, run_local
from tags.models import Tag
from works.access import AnyUser, listed_works
from works.filter_form import parse_work_query
from works.listing import list_works, with_blurb_data
from works.models import Series, Work

__all__ = [
    "SearchUnavailable",
    "WorkPage",
    "as_reader",
    "bookmark_page",
    "guest",
    "marked_for_later",
    "search_works",
    "series_works",
    "with_blurb",
    "work_page",
]


@dataclass
class WorkPage:
    works: list[Work]
    total: int
    number: int
    num_pages: int
    errors: list[str] = field(default_factory=list)


def as_reader(request: HttpRequest, user: AnyUser, params: QueryDict | None = None) -> HttpRequest:
    """A copy of the request as `user` sees it (a feed is always a guest's), with these query parameters."""
    reader = HttpRequest()
    reader.method = "GET"
    reader.path = request.path
    reader.META = request.META
    reader.GET = params if params is not None else request.GET  # type: ignore[assignment]
    reader.user = user
    return reader


def guest() -> AnonymousUser:
    return AnonymousUser()


def work_page(
    request: HttpRequest,
    user: AnyUser,
    params: QueryDict,
    *,
    fixed_tag: Tag | None = None,
    only_ids: set[int] | None = None,
) -> WorkPage:
    """The page of works a listing page shows for this query string, as this reader."""
    listing = list_works(as_reader(request, user, params), fixed_tag=fixed_tag, only_ids=only_ids, html=False)
    page = listing.page
    return WorkPage(
        works=list(page.object_list),
        total=listing.total,
        number=page.number,
        num_pages=page.paginator.num_pages,
        errors=list(listing.filters.errors),
    )


def search_works(
    request: HttpRequest, user: AnyUser, params: QueryDict, *, page: int = 1, per_page: int = 20
) -> tuple[WorkPage, SearchResponse]:
    """A page of full-text search results (the query language in `q`, plus every listing filter)."""
    filters = parse_work_query(params, user, search=True)
    query = filters.work_query
    query.page, query.per_page = page, per_page
    response = SearchResponse(total=0, hits=[])
    if (query.text or filters.active) and not filters.impossible:
        # Readers' tools get no snippets: they cost most of a search, and no feed shows them.
        response = run(query) if settings.SEARCH_URL else run_local(query, snippets=False)
    wanted = [hit.work_id for hit in response.hits]
    # The index decides what matches; the database still decides what this reader may see.
    found = {w.pk: w for w in with_blurb_data(listed_works(user).filter(pk__in=wanted).defer("notes", "endnotes"))}
    works = [found[pk] for pk in wanted if pk in found]
    num_pages = max(1, -(-response.total // per_page))
    return WorkPage(
        works=works, total=response.total, number=page, num_pages=num_pages, errors=filters.errors
    ), response


def series_works(user: AnyUser, series: Series) -> list[Work]:
    """A series' works this reader may see, in series order (as the series page)."""
    works = listed_works(user).filter(serial_works__series=series).order_by("serial_works__position", "id")
    return list(with_blurb_data(works.defer("notes", "endnotes")))


def bookmark_page(request: HttpRequest, user: AnyUser, params: QueryDict, owner_id: int) -> BookmarkListing:
    """A page of one user's bookmarks as this reader may see them (as the bookmarks page)."""
    bookmarks = visible_bookmarks(user).filter(user_id=owner_id)
    return list_bookmarks(as_reader(request, user, params), bookmarks)


def with_blurb(work: Work) -> Work:
    """One work with what its blurb shows prefetched (tags, creators, series)."""
    return with_blurb_data(Work.objects.filter(pk=work.pk)).get()


def marked_for_later(user: User, params: QueryDict) -> WorkPage:
    """A page of the works a reader marked for later (newest mark first), those they may still see."""
    readings = (
        Reading.objects.filter(user=user, marked_for_later=True, work__in=listed_works(user))
        .order_by("-id")
        .values_list("work_id", flat=True)
    )
    paginator = Paginator(readings, settings.WORKS_PER_PAGE)
    page = paginator.get_page(params.get("page", 1))
    ids = list(page.object_list)
    found = {w.pk: w for w in with_blurb_data(Work.objects.filter(pk__in=ids).defer("notes", "endnotes"))}
    return WorkPage(
        works=[found[pk] for pk in ids if pk in found],
        total=paginator.count,
        number=page.number,
        num_pages=paginator.num_pages,
    )
