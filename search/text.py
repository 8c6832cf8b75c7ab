"""Turning stored chapter HTML into the text the search index reads, paragraph by paragraph.

Paragraph numbers here are the ones `works.templatetags` prints as anchors
(`c<chapter position>p<n>`), so a snippet can link to the paragraph it quotes.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass

from lib.html import strip_html
from lib.wordcount import CHARACTER_COUNTED

# Scripts written without spaces (Han, kana, Thai) are indexed character by character, and
# a run of them is searched as a phrase. Tantivy's regex tokenizer could split them, but is
# five times slower than the simple one; so `prepare` puts a zero-width space around each
# such character, which the simple tokenizer splits at and snippets drop again.
_SPACELESS = re.compile(f"([{CHARACTER_COUNTED}])")
SEPARATOR = "\u200b"


def prepare(text: str) -> str:
    """Text as the index reads it (see _SPACELESS)."""
    if _SPACELESS.search(text) is None:
        return text
    return _SPACELESS.sub(SEPARATOR + r"\1" + SEPARATOR, text)


_PARAGRAPH_START = re.compile(r"<p(?=[\s>])", re.IGNORECASE)


@dataclass
class ChapterText:
    """A chapter's plain text (`prepare`d) and where each numbered paragraph starts in it."""

    text: str
    # starts[i] is the UTF-8 byte offset where paragraph i+1 begins (Tantivy counts bytes);
    # text before starts[0] has no number.
    starts: list[int]

    def paragraph_at(self, offset: int) -> int | None:
        index = bisect_right(self.starts, offset)
        return index if index >= 1 else None


def chapter_text(content: str) -> ChapterText:
    pieces = _PARAGRAPH_START.split(content)
    parts: list[str] = []
    starts: list[int] = []
    position = 0
    for number, piece in enumerate(pieces):
        if number:
            starts.append(position)
            piece = "<p" + piece
        plain = prepare(strip_html(piece))
        if not plain and not number:
            continue
        parts.append(plain)
        position += len(plain.encode("utf-8")) + 1
    return ChapterText(text="\n".join(parts), starts=starts)


def paragraphs_before(content: str, end: int) -> int:
    """How many numbered paragraphs start before `end` in stored chapter HTML."""
    return len(_PARAGRAPH_START.findall(content, 0, end))


def anchor_paragraphs(content: str, chapter_position: int) -> str:
    """Give every paragraph of stored chapter HTML the id a search snippet links to.

    The sanitizer drops authors' own id attributes, so these can't collide.
    """
    counter = 0

    def number(_match: re.Match[str]) -> str:
        nonlocal counter
        counter += 1
        return f'<p id="c{chapter_position}p{counter}"'

    return _PARAGRAPH_START.sub(number, content)
