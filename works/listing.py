"""Work listings: sorting, paging, and fetching everything a blurb shows in a fixed number of queries."""

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest

from tags.models import Tag
from works.models import Creatorship, SerialWork, Work

BLURB_TAG_FIELDS = ("name", "type", "sort_order", "adult")

# name -> (label, ordering). Every ordering ends in -id so pages are stable.
SORTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "updated": ("Date Updated", ("-revised_at", "-id")),
    "posted": ("Date Posted", ("-published_at", "-id")),
    "title": ("Title", ("title_sort", "id")),
    "creator": ("Creator", ("creator_sort", "id")),
    "words": ("Word Count", ("-word_count", "-id")),
    "hits": ("Hits", ("-hits", "-id")),
}
DEFAULT_SORT = "updated"


@dataclass
class Listing:
    page: Page[Work]
    sort: str
    sorts: list[tuple[str, str]]
    page_numbers: list[int | str]


def with_blurb_data(works: QuerySet[Work]) -> QuerySet[Work]:
    """Prefetch tags, creators and series so a page of blurbs costs a fixed number of queries."""
    # Only the columns a blurb shows: a page holds ~300 tags, and building model
    # instances is most of a listing's Python time.
    return works.prefetch_related(
        Prefetch("tags", queryset=Tag.objects.only(*BLURB_TAG_FIELDS).order_by("sort_order", "name")),
        Prefetch(
            "creatorships",
            queryset=Creatorship.objects.select_related("pseud__user").only(
                "work_id", "position", "pseud__name", "pseud__user__username"
            ),
        ),
        Prefetch(
            "serial_works",
            queryset=SerialWork.objects.select_related("series").only("work_id", "position", "series__title"),
        ),
    )


def list_works(request: HttpRequest, works: QuerySet[Work]) -> Listing:
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    ordered = with_blurb_data(works.order_by(*SORTS[sort][1]).defer("notes", "endnotes"))
    paginator = Paginator(ordered, settings.WORKS_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    return Listing(
        page=page,
        sort=sort,
        sorts=[(key, label) for key, (label, _o) in SORTS.items()],
        page_numbers=list(paginator.get_elided_page_range(page.number)),
    )
