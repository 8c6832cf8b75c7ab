"""Work listings: filtering, sorting, paging, facets, and fetching what blurbs show.

Every listing (works index, tag pages, profiles) goes through `list_works`:
the in-memory filter index (works.filter_index) finds, counts and orders the
matching works among those the reader may see (works.access rules: posted,
not hidden, restricted only for logged-in readers), then the database loads
the 20 on the page in a fixed number of queries.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import SavedFilter, User
from accounts.reader import saved_filters
from lib.languages import LANGUAGES
from lib.lookups import AnyOf
from lib.querystring import query_without_page
from tags.models import Tag, TagType
from works import hooks
from works.blurbs import blurb_prefetches, prefill_blurbs, with_blurb_keys
from works.filter_form import SORT_LABELS, ParsedFilters, parse_work_query
from works.filter_index import FACET_TYPES, FILTER_ENGINE, INDEX
from works.models import Work
from works.query import WorkEngine, WorkQuery, WorkResult

FACET_SIZE = 10
# ?muted=show lists the works of users the reader muted (which are otherwise left out, and counted).
SHOW_MUTED_PARAM = "muted"
FACET_LABELS = {
    TagType.RATING: _("Ratings"),
    TagType.WARNING: _("Warnings"),
    TagType.CATEGORY: _("Categories"),
    TagType.FANDOM: _("Fandoms"),
    TagType.CHARACTER: _("Characters"),
    TagType.RELATIONSHIP: _("Relationships"),
    TagType.FREEFORM: _("Additional Tags"),
}


@dataclass(frozen=True, slots=True)
class FacetTag:
    """A tag as the filter sidebar shows it: its id and name."""

    pk: int
    name: str


@dataclass
class Facet:
    type: str
    label: str
    tags: list[tuple[FacetTag, int]]


@dataclass
class Listing:
    page: Page[Work]
    sort: str
    sorts: list[tuple[str, str]]
    page_numbers: list[int | str]
    filters: ParsedFilters
    facets: list[Facet] = field(default_factory=list)
    total: int = 0
    capped: bool = False
    hidden_by_exclusions: int = 0
    hidden_by_mutes: int = 0
    exclusion_count: int = 0
    saved_filters: list[SavedFilter] = field(default_factory=list)
    counts_updating: bool = False
    languages: list[tuple[str, str]] = field(default_factory=lambda: LANGUAGES)
    # The request's query string without its page number, for page links.
    query: str = ""
    max_paged: int = 0

    @property
    def included_ids(self) -> set[int]:
        return {t.pk for t in self.filters.included}

    @property
    def excluded_ids(self) -> set[int]:
        return {t.pk for t in self.filters.excluded}


class CountedPages:
    """A sequence of `total` items of which only one page is ever materialized."""

    def __init__(self, total: int, load: Callable[[int, int], list[Work]]) -> None:
        self.total = total
        self.load = load

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, item: slice) -> list[Work]:
        return self.load(item.start or 0, item.stop or 0)


def with_blurb_data(works: QuerySet[Work]) -> QuerySet[Work]:
    """Prefetch tags, creators and series so a page of blurbs costs a fixed number of queries."""
    # Only the columns a blurb shows: a page holds ~300 tags, and building model
    # instances is most of a listing's Python time.
    return works.prefetch_related(*blurb_prefetches())


@functools.cache
def _keyed_works(members: bool | None = None) -> QuerySet[Work]:
    """The works as a listing loads them, with their blurbs' keys (works.blurbs.with_blurb_keys):
    built once per process and filtered per page (as a class-based view's queryset is), since
    annotating a queryset with the key's three subqueries cost ~1 ms of CPU a page. One per
    visibility class (`_works_visible_to`): a search's works are loaded as its reader may see them."""
    return with_blurb_keys(_works_visible_to(members).defer("notes", "endnotes"))


def _works_visible_to(members: bool | None) -> QuerySet[Work]:
    """The works a member (True) or a guest (False) may see, as works.access.visible_works
    decides from the reader's `is_authenticated` alone; None: all of them."""
    return Work.objects.all() if members is None else Work.objects.visible(members=members)


def load_works(ids: list[int], muted: set[int], *, html: bool, visible_to_members: bool | None = None) -> list[Work]:
    """The works of a page, in `ids` order, with blurb counts as a reader who muted `muted` sees
    them (listings and search alike). For an HTML page (`html`), with the cached parts of
    their blurbs (works.blurbs.prefill_blurbs: tags and creators are loaded only for works whose
    blurb is not cached); otherwise with their tags, creators and series, for callers that read them.
    `visible_to_members` (the reader's `is_authenticated`, for ids the database has not checked,
    e.g. a search's) leaves out the works such a reader may not see (works.access.visible_works)."""
    if html:
        loaded = prefill_blurbs(list(_keyed_works(visible_to_members).filter(pk__in=ids)))
    else:
        works_qs = _works_visible_to(visible_to_members).filter(pk__in=ids).defer("notes", "endnotes")
        loaded = list(with_blurb_data(works_qs))
    works = {w.pk: w for w in loaded}
    if muted:
        _discount_muted(list(works.values()), muted)
    return [works[pk] for pk in ids if pk in works]


def _discount_muted(works: list[Work], muted: set[int]) -> None:
    """Blurb counts as the muter sees them: without the muted users' comments and bookmarks
    (each counted by its own app, through works/hooks.py)."""
    ids = [w.pk for w in works]
    for counter, count in hooks.MUTED_COUNTS.items():
        by_muted = count(ids, muted)
        for work in works:
            setattr(work, counter, max(0, getattr(work, counter) - by_muted.get(work.pk, 0)))


def _title_or_creator_matches(query: str) -> set[int]:
    words = query.casefold().split()
    condition = Q()
    for word in words:
        condition &= Q(title_sort__contains=word) | Q(creatorships__pseud__name__icontains=word)
    return set(Work.objects.filter(condition).values_list("pk", flat=True))


def parse_work_query_for(request: HttpRequest, *, search: bool = False) -> ParsedFilters:
    """The request's WorkQuery (see works.filter_form.parse_work_query), for its reader."""
    return parse_work_query(request.GET, request.user, search=search)


def run_work_query(query: WorkQuery, engine: WorkEngine | None = None) -> WorkResult:
    """Answer a query: by the filter index unless an engine is given (search.backend.SEARCH_ENGINE).

    Feeds, the API and other callers build the query with `parse_work_query(request.GET,
    request.user)` and page through `result.ids`. The ids are checked against the database's
    visibility rule once more (an index may lag a moment behind a work being hidden), so they
    are only of works the reader may see.
    """
    result = (engine or FILTER_ENGINE).run(query)
    allowed = set(Work.objects.visible(members=query.members).filter(pk__in=result.ids).values_list("pk", flat=True))
    result.ids = [pk for pk in result.ids if pk in allowed]
    return result


def list_works(
    request: HttpRequest,
    *,
    fixed_tag: Tag | None = None,
    only_ids: set[int] | None = None,
    count_only: bool = False,
    html: bool = True,
) -> Listing:
    """The filtered, sorted page of works for this request.

    `fixed_tag` is the tag of a tag page (its works are the base set);
    `only_ids` limits the listing to given works (a creator's);
    `count_only` stops once the total is known (the filter sheet's live count): no page, no facets.
    `html=False` (feeds, the API) skips the sidebar's facets and loads the works' tags, creators
    and series as models instead of their cached blurbs.
    """
    user = request.user
    parsed = parse_work_query_for(request)
    spec = parsed.work_query
    if fixed_tag is not None:
        spec.all_of = [fixed_tag.pk, *spec.all_of]
    if only_ids is not None:
        spec.only_ids = only_ids
    if parsed.query:
        matches = _title_or_creator_matches(parsed.query)
        spec.only_ids = matches if spec.only_ids is None else spec.only_ids & matches

    listing_extra: dict[str, object] = {}
    if isinstance(user, User):
        listing_extra["exclusion_count"] = len(spec.exclusion_list)
        listing_extra["saved_filters"] = saved_filters(user)
    if parsed.impossible:
        spec.only_ids = set()
    muted = set(spec.muted_users)
    if request.GET.get(SHOW_MUTED_PARAM) == "show":
        spec.muted_users = []
    ids, hidden = FILTER_ENGINE.matching(spec)
    hidden_by_mutes = 0
    if spec.muted_users:
        # Said above the results, with a way to show them: works never vanish without a word.
        hidden_by_mutes = FILTER_ENGINE.count_with_muted(spec) - len(ids)

    total = len(ids)
    if count_only:
        empty: Paginator[Work] = Paginator([], spec.per_page)
        return Listing(page=empty.get_page(1), sort=spec.sort, sorts=[], page_numbers=[], filters=parsed, total=total)
    pageable = min(total, settings.MAX_PAGED_RESULTS)
    pages = CountedPages(
        pageable,
        lambda start, stop: load_works(
            INDEX.page(ids, spec.sort, start, stop - start, descending=spec.descending), muted, html=html
        ),
    )
    paginator: Paginator[Work] = Paginator(cast(Any, pages), spec.per_page)
    page = paginator.get_page(spec.page)
    facets = _facets(ids, parsed, fixed_tag) if html else []
    return Listing(
        page=page,
        sort=spec.sort,
        sorts=[(key, str(label)) for key, label in SORT_LABELS.items()],
        page_numbers=list(paginator.get_elided_page_range(page.number)),
        filters=parsed,
        facets=facets,
        total=total,
        capped=total > settings.MAX_PAGED_RESULTS,
        hidden_by_exclusions=hidden,
        hidden_by_mutes=hidden_by_mutes,
        # Read with the match's look at the change log: no query of its own.
        counts_updating=INDEX.refresh_pending(),
        query=query_without_page(request),
        max_paged=settings.MAX_PAGED_RESULTS,
        **listing_extra,  # type: ignore[arg-type]
    )


def _facets(ids: np.ndarray, parsed: ParsedFilters, fixed_tag: Tag | None) -> list[Facet]:
    counted = INDEX.facets(ids, top=FACET_SIZE)
    wanted = {tag_id for pairs in counted.values() for tag_id, _n in pairs}
    # Plain rows: a sidebar counts ~140 tags, and building a model for each cost more than its query.
    # Unordered (not Tag's default order): they are looked up by id, and sorting them cost ~0.15 ms.
    rows = {
        pk: (name, merger_id)
        for pk, name, merger_id in Tag.objects.filter(AnyOf(F("pk"), wanted))
        .order_by()
        .values_list("pk", "name", "merger_id")
    }
    facets = []
    for tag_type in FACET_TYPES:
        shown: list[tuple[FacetTag, int]] = []
        for tag_id, count in counted[tag_type.value]:
            row = rows.get(tag_id)
            # A synonym is counted under its canonical tag already; the page's own tag is not a choice.
            if row is None or row[1] or (fixed_tag is not None and tag_id == fixed_tag.pk):
                continue
            shown.append((FacetTag(pk=tag_id, name=row[0]), count))
            if len(shown) == FACET_SIZE:
                break
        facets.append(Facet(type=tag_type.value, label=str(FACET_LABELS[tag_type]), tags=shown))
    return facets
