"""What the API returns: typed schemas, so the OpenAPI document describes every field."""

from datetime import date, datetime

from ninja import Schema


class ErrorBody(Schema):
    code: str
    message: str
    details: list[dict[str, object]] = []


class Error(Schema):
    error: ErrorBody


class PseudRef(Schema):
    name: str
    user: str
    url: str


class TagRef(Schema):
    name: str
    type: str
    url: str


class SeriesRef(Schema):
    id: int
    title: str
    position: int
    url: str


class WorkOut(Schema):
    id: int
    url: str
    title: str
    creators: list[PseudRef]
    rating: list[TagRef]
    warnings: list[TagRef]
    categories: list[TagRef]
    fandoms: list[TagRef]
    relationships: list[TagRef]
    characters: list[TagRef]
    additional_tags: list[TagRef]
    summary_html: str
    language: str
    words: int
    chapters: int
    expected_chapters: int | None
    complete: bool
    restricted: bool
    adult: bool
    published: date
    updated: datetime
    hits: int
    kudos: int
    comments: int
    bookmarks: int
    series: list[SeriesRef]


class ChapterRef(Schema):
    id: int
    position: int
    title: str
    words: int
    published: date
    url: str


class WorkDetail(WorkOut):
    notes_html: str
    endnotes_html: str
    chapter_list: list[ChapterRef]


class ChapterOut(ChapterRef):
    work_id: int
    summary_html: str
    notes_html: str
    endnotes_html: str
    text_html: str


class Page(Schema):
    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None


class WorkPage(Page):
    results: list[WorkOut]
    notices: list[str] = []


class TagOut(TagRef):
    canonical: bool
    works: int
    synonym_of: TagRef | None
    synonyms: list[TagRef]
    meta_tags: list[TagRef]
    sub_tags: list[TagRef]
    parents: list[TagRef]
    children: list[TagRef]


class FandomOut(TagRef):
    works: int


class MediaOut(Schema):
    media: str
    fandoms: list[FandomOut]


class SeriesOut(Schema):
    id: int
    url: str
    title: str
    summary_html: str
    notes_html: str
    complete: bool
    creators: list[PseudRef]
    works: list[WorkOut]


class PseudOut(PseudRef):
    description_html: str


class UserOut(Schema):
    username: str
    url: str
    pseuds: list[PseudOut]
    works: WorkPage


class PseudPage(Schema):
    pseud: PseudOut
    works: WorkPage


class BookmarkOut(Schema):
    id: int
    created: datetime
    updated: datetime
    bookmarker: PseudRef
    notes_html: str
    rec: bool
    tags: list[TagRef]
    work: WorkOut | None
    series: SeriesRef | None
    deleted_title: str | None


class BookmarkPage(Page):
    results: list[BookmarkOut]
