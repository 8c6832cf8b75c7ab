import json
from dataclasses import asdict
from typing import Any, cast

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from accounts.models import TagExclusion, User
from community.muting import muted_user_ids
from lib.languages import LANGUAGES
from works.access import visible_works
from works.filter_form import SORT_LABELS, parse_filters
from works.listing import Listing, _CountedIds, _without_page, with_blurb_data

from . import engine
from .backend import SearchRequest, SearchResponse, SearchUnavailable, run, run_local
from .indexer import owns_index
from .query import MAX_QUERY_CHARS, parse_query

SEARCH_SORTS = [("relevance", _("Best Match")), *SORT_LABELS.items()]


def _search_sorts() -> list[tuple[str, str]]:
    """The sort choices in the reader's language."""
    return [(key, str(label)) for key, label in SEARCH_SORTS]


def _search_request(request: HttpRequest, query: str, listing_filters: Any) -> SearchRequest:
    spec = listing_filters.spec
    user = request.user
    muted = sorted(muted_user_ids(user))
    none_of = list(spec.none_of)
    if isinstance(user, User) and listing_filters.use_exclusions:
        none_of += list(TagExclusion.objects.filter(user=user).values_list("tag_id", flat=True))
    sort = request.GET.get("sort", "relevance")
    return SearchRequest(
        query=query,
        members=user.is_authenticated,
        any_of=list(spec.any_of),
        all_of=list(spec.all_of),
        none_of=none_of,
        crossover=spec.crossover,
        complete=spec.complete,
        words_from=spec.words_from,
        words_to=spec.words_to,
        updated_from=spec.updated_from.isoformat() if spec.updated_from else None,
        updated_to=spec.updated_to.isoformat() if spec.updated_to else None,
        language=spec.language,
        muted_users=muted,
        sort=sort if sort in dict(SEARCH_SORTS) else "relevance",
    )


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Full-text search: the query language of search.query plus every listing filter."""
    query = " ".join(request.GET.get("q", "").split())[: MAX_QUERY_CHARS * 2]
    params = request.GET.copy()
    params.pop("q", None)
    filters = parse_filters(params, members=request.user.is_authenticated)
    search_request = _search_request(request, query, filters)
    per_page = settings.WORKS_PER_PAGE
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    search_request.offset = (page_number - 1) * per_page
    search_request.limit = per_page
    unavailable = False
    searched = bool(query) or filters.active
    response = SearchResponse(total=0, hits=[])
    if searched and not filters.impossible:
        try:
            response = run(search_request)
        except SearchUnavailable:
            unavailable = True
    hits = {hit.work_id: hit for hit in response.hits}
    # The index decides what matches; the database still decides what this reader may see.
    works = {
        w.pk: w
        for w in with_blurb_data(visible_works(request.user).filter(pk__in=list(hits)).defer("notes", "endnotes"))
    }
    ordered = [works[pk] for pk in hits if pk in works]
    for work in ordered:
        work.search_snippets = hits[work.pk].snippets  # type: ignore[attr-defined]
    total = response.total
    pageable = min(total, settings.MAX_PAGED_RESULTS)
    offset = search_request.offset

    def load(start: int, stop: int) -> list[Any]:
        return ordered if start == offset else []

    paginator: Paginator[Any] = Paginator(cast(Any, _CountedIds(pageable, load)), per_page)
    page = paginator.get_page(page_number)
    listing = Listing(
        page=page,
        sort=search_request.sort,
        sorts=_search_sorts(),
        page_numbers=list(paginator.get_elided_page_range(page.number)),
        filters=filters,
        total=total,
        capped=total > settings.MAX_PAGED_RESULTS,
        query=_without_page(request),
        max_paged=settings.MAX_PAGED_RESULTS,
        languages=LANGUAGES,
    )
    return render(
        request,
        "search/results.html",
        {
            "listing": listing,
            "query": query,
            "searched": searched,
            "notices": response.notices,
            "unavailable": unavailable,
            # Never a silent "No works found" from a missing or half-built index.
            "rebuilding": searched and owns_index() and engine.rebuilding(),
            "search_page": True,
        },
    )


@require_GET
def advanced_search(request: HttpRequest) -> HttpResponse:
    return render(request, "search/advanced.html", {"languages": LANGUAGES, "sorts": _search_sorts()})


ADVANCED_FIELDS = {
    "title": "title",
    "creator": "creator",
    "summary": "summary",
    "notes": "notes",
    "tags": "tag",
    "text": "text",
}


def _quoted(text: str) -> str:
    return '"' + text.replace('"', " ").strip() + '"'


def _field_items(prefix: str, text: str) -> list[str]:
    """A field box's words and "phrases", each with the field's prefix."""
    parsed = parse_query(text)
    items = []
    for clause in parsed.clauses:
        for term in clause.alternatives:
            value = _quoted(term.text) if term.phrase else term.text.replace(":", " ")
            items.append(("-" if clause.negated else "") + f"{prefix}:{value}")
    return items


@require_GET
def advanced_search_go(request: HttpRequest) -> HttpResponse:
    """Turn the advanced form into the query language, so the result URL reads like a typed search."""
    get = request.GET
    items = get.get("all", "").split()
    if get.get("phrase", "").strip():
        items.append(_quoted(get["phrase"]))
    alternatives = get.get("any", "").split()
    if alternatives:
        items.append(" OR ".join(alternatives))
    items += ["-" + word.lstrip("-") for word in get.get("none", "").split()]
    for name, prefix in ADVANCED_FIELDS.items():
        items += _field_items(prefix, get.get(name, ""))
    params = QueryDict(mutable=True)
    params["q"] = " ".join(items)
    for name in ("other_include", "other_exclude", "complete", "crossover", "words_from", "words_to",
                 "updated_from", "updated_to", "language", "sort"):  # fmt: skip
        if get.get(name, "").strip():
            params[name] = get[name]
    return redirect(f"{reverse('search')}?{params.urlencode()}")


@csrf_exempt  # a machine-to-machine API: authenticated by the shared key, not a session
@require_POST
def search_api(request: HttpRequest) -> HttpResponse:
    """Runs searches for the nodes that don't hold the index (SEARCH_URL points here)."""
    key = settings.SEARCH_API_KEY
    supplied = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not key:
        return JsonResponse({"error": "This node does not serve searches."}, status=404)
    if not constant_time_compare(supplied, key):
        return JsonResponse({"error": "Wrong or missing search API key."}, status=403)
    try:
        data = json.loads(request.body)
        search_request = SearchRequest(**{k: v for k, v in data.items() if k in SearchRequest.__dataclass_fields__})
        response = run_local(search_request)
    except (ValueError, TypeError) as error:
        return JsonResponse({"error": f"Bad search request: {error}"}, status=400)
    return JsonResponse(asdict(response))
