"""Everything a download shows about a work, read once, and the version key of it.

The key hashes what the files are made from (metadata, tag and pseud names,
series, and each chapter's id, position and last change), so an edit anywhere,
a renamed tag or pseud included, makes a new version and the cached files of
the old one are never served again.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import UTC, date, datetime
from urllib.parse import urljoin

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from lib.languages import LANGUAGES, text_direction
from tags.models import DISPLAY_ORDER, Tag, TagType
from works.models import Chapter, Creatorship, SerialWork, Tagging, Work

# Bump when the writers change, so files built by older code are rebuilt.
FORMAT_VERSION = 1

_LANGUAGE_NAMES = dict(LANGUAGES)
# The labels of AO3's download preface (the imports app reads the same ones).
TAG_LABELS = {
    TagType.RATING: "Rating",
    TagType.WARNING: "Archive Warning",
    TagType.CATEGORY: "Category",
    TagType.FANDOM: "Fandom",
    TagType.RELATIONSHIP: "Relationship",
    TagType.CHARACTER: "Character",
    TagType.FREEFORM: "Additional Tags",
}


@dataclass
class Link:
    text: str
    url: str


@dataclass
class TagGroup:
    type: str
    label: str
    tags: list[Link]


@dataclass
class SeriesPart:
    title: str
    url: str
    position: int


@dataclass
class ChapterEntry:
    id: int
    position: int
    title: str
    heading: str
    url: str
    updated_at: str


@dataclass
class WorkDocument:
    id: int
    title: str
    url: str
    identifier: str
    site_name: str
    creators: list[Link]
    tag_groups: list[TagGroup]
    language: str
    language_name: str
    direction: str
    series: list[SeriesPart]
    published: str
    updated: str
    modified: str
    words: int
    chapter_count: int
    chapter_total: str
    complete: bool
    summary: str
    notes: str
    endnotes: str
    chapters: list[ChapterEntry] = field(default_factory=list)

    @property
    def stats(self) -> str:
        parts = [f"Published: {self.published}"]
        if self.updated != self.published:
            parts.append(f"{'Completed' if self.complete else 'Updated'}: {self.updated}")
        parts.append(f"Words: {self.words:,}")
        parts.append(f"Chapters: {self.chapter_count}/{self.chapter_total}")
        return " ".join(parts)

    @property
    def subjects(self) -> list[str]:
        return [tag.text for group in self.tag_groups for tag in group.tags]

    def version(self, extension: str) -> str:
        payload = json.dumps([FORMAT_VERSION, extension, _plain(self)], default=str, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()[:24]


def _plain(value: object) -> object:
    # dataclasses.asdict deep-copies every value; this is a few times faster and runs on every download.
    if is_dataclass(value) and not isinstance(value, type):
        return [_plain(getattr(value, name)) for name in _FIELD_NAMES.setdefault(type(value), _field_names(value))]
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


_FIELD_NAMES: dict[type, list[str]] = {}


def _field_names(value: object) -> list[str]:
    return [item.name for item in fields(value)]  # type: ignore[arg-type]


def posted_chapters(work: Work) -> QuerySet[Chapter]:
    """What anyone who may read the work reads: its posted chapters, in order."""
    return work.chapters.filter(posted=True)


def work_identifier(base_url: str, work_id: int) -> str:
    """Stable per work and per archive: e-book readers recognise a re-download as the same book."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, urljoin(base_url, f'/works/{work_id}'))}"


def _day(value: date | datetime) -> str:
    if isinstance(value, datetime):
        value = timezone.localdate(value)
    return value.isoformat()


def load_document(work: Work, chapters: QuerySet[Chapter], base_url: str, site_name: str) -> WorkDocument:
    """The work's download metadata and chapter list (without chapter texts: cheap enough per request)."""
    # Plain joins rather than prefetch_related: this runs on every download, cached or not,
    # and the prefetch machinery costs more than the queries themselves.
    tags = list(Tag.objects.filter(taggings__work=work).only("name", "type"))
    creatorships = list(
        Creatorship.objects.filter(work=work).select_related("pseud__user").only("pseud__name", "pseud__user__username")
    )
    serial_works = list(SerialWork.objects.filter(work=work).select_related("series").only("position", "series__title"))
    # Only columns the covering index holds (works.Chapter "chapter_list_covering"): no chapter text is read.
    rows = list(chapters.order_by("position").values_list("id", "title", "updated_at"))
    return assemble(work, tags, creatorships, serial_works, rows, base_url, site_name)


def assemble(
    work: Work,
    tags: list[Tag],
    creatorships: list[Creatorship],
    serial_works: list[SerialWork],
    rows: list[tuple[int, str, datetime]],
    base_url: str,
    site_name: str,
) -> WorkDocument:
    """The document from what load_document (one work) or load_documents (a page of works) read:
    one assembly, so both give the same version key."""
    by_type: dict[str, list[Tag]] = {}
    for tag in sorted(tags, key=lambda tag: tag.name.casefold()):
        by_type.setdefault(tag.type, []).append(tag)
    groups = [
        TagGroup(
            tag_type.value,
            TAG_LABELS[tag_type],
            [Link(tag.name, urljoin(base_url, tag.works_url)) for tag in by_type.get(tag_type.value, [])],
        )
        for tag_type in DISPLAY_ORDER
        if by_type.get(tag_type.value)
    ]
    chapter_url = urljoin(base_url, reverse("chapter_detail", args=[work.pk, 0]))[:-1]
    entries = [
        ChapterEntry(
            id=chapter_id,
            position=index,
            title=title,
            heading=f"Chapter {index}: {title}" if title else f"Chapter {index}",
            url=f"{chapter_url}{chapter_id}",
            updated_at=updated_at.isoformat(),
        )
        for index, (chapter_id, title, updated_at) in enumerate(rows, start=1)
    ]
    latest = max([work.revised_at, *(updated_at for _id, _title, updated_at in rows)])
    return WorkDocument(
        id=work.pk,
        title=work.title,
        url=urljoin(base_url, work.get_absolute_url()),
        identifier=work_identifier(base_url, work.pk),
        site_name=site_name,
        creators=[
            Link(str(creatorship.pseud), urljoin(base_url, creatorship.pseud.get_absolute_url()))
            for creatorship in creatorships
        ],
        tag_groups=groups,
        language=work.language,
        language_name=_LANGUAGE_NAMES.get(work.language, work.language),
        direction=text_direction(work.language),
        series=[
            SeriesPart(link.series.title, urljoin(base_url, link.series.get_absolute_url()), link.position)
            for link in serial_works
        ],
        published=_day(work.published_at),
        updated=_day(work.revised_at) if work.revised_at.date() > work.published_at else _day(work.published_at),
        modified=latest.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        words=work.word_count,
        chapter_count=len(entries),
        chapter_total=work.chapter_total_display,
        complete=work.complete,
        summary=work.summary,
        notes=work.notes,
        endnotes=work.endnotes,
        chapters=entries,
    )


def load_documents(
    works: list[Work], all_chapters_of: set[int], base_url: str, site_name: str
) -> dict[int, WorkDocument]:
    """The documents of a page of works in five queries, whatever the page size (no chapter text):
    posted chapters, or all of them for the works in `all_chapters_of` (the reader's own, as
    works.access.readable_chapters). Equal to load_document work by work, version keys included."""
    ids = [work.pk for work in works]
    if not ids:
        return {}
    tags: dict[int, list[Tag]] = {pk: [] for pk in ids}
    # Tag's own ordering, as the single-work query (the casefold sort is stable on it).
    taggings = (
        Tagging.objects.filter(work_id__in=ids)
        .select_related("tag")
        .only("work_id", "tag__name", "tag__type")
        .order_by("tag__sort_order", "tag__name")
    )
    for tagging in taggings:
        tags[tagging.work_id].append(tagging.tag)
    creatorships: dict[int, list[Creatorship]] = {pk: [] for pk in ids}
    for creatorship in (
        Creatorship.objects.filter(work_id__in=ids)
        .select_related("pseud__user")
        .only("work_id", "pseud__name", "pseud__is_archived", "pseud__user__username")
    ):
        creatorships[creatorship.work_id].append(creatorship)
    serial_works: dict[int, list[SerialWork]] = {pk: [] for pk in ids}
    for link in (
        SerialWork.objects.filter(work_id__in=ids).select_related("series").only("work_id", "position", "series__title")
    ):
        serial_works[link.work_id].append(link)
    rows: dict[int, list[tuple[int, str, datetime]]] = {pk: [] for pk in ids}
    chapters = (
        Chapter.objects.filter(work_id__in=ids)
        .filter(Q(posted=True) | Q(work_id__in=[pk for pk in ids if pk in all_chapters_of]))
        .order_by("work_id", "position")
        .values_list("work_id", "id", "title", "updated_at")
    )
    for work_id, chapter_id, title, updated_at in chapters:
        rows[work_id].append((chapter_id, title, updated_at))
    # Listings defer the long notes; the documents need them (one query, not one per work).
    notes = {pk: (n, e) for pk, n, e in Work.objects.filter(pk__in=ids).values_list("pk", "notes", "endnotes")}
    documents = {}
    for work in works:
        work.notes, work.endnotes = notes[work.pk]
        documents[work.pk] = assemble(
            work, tags[work.pk], creatorships[work.pk], serial_works[work.pk], rows[work.pk], base_url, site_name
        )
    return documents
