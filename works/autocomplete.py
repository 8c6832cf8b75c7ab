"""Tag suggestions for the autocomplete on tag fields (posting form and filters).

Prefix matches come first, then names with a word starting with the term; in
each group, tags of the fandoms already chosen (characters, relationships),
then canonical tags, then the tags more works use (FilterTagging rows, drafts
and hidden works included), then by name key in code point order. A synonym
carries the name of its canonical tag, which is what the field should get.

A one-letter prefix matches tens of thousands of tags at a million works, and asking the database
to count each one's uses and check who may see it took seconds, and word-start matches were a scan
of every name. So each process keeps every tag's name key, and each word of it, in order
(`TagNames`), ranks the matches in memory with the filter index's counts
(works.filter_index.FilterIndex.tag_use_counts), and asks the database about the best few only:
whether they still match, and whether this reader may see them (tags.visibility), a batch at a
time until the page is full. What the reader gets (names, visibility) always comes from that query.
"""

import logging
import re
import threading
import time
from bisect import bisect_left
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import TypedDict

import numpy as np
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from tags.models import DISPLAY_ORDER, Tag, TagParent, TagType, WranglingLog, tag_name_key
from tags.visibility import visible_tags
from works.access import AnyUser
from works.filter_index import INDEX

logger = logging.getLogger(__name__)

LIMIT = 15
# After a failed rebuild of the tag name table, seconds before the next try.
_RETRY_SECONDS = 60
# Words of a tag name start after these: "Mara Quill/Jonah Reyes", "Tidewater (TV)", "Half-Blood".
WORD_BREAKS = " /(-"
# Types a work can carry ("any" means these), plus media for the wrangling forms.
TYPES = tuple(str(tag_type) for tag_type in DISPLAY_ORDER)
ASKABLE_TYPES = (*TYPES, str(TagType.MEDIA))
# Fandoms a request may scope characters and relationships by.
FANDOMS_MAX = 20
SCOPED_TYPES = frozenset({TagType.CHARACTER.value, TagType.RELATIONSHIP.value})
# The highest code point: a key ending in it has no successor to bound the names starting with it.
_LAST_CHARACTER = chr(0x10FFFF)
# The first batch of ranked matches the database checks; each further batch is 4 times larger.
_FIRST_BATCH = 2 * LIMIT
_IDS_PER_QUERY = 10_000
_WORD_BREAK = re.compile("[" + re.escape(WORD_BREAKS) + "]")
_TYPE_CODES = {tag_type.value: code for code, tag_type in enumerate(TagType, start=1)}


class Suggestion(TypedDict):
    name: str
    type: str
    canonical: bool
    canonical_name: str | None


class TagNames:
    """Every tag's name key in code point order with its id, every word of it (the rest of the key
    after each of WORD_BREAKS) likewise, and each tag's type and canonical flag.

    Kept current, before each use, from new tag ids and from the wrangling log (every change of a
    tag's name, type or canonical flag writes one: tags.actions, the admin), re-reading the last
    _LOG_OVERLAP of the log, and ids skipped for as long, for rows committed out of id order;
    rebuilt after REBUILD_AFTER in case anything changed otherwise (an import, a raw update): the
    first build before the first answer, later ones in a thread of their own while the table they
    replace keeps answering (at a million works a build takes ~3 s, which one typist's request
    waited for every hour in every process; beside them it shares the interpreter lock, so requests
    run a little slower meanwhile instead of stopping). A stale entry costs a suggestion its place, never a
    leak: the database checks every tag shown."""

    REBUILD_AFTER = 3600.0
    _LOG_OVERLAP = timedelta(seconds=30)
    # More changes than this at once are applied by sorting everything again.
    _PATCH_MAX = 1000
    # A jump of more skipped ids than this (a bulk import) is left to the rebuild.
    _GAPS_MAX = 1000

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._built_at = 0.0
        # The build running beside the requests (see _rebuild_aside), if any.
        self.rebuilding: threading.Thread | None = None
        # Bumped by reset(): a build begun before a reset is not put in place after it.
        self._resets = 0
        self.keys: list[str] = []
        self.ids = np.zeros(0, dtype=np.int64)
        # Words as (tag id, offset in its key), in code point order of key[offset:]: no string kept twice.
        self.word_ids = np.zeros(0, dtype=np.int64)
        self.word_offsets = np.zeros(0, dtype=np.int32)
        self.key_of: dict[int, str] = {}
        self.canonical = np.zeros(0, dtype=np.bool_)
        self.types = np.zeros(0, dtype=np.int8)
        # Each tag's place in `keys`, by id.
        self.position_of = np.zeros(0, dtype=np.int64)
        self._last_tag_id = 0
        self._last_log_id = 0
        self._recent_log_ids: set[int] = set()
        # Tag ids below the newest seen that were missing, with when they were first missed.
        self._gaps: dict[int, float] = {}

    def reset(self) -> None:
        """Forget everything; the next use rebuilds from the database (tests use this)."""
        with self._lock:
            self._built_at = 0.0
            self._resets += 1

    def ensure_current(self) -> None:
        """Build the table, or catch up with changes since the last use."""
        with self._lock:
            self._ensure_current()

    def prefix_matches(self, key: str, type_codes: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """(ids, positions in name order) of the tags of these types whose name key starts with `key`."""
        with self._lock:
            self._ensure_current()
            low, high = _starting_with(key, self.keys.__getitem__, len(self.keys))
            ids = self.ids[low:high]
            positions = np.arange(low, high, dtype=np.int64)
            of_types = np.isin(self._by_id(self.types, ids), type_codes)
            return ids[of_types], positions[of_types]

    def word_matches(self, key: str, type_codes: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """(ids, order by name key) of the tags of these types with a word, not the name, starting with `key`."""
        with self._lock:
            low, high = _starting_with(key, self._word, len(self.word_ids))
            ids = np.unique(self.word_ids[low:high])
            ids = ids[np.isin(self._by_id(self.types, ids), type_codes)]
            positions = self.position_of[ids]
            # Names starting with the key are the prefix matches: their positions form one range.
            first, end = _starting_with(key, self.keys.__getitem__, len(self.keys))
            words = (positions < first) | (positions >= end)
            return ids[words], positions[words]

    def _word(self, place: int) -> str:
        return self.key_of[int(self.word_ids[place])][int(self.word_offsets[place]) :]

    def canonical_of(self, ids: np.ndarray) -> np.ndarray:
        with self._lock:
            return self._by_id(self.canonical, ids)

    @staticmethod
    def _by_id(column: np.ndarray, ids: np.ndarray) -> np.ndarray:
        known = ids < len(column)
        values = np.zeros(len(ids), dtype=column.dtype)
        values[known] = column[ids[known]]
        return values

    def _ensure_current(self) -> None:
        now = time.monotonic()
        if not self._built_at:
            self._build()
            self._built_at = now
            return
        if now - self._built_at > self.REBUILD_AFTER and self.rebuilding is None:
            self.rebuilding = threading.Thread(target=self._rebuild_aside, name="tag-names-rebuild", daemon=True)
            self.rebuilding.start()
        since = timezone.now() - self._LOG_OVERLAP
        logged = list(
            WranglingLog.objects.filter(Q(pk__gt=self._last_log_id) | Q(created_at__gte=since))
            .order_by()
            .values_list("pk", "tag_id")
        )
        changed = {
            tag_id
            for log_id, tag_id in logged
            if tag_id is not None and (log_id > self._last_log_id or log_id not in self._recent_log_ids)
        }
        if logged:
            self._last_log_id = max(self._last_log_id, max(log_id for log_id, _t in logged))
        self._recent_log_ids = {log_id for log_id, _t in logged}
        # Ids skipped by the newest tags may belong to tags whose transaction commits later
        # (concurrent posts on PostgreSQL): they are asked again within the overlap.
        self._gaps = {pk: seen for pk, seen in self._gaps.items() if now - seen < self._LOG_OVERLAP.total_seconds()}
        rows = list(
            Tag.objects.filter(Q(pk__gt=self._last_tag_id) | Q(pk__in=changed | self._gaps.keys()))
            .order_by()
            .values_list("pk", "name_key", "canonical", "type")
        )
        last_tag_id = self._last_tag_id
        new_ids = {row[0] for row in rows}
        for pk in new_ids:
            self._gaps.pop(pk, None)
        newest = max(new_ids, default=last_tag_id)
        if newest - last_tag_id - 1 <= self._GAPS_MAX:
            self._gaps.update((pk, now) for pk in range(last_tag_id + 1, newest) if pk not in new_ids)
        if rows or changed:
            self._patch(rows, changed)

    def _rebuild_aside(self) -> None:
        """Build a new table without the lock, then put it in place of this one. What changed
        meanwhile is caught up by the next use: the new table's log position was read before its
        tags were (as in any build)."""
        resets = self._resets
        try:
            fresh = TagNames()
            fresh._build()
            with self._lock:
                if self._resets == resets:
                    for name, value in vars(fresh).items():
                        if name not in ("_lock", "rebuilding", "_resets"):
                            setattr(self, name, value)
                    self._built_at = time.monotonic()
        except Exception:
            # The table in use stays (kept current from the log); the build is tried again in a minute.
            logger.exception("Rebuilding the autocomplete's tag name table failed")
            with self._lock:
                if self._built_at:
                    self._built_at = time.monotonic() - self.REBUILD_AFTER + _RETRY_SECONDS
        finally:
            self.rebuilding = None
            # This thread's own connection (Django keeps one per thread) is not needed again.
            connection.close()

    def _build(self) -> None:
        self._last_log_id = WranglingLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self._recent_log_ids = set(
            WranglingLog.objects.filter(created_at__gte=timezone.now() - self._LOG_OVERLAP).values_list("pk", flat=True)
        )
        self._gaps = {}
        # Raw rows: the ORM's per-row converters were a fifth of a build.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, name_key, canonical, type FROM {Tag._meta.db_table}")  # noqa: S608
            rows = cursor.fetchall()
        self.key_of = {}
        self.canonical = np.zeros(0, dtype=np.bool_)
        self.types = np.zeros(0, dtype=np.int8)
        self._last_tag_id = 0
        self._store(rows)
        self._sort()

    def _store(self, rows: list[tuple[int, str, bool, str]]) -> None:
        if not rows:
            return
        highest = max(row[0] for row in rows)
        self._last_tag_id = max(self._last_tag_id, highest)
        if highest >= len(self.types):
            size = max(highest + 1, int(len(self.types) * 1.25))
            self.canonical = np.concatenate((self.canonical, np.zeros(size - len(self.canonical), dtype=np.bool_)))
            self.types = np.concatenate((self.types, np.zeros(size - len(self.types), dtype=np.int8)))
        for pk, name_key, canonical, tag_type in rows:
            self.key_of[pk] = name_key
            self.canonical[pk] = canonical
            self.types[pk] = _TYPE_CODES.get(tag_type, 0)

    def _sort(self) -> None:
        order = sorted(self.key_of, key=self.key_of.__getitem__)
        self.keys = [self.key_of[pk] for pk in order]
        self.ids = np.array(order, dtype=np.int64)
        word_ids, offsets, words = [], [], []
        for pk, key in zip(order, self.keys, strict=True):
            for start in _word_starts(key):
                word_ids.append(pk)
                offsets.append(start)
                words.append(key[start:])
        # Equal words keep the name order; any order of them would do.
        places = sorted(range(len(words)), key=words.__getitem__)
        self.word_ids = np.array(word_ids, dtype=np.int64)[places]
        self.word_offsets = np.array(offsets, dtype=np.int32)[places]
        self._place()

    def _place(self) -> None:
        self.position_of = np.zeros(len(self.types), dtype=np.int64)
        self.position_of[self.ids] = np.arange(len(self.ids))

    def _patch(self, rows: list[tuple[int, str, bool, str]], changed: set[int]) -> None:
        """Apply new and changed tags; a changed tag missing from `rows` was deleted."""
        touched = changed | {row[0] for row in rows}
        for pk in touched:
            self._remove(pk)
        self._store(rows)
        if len(touched) > self._PATCH_MAX:
            self._sort()
            return
        for pk, name_key, _canonical, _type in rows:
            place = bisect_left(self.keys, name_key)
            self.keys.insert(place, name_key)
            self.ids = np.insert(self.ids, place, pk)
            for start in _word_starts(name_key):
                place, _high = _starting_with(name_key[start:], self._word, len(self.word_ids))
                self.word_ids = np.insert(self.word_ids, place, pk)
                self.word_offsets = np.insert(self.word_offsets, place, start)
        self._place()

    def _remove(self, pk: int) -> None:
        key = self.key_of.pop(pk, None)
        if key is None:
            return
        if pk < len(self.types):
            self.types[pk] = 0
            self.canonical[pk] = False
        if _word_starts(key):
            kept = self.word_ids != pk
            self.word_ids, self.word_offsets = self.word_ids[kept], self.word_offsets[kept]
        place = bisect_left(self.keys, key)
        while place < len(self.keys) and self.keys[place] == key:
            if self.ids[place] == pk:
                del self.keys[place]
                self.ids = np.delete(self.ids, place)
                return
            place += 1


def _word_starts(name_key: str) -> list[int]:
    """Where the words after the first begin: after each word break, if anything follows it."""
    return [found.end() for found in _WORD_BREAK.finditer(name_key, 0, len(name_key) - 1)]


def _starting_with(key: str, item: Callable[[int], str], length: int) -> tuple[int, int]:
    """The range [low, high) of a sorted sequence (`item(i)`, `length` items) starting with `key`."""

    def first_at_least(bound: str, low: int) -> int:
        return bisect_left(range(length), bound, lo=low, key=item)

    low = first_at_least(key, 0)
    if key[-1] == _LAST_CHARACTER:
        return low, first_at_least(key + _LAST_CHARACTER, low)
    # Every string starting with `key` sorts before `key` with its last character's successor.
    return low, first_at_least(key[:-1] + chr(ord(key[-1]) + 1), low)


TAG_NAMES = TagNames()


def _word_match(key: str, name_key: str) -> bool:
    """A word of the name, not the name, starts with the key."""
    return not name_key.startswith(key) and any(sep + key in name_key for sep in WORD_BREAKS)


def _fandom_scope(fandom_names: list[str]) -> set[int]:
    """Ids of the tags whose parent (or whose canonical tag's parent) is one of these fandoms.

    A fandom counts with its canonical tag and that tag's synonyms, so typing a synonym
    of the fandom or the fandom itself finds the characters linked to either. Each step is an
    index lookup by id (ORs of subqueries made PostgreSQL scan every tag).
    """
    keys = [tag_name_key(name) for name in fandom_names]
    named = list(Tag.objects.filter(type=TagType.FANDOM, name_key__in=keys).order_by().values_list("pk", "merger_id"))
    if not named:
        return set()
    named_ids = [pk for pk, _merger in named]
    fandoms = {*named_ids, *(merger for _pk, merger in named if merger is not None)}
    fandoms.update(Tag.objects.filter(merger_id__in=named_ids).order_by().values_list("pk", flat=True))
    scope = set(TagParent.objects.filter(parent_id__in=fandoms).values_list("child_id", flat=True))
    children = sorted(scope)
    # In slices: SQLite takes at most 32,766 parameters a statement.
    for start in range(0, len(children), _IDS_PER_QUERY):
        chunk = children[start : start + _IDS_PER_QUERY]
        scope.update(Tag.objects.filter(merger_id__in=chunk).order_by().values_list("pk", flat=True))
    return scope


def _rank(
    ids: np.ndarray, name_order: np.ndarray, canonical: np.ndarray, counts: np.ndarray, scope: set[int] | None
) -> np.ndarray:
    """The ids in suggestion order; `name_order` orders them by name key, `counts` holds uses by tag id."""
    uses = np.zeros(len(ids), dtype=np.int64)
    counted = ids < len(counts)
    uses[counted] = counts[ids[counted]]
    keys = [name_order, -uses, -canonical.astype(np.int8)]
    if scope is not None:
        keys.append(-np.isin(ids, np.fromiter(scope, dtype=np.int64, count=len(scope))).astype(np.int8))
    return ids[np.lexsort(keys)]


def _shown(reader: AnyUser, types: tuple[str, ...]) -> "QuerySet[Tag]":
    return Tag.objects.filter(visible_tags(reader), type__in=types).select_related("merger").order_by()


def _first_visible(
    reader: AnyUser, still_matches: Callable[[str], bool], types: tuple[str, ...], ranked: np.ndarray, wanted: int
) -> list[Tag]:
    """The first `wanted` of the ranked ids that this reader may see and whose name key, as the database
    has it now, still matches (the name table may not know of a rename yet)."""
    tags: list[Tag] = []
    start, size = 0, _FIRST_BATCH
    while len(tags) < wanted and start < len(ranked):
        batch = ranked[start : start + size].tolist()
        found = {tag.pk: tag for tag in _shown(reader, types).filter(pk__in=batch) if still_matches(tag.name_key)}
        tags += [found[pk] for pk in batch if pk in found]
        start, size = start + size, size * 4
    return tags[:wanted]


def suggest_tags(reader: AnyUser, term: str, types: tuple[str, ...], fandom_names: list[str]) -> list[Suggestion]:
    """At most LIMIT tags of these types matching the term, that this reader may see named."""
    key = tag_name_key(term)
    scope = _fandom_scope(fandom_names) if fandom_names and SCOPED_TYPES.issuperset(types) else None
    type_codes = [_TYPE_CODES[t] for t in types]
    ids, name_order = TAG_NAMES.prefix_matches(key, type_codes)
    counts = INDEX.tag_use_counts()
    ranked = _rank(ids, name_order, TAG_NAMES.canonical_of(ids), counts, scope)
    tags = _first_visible(reader, lambda name_key: name_key.startswith(key), types, ranked, LIMIT)
    if len(tags) < LIMIT:
        # Every visible prefix match is in `tags`; the word-start matches fill the rest.
        ids, name_order = TAG_NAMES.word_matches(key, type_codes)
        ranked = _rank(ids, name_order, TAG_NAMES.canonical_of(ids), counts, scope)
        tags += _first_visible(reader, partial(_word_match, key), types, ranked, LIMIT - len(tags))
    return [
        {
            "name": tag.name,
            "type": tag.type,
            "canonical": tag.canonical,
            "canonical_name": tag.merger.name if tag.merger is not None and tag.merger.canonical else None,
        }
        for tag in tags
    ]
