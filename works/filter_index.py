"""The in-memory filter index: tag filtering, counts, sorting and facets in milliseconds.

SQL joins cost 100–800 ms for a big tag at a million works on this machine
(research/performance.md §2.4), so each process keeps, for every filter tag,
a compressed bitmap (roaring) of the works it matches, the two visibility
sets (logged-in readers see restricted works, guests don't), and one numpy
column per sort key and range filter. A listing is bitmap algebra, a few
numpy masks, and a partial sort; the database then loads only the 20 works
shown.

The index is built from FilterTagging and Work on first use and kept current
from FilterChange, the append-only log every write path adds to: before each
query the index reads the log past the last id it applied (one indexed
MAX(id)), reloads those works, and patches its bitmaps. The same code serves
SQLite and PostgreSQL, one process or many machines.
"""

import logging
import threading
import time
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Count, F, Max, Q, Value
from django.utils import timezone
from pyroaring import BitMap

from lib.languages import LANGUAGES
from lib.lookups import AnyOf
from tags.models import Tag, TagType
from works.filters import refresh_jobs, refresh_pending
from works.models import Creatorship, FilterChange, FilterTagging, Work
from works.query import SORTS, WorkQuery, WorkResult

logger = logging.getLogger(__name__)

# Facet groups, in the sidebar's order.
FACET_TYPES = (
    TagType.RATING,
    TagType.WARNING,
    TagType.CATEGORY,
    TagType.FANDOM,
    TagType.CHARACTER,
    TagType.RELATIONSHIP,
    TagType.FREEFORM,
)
_TYPE_CODES = {tag_type.value: code for code, tag_type in enumerate(TagType, start=1)}
_LANGUAGE_CODES = {code: number for number, (code, _name) in enumerate(LANGUAGES, start=1)}
# Changes committed out of id order (concurrent PostgreSQL transactions) are
# caught by re-reading this much of the recent log on every catch-up.
_LOG_OVERLAP = timedelta(seconds=30)
_PENDING_ROW = 0
# Below this many results, facets are counted from each work's tags; above it,
# from bitmap intersections with the most used tags of each type.
_SMALL_RESULT = 30_000
_FACET_CANDIDATES = 60
_FACET_CANDIDATES_TTL = 300
_EPOCH = date(1970, 1, 1)
REBUILD_AFTER_IDLE = 6 * 3600
_RANK_STEP = 2000

# (sort key, work id) pairs in order: the built ranks of titles and creators.
SortKeys = tuple[tuple[str, int], ...]

# Answers kept per process (see _CachedResult): at a million works, matching the whole archive,
# counting its facets and ordering it cost ~20 ms, and the front pages of a listing are asked
# for far more than any other. Bounded by count and by the bytes of the id arrays held.
_RESULT_CACHE_ENTRIES = 128
_RESULT_CACHE_BYTES = 64 * 2**20

_WORK_FIELDS = (
    "pk",
    "posted",
    "hidden_by_admin",
    "restricted",
    "revised_at",
    "published_at",
    "word_count",
    "hits",
    "kudos_count",
    "comments_count",
    "bookmarks_count",
    "complete",
    "crossover",
    "language",
    "title_sort",
    "creator_sort",
)
_COLUMNS = {
    "revised": np.int64,
    "published": np.int32,
    "words": np.int64,
    "hits": np.int64,
    "kudos": np.int64,
    "comments": np.int64,
    "bookmarks": np.int64,
    "complete": np.bool_,
    "crossover": np.bool_,
    "language": np.int16,
    # Position in title / creator order, times _RANK_STEP, so later inserts fit between neighbours.
    "title_rank": np.int64,
    "creator_rank": np.int64,
}


@dataclass
class _State:
    tag_bitmaps: dict[int, BitMap]
    public: BitMap
    members: BitMap
    columns: dict[str, np.ndarray]
    tag_types: np.ndarray
    # Works each tag's filter matches, drafts and hidden works included (len of its bitmap), by tag id.
    tag_counts: np.ndarray
    # Each work's filter tags, compressed-row style, as loaded; works changed since live in `patched`.
    tag_ptr: np.ndarray
    tag_flat: np.ndarray
    patched: dict[int, np.ndarray]
    patched_ids: BitMap
    # (sort key, id) of every work as built, sorted; a work's rank is its position times _RANK_STEP.
    # Tuples, not lists: the garbage collector stops tracking a tuple of strings and ints, while
    # every full collection walked a list's million entries (~145 ms of CPU at 1M works, in
    # whichever request it fell on).
    title_keys: SortKeys
    creator_keys: SortKeys
    last_change_id: int
    # Change-log ids already applied within the overlap window.
    recent_change_ids: set[int]
    built_at: float
    synced_at: float = 0.0
    facet_candidates: dict[int, list[int]] = field(default_factory=dict)
    facet_candidates_at: float = 0.0
    # Works added or renamed since the build, by rank column: id -> sort key (see _place_inserted).
    inserted: dict[str, dict[int, str]] = field(default_factory=lambda: {"title_rank": {}, "creator_rank": {}})
    # Bumped when a change alters which works a tag or a visibility set holds, and per column when
    # a change alters its values: a cached answer is reused only while what it read is unchanged.
    membership_version: int = 0
    column_versions: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_COLUMNS, 0))
    results: "OrderedDict[tuple[Any, ...], _CachedResult]" = field(default_factory=OrderedDict)
    results_bytes: int = 0
    # Whether wrangling refreshes were pending at the last look at the change log (refresh_pending).
    refresh_pending: bool = False


@dataclass
class _CachedResult:
    """One query's matching ids (read-only), with the facets and pages asked of them since.

    `depends` holds the versions of what the match read (the bitmaps, and the columns its range
    filters use); a page also notes the version of its sort column."""

    depends: tuple[int, ...]
    ids: np.ndarray
    facets: dict[int, dict[str, list[tuple[int, int]]]] = field(default_factory=dict)
    pages: dict[tuple[str, bool, int, int], tuple[int, list[int]]] = field(default_factory=dict)


def _day_number(value: date) -> int:
    return (value - _EPOCH).days


class FilterIndex:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._state: _State | None = None
        # False answers every query afresh (bench/pages.py --cold measures the cost of a miss).
        self.keep_results = True

    # Building and catching up

    def reset(self) -> None:
        """Forget everything; the next query rebuilds from the database (tests use this)."""
        with self._lock:
            self._state = None

    def ensure_current(self) -> _State:
        with self._lock:
            now = time.monotonic()
            # The change log is pruned after a day (works.filters.prune_change_log); a process
            # idle for longer than REBUILD_AFTER_IDLE may have missed entries, so it starts over.
            if self._state is None or now - self._state.synced_at > REBUILD_AFTER_IDLE:
                self._state = self._build()
            else:
                self._catch_up(self._state)
            self._state.synced_at = now
            return self._state

    def refresh_pending(self) -> bool:
        """True while wrangling changes are still being applied to works (works.filters.refresh_pending),
        as read with the latest look at the change log: a listing's match has just looked."""
        return self._current_state().refresh_pending

    def _current_state(self) -> _State:
        # page() and facets() work on ids from match(), which caught up: no second look at the log.
        return self._state if self._state is not None else self.ensure_current()

    def _build(self) -> _State:
        started = time.monotonic()
        last_change_id = FilterChange.objects.aggregate(last=Max("id"))["last"] or 0
        max_work = Work.objects.aggregate(last=Max("id"))["last"] or 0
        capacity = max_work + 1024
        columns = {name: np.zeros(capacity, dtype=dtype) for name, dtype in _COLUMNS.items()}
        public, members = BitMap(), BitMap()
        numbers, titles, creators, languages = _load_work_rows()
        if len(numbers):
            ids = numbers[:, 0]
            for position, name in enumerate(_NUMERIC_COLUMNS, start=1):
                if name is not None:
                    columns[name][ids] = numbers[:, position]
            posted, hidden, restricted = numbers[:, 1] != 0, numbers[:, 2] != 0, numbers[:, 3] != 0
            # The visibility rule (works.models.PUBLISHED, Work.is_visible_to), one column at a time.
            published = posted & ~hidden
            members.update(ids[published].astype(np.uint32))
            public.update(ids[published & ~restricted].astype(np.uint32))
        if languages:
            pairs = np.array(languages, dtype=np.int64)
            columns["language"][pairs[:, 0]] = pairs[:, 1]
        titles.sort()
        creators.sort()
        _rank(columns["title_rank"], titles)
        _rank(columns["creator_rank"], creators)

        tag_bitmaps: dict[int, BitMap] = {}
        work_parts, tag_parts = [], []
        for tag_id, work_ids_of_tag in _load_postings():
            tag_bitmaps[tag_id] = BitMap(work_ids_of_tag.astype(np.uint32))
            work_parts.append(work_ids_of_tag)
            tag_parts.append(np.full(len(work_ids_of_tag), tag_id, dtype=np.int32))
        all_works = np.concatenate(work_parts) if work_parts else np.array([], dtype=np.int64)
        all_tags = np.concatenate(tag_parts) if tag_parts else np.array([], dtype=np.int32)
        # Postings arrive by tag; a stable sort by work keeps each work's tags in order.
        order = np.argsort(all_works, kind="stable")
        flat_works, tag_flat = all_works[order], all_tags[order]
        tag_ptr = np.searchsorted(flat_works, np.arange(capacity + 1)).astype(np.int64)

        tag_counts = np.zeros((max(tag_bitmaps) + 1) if tag_bitmaps else 0, dtype=np.int64)
        for tag_id, bitmap in tag_bitmaps.items():
            tag_counts[tag_id] = len(bitmap)

        state = _State(
            tag_bitmaps=tag_bitmaps,
            tag_counts=tag_counts,
            public=public,
            members=members,
            columns=columns,
            tag_types=_load_tag_types(),
            tag_ptr=tag_ptr,
            tag_flat=tag_flat,
            patched={},
            patched_ids=BitMap(),
            title_keys=tuple(titles),
            creator_keys=tuple(creators),
            last_change_id=last_change_id,
            refresh_pending=refresh_pending(),
            recent_change_ids=set(
                FilterChange.objects.filter(created_at__gte=timezone.now() - _LOG_OVERLAP).values_list("id", flat=True)
            ),
            built_at=time.monotonic(),
        )
        logger.info(
            "Filter index built: %d works, %d filter tags, %d postings in %.1f s",
            len(members),
            len(tag_bitmaps),
            len(tag_flat),
            time.monotonic() - started,
        )
        return state

    def _catch_up(self, state: _State) -> None:
        """Apply the log entries this process has not seen: newer than the last one applied, or
        recent ones that committed late (concurrent writers may commit ids out of order).

        Runs before every listing and counter-sorted search, and hits alone add a row per work
        hit: the window is chosen in SQL and read as bare ids (reading `created_at` too cost a
        date conversion per row: 128 ms per catch-up with the 779 rows 20 hits a second leave in
        the window, bench/worker.py --mixed on a busy machine).
        """
        since = timezone.now() - _LOG_OVERLAP
        changes = (
            FilterChange.objects.filter(Q(id__gt=state.last_change_id) | Q(created_at__gte=since))
            .order_by()
            .values_list("id", "work_id")
        )
        # In the same round trip, whether wrangling refreshes are pending (works.filters.refresh_pending):
        # then a row (0, their count), as no change has id 0. A listing then says its counts are updating.
        pending = refresh_jobs().order_by().values("kind").annotate(n=Count("pk")).values_list(Value(_PENDING_ROW), "n")
        rows, refreshing = [], False
        for change_id, work_id in changes.union(pending, all=True):
            if change_id == _PENDING_ROW:
                refreshing = work_id > 0
            else:
                rows.append((change_id, work_id))
        state.refresh_pending = refreshing
        fresh = [
            (change_id, work_id)
            for change_id, work_id in rows
            if change_id > state.last_change_id or change_id not in state.recent_change_ids
        ]
        if fresh:
            state.last_change_id = max(state.last_change_id, max(change_id for change_id, _w in fresh))
            self._apply(state, sorted({work_id for _c, work_id in fresh}))
        # Every row read is applied now; those older than the window are simply not read again.
        state.recent_change_ids = {change_id for change_id, _w in rows}

    def _apply(self, state: _State, work_ids: list[int]) -> None:
        """Reload these works from the database and patch every structure that holds them."""
        # A catch-up under a stream of hits reloads hundreds of works: their ids go as one array.
        rows = {row[0]: row for row in Work.objects.filter(AnyOf(F("pk"), work_ids)).values_list(*_WORK_FIELDS)}
        new_tags: dict[int, list[int]] = {pk: [] for pk in work_ids}
        tag_rows = FilterTagging.objects.filter(AnyOf(F("work_id"), work_ids)).values_list("work_id", "tag_id")
        for work_id, tag_id in tag_rows:
            new_tags[work_id].append(tag_id)
        needed = max(work_ids) + 1
        if needed > len(state.columns["revised"]):
            grow = max(needed, int(len(state.columns["revised"]) * 1.25))
            for name, column in state.columns.items():
                state.columns[name] = np.concatenate((column, np.zeros(grow - len(column), dtype=column.dtype)))
        changed = np.array(work_ids, dtype=np.int64)
        columns_before = {name: column[changed].copy() for name, column in state.columns.items()}
        visible_before = [(pk in state.public, pk in state.members) for pk in work_ids]
        membership_changed = False
        unknown_tags = set()
        recounted: set[int] = set()
        for work_id in work_ids:
            state.public.discard(work_id)
            state.members.discard(work_id)
            row = rows.get(work_id)
            tags = np.array(sorted(new_tags[work_id]) if row else [], dtype=np.int32)
            if row is not None:
                self._store_work(row, state.columns, state.public, state.members)
                _note_sort_key(state, "title_rank", state.title_keys, work_id, row[14])
                _note_sort_key(state, "creator_rank", state.creator_keys, work_id, row[15])
            else:
                for inserted in state.inserted.values():
                    inserted.pop(work_id, None)
            old_tags = self._tags_of(state, work_id)
            # Most changes (hits, edits of text) leave the tags alone: keep the compact copy.
            if np.array_equal(old_tags, tags):
                continue
            membership_changed = True
            for tag_id in old_tags.tolist():
                bitmap = state.tag_bitmaps.get(tag_id)
                if bitmap is not None:
                    bitmap.discard(work_id)
            for tag_id in tags.tolist():
                state.tag_bitmaps.setdefault(tag_id, BitMap()).add(work_id)
                if tag_id >= len(state.tag_types) or state.tag_types[tag_id] == 0:
                    unknown_tags.add(tag_id)
            state.patched[work_id] = tags
            state.patched_ids.add(work_id)
            recounted.update(old_tags.tolist(), tags.tolist())
        if recounted:
            _recount(state, recounted)
        if unknown_tags:
            state.tag_types = _load_tag_types()
        ranks_moved = bool(state.inserted["title_rank"] or state.inserted["creator_rank"])
        state.title_keys = _place_inserted(state, "title_rank", state.title_keys)
        state.creator_keys = _place_inserted(state, "creator_rank", state.creator_keys)
        visible_after = [(pk in state.public, pk in state.members) for pk in work_ids]
        if membership_changed or visible_before != visible_after:
            state.membership_version += 1
        for name, before in columns_before.items():
            # Placing added or renamed works may move ranks of works other than these.
            moved = ranks_moved and name in ("title_rank", "creator_rank")
            if moved or not np.array_equal(before, state.columns[name][changed]):
                state.column_versions[name] += 1

    @staticmethod
    def _store_work(row: tuple[Any, ...], columns: dict[str, np.ndarray], public: BitMap, members: BitMap) -> None:
        (pk, posted, hidden, restricted, revised, published, words, hits, kudos, comments, bookmarks) = row[:11]
        complete, crossover, language = row[11:14]
        columns["revised"][pk] = int(revised.timestamp())
        columns["published"][pk] = _day_number(published)
        columns["words"][pk] = words
        columns["hits"][pk] = hits
        columns["kudos"][pk] = kudos
        columns["comments"][pk] = comments
        columns["bookmarks"][pk] = bookmarks
        columns["complete"][pk] = complete
        columns["crossover"][pk] = crossover
        columns["language"][pk] = _LANGUAGE_CODES.get(language, 0)
        work = Work(posted=posted, hidden_by_admin=hidden, restricted=restricted)
        if work.is_published:
            members.add(pk)
            if work.is_visible_to(AnonymousUser()):
                public.add(pk)

    @staticmethod
    def _tags_of(state: _State, work_id: int) -> np.ndarray:
        if work_id in state.patched_ids:
            return state.patched[work_id]
        if work_id + 1 >= len(state.tag_ptr):
            return np.array([], dtype=np.int32)
        return state.tag_flat[state.tag_ptr[work_id] : state.tag_ptr[work_id + 1]]

    # Queries

    def match(
        self,
        spec: WorkQuery,
        *,
        excluded_works: Collection[int] = (),
        with_exclusion_list: bool | None = None,
        catch_up: bool = True,
    ) -> np.ndarray:
        """Ids of the works the query's filters match, in no particular order, leaving out
        `excluded_works` (the muted creators' works) and, unless told otherwise, the reader's
        exclusion list. The array is shared with the result cache: read it, never change it.
        `catch_up=False` answers from the index as the caller's previous match left it (a second
        count for the same page: one look at the change log per request, not one per count)."""
        state = self.ensure_current() if catch_up else self._current_state()
        none_of = spec.excluded_tags(with_list=with_exclusion_list)
        key = _result_key(spec, none_of, excluded_works) if self.keep_results else None
        with self._lock:
            depends = _depends(state, spec)
            cached = state.results.get(key) if key is not None else None
            if cached is not None and cached.depends == depends:
                state.results.move_to_end(key)  # type: ignore[arg-type]
                return cached.ids
            result = (state.members if spec.members else state.public).copy()
            if spec.any_of:
                result &= BitMap.union(*[state.tag_bitmaps.get(t, BitMap()) for t in spec.any_of])
            for bitmap in sorted((state.tag_bitmaps.get(t, BitMap()) for t in spec.all_of), key=len):
                result &= bitmap
                if not result:
                    break
            if none_of and result:
                excluded = [state.tag_bitmaps[t] for t in none_of if t in state.tag_bitmaps]
                if excluded:
                    result -= BitMap.union(*excluded)
            if spec.only_ids is not None:
                result &= BitMap(spec.only_ids)
            if excluded_works:
                result -= BitMap(excluded_works)
            ids = np.frombuffer(result.to_array(), dtype=np.uint32).astype(np.int64)
            ids = self._apply_ranges(state, spec, ids)
            ids.flags.writeable = False
            if key is not None:
                _remember(state, key, _CachedResult(depends=depends, ids=ids))
            return ids

    @staticmethod
    def _apply_ranges(state: _State, spec: WorkQuery, ids: np.ndarray) -> np.ndarray:
        columns = state.columns
        mask = np.ones(len(ids), dtype=bool)
        if spec.crossover == "exclude":
            mask &= ~columns["crossover"][ids]
        elif spec.crossover == "only":
            mask &= columns["crossover"][ids]
        if spec.complete == "complete":
            mask &= columns["complete"][ids]
        elif spec.complete == "wip":
            mask &= ~columns["complete"][ids]
        if spec.words_from is not None:
            mask &= columns["words"][ids] >= spec.words_from
        if spec.words_to is not None:
            mask &= columns["words"][ids] <= spec.words_to
        if spec.updated_from is not None:
            start = datetime.combine(spec.updated_from, datetime.min.time(), tzinfo=timezone.get_current_timezone())
            mask &= columns["revised"][ids] >= int(start.timestamp())
        if spec.updated_to is not None:
            end = datetime.combine(
                spec.updated_to + timedelta(days=1), datetime.min.time(), tzinfo=timezone.get_current_timezone()
            )
            mask &= columns["revised"][ids] < int(end.timestamp())
        if spec.language:
            mask &= columns["language"][ids] == _LANGUAGE_CODES.get(spec.language, -1)
        return ids if mask.all() else ids[mask]

    def visible_ids(self, *, members: bool) -> np.ndarray:
        """Every work a logged-in reader (`members`) or a guest may see, in id order."""
        state = self.ensure_current()
        with self._lock:
            visible = state.members if members else state.public
            return np.frombuffer(visible.to_array(), dtype=np.uint32).astype(np.int64)

    def counts_for_tags(self, tag_ids: list[int], *, members: bool) -> dict[int, int]:
        """How many works each tag's filter matches among those a reader may see."""
        state = self.ensure_current()
        with self._lock:
            visible = state.members if members else state.public
            empty = BitMap()
            return {
                tag_id: visible.intersection_cardinality(state.tag_bitmaps.get(tag_id, empty)) for tag_id in tag_ids
            }

    def tag_use_counts(self) -> np.ndarray:
        """Works each tag's filter matches, drafts and hidden works included, indexed by tag id
        (shorter than the highest tag id when the newest tags are unused): FilterTagging rows per tag,
        current as of the change log. Read it, never change it."""
        state = self.ensure_current()
        with self._lock:
            return state.tag_counts

    def page(self, ids: np.ndarray, sort: str, offset: int, limit: int, *, descending: bool | None = None) -> list[int]:
        """The ids at [offset, offset+limit) ordered exactly as `ORDER BY key, id` (both in the
        sort's direction, or in `descending` if given) would order them."""
        if offset >= len(ids) or limit <= 0:
            return []
        chosen = SORTS[sort]
        direction = chosen.descending if descending is None else descending
        with self._lock:
            state = self._current_state()
            column = chosen.index_column
            cached = _cached_for(state, ids)
            wanted = (column, direction, offset, limit)
            if cached is not None:
                version, page = cached.pages.get(wanted, (-1, []))
                if version == state.column_versions[column]:
                    return list(page)
            values = state.columns[column]
            if not len(ids) or int(ids.max()) < len(values):
                keys = values[ids].astype(np.int64)
            else:
                # Ids found elsewhere (a search) that this index has not seen yet: a work posted a
                # moment ago, whose counters are all zero.
                keys = np.zeros(len(ids), dtype=np.int64)
                inside = ids < len(values)
                keys[inside] = values[ids[inside]]
            page = [int(i) for i in ids[exact_order(keys, ids, direction, offset + limit)[offset:]]]
            if cached is not None:
                cached.pages[wanted] = (state.column_versions[column], page)
        return list(page)

    def facets(self, ids: np.ndarray, top: int = 10) -> dict[str, list[tuple[int, int]]]:
        """For each facet type, the most common filter tags among these works, with their counts.

        Returns up to 3 × `top` per type, most common first, so the caller can drop synonyms.
        """
        with self._lock:
            state = self._current_state()
            cached = _cached_for(state, ids)
            if cached is not None and top in cached.facets:
                return cached.facets[top]
            if len(ids) <= _SMALL_RESULT:
                tag_ids, counts = self._count_tags(state, ids)
            else:
                tag_ids, counts = self._count_tags_by_bitmap(state, ids)
        types = np.zeros(len(tag_ids), dtype=np.int8)
        known = tag_ids < len(state.tag_types)
        types[known] = state.tag_types[tag_ids[known]]
        result: dict[str, list[tuple[int, int]]] = {}
        for tag_type in FACET_TYPES:
            chosen = types == _TYPE_CODES[tag_type.value]
            of_type_ids, of_type_counts = tag_ids[chosen], counts[chosen]
            wanted = min(top * 3, len(of_type_ids))
            if wanted < len(of_type_ids):
                best = np.argpartition(-of_type_counts, wanted - 1)[:wanted]
                of_type_ids, of_type_counts = of_type_ids[best], of_type_counts[best]
            order = np.lexsort((of_type_ids, -of_type_counts))
            result[tag_type.value] = list(zip(of_type_ids[order].tolist(), of_type_counts[order].tolist(), strict=True))
        if cached is not None:
            with self._lock:
                cached.facets[top] = result
        return result

    def _count_tags(self, state: _State, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        clean = ids
        extra: list[np.ndarray] = []
        if state.patched_ids and len(ids):
            is_patched = np.isin(ids, np.frombuffer(state.patched_ids.to_array(), dtype=np.uint32))
            clean = ids[~is_patched]
            extra = [state.patched[int(i)] for i in ids[is_patched]]
        in_range = clean[clean + 1 < len(state.tag_ptr)]
        starts = state.tag_ptr[in_range]
        lengths = state.tag_ptr[in_range + 1] - starts
        total = int(lengths.sum())
        if total:
            offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
            gathered = state.tag_flat[offsets]
        else:
            gathered = np.array([], dtype=np.int32)
        if extra:
            gathered = np.concatenate([gathered, *extra])
        if not len(gathered):
            return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
        # Counting by bincount is linear; np.unique would sort every posting.
        all_counts = np.bincount(gathered)
        tag_ids = np.flatnonzero(all_counts)
        return tag_ids, all_counts[tag_ids]

    def _count_tags_by_bitmap(self, state: _State, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # Big result sets: count only the most used tags of each type, by bitmap intersection.
        result = BitMap(ids.astype(np.uint32))
        tag_ids, counts = [], []
        for candidates in self._facet_candidates(state).values():
            for tag_id in candidates:
                n = result.intersection_cardinality(state.tag_bitmaps[tag_id])
                if n:
                    tag_ids.append(tag_id)
                    counts.append(n)
        return np.array(tag_ids, dtype=np.int64), np.array(counts, dtype=np.int64)

    def _facet_candidates(self, state: _State) -> dict[int, list[int]]:
        """The most used tags of each facet type; recomputed every few minutes (sizes move slowly)."""
        now = time.monotonic()
        if state.facet_candidates and now - state.facet_candidates_at < _FACET_CANDIDATES_TTL:
            return state.facet_candidates
        codes = {_TYPE_CODES[t.value] for t in FACET_TYPES}
        by_type: dict[int, list[tuple[int, int]]] = {code: [] for code in codes}
        tag_types = state.tag_types
        for tag_id, bitmap in state.tag_bitmaps.items():
            code = int(tag_types[tag_id]) if tag_id < len(tag_types) else 0
            if code in by_type:
                by_type[code].append((len(bitmap), tag_id))
        state.facet_candidates = {
            code: [tag_id for _n, tag_id in sorted(sizes, reverse=True)[:_FACET_CANDIDATES]]
            for code, sizes in by_type.items()
        }
        state.facet_candidates_at = now
        return state.facet_candidates


def _result_key(spec: WorkQuery, none_of: list[int], excluded_works: Collection[int]) -> tuple[Any, ...] | None:
    """What a match depends on besides the index's state; None for matches not worth keeping
    (limited to given works: a creator's few, or a title search's)."""
    if spec.only_ids is not None:
        return None
    dated = spec.updated_from is not None or spec.updated_to is not None
    return (
        spec.members,
        tuple(sorted(set(spec.any_of))),
        tuple(sorted(set(spec.all_of))),
        tuple(sorted(set(none_of))),
        frozenset(excluded_works),
        spec.crossover,
        spec.complete,
        spec.words_from,
        spec.words_to,
        spec.updated_from,
        spec.updated_to,
        # Dates are days in the reader's time zone.
        timezone.get_current_timezone_name() if dated else "",
        spec.language,
    )


def _range_columns(spec: WorkQuery) -> list[str]:
    columns = []
    if spec.crossover != "include":
        columns.append("crossover")
    if spec.complete:
        columns.append("complete")
    if spec.words_from is not None or spec.words_to is not None:
        columns.append("words")
    if spec.updated_from is not None or spec.updated_to is not None:
        columns.append("revised")
    if spec.language:
        columns.append("language")
    return columns


def _depends(state: _State, spec: WorkQuery) -> tuple[int, ...]:
    return (state.membership_version, *(state.column_versions[name] for name in _range_columns(spec)))


def _remember(state: _State, key: tuple[Any, ...], entry: _CachedResult) -> None:
    old = state.results.pop(key, None)
    if old is not None:
        state.results_bytes -= old.ids.nbytes
    if entry.ids.nbytes > _RESULT_CACHE_BYTES // 4:
        return
    state.results[key] = entry
    state.results_bytes += entry.ids.nbytes
    while len(state.results) > _RESULT_CACHE_ENTRIES or state.results_bytes > _RESULT_CACHE_BYTES:
        _key, dropped = state.results.popitem(last=False)
        state.results_bytes -= dropped.ids.nbytes


def _cached_for(state: _State, ids: np.ndarray) -> _CachedResult | None:
    """The cache entry these ids came from (match() hands out the cached array itself), if current."""
    for entry in reversed(state.results.values()):
        if entry.ids is ids:
            return entry
    return None


def exact_order(keys: np.ndarray, ids: np.ndarray, descending: bool, wanted: int) -> np.ndarray:
    """Positions of the first `wanted` (key, id) pairs in order, ties broken by id in the same direction.

    When the keys' spread and the ids fit in 63 bits together (epoch seconds and a million
    works do, with room to spare), one composite int64 key makes a partial sort exact; any
    other spread (counts near 2⁶³) falls back to a full lexicographic sort. Nothing is clipped.
    """
    if not len(keys):
        return np.array([], dtype=np.int64)
    low, high = int(keys.min()), int(keys.max())
    id_bits = max(1, int(ids.max()).bit_length())
    if (high - low).bit_length() + id_bits <= 62:
        shifted = keys - np.int64(low)
        if descending:
            composite = ((np.int64(high - low) - shifted) << id_bits) | (np.int64((1 << id_bits) - 1) - ids)
        else:
            composite = (shifted << id_bits) | ids
        if wanted < len(composite):
            top = np.argpartition(composite, wanted - 1)[:wanted]
            return top[np.argsort(composite[top])]
        return np.argsort(composite)[:wanted]
    order = np.lexsort((ids, keys))
    return (order[::-1] if descending else order)[:wanted]


def _rank(column: np.ndarray, sorted_keys: Sequence[tuple[str, int]]) -> None:
    if sorted_keys:
        ids = np.fromiter((pk for _key, pk in sorted_keys), dtype=np.int64, count=len(sorted_keys))
        column[ids] = np.arange(len(sorted_keys), dtype=np.int64) * _RANK_STEP


def _note_sort_key(state: _State, column: str, built: SortKeys, work_id: int, key: str) -> None:
    """Remember a work whose sort key is not (or no longer) where the build put it."""
    position = bisect_left(built, (key, work_id))
    if position < len(built) and built[position] == (key, work_id):
        state.inserted[column].pop(work_id, None)
        state.columns[column][work_id] = position * _RANK_STEP
    else:
        state.inserted[column][work_id] = key


def _place_inserted(state: _State, column: str, built: SortKeys) -> SortKeys:
    """Give works added or renamed since the build ranks that order exactly as (key, id) would.

    A work that falls between built neighbours p-1 and p gets p·STEP − STEP/2 plus its place
    among all such works, so works landing in the same gap order by (key, id) too. The old
    entry of a renamed work stays in `built` unused. When too many works are waiting for a
    gap, the built list is merged and ranked afresh; returns the built list to keep.
    """
    inserted = state.inserted[column]
    if not inserted:
        return built
    waiting = sorted((key, pk) for pk, key in inserted.items())
    if len(waiting) >= _RANK_STEP // 2:
        merged = tuple(sorted([entry for entry in built if entry[1] not in inserted] + waiting))
        _rank(state.columns[column], merged)
        inserted.clear()
        return merged
    for place, (key, pk) in enumerate(waiting):
        state.columns[column][pk] = bisect_left(built, (key, pk)) * _RANK_STEP - _RANK_STEP // 2 + place
    return built


def _recount(state: _State, tag_ids: set[int]) -> None:
    needed = max(tag_ids) + 1
    counts = state.tag_counts
    if needed > len(counts):
        # A new array, not a resize: a reader may hold the old one (tag_use_counts).
        counts = np.concatenate((counts, np.zeros(max(needed, int(len(counts) * 1.25)) - len(counts), dtype=np.int64)))
    empty = BitMap()
    for tag_id in tag_ids:
        counts[tag_id] = len(state.tag_bitmaps.get(tag_id, empty))
    state.tag_counts = counts


def _load_tag_types() -> np.ndarray:
    max_id = Tag.objects.aggregate(last=Max("id"))["last"] or 0
    types = np.zeros(max_id + 1, dtype=np.int8)
    for pk, tag_type in Tag.objects.values_list("pk", "type").iterator(chunk_size=50_000):
        types[pk] = _TYPE_CODES.get(tag_type, 0)
    return types


# Work columns read as numbers in one query; None marks columns used only for visibility.
_NUMERIC_COLUMNS = (
    None, None, None,  # posted, hidden_by_admin, restricted
    "revised", "published", "words", "hits", "kudos", "comments", "bookmarks", "complete", "crossover",
)  # fmt: skip


def _load_work_rows() -> tuple[np.ndarray, list[tuple[str, int]], list[tuple[str, int]], list[tuple[int, int]]]:
    """Every work's listing columns as one integer matrix, plus its title and creator sort keys.

    Dates are turned into numbers by the database, in each engine's own SQL, because building
    a million datetime objects in Python is most of the cost of a build.
    """
    table = Work._meta.db_table
    if connection.vendor == "postgresql":
        # FLOOR, as Python's int(timestamp()) and SQLite's strftime: a cast alone rounds half a second up.
        revised = "FLOOR(EXTRACT(EPOCH FROM revised_at))::bigint"
        published = "(published_at - DATE '1970-01-01')"
        flag = "{}::int"
    else:
        revised = "CAST(strftime('%s', revised_at) AS INTEGER)"
        published = "CAST(julianday(published_at) - 2440587.5 AS INTEGER)"
        flag = "{}"
    flags = ", ".join(flag.format(name) for name in ("posted", "hidden_by_admin", "restricted"))
    numbers_sql = (
        f"SELECT id, {flags}, {revised}, {published}, word_count, hits, kudos_count, comments_count, "  # noqa: S608
        f"bookmarks_count, {flag.format('complete')}, {flag.format('crossover')} FROM {table}"
    )
    chunks = []
    titles: list[tuple[str, int]] = []
    creators: list[tuple[str, int]] = []
    languages: list[tuple[int, int]] = []
    with connection.cursor() as cursor:
        cursor.execute(numbers_sql)
        while rows := cursor.fetchmany(100_000):
            chunks.append(np.array(rows, dtype=np.int64))
        cursor.execute(f"SELECT id, title_sort, creator_sort, language FROM {table}")  # noqa: S608
        while rows := cursor.fetchmany(100_000):
            for pk, title, creator, language in rows:
                titles.append((title, pk))
                creators.append((creator, pk))
                languages.append((pk, _LANGUAGE_CODES.get(language, 0)))
    numbers = np.concatenate(chunks) if chunks else np.zeros((0, 13), dtype=np.int64)
    return numbers, titles, creators, languages


def _load_postings() -> Iterator[tuple[int, np.ndarray]]:
    """(tag id, sorted work ids) for every filter tag: one text row per tag, parsed by numpy,
    instead of one Python tuple per posting (15 million at a million works)."""
    table = FilterTagging._meta.db_table
    ordered_by_database = connection.vendor == "postgresql"
    if ordered_by_database:
        concat = "string_agg(work_id::text, ',' ORDER BY work_id)"
    else:
        concat = "group_concat(work_id, ',')"
    with connection.cursor() as cursor:
        # SQLite's group_concat keeps the order rows arrive in; the (tag, work) index gives it.
        cursor.execute(f"SELECT tag_id, {concat} FROM {table} GROUP BY tag_id ORDER BY tag_id")  # noqa: S608
        while rows := cursor.fetchmany(10_000):
            for tag_id, joined in rows:
                works = np.fromstring(joined, dtype=np.int64, sep=",")
                yield tag_id, works if ordered_by_database else np.sort(works)


INDEX = FilterIndex()


def works_by_users(user_ids: Collection[int]) -> set[int]:
    """Works credited to any of these users (a reader's muted creators)."""
    if not user_ids:
        return set()
    return set(Creatorship.objects.filter(pseud__user_id__in=user_ids).values_list("work_id", flat=True))


class FilterIndexEngine:
    """The listings' engine: a WorkQuery answered by the in-memory index (its text is ignored)."""

    def matching(self, query: WorkQuery) -> tuple[np.ndarray, int]:
        """The ids of every matching work, and how many more there would be without the exclusion list."""
        muted_works = works_by_users(query.muted_users)
        ids = INDEX.match(query, excluded_works=muted_works)
        hidden = 0
        if query.use_exclusion_list and query.exclusion_list:
            unlisted = INDEX.match(query, excluded_works=muted_works, with_exclusion_list=False, catch_up=False)
            hidden = len(unlisted) - len(ids)
        return ids, hidden

    def count_with_muted(self, query: WorkQuery) -> int:
        """How many works would match if the reader's muted creators were not left out (after a
        `matching` of the same query: the index is not caught up again)."""
        return len(INDEX.match(query, catch_up=False))

    def run(self, query: WorkQuery) -> WorkResult:
        ids, hidden = self.matching(query)
        page = INDEX.page(ids, query.sort, query.offset, query.per_page, descending=query.descending)
        return WorkResult(total=len(ids), ids=page, hidden_by_exclusions=hidden)


FILTER_ENGINE = FilterIndexEngine()
