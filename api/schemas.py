"""What the API returns: typed schemas, so the OpenAPI document describes every field."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema


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
    # How the archive credits it: "name (user)", or "name (archived by user)" for works archived for others.
    byline: str


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


class WorkWrite(Schema):
    """The posting form's fields (works.forms.WorkForm); on an update, fields left out keep their values."""

    title: str | None = None
    pseuds: list[int] | None = Field(None, description="Ids of your pseuds to credit (default: your default pseud).")
    co_creators: str | None = None
    rating: str | None = None
    warnings: list[str] | None = None
    categories: list[str] | None = None
    fandoms: str | list[str] | None = Field(None, description="Tag names: a list, or comma-separated.")
    relationships: str | list[str] | None = None
    characters: str | list[str] | None = None
    freeforms: str | list[str] | None = None
    summary: str | None = None
    notes: str | None = None
    endnotes: str | None = None
    language: str | None = None
    restricted: bool | None = None
    comment_permission: Literal["everyone", "registered", "off"] | None = None
    moderated_comments: bool | None = None
    series: int | None = Field(None, description="The id of one of your series to add the work to.")
    new_series_title: str | None = None
    series_position: int | None = None
    expected_chapters: int | None = None
    backdate: bool | None = None
    published_at: date | None = None
    chapter_title: str | None = None
    chapter_summary: str | None = None
    chapter_notes: str | None = None
    chapter_endnotes: str | None = None
    content: str | None = Field(None, description="The first chapter's text (plain text or HTML), for new works.")
    action: Literal["post", "draft"] = Field("post", description="post: publish now; draft: keep it to yourself.")


class ChapterWrite(Schema):
    """The chapter form's fields; on an update, fields left out keep their values."""

    chapter_title: str | None = None
    chapter_summary: str | None = None
    chapter_notes: str | None = None
    chapter_endnotes: str | None = None
    content: str | None = None
    action: Literal["post", "draft"] = "post"
