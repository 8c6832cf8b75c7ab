"""Which bookmarks a reader may see, and a page of them with the bookmarker's filters.

A bookmark shows only if its work (or a work of its series) is one the reader
may see (works.access), so bookmarks of drafts, hidden works and, for guests,
restricted works are never shown, counted or titled. Bookmarks whose work or
series was deleted stay as placeholders. Private bookmarks, and bookmarks the
moderators hid (an account banned or marked as spam), are their owner's
alone; muted users' bookmarks, and bookmarks of muted users' works, are gone
for the muter.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest, QueryDict

from bookmarks.models import PUBLIC, Bookmark
from bookmarks.models import public as bookmark_public
from community.muting import muted_user_ids
from lib.querystring import query_without_page
from tags.models import Tag, TagType
from works.access import AnyUser
from works.hooks import muted_count
from works.listing import with_blurb_data
from works.models import SerialWork, Series, Tagging, Work, listed_through, visible_through

FACET_SIZE = 20


@muted_count("bookmarks_count")
def bookmarks_by_muted(work_ids: list[int], muted: set[int]) -> dict[int, int]:
    """Per work, the counted bookmarks (public, not hidden) by these muted users: blurbs show counts
    as the muter sees them."""
    return dict(
        Bookmark.objects.filter(PUBLIC, work_id__in=work_ids, user_id__in=muted)
        .values_list("work_id")
        .annotate(n=Count("pk"))
        .values_list("work_id", "n")
    )


def visible_bookmark(reader: AnyUser, through: str = "") -> Q:
    """The condition on a bookmark this reader may see, on Bookmark itself or, with `through`
    ("bookmark__"), on a model related to one: joins and per-row lookups, never `__in` over every
    visible work, so tags.visibility can ask it once per tag.

    A work's bookmark shows where the work would be listed (works.access.listed_works: muted
    creators' works left out); a series' shows while any of its works is visible."""
    members = reader.is_authenticated
    of_series = Exists(
        SerialWork.objects.filter(visible_through("work", members=members), series_id=OuterRef(through + "series_id"))
    )
    deleted = Q(**{through + "work__isnull": True, through + "series__isnull": True})
    shown = listed_through(through + "work", reader) | Q(of_series) | deleted
    if not members:
        return shown & bookmark_public(through)
    condition = shown & (bookmark_public(through) | Q(**{through + "user_id": reader.pk}))
    muted = muted_user_ids(reader)
    if muted:
        condition &= ~Q(**{through + "user_id__in": muted})
    return condition


def visible_bookmarks(reader: AnyUser) -> QuerySet[Bookmark]:
    return Bookmark.objects.filter(visible_bookmark(reader))


def tags_on_bookmarks(reader: AnyUser) -> tuple[Q, Q]:
    """Where bookmarks use tags (tags.hooks.TAG_USES): a tag (OuterRef "pk") on a bookmark this
    reader may see, and on any bookmark."""
    used = Bookmark.tags.through.objects.filter(tag_id=OuterRef("pk"))
    return Q(Exists(used.filter(visible_bookmark(reader, through="bookmark__")))), Q(Exists(used))


@dataclass
class BookmarkFilters:
    rec: bool = False
    tag: Tag | None = None
    fandom: Tag | None = None


@dataclass
class BookmarkListing:
    page: Page[Bookmark]
    filters: BookmarkFilters
    total: int
    tag_facet: list[tuple[Tag, int]] = field(default_factory=list)
    fandom_facet: list[tuple[Tag, int]] = field(default_factory=list)
    # The query string without the page number, for page links.
    query: str = ""


def _tag_param(params: QueryDict, name: str) -> Tag | None:
    raw = params.get(name, "")
    # ASCII digits within a 64-bit id: "²" or a 30-digit number must not reach int() or the database.
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
        return None
    return Tag.objects.filter(pk=int(raw)).first()


def list_bookmarks(request: HttpRequest, bookmarks: QuerySet[Bookmark]) -> BookmarkListing:
    """Filter (rec, bookmarker's tag, fandom of the work), count and page `bookmarks`, newest first."""
    filters = BookmarkFilters(
        rec=request.GET.get("rec") == "1",
        tag=_tag_param(request.GET, "tag"),
        fandom=_tag_param(request.GET, "fandom"),
    )
    if filters.rec:
        bookmarks = bookmarks.filter(rec=True)
    if filters.tag is not None:
        bookmarks = bookmarks.filter(tags=filters.tag)
    if filters.fandom is not None:
        bookmarks = bookmarks.filter(work__taggings__tag=filters.fandom)
    tag_rows = (
        Bookmark.tags.through.objects.filter(bookmark__in=bookmarks.values("pk"))
        .values("tag_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "tag_id")[:FACET_SIZE]
    )
    fandom_rows = (
        Tagging.objects.filter(work__bookmarks__in=bookmarks.values("pk"), tag__type=TagType.FANDOM)
        .values("tag_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "tag_id")[:FACET_SIZE]
    )
    tag_counts = [(row["tag_id"], row["n"]) for row in tag_rows]
    fandom_counts = [(row["tag_id"], row["n"]) for row in fandom_rows]
    names = Tag.objects.filter(pk__in=[pk for pk, _n in tag_counts + fandom_counts]).only("name", "type")
    tags = {tag.pk: tag for tag in names}
    page_of = (
        bookmarks.select_related("pseud__user")
        .prefetch_related(
            Prefetch("work", queryset=with_blurb_data(Work.objects.defer("notes", "endnotes"))),
            Prefetch("series", queryset=Series.objects.prefetch_related("pseuds__user")),
            Prefetch("tags", queryset=Tag.objects.only("name", "type").order_by("name")),
        )
        .order_by("-created_at", "-id")
    )
    page = Paginator(page_of, settings.WORKS_PER_PAGE).get_page(request.GET.get("page", 1))
    return BookmarkListing(
        page=page,
        filters=filters,
        total=page.paginator.count,
        tag_facet=[(tags[pk], n) for pk, n in tag_counts if pk in tags],
        fandom_facet=[(tags[pk], n) for pk, n in fandom_counts if pk in tags],
        query=query_without_page(request),
    )
