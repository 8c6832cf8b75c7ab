"""The full-text index: one Tantivy document per visible work, on local disk.

Layout under DATA_DIR/search/: `CURRENT` names the live index folder;
`rebuild_search_index` builds a new folder and swaps `CURRENT` atomically, so
readers never see a half-built index. One process at a time writes (the
`indexer.lock` file lock): the job worker applying `SearchUpdate` rows, or a
rebuild. Any number of processes read.

A document holds the work's searchable text (title, creators, summary, notes,
tag names including the canonical and meta tags it is filtered under, story
text) and the values searches filter on and sort by, so a search with filters is
answered by the index alone. Drafts and hidden works have no document; a
restricted work's document is marked and left out for guests.

The counters (hits, kudos, comments, bookmarks) are not in the document: they change
all the time (every page view), and Tantivy can only replace a whole document, chapter
text and all. A search sorted by a counter takes the matching ids from here and their
order from the in-memory filter index, which holds the counters (search.backend).
"""

import contextlib
import fcntl
import json
import logging
import os
import re
import shutil
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from datetime import time as dt_time
from pathlib import Path
from typing import Any

import tantivy
from django.conf import settings
from django.utils import timezone

from lib.html import strip_html
from tags.models import Tag
from works.models import Chapter, Creatorship, FilterTagging, Tagging, Work

from .text import prepare

logger = logging.getLogger(__name__)
ANALYZER_NAME = "fanarchive"
TEXT_FIELDS = ("title", "creator", "summary", "notes", "tags", "text")
# How much a match in each field counts towards "best match".
FIELD_BOOSTS = {"title": 4.0, "creator": 3.0, "tags": 2.0, "summary": 1.5, "notes": 1.0, "text": 1.0}
# Sorts whose keys are not in the document (see the module docstring).
COUNT_FIELDS = ("hits", "kudos", "comments", "bookmarks")
# Part of each index folder's name: an index of another version is not opened (rebuild it).
# 3: the counters left the document.
SCHEMA_VERSION = "3"
# Title and creator sort keys are stored with this in front, so no key is empty.
TEXT_KEY_MARK = "="
_FOLDER_PREFIX = f"index-v{SCHEMA_VERSION}-"


def analyzer() -> tantivy.TextAnalyzer:
    """Accent-insensitive, case-insensitive, English-stemmed (used on `prepare`d text)."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(60))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


ANALYZER = analyzer()


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("work_id", indexed=True, fast=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name=ANALYZER_NAME)
    builder.add_unsigned_field("filter_tags", indexed=True)
    builder.add_unsigned_field("creator_users", indexed=True)
    builder.add_unsigned_field("restricted", indexed=True)
    builder.add_unsigned_field("complete", indexed=True)
    builder.add_unsigned_field("crossover", indexed=True)
    builder.add_text_field("language", tokenizer_name="raw")
    builder.add_unsigned_field("words", indexed=True, fast=True)
    builder.add_integer_field("posted", fast=True)
    builder.add_integer_field("updated", indexed=True, fast=True)
    for name in ("title_key", "creator_key"):
        builder.add_unsigned_field(name, fast=True)
    # The whole sort keys, for exact title and creator order (the u64 keys above are their prefixes).
    for name in ("title_sort", "creator_sort"):
        builder.add_text_field(name, tokenizer_name="raw", fast=True)
    return builder.build()


SCHEMA = build_schema()


def search_dir() -> Path:
    path = Path(settings.SEARCH_INDEX_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _current_name() -> str | None:
    try:
        return (search_dir() / "CURRENT").read_text().strip() or None
    except FileNotFoundError:
        return None


def index_generation() -> tuple[str, int] | None:
    """The live index folder and its last commit: Tantivy rewrites meta.json (atomically) on
    every commit, with a higher opstamp; a rebuild swaps in another folder. None before any
    index has a commit."""
    name = _current_name()
    if name is None:
        return None
    try:
        meta = json.loads((search_dir() / name / "meta.json").read_bytes())
    except FileNotFoundError:
        return None
    return name, int(meta["opstamp"])


def _set_current(name: str) -> None:
    pointer = search_dir() / "CURRENT"
    temporary = pointer.with_suffix(".new")
    temporary.write_text(name + "\n")
    with open(temporary) as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, pointer)


def _open(path: Path) -> tantivy.Index:
    index = tantivy.Index(SCHEMA, path=str(path), reuse=True)
    index.register_tokenizer(ANALYZER_NAME, ANALYZER)
    return index


EMPTY_PREFIX = "empty-"


def _readable(name: str) -> bool:
    """An index folder of this schema: a real one or the empty stand-in."""
    return name.startswith((_FOLDER_PREFIX, EMPTY_PREFIX + _FOLDER_PREFIX))


def _new_index_folder(prefix: str = "") -> Path:
    # Unique even for two builds in one second (a rebuild right after a recovery).
    name = f"{prefix}index-v{SCHEMA_VERSION}-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    path = search_dir() / name
    path.mkdir()
    return path


class _Readers:
    """This process's open index, reopened when a rebuild swaps `CURRENT`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._name: str | None = None
        self._index: tantivy.Index | None = None

    def index(self) -> tantivy.Index:
        with self._lock:
            name = _current_name()
            if name is None or not _readable(name):
                # None yet, or one of an older schema (which this code cannot read): start an
                # empty one; `manage.py rebuild_search_index` fills it.
                name = _create_empty()
            if name != self._name or self._index is None:
                self._index = _open(search_dir() / name)
                self._name = name
            return self._index

    def forget(self) -> None:
        with self._lock:
            self._index = None
            self._name = None


READERS = _Readers()


def _create_empty() -> str:
    # Its own lock, not the writer's: the writer may be this very process. The folder's name
    # marks it as a stand-in, so `has_index()` stays False until a real build is swapped in.
    with _file_lock("create.lock", blocking=True):
        name = _current_name()
        if name is None or not _readable(name):
            path = _new_index_folder(prefix=EMPTY_PREFIX)
            _open(path)
            _set_current(path.name)
            name = path.name
        return name


def writer_lock(*, blocking: bool) -> "contextlib._GeneratorContextManager[bool]":
    """Hold the one-writer lock; yields False (without waiting) if another process holds it.

    This process's long-lived writer (WRITER) lets go of it first; a blocking wait also asks
    other processes' writers to let go (`rebuild.wanted`), as a rebuild must.
    """
    WRITER.close()
    return _file_lock("indexer.lock", blocking=blocking, announce=blocking)


@contextmanager
def _file_lock(name: str, *, blocking: bool, announce: bool = False) -> Iterator[bool]:
    with open(search_dir() / name, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not blocking:
                yield False
                return
            if announce:
                _announce_wanted()
            try:
                fcntl.flock(handle, fcntl.LOCK_EX)
            finally:
                if announce:
                    _withdraw_wanted()
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- the long-lived writer (the worker's) --------------------------------------------------

WANTED_FILE = "writer.wanted"
ORPHAN = re.compile(r"^([0-9a-f]{32})\.(?:(\d+)\.del|[a-z]+)$")


def _announce_wanted() -> None:
    (search_dir() / WANTED_FILE).write_text(str(os.getpid()))


def _withdraw_wanted() -> None:
    with contextlib.suppress(FileNotFoundError):
        (search_dir() / WANTED_FILE).unlink()


def writer_wanted_elsewhere() -> bool:
    """Another living process waits for the writer lock (a rebuild): the worker lets go of it."""
    try:
        pid = int((search_dir() / WANTED_FILE).read_text().strip() or 0)
    except (FileNotFoundError, ValueError):
        return False
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        _withdraw_wanted()  # its process died waiting
        return False
    except PermissionError:
        pass
    return True


class _Writer:
    """This process's one IndexWriter, kept open between batches so the merges each commit
    starts can finish (a writer dropped after every commit threw them away, and segments
    piled up). It holds the one-writer file lock for as long as it is open."""

    def __init__(self) -> None:
        self._mutex = threading.RLock()
        self._lock_file: Any = None
        self._writer: tantivy.IndexWriter | None = None
        self._name: str | None = None

    def get(self) -> tantivy.IndexWriter | None:
        """The writer, or None if another process writes (or waits to)."""
        with self._mutex:
            if self._writer is not None and self._name == _current_name() and not writer_wanted_elsewhere():
                return self._writer
            self.close()
            if writer_wanted_elsewhere():
                return None
            handle = open(search_dir() / "indexer.lock", "a+")  # noqa: SIM115 (held for the writer's life)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                return None
            try:
                index = READERS.index()
                self._writer = open_writer(index)
            except ValueError:  # Tantivy's own lock: a writer outside our lock (a stray process)
                handle.close()
                return None
            self._lock_file = handle
            self._name = _current_name()
            return self._writer

    @contextmanager
    def session(self) -> Iterator[tantivy.IndexWriter | None]:
        """The writer, held for a write and its commit: a rebuild's `close()` waits for them
        (the worker indexes in a thread of its own while jobs, rebuilds included, run)."""
        with self._mutex:
            yield self.get()

    def close(self, *, wait_for_merges: float = 0.0) -> None:
        """Let go of the writer and its lock. With `wait_for_merges` (seconds; the worker
        stopping), commit and let the merges already running finish first, so a stop does not
        throw them away and the next worker starts from fewer segments.

        Otherwise (a rebuild wants the lock, the index was swapped) the writer is dropped:
        that discards uncommitted changes and stops merges; committed data is safe either way,
        as a merge only becomes part of the index when it is complete.
        """
        with self._mutex:
            writer = self._writer
            self._writer = None
            self._name = None
            if writer is not None and wait_for_merges > 0:
                _finish_merges(writer, wait_for_merges)
            del writer
            if self._lock_file is not None:
                fcntl.flock(self._lock_file, fcntl.LOCK_UN)
                self._lock_file.close()
                self._lock_file = None

    def recover(self) -> list[str]:
        """After a failed commit (a process killed during an earlier commit left files behind):
        drop the writer, delete the files the last good commit does not list; returns their names."""
        with self._mutex:
            self.close()
            name = _current_name()
            if name is None:
                return []
            return remove_orphan_files(search_dir() / name)


WRITER = _Writer()


def _finish_merges(writer: tantivy.IndexWriter, seconds: float) -> bool:
    """Commit, then wait up to `seconds` for the writer's merge threads; True if they finished.

    `wait_merging_threads` blocks without a limit, so it runs in a thread of its own: a stop
    that takes too long (systemd's stop timeout, ./run's) leaves the merge unfinished, which
    is the same as a kill during a merge: the index stays as of the last commit and the
    next writer removes the half-written files.
    """
    finished = threading.Event()

    def finish() -> None:
        try:
            writer.commit()  # every batch was committed already; this only makes sure of it
            writer.wait_merging_threads()
            finished.set()
        except ValueError as error:
            logger.warning("Search index: could not finish merges on stop (%s)", error)

    thread = threading.Thread(target=finish, name="search-merges", daemon=True)
    started = time.monotonic()
    thread.start()
    thread.join(seconds)
    if finished.is_set():
        logger.info("Search index: merges finished on stop in %.1f s", time.monotonic() - started)
    else:
        logger.warning("Search index: merges still running after %.0f s on stop; left unfinished", seconds)
    return finished.is_set()


def remove_orphan_files(path: Path) -> list[str]:
    """Segment files meta.json does not list: what a kill during a commit leaves, and what makes
    the next commit fail with FileAlreadyExists("<segment>.<opstamp>.del")."""
    try:
        meta = json.loads((path / "meta.json").read_text())
    except FileNotFoundError:
        return []
    live: dict[str, int | None] = {}
    for segment in meta.get("segments", []):
        deletes = segment.get("deletes")
        live[segment["segment_id"].replace("-", "")] = deletes["opstamp"] if deletes else None
    removed = []
    for file in path.iterdir():
        match = ORPHAN.match(file.name)
        if match is None:
            continue
        segment, opstamp = match.group(1), match.group(2)
        if segment in live and (opstamp is None or int(opstamp) == live[segment]):
            continue
        file.unlink(missing_ok=True)
        removed.append(file.name)
    return sorted(removed)


def searcher() -> tantivy.Searcher:
    index = READERS.index()
    # Pick up commits made by the indexing process since the last search.
    index.reload()
    return index.searcher()


# --- documents -----------------------------------------------------------------------------


def _epoch_seconds(value: datetime) -> int:
    return int(value.timestamp())


def day_start_seconds(day: date) -> int:
    return int(timezone.make_aware(datetime.combine(day, dt_time.min)).timestamp())


def sort_key_prefix(text: str) -> int:
    """The first 8 bytes of a sort key as a number: in the same order as the keys themselves
    (UTF-8 byte order is code point order), so ranges of it can be counted."""
    return int.from_bytes(text.encode("utf-8")[:8].ljust(8, b"\0"), "big")


def build_documents(work_ids: list[int]) -> dict[int, tantivy.Document | None]:
    """The search document of each work; None for works that must not be found (gone, draft, hidden)."""
    found: dict[int, tantivy.Document | None] = dict.fromkeys(work_ids)
    works = list(
        Work.objects.published().filter(pk__in=work_ids).only(
            "title", "title_sort", "creator_sort", "summary", "notes", "endnotes", "language", "complete",
            "restricted", "crossover", "word_count", "published_at", "revised_at",
        )
    )  # fmt: skip
    if not works:
        return found
    ids = [w.pk for w in works]
    creators: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    for work_id, pseud, username, user_id in Creatorship.objects.filter(work_id__in=ids).values_list(
        "work_id", "pseud__name", "pseud__user__username", "pseud__user_id"
    ):
        creators[work_id].append((pseud, username, user_id))
    tag_names: dict[int, set[str]] = defaultdict(set)
    for work_id, name in Tagging.objects.filter(work_id__in=ids).values_list("work_id", "tag__name"):
        tag_names[work_id].add(name)
    filter_tags: dict[int, list[int]] = defaultdict(list)
    filter_ids = set()
    for work_id, tag_id in FilterTagging.objects.filter(work_id__in=ids).values_list("work_id", "tag_id"):
        filter_tags[work_id].append(tag_id)
        filter_ids.add(tag_id)
    filter_names = dict(Tag.objects.filter(pk__in=filter_ids).values_list("pk", "name"))
    chapters: dict[int, list[tuple[str, str, str, str, str]]] = defaultdict(list)
    for row in (
        Chapter.objects.filter(work_id__in=ids, posted=True)
        .order_by("work_id", "position")
        .values_list("work_id", "title", "summary", "notes", "endnotes", "content")
    ):
        chapters[row[0]].append(row[1:])
    for work in works:
        document = tantivy.Document()
        document.add_unsigned("work_id", work.pk)
        document.add_text("title", prepare(work.title))
        for pseud, username, user_id in creators[work.pk]:
            document.add_text("creator", prepare(pseud if pseud == username else f"{pseud} {username}"))
            document.add_unsigned("creator_users", user_id)
        names = tag_names[work.pk] | {filter_names[t] for t in filter_tags[work.pk] if t in filter_names}
        for name in sorted(names):
            document.add_text("tags", prepare(name))
        for tag_id in filter_tags[work.pk]:
            document.add_unsigned("filter_tags", tag_id)
        summaries = [strip_html(work.summary)]
        notes = [strip_html(work.notes), strip_html(work.endnotes)]
        texts = []
        for title, summary, chapter_notes, chapter_endnotes, content in chapters[work.pk]:
            if title:
                texts.append(title)
            summaries.append(strip_html(summary))
            notes.extend((strip_html(chapter_notes), strip_html(chapter_endnotes)))
            texts.append(strip_html(content))
        document.add_text("summary", prepare("\n".join(s for s in summaries if s)))
        document.add_text("notes", prepare("\n".join(n for n in notes if n)))
        document.add_text("text", prepare("\n".join(texts)))
        document.add_unsigned("restricted", int(work.restricted))
        document.add_unsigned("complete", int(work.complete))
        document.add_unsigned("crossover", int(work.crossover))
        document.add_text("language", work.language)
        document.add_unsigned("words", work.word_count)
        document.add_integer("posted", day_start_seconds(work.published_at))
        document.add_integer("updated", _epoch_seconds(work.revised_at))
        document.add_unsigned("title_key", sort_key_prefix(work.title_sort))
        document.add_unsigned("creator_key", sort_key_prefix(work.creator_sort))
        document.add_text("title_sort", TEXT_KEY_MARK + work.title_sort)
        document.add_text("creator_sort", TEXT_KEY_MARK + work.creator_sort)
        found[work.pk] = document
    return found


def _delete_query(work_id: int) -> tantivy.Query:
    return tantivy.Query.term_query(SCHEMA, "work_id", work_id)


def write_documents(writer: tantivy.IndexWriter, documents: dict[int, tantivy.Document | None]) -> None:
    """Replace each work's document (delete, then add: never two documents for one work)."""
    for work_id, document in documents.items():
        writer.delete_documents_by_query(_delete_query(work_id))
        if document is not None:
            writer.add_document(document)


def open_writer(index: tantivy.Index, *, heap_mb: int = 64, threads: int = 1) -> tantivy.IndexWriter:
    return index.writer(heap_size=heap_mb * 1_000_000, num_threads=threads)


def replace_index(build: Any) -> str:
    """Build a new index folder with `build(index)` and make it the live one; returns its name."""
    path = _new_index_folder()
    try:
        build(_open(path))
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise
    old = _current_name()
    _set_current(path.name)
    READERS.forget()
    if old and old != path.name:
        # Other processes may still have the old files mapped; unlinking them is safe on POSIX.
        shutil.rmtree(search_dir() / old, ignore_errors=True)
    return path.name


def clear_search_index() -> None:
    """Remove every document (tests: each starts with an empty index)."""
    if _current_name() is None or searcher().num_docs == 0:
        return
    writer = WRITER.get()
    if writer is None:
        with writer_lock(blocking=True):
            writer = open_writer(READERS.index())
            writer.delete_all_documents()
            writer.commit()
        return
    writer.delete_all_documents()
    writer.commit()


def has_index() -> bool:
    """True once a real index of this schema was built: not the empty stand-in searches create when
    there is none, nor one of an older schema (so `rebuild_search_index --if-missing`, run by ./run,
    rebuilds it after an upgrade)."""
    name = _current_name()
    return name is not None and name.startswith(_FOLDER_PREFIX)


def rebuilding() -> bool:
    """No real index yet (searches answer from an empty stand-in), or a rebuild is under way."""
    return not has_index() or writer_wanted_elsewhere()


def index_size_bytes() -> int:
    name = _current_name()
    if name is None:
        return 0
    return sum(f.stat().st_size for f in (search_dir() / name).iterdir() if f.is_file())
