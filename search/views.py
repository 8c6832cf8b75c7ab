import json
from dataclasses import asdict
from typing import Any, cast

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from lib.languages import LANGUAGES
from lib.querystring import query_without_page
from works.filter_form import SEARCH_SORT_LABELS
from works.filter_sheet import count_json, wants_count
from works.listing import CountedPages, Listing, load_works, parse_work_query_for
from works.query import WorkQuery, WorkResult

from . import engine
from .backend import SEARCH_ENGINE, SearchUnavailable, run_cached
from .indexer import owns_index
from .query import parse_query


def _search_sorts() -> list[tuple[str, str]]:
    """The sort choices in the reader's language."""
    return [(key, str(label)) for key, label in SEARCH_SORT_LABELS.items()]


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Full-text search: the query language of search.query plus every listing filter."""
    filters = parse_work_query_for(request, search=True)
    query = filters.work_query
    unavailable = False
    searched = bool(query.text) or filters.active
    if wants_count(request):
        # The filter sheet's live "Show N works": the same search, one hit long.
        query.page, query.per_page = 1, 1
        try:
            total = SEARCH_ENGINE.run(query).total if searched and not filters.impossible else 0
        except SearchUnavailable:
            return JsonResponse({"error": "Search is not available right now."}, status=503)
        return count_json(total)
    result = WorkResult(total=0, ids=[])
    if searched and not filters.impossible:
        try:
            result = SEARCH_ENGINE.run(query)
        except SearchUnavailable:
            unavailable = True
    # The index decides what matches; the database still decides what this reader may see.
    # Loaded as listings load theirs (cached blurbs, counts without muted users' comments and
    # bookmarks); passages stay per search.
    ordered = load_works(
        result.ids, set(query.muted_users), html=True, visible_to_members=request.user.is_authenticated
    )
    for work in ordered:
        work.search_snippets = result.snippets.get(work.pk, [])  # type: ignore[attr-defined]
    total = result.total
    pageable = min(total, settings.MAX_PAGED_RESULTS)

    def load(start: int, stop: int) -> list[Any]:
        return ordered if start == query.offset else []

    paginator: Paginator[Any] = Paginator(cast(Any, CountedPages(pageable, load)), query.per_page)
    page = paginator.get_page(query.page)
    listing = Listing(
        page=page,
        sort=query.sort,
        sorts=_search_sorts(),
        page_numbers=list(paginator.get_elided_page_range(page.number)),
        filters=filters,
        total=total,
        capped=total > settings.MAX_PAGED_RESULTS,
        query=query_without_page(request),
        max_paged=settings.MAX_PAGED_RESULTS,
        languages=LANGUAGES,
    )
    return render(
        request,
        "search/results.html",
        {
            "listing": listing,
            "query": query.text,
            "searched": searched,
            "notices": result.notices,
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
                 "updated_from", "updated_to", "language", "sort", "direction"):  # fmt: skip
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
        response = run_cached(WorkQuery.from_json(json.loads(request.body)))
    except (ValueError, TypeError) as error:
        return JsonResponse({"error": f"Bad search request: {error}"}, status=400)
    return JsonResponse(asdict(response))
