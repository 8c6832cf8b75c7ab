"""Running a search: here, against the local index, or on the search node over HTTP.

A search is a `works.query.WorkQuery` (the reader's visibility, mutes and exclusions,
filters, words, sort, page) in plain values, so the same query runs in this process
(`run_local`) or is posted as JSON to the node that holds the index (`SEARCH_URL`, see
README "Search at scale"), which runs `run_local` itself. `SEARCH_ENGINE` answers it
behind the same interface as the listings' filter index (`works.query.WorkEngine`).
"""

import functools
import hashlib
import itertools
import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import tantivy
from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lib.html import strip_html
from works.filter_index import INDEX as FILTER_INDEX
from works.models import Chapter, Tagging, Work
from works.query import SORTS, WorkQuery, WorkResult

from . import engine
from .models import SearchUpdate
from .query import Clause, ParsedQuery, Term, parse_query
from .text import SEPARATOR, chapter_text, paragraphs_before, prepare

# Sort name -> (fast field, descending by default), from the one sort table.
SORT_FIELDS: dict[str, tuple[str, bool]] = {name: (sort.search_field, sort.descending) for name, sort in SORTS.items()}
# Text sort fields, with the u64 field holding their first 8 bytes (counted by range).
_TEXT_PREFIX_FIELDS = {"title_sort": "title_key", "creator_sort": "creator_key"}
_SIGNED_FIELDS = {"updated", "posted"}
SNIPPET_CHARS = 220
# How much chapter text the snippet maker may read for one work before giving up.
SNIPPET_BUDGET_CHARS = 1_000_000
# Characters of chapter HTML around a likely match that are tokenized for its snippet.
SNIPPET_WINDOW = 4000


class SearchUnavailable(Exception):
    """The search node could not be reached or answered nonsense."""


@dataclass
class Snippet:
    where: str  # title | creator | summary | notes | tags | text
    html: str  # escaped text with <mark> around the matches
    chapter_id: int | None = None
    chapter_position: int | None = None
    chapter_title: str = ""
    paragraph: int | None = None


@dataclass
class Hit:
    work_id: int
    score: float
    snippets: list[Snippet] = field(default_factory=list)


@dataclass
class SearchResponse:
    total: int
    hits: list[Hit]
    notices: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "SearchResponse":
        hits = [
            Hit(work_id=int(h["work_id"]), score=float(h["score"]), snippets=[Snippet(**s) for s in h["snippets"]])
            for h in data["hits"]
        ]
        return cls(total=int(data["total"]), hits=hits, notices=[str(n) for n in data["notices"]])


def run(query: WorkQuery) -> SearchResponse:
    if settings.SEARCH_URL:
        return run_remote(query)
    return run_cached(query)


class SearchEngine:
    """Searches' engine: a WorkQuery answered by the Tantivy index, here or on the search node.

    Raises SearchUnavailable when the node can't be reached. The ids come from the index;
    callers still load the works through the database's visibility rule.
    """

    def run(self, query: WorkQuery) -> WorkResult:
        response = run(query)
        return WorkResult(
            total=response.total,
            ids=[hit.work_id for hit in response.hits],
            snippets={hit.work_id: hit.snippets for hit in response.hits},
            notices=response.notices,
        )


SEARCH_ENGINE = SearchEngine()


def run_remote(query: WorkQuery) -> SearchResponse:
    if not settings.SEARCH_URL.startswith(("http://", "https://")):
        raise SearchUnavailable("SEARCH_URL must be an http(s) URL.")
    body = json.dumps(query.to_json()).encode()
    http_request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        settings.SEARCH_URL.rstrip("/") + "/search/api",
        data=body,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.SEARCH_API_KEY}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(  # noqa: S310
            http_request, timeout=settings.SEARCH_TIMEOUT_SECONDS
        ) as response:
            return SearchResponse.from_json(json.loads(response.read()))
    except (urllib.error.URLError, TimeoutError, OSError, ValueError, KeyError, TypeError) as error:
        raise SearchUnavailable(str(error)) from error


# --- compiling a query ---------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def _tokens(text: str) -> tuple[str, ...]:
    """The index's tokens for a piece of query (asked for once per field and for snippets)."""
    return tuple(engine.ANALYZER.analyze(prepare(text)))


def _any(parts: list[tantivy.Query]) -> tantivy.Query | None:
    """A query matching any of the parts (None if there are none)."""
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in parts])


def _term_query(term: Term, field_name: str) -> tantivy.Query | None:
    tokens = _tokens(term.text)
    if not tokens:
        return None
    if len(tokens) == 1:
        return tantivy.Query.term_query(engine.SCHEMA, field_name, tokens[0])
    # "don't", "well-known" and a run of Chinese characters are phrases of their tokens.
    words: list[str | tuple[int, str]] = list(tokens)
    return tantivy.Query.phrase_query(engine.SCHEMA, field_name, words)


def _field_parts(term: Term) -> list[tantivy.Query]:
    """The term in each field it is searched in, boosted by the field's weight."""
    fields = [term.field] if term.field else list(engine.TEXT_FIELDS)
    parts = []
    for name in fields:
        query = _term_query(term, name)
        if query is not None:
            parts.append(tantivy.Query.boost_query(query, engine.FIELD_BOOSTS[name]))
    return parts


def _clause(clause: Clause) -> tantivy.Query | None:
    """Any of the clause's alternatives, each in any of its fields."""
    return _any([q for q in (_any(_field_parts(t)) for t in clause.alternatives) if q is not None])


def _u64_any(name: str, values: list[int]) -> tantivy.Query:
    if len(values) == 1:
        return tantivy.Query.term_query(engine.SCHEMA, name, values[0])
    return tantivy.Query.term_set_query(engine.SCHEMA, name, values)


# Up to this many works, `_any_work` looks each one up.
WORK_LOOKUPS_MOST = 2000


def _any_work(ids: list[int]) -> tantivy.Query:
    """Any of these works. A term set query walks the id field's whole term dictionary (1.8 ms for
    120 ids at a million works), where looking each id up costs 0.3 ms, and still less up to a
    few thousand ids."""
    if len(ids) > WORK_LOOKUPS_MOST:
        return _u64_any("work_id", ids)
    return _any([tantivy.Query.term_query(engine.SCHEMA, "work_id", pk) for pk in ids]) or tantivy.Query.empty_query()


def _filters(request: WorkQuery) -> list[tuple[tantivy.Occur, tantivy.Query]]:
    must, must_not = tantivy.Occur.Must, tantivy.Occur.MustNot
    schema = engine.SCHEMA
    parts: list[tuple[tantivy.Occur, tantivy.Query]] = []
    if not request.members:
        # Leaving restricted works out (rather than requiring public ones) keeps a one-word
        # search a pure disjunction, which Tantivy ranks without scoring every match.
        parts.append((must_not, tantivy.Query.term_query(schema, "restricted", 1)))
    if request.any_of:
        parts.append((must, _u64_any("filter_tags", request.any_of)))
    for tag_id in request.all_of:
        parts.append((must, tantivy.Query.term_query(schema, "filter_tags", tag_id)))
    none_of = request.excluded_tags()
    if none_of:
        parts.append((must_not, _u64_any("filter_tags", none_of)))
    if request.muted_users:
        parts.append((must_not, _u64_any("creator_users", request.muted_users)))
    if request.crossover in ("exclude", "only"):
        parts.append((must, tantivy.Query.term_query(schema, "crossover", int(request.crossover == "only"))))
    if request.complete in ("complete", "wip"):
        parts.append((must, tantivy.Query.term_query(schema, "complete", int(request.complete == "complete"))))
    if request.language:
        parts.append((must, tantivy.Query.term_query(schema, "language", request.language)))
    if request.words_from is not None or request.words_to is not None:
        parts.append((must, _number_range("words", request.words_from, request.words_to)))
    if request.updated_from or request.updated_to:
        low = engine.day_start_seconds(request.updated_from) if request.updated_from else None
        high = engine.day_start_seconds(request.updated_to) + 86399 if request.updated_to else None
        parts.append((must, _number_range("updated", low, high)))
    return parts


def compile_query(parsed: ParsedQuery, request: WorkQuery) -> tuple[tantivy.Query, tantivy.Query | None, bool]:
    """The whole query; the part of it that snippets highlight (None: nothing to highlight);
    and whether any word or phrase of the search had something to look for."""
    compiled = [(clause, query) for clause in parsed.clauses if (query := _clause(clause)) is not None]
    text_parts = [(tantivy.Occur.MustNot if c.negated else tantivy.Occur.Must, q) for c, q in compiled]
    single = [c for c, _q in compiled if not c.negated]
    highlight = _any([q for c, q in compiled if not c.negated])
    parts = text_parts + _filters(request)
    exclusions: list[tuple[tantivy.Occur, tantivy.Query]] = [(o, q) for o, q in parts if o == tantivy.Occur.MustNot]
    if len(single) == 1 and len(single[0].alternatives) == 1 and len(exclusions) == len(parts) - 1:
        # One word or phrase and nothing else required: its fields as a flat disjunction
        # (same matches and scores as the nested form, but Tantivy can skip hopeless documents).
        flat = [(tantivy.Occur.Should, q) for q in _field_parts(single[0].alternatives[0])]
        return tantivy.Query.boolean_query(flat + exclusions), highlight, True
    if highlight is None:
        parts.append((tantivy.Occur.Must, tantivy.Query.all_query()))
    return tantivy.Query.boolean_query(parts), highlight, bool(compiled)


# --- running it ----------------------------------------------------------------------------


def run_local(request: WorkQuery, *, snippets: bool = True) -> SearchResponse:
    return _search(request, snippets=snippets)[0]


def _search(request: WorkQuery, *, snippets: bool) -> tuple[SearchResponse, dict[int, str]]:
    """The answer, and the tags lines its passages were looked for in (`_tag_lines`)."""
    parsed = parse_query(request.text)
    notices = list(parsed.notices)
    query, highlight, searchable = compile_query(parsed, request)
    if parsed.clauses and not searchable:
        notices.append(_("The search had no letters or numbers to look for, so it shows every work."))
    searcher = engine.searcher()
    limit = max(1, min(request.per_page, 100))
    offset = max(0, min(request.offset, settings.MAX_PAGED_RESULTS))
    sort = request.sort if request.sort in SORT_FIELDS or request.sort == "relevance" else "relevance"
    if sort == "relevance" and highlight is None:
        sort = "updated"
    if sort == "relevance":
        hits, total = best_match_page(searcher, query, offset, limit)
    else:
        field_name, descending = SORT_FIELDS[sort]
        if request.descending is not None:
            descending = request.descending
        if field_name in engine.COUNT_FIELDS:
            ids, total = counter_sorted_page(searcher, query, sort, descending, offset, limit, members=request.members)
        else:
            ids, total = sorted_page(searcher, query, field_name, descending, offset, limit)
        hits = [Hit(work_id=pk, score=0.0) for pk in ids]
    tag_lines: dict[int, str] = {}
    if snippets and highlight is not None and hits:
        tag_lines = _add_snippets(searcher, parsed, hits)
    return SearchResponse(total=total, hits=hits, notices=notices), tag_lines


# --- the first pages' cache ------------------------------------------------------------------


def _generation() -> tuple[str, int, int, int] | None:
    """What a search's answer depends on besides the query: the live index folder and its last
    commit (the opstamp in meta.json); and the search outbox, whose last row and number of rows
    change with every change to what a search shows or quotes (text, tags, names, a chapter
    posted or taken back: each queues a SearchUpdate in its own transaction, before the worker
    commits it to the index; the number catches a row committed after one with a higher id).
    None: no index yet.

    Read before searching, so an answer is never older than the generation it is kept under.
    """
    index = engine.index_generation()
    if index is None:
        return None
    name, opstamp = index
    outbox = SearchUpdate.objects.aggregate(last=Max("id"), queued=Count("id"))
    return name, opstamp, outbox["last"] or 0, outbox["queued"]


def cache_key(request: WorkQuery, generation: tuple[str, int, int, int]) -> str:
    """The whole query (the reader's visibility class, mutes and exclusions included), the
    language its notices are in, the time zone its dates are days of, and the generation of
    the index and the database."""
    described = json.dumps(
        [request.to_json(), get_language(), timezone.get_current_timezone_name(), generation],
        sort_keys=True,
        default=str,
    )
    return "search:" + hashlib.sha256(described.encode()).hexdigest()


def _cacheable(request: WorkQuery) -> bool:
    """First pages, not sorted by a counter (those change with every hit and kudos, outside the index)."""
    field_name = SORT_FIELDS.get(request.sort, ("", False))[0]
    return request.page == 1 and field_name not in engine.COUNT_FIELDS


def run_cached(request: WorkQuery) -> SearchResponse:
    """`run_local`, answered from this process's cache for a first page asked before at the same
    generation (see `_generation`): a common word's results page skips the search of every match
    and the passages. The works are still checked against the database's visibility rule by the
    caller, as for any search.

    A renamed tag reaches the index only once the background refresh of its works has queued their
    rewrite (tags.actions.rename_tag), so the tags lines the passages were looked for in are read
    again and compared: a kept page whose tags read otherwise now is searched again.
    """
    if not _cacheable(request):
        return run_local(request)
    generation = _generation()
    if generation is None:
        return run_local(request)
    key = cache_key(request, generation)
    store = caches["search"]
    found = store.get(key)
    if isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], SearchResponse):
        kept: SearchResponse = found[0]
        kept_lines: dict[int, str] = found[1]
        if not kept_lines or _tag_lines(list(kept_lines)) == kept_lines:
            return kept
    response, tag_lines = _search(request, snippets=True)
    store.set(key, (response, tag_lines))
    return response


TIE_SLACK = 64


def best_match_page(searcher: tantivy.Searcher, query: tantivy.Query, offset: int, limit: int) -> tuple[list[Hit], int]:
    """The hits at [offset, offset+limit) ordered exactly as `ORDER BY score DESC, id`, and the
    number of matches.

    Tantivy orders equal scores by where a document sits in its segments (which differs between
    two builds of the same index, and moves when a work is rewritten), so a work whose score ties
    across a page boundary could show on two pages or none. The hits are read in a window a little
    wider than the page (more so deeper down), widened until it holds every hit whose score equals
    the page's first score (a higher score just before it) and its last (a lower one just after it,
    or the end): then, ordered by (-score, id), the window's hits from the page's offset on are the
    page. Without long ties at the edges that is one search, as before.
    """
    # Deeper pages sit in longer runs of equal scores: their first window is wider. It reaches
    # at least TIE_SLACK hits past the page: a few dozen more cost nothing measurable (with the
    # count, every match is scored anyway), and a common word's page often ends inside a run of
    # equal scores, which a window ending at the page would search the whole index again for.
    margin = 1 + offset // 16
    low, high = max(0, offset - margin), offset + limit + max(margin, TIE_SLACK)
    widen = max(limit, 64, 8 * margin)
    total = 0
    while True:
        result = searcher.search(query, high - low, count=not total, offset=low)
        total = total or _count(result)
        scores = [float(score) for score, _a in result.hits]
        if len(scores) <= offset - low:
            return [], total
        first, last = scores[offset - low], scores[min(offset + limit, low + len(scores)) - 1 - low]
        whole_front = low == 0 or scores[0] > first
        whole_back = low + len(scores) < high or scores[-1] < last
        if whole_front and whole_back:
            break
        if not whole_front:
            low = max(0, low - widen)
        if not whole_back:
            high += widen
        # Each try is a whole search again: few, growing fast (deep pages of a common word tie in
        # runs of thousands).
        widen *= 8
    # Only the runs of the page's first and last scores, and what lies between, need their ids:
    # every match before `start` scores higher than the page's first (those before the window too).
    start = next(i for i, score in enumerate(scores) if score <= first)
    end = next((i for i in range(len(scores) - 1, -1, -1) if scores[i] >= last), start) + 1
    addresses = [address for _score, address in result.hits[start:end]]
    work_ids = [int(cast(int, pk)) for pk in searcher.fast_field_values("work_id", addresses)]
    ranked = sorted(zip(scores[start:end], work_ids, strict=True), key=lambda pair: (-pair[0], pair[1]))
    skip = offset - (low + start)
    return [Hit(work_id=pk, score=score) for score, pk in ranked[skip : skip + limit]], total


def _count(result: tantivy.SearchResult) -> int:
    # The stubs lack `count`, which search(count=True) fills.
    return int(getattr(result, "count", 0) or 0)


def _work_ids(searcher: tantivy.Searcher, result: tantivy.SearchResult) -> list[int]:
    addresses = [address for _key, address in result.hits]
    return [int(cast(int, pk)) for pk in searcher.fast_field_values("work_id", addresses)] if addresses else []


def _and(query: tantivy.Query, extra: tantivy.Query) -> tantivy.Query:
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (tantivy.Occur.Must, extra)])


def _number_range(field_name: str, low: int | None, high: int | None, *, inclusive: bool = True) -> tantivy.Query:
    kind = tantivy.FieldType.Integer if field_name in _SIGNED_FIELDS else tantivy.FieldType.Unsigned
    return tantivy.Query.range_query(
        engine.SCHEMA,
        field_name,
        kind,
        low,
        high,
        include_lower=inclusive or low is None,
        include_upper=inclusive or high is None,
    )


def _equal(field_name: str, value: Any) -> tantivy.Query:
    if field_name in _TEXT_PREFIX_FIELDS:
        return tantivy.Query.term_query(engine.SCHEMA, field_name, value)
    return _number_range(field_name, value, value)


def _count_before(
    searcher: tantivy.Searcher, query: tantivy.Query, field_name: str, value: Any, descending: bool
) -> int:
    """How many matching documents sort strictly before those whose key is `value`."""
    if field_name not in _TEXT_PREFIX_FIELDS:
        if descending:
            better = _number_range(field_name, value, None, inclusive=False)
        else:
            better = _number_range(field_name, None, value, inclusive=False)
        return _count(searcher.search(_and(query, better), 1, count=True))
    # Text keys: by their 8-byte prefix in the index, then the few sharing this prefix one by one.
    prefix_field = _TEXT_PREFIX_FIELDS[field_name]
    prefix = engine.sort_key_prefix(value.removeprefix(engine.TEXT_KEY_MARK))
    if descending:
        before_prefix = _number_range(prefix_field, prefix, None, inclusive=False)
    else:
        before_prefix = _number_range(prefix_field, None, prefix, inclusive=False)
    before = _count(searcher.search(_and(query, before_prefix), 1, count=True))
    same_prefix = _and(query, _number_range(prefix_field, prefix, prefix))
    sharing = _count(searcher.search(same_prefix, 1, count=True))
    keys = searcher.search(same_prefix, max(1, sharing), order_by_field=field_name).hits
    return before + sum(1 for key, _a in keys if (key > value if descending else key < value))


def sorted_page(
    searcher: tantivy.Searcher, query: tantivy.Query, field_name: str, descending: bool, offset: int, limit: int
) -> tuple[list[int], int]:
    """Work ids at [offset, offset+limit) ordered exactly as `ORDER BY key, id` (both descending
    or both ascending), and the number of matches.

    Tantivy orders by one fast field and leaves ties in index order. The keys it returns for
    the page are right position by position, so only the works within a run of equal keys
    need choosing: a run inside the page is a whole group (its works, sorted by id); the
    first and last runs may be cut by the page's edges, so their works are read from the
    index in id order, skipping those of the group that belong to the page before.
    """
    order = tantivy.Order.Desc if descending else tantivy.Order.Asc
    result = searcher.search(query, limit, count=True, order_by_field=field_name, offset=offset, order=order)
    total = _count(result)
    keys = [key for key, _a in result.hits]
    ids = _work_ids(searcher, result)
    runs = [(key, len(list(group))) for key, group in itertools.groupby(keys)]
    page: list[int] = []
    position = 0
    for number, (key, length) in enumerate(runs):
        if 0 < number < len(runs) - 1:
            page.extend(sorted(ids[position : position + length], reverse=descending))
        else:
            skip = offset - _count_before(searcher, query, field_name, key, descending) if number == 0 else 0
            group = searcher.search(
                _and(query, _equal(field_name, key)), length, offset=skip, order_by_field="work_id", order=order
            )
            page.extend(_work_ids(searcher, group))
        position += length
    return page, total


# A counter sort reads every match's id from the index up to this many matches (about 1 µs
# each); above it, it walks the works in counter order instead (see counter_sorted_page),
# starting with this many candidates more than the matches' density suggests, and giving up
# (reading every match) once a walk would take more than this fraction of the visible works.
COLLECT_ALL_MATCHES = 20_000
WALK_SLACK = 256
WALK_FRACTION = 0.5


def counter_sorted_page(
    searcher: tantivy.Searcher,
    query: tantivy.Query,
    sort: str,
    descending: bool,
    offset: int,
    limit: int,
    *,
    members: bool,
) -> tuple[list[int], int]:
    """Work ids at [offset, offset+limit) by a counter (hits, kudos, comments, bookmarks), exactly as
    `ORDER BY counter, id`, and the number of matches.

    The counters are not in the index (a hit would rewrite the work's whole document). The
    in-memory filter index holds them, current to the last change (it follows the FilterChange
    log every counter update writes), and orders; the index says which works match. Few
    matches: all their ids are read and ordered. Many: the visible works are taken in counter
    order, a growing prefix at a time, and the index keeps those that match until the page
    is full, so a search matching a million works does not read a million ids.
    """
    total = _count(searcher.search(query, 1, count=True))
    if not total or offset >= total:
        return [], total
    FILTER_INDEX.ensure_current()
    wanted = offset + limit
    if total > COLLECT_ALL_MATCHES:
        universe = FILTER_INDEX.visible_ids(members=members)
        # Matches are spread through the counter order about as they are through the archive.
        take = min(len(universe), int(wanted * len(universe) / total * 1.5) + WALK_SLACK)
        while True:
            candidates = FILTER_INDEX.page(universe, sort, 0, take, descending=descending)
            matching = _matching_ids(searcher, _and(query, _any_work(candidates)), len(candidates))
            page = [pk for pk in candidates if pk in matching]
            if len(page) >= wanted or (take >= len(universe) and len(page) >= total):
                return page[offset:wanted], total
            if take >= len(universe) or take * 4 > len(universe) * WALK_FRACTION:
                break  # as costly as reading every match (or a match the filter index lacks yet)
            take = min(len(universe), take * 4)
    # Ordered by the id's fast field: no scoring, and the key is the id itself.
    ids = np.array(sorted(_matching_ids(searcher, query, total)), dtype=np.int64)
    return FILTER_INDEX.page(ids, sort, offset, limit, descending=descending), total


def _matching_ids(searcher: tantivy.Searcher, query: tantivy.Query, most: int) -> set[int]:
    result = searcher.search(query, max(1, most), order_by_field="work_id")
    return {int(key) for key, _a in result.hits}


_BETWEEN_PHRASE_WORDS = re.compile(rb"[\W_]{1,6}")


def _phrase_length(parsed: ParsedQuery) -> int:
    """Words in the query's phrases, if it searches phrases only (else 1: every match is marked)."""
    terms = [term for clause in parsed.positive for term in clause.alternatives]
    if not terms or not all(term.phrase for term in terms):
        return 1
    return min(len(_tokens(term.text)) or 1 for term in terms)


def _highlights(snippet: tantivy.Snippet, phrase_length: int) -> list[tuple[int, int]]:
    """The byte ranges to mark. Tantivy marks each word of a phrase wherever it occurs; for a
    phrase search only runs of `phrase_length` adjacent marks are kept (all, if there is none)."""
    spans = [(span.start, span.end) for span in snippet.highlighted()]
    if phrase_length < 2 or len(spans) < phrase_length:
        return spans
    fragment = snippet.fragment().encode("utf-8")
    keep: set[int] = set()
    for first in range(len(spans) - phrase_length + 1):
        run = spans[first : first + phrase_length]
        if all(
            _BETWEEN_PHRASE_WORDS.fullmatch(fragment[a[1] : b[0]].replace(SEPARATOR.encode(), b" ") or b" ")
            for a, b in itertools.pairwise(run)
        ):
            keep.update(range(first, first + phrase_length))
    return [spans[i] for i in sorted(keep)] if keep else spans


def _marked(snippet: tantivy.Snippet, source: str, phrase_length: int = 1) -> str:
    """The fragment, escaped, with the matches in <mark> (Tantivy reports byte offsets).

    An ellipsis shows where the passage was cut out of a longer `source`.
    """
    fragment = snippet.fragment().encode("utf-8")
    span = snippet.fragment_range()
    before = "… " if source.encode("utf-8")[: span.start].strip() else ""
    after = " …" if source.encode("utf-8")[span.end :].strip() else ""
    out: list[str] = []
    position = 0
    for start, end in _highlights(snippet, phrase_length):
        out.append(escape(fragment[position:start].decode("utf-8", "ignore")))
        out.append(f"<mark>{escape(fragment[start:end].decode('utf-8', 'ignore'))}</mark>")
        position = end
    out.append(escape(fragment[position:].decode("utf-8", "ignore")))
    text = " ".join("".join(out).replace(SEPARATOR, "").split())
    return before + text + after


def _needles(parsed: ParsedQuery) -> list[str]:
    """Lower-case strings a passage must contain to possibly match: a cheap test before the snippet maker.

    For each searched word, what it shares with its stem up to its first accented letter
    ("running" → "run", "cafés" → "caf"). Empty if some word gives no usable needle, and
    then every passage is a candidate.
    """
    needles = []
    for clause in parsed.positive:
        for term in clause.alternatives:
            for word in term.text.lower().split():
                stems = _tokens(word)
                if not stems:
                    continue
                prefix = ""
                for letter, stem_letter in zip(word, stems[0], strict=False):
                    if letter != stem_letter or not letter.isascii():
                        break
                    prefix += letter
                if len(prefix) < 3 and not (prefix and not prefix.isascii()):
                    if len(stems[0]) == 1 and not stems[0].isascii():  # one CJK character
                        needles.append(stems[0])
                        continue
                    return []
                needles.append(prefix)
    return needles


def _field_query(parsed: ParsedQuery, field_name: str) -> tantivy.Query | None:
    """Any of the query's words or phrases, in this one field."""
    parts = [
        query
        for clause in parsed.positive
        for term in clause.alternatives
        if term.field in (None, field_name)
        for query in [_term_query(term, field_name)]
        if query is not None
    ]
    return _any(parts)


def _matched_in(searcher: tantivy.Searcher, field_query: tantivy.Query, ids: list[int]) -> set[int]:
    """Which of these works have a whole word or phrase of the query in the field."""
    query = tantivy.Query.boolean_query([(tantivy.Occur.Must, field_query), (tantivy.Occur.Must, _any_work(ids))])
    result = searcher.search(query, len(ids), count=False)
    addresses = [address for _key, address in result.hits]
    return {int(cast(int, pk)) for pk in searcher.fast_field_values("work_id", addresses)} if addresses else set()


SNIPPET_FIELDS = ("title", "tags", "summary", "notes", "text")


def _add_snippets(searcher: tantivy.Searcher, parsed: ParsedQuery, hits: list[Hit]) -> dict[int, str]:
    """Passages for the fields each work matched in: a phrase is quoted only where it is whole.
    Returns the tags line of each work whose tags were looked in (`_tag_lines`)."""
    ids = [h.work_id for h in hits]
    needles = _needles(parsed)
    phrase_length = _phrase_length(parsed)
    # When every searched term is one word, a short field matched exactly where its text has one of
    # the query's tokens: found here, without a search of the index per field. (Phrases are asked
    # of the index: it knows where they are whole. So is the chapter text: reading it costs.)
    terms = [term for clause in parsed.positive for term in clause.alternatives]
    words_only = all(len(_tokens(term.text)) == 1 for term in terms)
    words = (
        {name: {_tokens(t.text)[0] for t in terms if t.field in (None, name)} for name in SNIPPET_FIELDS}
        if words_only
        else {}
    )
    generators: dict[str, tantivy.SnippetGenerator] = {}
    matched: dict[str, set[int]] = {}
    for name in SNIPPET_FIELDS:
        field_query = _field_query(parsed, name)
        if field_query is None:
            matched[name] = set()
            continue
        if words_only and name != "text":
            matched[name] = set(ids)
        else:
            matched[name] = _matched_in(searcher, field_query, ids)
        generator = tantivy.SnippetGenerator.create(searcher, field_query, engine.SCHEMA, name)
        generator.set_max_num_chars(SNIPPET_CHARS)
        generators[name] = generator

    def snip(name: str, text: str, *, checked: bool = False) -> tantivy.Snippet | None:
        if not text:
            return None
        document = tantivy.Document()
        document.add_text(name, text if checked else prepare(text))
        snippet = generators[name].snippet_from_doc(document)
        return snippet if snippet.highlighted() else None

    works = {w.pk: w for w in Work.objects.filter(pk__in=ids).only("title", "summary", "notes", "endnotes")}
    tag_lines = _tag_lines(list(matched["tags"])) if matched["tags"] else {}
    passages = _text_snippets([pk for pk in ids if pk in matched["text"] and pk in works], snip, needles, phrase_length)
    for hit in hits:
        work = works.get(hit.work_id)
        if work is None:
            continue
        for name, value in (
            ("title", work.title),
            ("tags", tag_lines.get(hit.work_id, "")),
            ("summary", strip_html(work.summary)),
            ("notes", strip_html(work.notes) + "\n" + strip_html(work.endnotes)),
        ):
            if hit.work_id not in matched[name]:
                continue
            if words_only and not words[name].intersection(engine.ANALYZER.analyze(prepare(value))):
                continue
            found = snip(name, value)
            if found is not None:
                hit.snippets.append(Snippet(where=name, html=_marked(found, prepare(value), phrase_length)))
        if hit.work_id in passages:
            hit.snippets.append(passages[hit.work_id])
    return tag_lines


def _tag_lines(work_ids: list[int]) -> dict[int, str]:
    """Each work's tag names as one line, in the order blurbs show them (what its tags passage
    is quoted from); "" for a work without tags."""
    names: dict[int, list[str]] = {pk: [] for pk in work_ids}
    for work_id, name in (
        Tagging.objects.filter(work_id__in=work_ids)
        .order_by("tag__sort_order", "tag__name")
        .values_list("work_id", "tag__name")
    ):
        names[work_id].append(name)
    return {pk: " · ".join(tags) for pk, tags in names.items()}


ChapterRow = tuple[int, int, str, str]


# Chapters read per work in one round (see `_first_found`) once a few rounds found nothing.
CHAPTERS_PER_ROUND_MOST = 4


def _posted_chapters(work_ids: list[int], skip: int, take: int) -> dict[int, list[ChapterRow]]:
    """Each work's posted chapters from the `skip`-th (0: the first) on, `take` of them at most, in
    order: for all the works in one query."""
    wanted = Chapter.objects.filter(work_id=OuterRef("work_id"), posted=True).order_by("position").values("pk")
    rows = (
        Chapter.objects.filter(work_id__in=work_ids, pk__in=Subquery(wanted[skip : skip + take]))
        .order_by("work_id", "position")
        .values_list("work_id", "pk", "position", "title", "content")
    )
    chapters: dict[int, list[ChapterRow]] = {}
    for work_id, pk, position, title, content in rows:
        chapters.setdefault(work_id, []).append((pk, position, title, content))
    return chapters


def _first_found(
    first: dict[int, ChapterRow], find: Callable[[ChapterRow], Snippet | None], budget: int | None = None
) -> dict[int, Snippet]:
    """Each work's passage from the first of its chapters where `find` finds one (works keyed by
    id, with their first chapters), reading chapters in order within `budget` characters a work.

    The works are read together: the next chapter of every work still without a passage in one
    query, then the next two, then four at a time (a passage is most often in the first chapter
    or the second; a 100,000-word chapter is never read with all the others of its work).
    """
    found: dict[int, Snippet] = {}
    limited = budget is not None
    left = dict.fromkeys(first, budget or 0)
    batch = {pk: [row] for pk, row in first.items()}
    asked, read = 1, 1
    while batch:
        for pk, rows in batch.items():
            for row in rows:
                if limited:
                    if left[pk] <= 0:
                        break
                    left[pk] -= len(row[3])
                passage = find(row)
                if passage is not None:
                    found[pk] = passage
                    break
        # A work that had fewer chapters than asked for has no more.
        unread = [
            pk for pk, rows in batch.items() if pk not in found and len(rows) == asked and (not limited or left[pk] > 0)
        ]
        asked = min(read, CHAPTERS_PER_ROUND_MOST)
        batch = _posted_chapters(unread, read, asked) if unread else {}
        read += asked
    return found


def _text_snippets(work_ids: list[int], snip: Any, needles: list[str], phrase_length: int) -> dict[int, Snippet]:
    """Each work's first chapter passage that matches, with the chapter and paragraph to link to.

    Each work's chapters are read in order (see `_first_found`). Where a needle occurs, only a few
    thousand characters around it are tokenized, so a 100,000-word chapter costs no more than a
    short one. Only where the needles find nothing (an accent the query lacks, a stem that isn't a
    prefix) are whole chapters tried, within a budget.
    """
    # The passage is most often in the first chapter: the page's are read in one query.
    first = {pk: rows[0] for pk, rows in _posted_chapters(work_ids, 0, 1).items()}

    def around_needles(row: ChapterRow) -> Snippet | None:
        for at in _needle_positions(row[3].lower(), needles):
            found = _snippet_in(row, snip, phrase_length, window_around=at)
            if found is not None:
                return found
        return None

    passages = _first_found(first, around_needles) if needles else {}
    unfound = {pk: row for pk, row in first.items() if pk not in passages}
    if unfound:
        whole = _first_found(unfound, lambda row: _snippet_in(row, snip, phrase_length), budget=SNIPPET_BUDGET_CHARS)
        passages |= whole
    return passages


def _needle_positions(lowered: str, needles: list[str], most: int = 5) -> list[int]:
    """Where the needles first occur in a chapter's lower-cased HTML (a few places, in order)."""
    positions: list[int] = []
    for needle in needles:
        at = lowered.find(needle)
        while at >= 0 and len(positions) < most * len(needles):
            positions.append(at)
            at = lowered.find(needle, at + len(needle) + SNIPPET_WINDOW)
    return sorted(positions)[:most]


def _snippet_in(row: ChapterRow, snip: Any, phrase_length: int, window_around: int | None = None) -> Snippet | None:
    chapter_id, position, title, content = row
    first_paragraph = 0
    if window_around is not None:
        # From the start of the paragraph holding the match (or a tag boundary close before it)
        # to the end of a paragraph a little after it.
        start = content.rfind("<p", 0, window_around + 1)
        if start < 0 or window_around - start > SNIPPET_WINDOW:
            start = content.rfind(">", 0, max(0, window_around - SNIPPET_WINDOW // 2)) + 1
        end = content.find("</p>", window_around + SNIPPET_WINDOW // 2)
        end = len(content) if end < 0 else end + 4
        first_paragraph = paragraphs_before(content, start)
        content = content[start:end]
    text = chapter_text(content)
    found = snip("text", text.text, checked=True)
    if found is None:
        return None
    # The paragraph of the first marked word (the passage may begin in the one before).
    offset = found.fragment_range().start + _highlights(found, phrase_length)[0][0]
    within = text.paragraph_at(offset)
    paragraph = first_paragraph + within if within is not None else (first_paragraph or None)
    return Snippet(
        where="text",
        html=_marked(found, text.text, phrase_length),
        chapter_id=chapter_id,
        chapter_position=position,
        chapter_title=title,
        paragraph=paragraph,
    )
