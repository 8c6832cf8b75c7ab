"""An eFiction 3.x archive as read from its dump: tables by their short names, dates, texts.

eFiction quirks handled here: the table prefix (TABLEPREFIX), unix-timestamp dates
(3.5.6 on) and the older DATETIME columns, comma-separated id lists
(`catid`, `classes`, `charid`, `coauthors`, `challenges`), chapter text in
`stories/<uid>/<chapid>.txt` or in `chapters.storytext`, and the backslashes
eFiction stored (magic quotes) and strips on display.
"""

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lib.html import clean_html
from migration.sqldump import Staging, decode_text

_STORIES_TABLE = re.compile(r"^(.*)fanfiction_stories$")
_STRIPSLASHES = re.compile(r"\\(.?)", re.DOTALL)
_MARKUP = re.compile(r"<(?:br|p)\b", re.IGNORECASE)
_BREAK_RUN = re.compile(r"(?:<br\s*/?>\s*){2,}", re.IGNORECASE)
_AUTHOR_RESPONSE = re.compile(r"<br\s*/?>\s*<br\s*/?>\s*<i>\s*Author'?s Response:\s*(.*?)(?:</i>)?\s*$", re.I | re.S)


_LOOKUPS = [("chapters", "sid"), ("reviews", "item"), ("inseries", "sid"), ("coauthors", "sid"), ("series", "seriesid")]


class NotEFiction(Exception):
    """The dump holds no eFiction tables."""


def column(row: sqlite3.Row, name: str, default: Any = None) -> Any:
    """A column that older eFiction versions may lack (endnotes, storynotes, challenges…)."""
    # `name in row` would look among a Row's values, not its column names.
    return row[name] if name in row.keys() else default  # noqa: SIM118


def stripslashes(value: str) -> str:
    """PHP's stripslashes, as eFiction applies it to everything it shows."""
    return _STRIPSLASHES.sub(r"\1", value)


def id_list(value: Any) -> list[int]:
    """eFiction's comma-separated id lists ("1,3,6"), without zeros and blanks."""
    ids = []
    for part in str(value or "").split(","):
        part = part.strip()
        if part.lstrip("-").isdigit() and int(part) > 0:
            ids.append(int(part))
    return list(dict.fromkeys(ids))


def parse_date(value: Any) -> datetime | None:
    """A unix timestamp (3.5.6 on) or a DATETIME string (older versions); None for zero dates."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) or str(value).strip().isdigit():
        seconds = int(value)
        return datetime.fromtimestamp(seconds, UTC) if seconds > 0 else None
    text = str(value).strip()
    if text.startswith("0000-00-00"):
        return None
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def chapter_html(raw: str) -> str:
    """eFiction's chapter text (plain text with inline tags, or HTML) as sanitized paragraphs.

    As eFiction's format_story: text without <br> or <p> is plain text whose lines
    matter; text with them is HTML, where line ends are only spaces.
    """
    text = stripslashes(raw).replace("\r\n", "\n").replace("\r", "\n").strip()
    if _MARKUP.search(text):
        text = re.sub(r"\s*\n\s*", " ", text)
        text = _BREAK_RUN.sub("\n\n", text)
    return clean_html(text)


def rich_text(raw: Any) -> str:
    """A summary, note or review: eFiction's HTML-or-text, sanitized."""
    return chapter_html(str(raw or ""))


def plain_text(raw: Any) -> str:
    """A title or name: slashes stripped, whitespace collapsed."""
    return " ".join(stripslashes(str(raw or "")).split())


def split_response(review: str) -> tuple[str, str]:
    """A review and the author's response eFiction appended to it ("<br><br><i>Author's Response: …</i>")."""
    match = _AUTHOR_RESPONSE.search(review)
    if match is None:
        return review, ""
    return review[: match.start()], match.group(1)


@dataclass
class EFictionArchive:
    staging: Staging
    prefix: str
    stories_dir: Path | None

    @classmethod
    def open(cls, staging: Staging, stories_dir: Path | None = None, prefix: str | None = None) -> "EFictionArchive":
        if prefix is None:
            prefixes = [m.group(1) for name in staging.columns if (m := _STORIES_TABLE.match(name))]
            if not prefixes:
                raise NotEFiction("no fanfiction_stories table in the dump")
            prefix = sorted(prefixes, key=len)[0]
        elif not staging.has(f"{prefix}fanfiction_stories"):
            raise NotEFiction(f"no {prefix}fanfiction_stories table in the dump")
        archive = cls(staging=staging, prefix=prefix, stories_dir=stories_dir)
        archive._index()
        return archive

    def _index(self) -> None:
        """Indexes for the per-story look-ups, so a big archive is not scanned once per story."""
        for short, column_name in _LOOKUPS:
            table = f"{self.prefix}fanfiction_{short}"
            if column_name in self.staging.columns.get(table, []):
                self.staging.db.execute(
                    f'CREATE INDEX IF NOT EXISTS "{table}_{column_name}" ON "{table}" ("{column_name}")'
                )

    def table(self, short: str, where: str = "", params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        return self.staging.select(f"{self.prefix}fanfiction_{short}", where, params)

    def has(self, short: str) -> bool:
        return self.staging.has(f"{self.prefix}fanfiction_{short}")

    def count(self, short: str) -> int:
        return self.staging.rows.get(f"{self.prefix}fanfiction_{short}", 0)

    def chapter_text(self, chapter: sqlite3.Row) -> str | None:
        """The chapter's raw text: its file under stories/ if there is one, else `storytext`."""
        if self.stories_dir is not None:
            path = self.stories_dir / str(chapter["uid"]) / f"{chapter['chapid']}.txt"
            if path.is_file():
                return decode_text(path.read_bytes())
        text = column(chapter, "storytext")
        return str(text) if text else None
