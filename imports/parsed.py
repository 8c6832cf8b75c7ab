"""The format-independent result of reading a file: what every parser returns."""

from dataclasses import asdict, dataclass, field
from typing import Any


class ImportRefused(Exception):
    """A file that can't be imported, with a message for the person who sent it."""


@dataclass
class ParsedChapter:
    title: str = ""
    summary: str = ""
    notes: str = ""
    endnotes: str = ""
    html: str = ""


@dataclass
class ParsedWork:
    title: str = ""
    # Names as written in the file; the importer credits the work to its own pseuds.
    creators: list[str] = field(default_factory=list)
    summary: str = ""
    notes: str = ""
    endnotes: str = ""
    rating: str = ""
    warnings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    fandoms: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    freeforms: list[str] = field(default_factory=list)
    language: str = ""
    # None: unknown or a work in progress ("1/?").
    expected_chapters: int | None = None
    series_title: str = ""
    series_position: int | None = None
    chapters: list[ParsedChapter] = field(default_factory=list)
    # What was recognised ("Chapter headings: 3 …") and what was changed or dropped, for the preview.
    detected: list[str] = field(default_factory=list)
    warnings_found: list[str] = field(default_factory=list)
    source_format: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ParsedWork":
        chapters = [ParsedChapter(**chapter) for chapter in data.get("chapters", [])]
        known = {name for name in cls.__dataclass_fields__ if name != "chapters"}
        return cls(chapters=chapters, **{key: value for key, value in data.items() if key in known})
