"""Finding a work's structure in a flat run of paragraphs (plain text, DOCX, generic HTML, Markdown).

Pure functions: a list of `Block`s in, a `ParsedWork` out, with a remark for
everything that was recognised, so the preview can show the author what
happened and they can correct it.
"""

import html
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext

from imports.parsed import ParsedChapter, ParsedWork


@dataclass
class Block:
    """One paragraph-level piece of a document."""

    text: str  # plain text, for recognising headings and labels
    html: str  # the block's markup, e.g. "<p>It was <em>late</em>.</p>"
    heading: int = 0  # 1-6 for styled headings, 0 otherwise
    is_title: bool = False  # a DOCX "Title" style paragraph
    page_break: bool = False  # starts a new page (DOCX)
    is_rule: bool = False  # an <hr> or a line of symbols

    @classmethod
    def paragraph(cls, text: str, inline_html: str | None = None, **kwargs: object) -> "Block":
        body = inline_html if inline_html is not None else html.escape(text, quote=False)
        return cls(text=text, html=f"<p>{body}</p>", **kwargs)  # type: ignore[arg-type]


_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|"
    "thirty|forty|fifty|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final"
)
_NUMBER = rf"(?:\d+|[ivxlc]+|{_NUMBER_WORDS})"
_SEP = r"(?:\s*[:.\-–—)|]\s*|\s+)"
CHAPTER_HEADING = re.compile(
    rf"^(?:(?:chapter|ch\.|chap\.?|part|book)\s+{_NUMBER}|{_NUMBER}\.)(?:{_SEP}(?P<title>.*?))?\s*$",
    re.IGNORECASE,
)
NAMED_HEADING = re.compile(
    r"^(?P<name>prologue|epilogue|interlude|afterword|foreword|coda)(?:\s*[:.\-–—]\s*(?P<title>.*?))?\s*$",
    re.IGNORECASE,
)
# Scene breaks: a short line of symbols ("* * *", "~~~", "o0o", "xXx", "#").
SCENE_BREAK = re.compile(r"^\s*(?:[*~#=\-_+·•<>/\\|]\s*){1,40}$|^\s*(?:o0o|0o0|xXx|XxX|oOo|OoO|~\*~)+\s*$")
# A long rule of one symbol separates chapters when a text has no chapter headings.
LONG_RULE = re.compile(r"^\s*([*=#\-_~])(?:\s*\1){9,}\s*$")
_APOSTROPHE = "['’]"
NOTES_LABEL = re.compile(
    rf"^\s*(?P<label>author{_APOSTROPHE}?s?{_APOSTROPHE}?\s*notes?|a\s?/\s?n|a\.n\.|an(?=\s*:)|notes?|"
    r"disclaimer|summary|chapter\s+summary|chapter\s+notes?)\s*(?:[:\-–—]\s*|$)(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
# "Rating: Teen" header lines, as fic headers on mailing lists and old archives had them.
HEADER_FIELD = re.compile(
    r"^\s*(?P<label>rating|fandoms?|pairings?|relationships?|ships?|characters?|warnings?|archive warnings?|"
    r"categor(?:y|ies)|tags|additional tags|genres?|language|status|word\s*count|words|series|author|"
    r"written by|by)\s*:\s*(?P<rest>.+)$",
    re.IGNORECASE,
)
END_MARKER = re.compile(
    r"^\s*[(\[~*\-–—]*\s*(?P<marker>the\s+end|fin|finis|end|tbc|t\.b\.c\.|to\s+be\s+continued|"
    r"end\s+of\s+(?:chapter|part)(?:\s+\w+)?|the\s+end\s*\?)\s*[.!?…~*\-–—)\]]*\s*$",
    re.IGNORECASE,
)
BYLINE = re.compile(r"^\s*(?:by|written\s+by|author)\s*:?\s+(?P<names>.{1,120})$", re.IGNORECASE)
_TITLE_MAX_CHARS = 150
# How far ahead a notes label standing alone on its line may reach for its end (a scene break,
# a heading or another label); without one, only the next paragraph is the note.
_LABEL_REACH = 10


@dataclass
class _Chapter:
    heading: str = ""
    title: str = ""
    blocks: list[Block] = field(default_factory=list)


def is_chapter_heading(text: str) -> bool:
    text = text.strip()
    return len(text) <= 120 and bool(CHAPTER_HEADING.match(text) or NAMED_HEADING.match(text))


def is_scene_break(text: str) -> bool:
    return bool(text.strip()) and len(text.strip()) <= 40 and bool(SCENE_BREAK.match(text))


def chapter_title_from_heading(text: str) -> str:
    """ "Chapter One: The Storm" → "The Storm"; "Prologue" → "Prologue"; "Chapter 3" → ""."""
    text = " ".join(text.split())
    named = NAMED_HEADING.match(text)
    if named:
        name = named.group("name").capitalize()
        return f"{name}: {named.group('title')}" if named.group("title") else name
    numbered = CHAPTER_HEADING.match(text)
    if numbered:
        return (numbered.group("title") or "").strip()
    return text


def _label_of(block: Block) -> tuple[str, str] | None:
    """The notes label a block starts with ("notes", "summary", "disclaimer") and the text after it."""
    if block.heading or block.is_rule or len(block.text) > 20_000:
        return None
    match = NOTES_LABEL.match(block.text)
    if not match:
        return None
    label = match.group("label").lower()
    if "summary" in label:
        kind = "summary"
    elif "disclaimer" in label:
        kind = "disclaimer"
    else:
        kind = "notes"
    return kind, match.group("rest").strip()


def _strip_label_html(block: Block) -> str:
    """The block's markup with its leading label ("A/N:") taken out, inline formatting kept."""
    label = _label_of(block)
    rest = label[1] if label else block.text
    if not rest:
        return ""
    # Find where the label ends in the markup by skipping as many characters of text as the label had.
    label_length = len(block.text) - len(block.text.lstrip()) + (len(block.text.strip()) - len(rest))
    out = []
    seen = 0
    i = 0
    source = block.html
    while i < len(source):
        if source[i] == "<":
            end = source.find(">", i)
            end = len(source) - 1 if end == -1 else end
            out.append(source[i : end + 1])
            i = end + 1
            continue
        if source[i] == "&":
            end = source.find(";", i)
            end = i if end == -1 or end - i > 10 else end
            char = source[i : end + 1]
            i = end + 1
        else:
            char = source[i]
            i += 1
        if seen < label_length:
            seen += 1
            continue
        out.append(char)
    return "".join(out)


def _take_labelled(blocks: list[Block], start: int) -> tuple[str, str, int] | None:
    """If blocks[start] opens a labelled section, return (kind, html, index after it)."""
    label = _label_of(blocks[start])
    if label is None:
        return None
    kind, rest = label
    if rest:
        return kind, _strip_label_html(blocks[start]), start + 1
    end = None
    for j in range(start + 1, min(len(blocks), start + 1 + _LABEL_REACH)):
        if _is_boundary(blocks[j]):
            end = j
            break
    if end is None:
        end = min(start + 2, len(blocks))
    body = [b.html for b in blocks[start + 1 : end] if not b.is_rule]
    return kind, "\n".join(body), end


def _is_boundary(block: Block) -> bool:
    return block.is_rule or bool(block.heading) or _label_of(block) is not None or is_chapter_heading(block.text)


def _join(parts: list[str]) -> str:
    return "\n".join(part for part in parts if part.strip())


def blocks_to_html(blocks: list[Block]) -> str:
    out = []
    for block in blocks:
        if block.is_rule:
            if block.html.startswith("<hr"):
                out.append("<hr>")
            else:
                out.append(f'<p align="center">{html.escape(block.text.strip(), quote=False)}</p>')
        else:
            out.append(block.html)
    return "\n".join(out)


def _mark_rules(blocks: list[Block]) -> list[Block]:
    for block in blocks:
        if not block.heading and is_scene_break(block.text):
            block.is_rule = True
    return [b for b in blocks if b.is_rule or b.text.strip() or "<img" in b.html]


def _split_first_line(blocks: list[Block]) -> list[Block]:
    """A title line directly above a byline or header lines (no blank line between) is a block of its own."""
    if not blocks or blocks[0].heading or "\n" not in blocks[0].text:
        return blocks
    first, rest = blocks[0].text.split("\n", 1)
    if len(first) > _TITLE_MAX_CHARS:
        return blocks
    rest_lines = rest.split("\n")
    if all(BYLINE.match(line) or HEADER_FIELD.match(line) for line in rest_lines):
        return [Block.paragraph(first), *[Block.paragraph(line) for line in rest_lines], *blocks[1:]]
    rest_html = "<br>\n".join(html.escape(line, quote=False) for line in rest_lines)
    return [Block.paragraph(first), Block(text=rest, html=f"<p>{rest_html}</p>"), *blocks[1:]]


def _pick_title(blocks: list[Block], meta_title: str, filename_title: str, remarks: list[str]) -> tuple[str, int]:
    """The work's title and how many blocks it used up."""
    if not blocks:
        return meta_title or filename_title, 0
    first = blocks[0]
    levels = [b.heading for b in blocks if b.heading]
    if first.is_title:
        remarks.append(gettext("Title: the document's Title paragraph."))
        return first.text.strip(), 1
    if first.heading and levels.count(first.heading) == 1 and first.heading == min(levels):
        remarks.append(gettext("Title: the first heading."))
        return first.text.strip(), 1
    if meta_title:
        return meta_title, 0
    candidate = " ".join(first.text.split())
    if (
        candidate
        and len(candidate) <= _TITLE_MAX_CHARS
        and not first.is_rule
        and not is_chapter_heading(candidate)
        and _label_of(first) is None
        and not HEADER_FIELD.match(candidate)
        and len(blocks) > 1
    ):
        remarks.append(gettext("Title: the first line."))
        return candidate, 1
    remarks.append(gettext("Title: the file name (the first line didn't look like a title)."))
    return filename_title, 0


def _read_header(blocks: list[Block], start: int, work: ParsedWork, remarks: list[str]) -> int:
    """Byline, header fields ("Rating: …") and labelled notes at the top of the document."""
    i = start
    found: list[str] = []
    while i < len(blocks):
        block = blocks[i]
        if block.heading or block.is_rule:
            if block.is_rule and found:
                # A rule under the header belongs to it.
                i += 1
            break
        byline = BYLINE.match(block.text) if not found or i == start else None
        if byline and len(block.text) < 130 and not work.creators:
            work.creators = [name.strip() for name in re.split(r",|&|\band\b", byline.group("names")) if name.strip()]
            found.append("byline")
            i += 1
            continue
        header = HEADER_FIELD.match(block.text) if len(block.text) < 2_000 else None
        if header and "\n" not in block.text.strip():
            _apply_header_field(work, header.group("label").lower(), header.group("rest").strip())
            found.append(header.group("label").strip().capitalize())
            i += 1
            continue
        # Several "Key: value" lines in one paragraph (a plain-text header block).
        lines = [line for line in block.text.split("\n") if line.strip()]
        if len(lines) > 1 and all(HEADER_FIELD.match(line) for line in lines):
            for line in lines:
                header = HEADER_FIELD.match(line)
                assert header is not None
                _apply_header_field(work, header.group("label").lower(), header.group("rest").strip())
                found.append(header.group("label").strip().capitalize())
            i += 1
            continue
        taken = _take_labelled(blocks, i)
        if taken is None:
            break
        kind, body, i = taken
        if kind == "summary":
            work.summary = _join([work.summary, body])
            found.append("Summary")
        elif kind == "disclaimer":
            work.notes = _join([work.notes, f"<p>Disclaimer: {_inner(body)}</p>" if body else ""])
            found.append(gettext("Disclaimer (kept in the notes)"))
        else:
            work.notes = _join([work.notes, body])
            found.append("Notes")
    if found:
        remarks.append(gettext("At the start: %(found)s.") % {"found": ", ".join(dict.fromkeys(found))})
    return i


def _inner(body: str) -> str:
    match = re.fullmatch(r"\s*<p>(.*)</p>\s*", body, re.DOTALL)
    return match.group(1) if match and "<p>" not in match.group(1) else body


def _split_list(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;]", value) if part.strip()]


def _apply_header_field(work: ParsedWork, label: str, value: str) -> None:
    label = " ".join(label.split())
    if label == "rating":
        work.rating = value
    elif label in ("fandom", "fandoms"):
        work.fandoms += _split_list(value)
    elif label.startswith(("pairing", "relationship", "ship")):
        work.relationships += _split_list(value)
    elif label.startswith("character"):
        work.characters += _split_list(value)
    elif "warning" in label:
        work.warnings += _split_list(value)
    elif label.startswith("categor"):
        work.categories += _split_list(value)
    elif label in ("tags", "additional tags") or label.startswith("genre"):
        work.freeforms += _split_list(value)
    elif label == "language":
        work.language = value
    elif label == "status":
        # Resolved once the chapters are known: -1 complete, -2 in progress.
        work.expected_chapters = -1 if value.lower().startswith(("complete", "finished")) else -2
    elif label in ("author", "written by", "by"):
        work.creators = _split_list(value)
    elif label == "series":
        work.series_title = value


def _split_chapters(blocks: list[Block], remarks: list[str]) -> tuple[list[Block], list[_Chapter]]:
    """Blocks before the first chapter heading, and the chapters."""
    levels = sorted({b.heading for b in blocks if b.heading})
    chapter_level = levels[0] if levels else 0
    heading_at = [
        i
        for i, b in enumerate(blocks)
        if (b.heading and b.heading == chapter_level)
        or (not b.heading and not b.is_rule and is_chapter_heading(b.text))
    ]
    if heading_at:
        remarks.append(gettext("Chapter headings: %(count)s found.") % {"count": len(heading_at)})
        preamble = blocks[: heading_at[0]]
        chapters = []
        for n, start in enumerate(heading_at):
            end = heading_at[n + 1] if n + 1 < len(heading_at) else len(blocks)
            heading = " ".join(blocks[start].text.split())
            body = blocks[start + 1 : end]
            # A rule right before the next heading only marked the chapter's end.
            while body and body[-1].is_rule:
                body.pop()
            chapters.append(_Chapter(heading=heading, title=chapter_title_from_heading(heading), blocks=body))
        return preamble, chapters
    rules = [i for i, b in enumerate(blocks) if b.is_rule and LONG_RULE.match(b.text)]
    if rules:
        remarks.append(
            gettext("No chapter headings; %(count)s long separator lines split the text into chapters.")
            % {"count": len(rules)}
        )
        return [], _split_at(blocks, rules)
    breaks = [i for i, b in enumerate(blocks) if b.page_break and i > 0]
    if breaks:
        remarks.append(
            gettext("No chapter headings; %(count)s page breaks split the text into chapters.") % {"count": len(breaks)}
        )
        return [], _split_at(blocks, breaks, keep_first=True)
    return [], [_Chapter(blocks=blocks)]


def _split_at(blocks: list[Block], positions: list[int], keep_first: bool = False) -> list[_Chapter]:
    chapters = []
    bounds = [0, *positions, len(blocks)]
    for n in range(len(bounds) - 1):
        start = bounds[n] + (1 if n > 0 and not keep_first else 0)
        part = [b for b in blocks[start : bounds[n + 1]]]
        if any(not b.is_rule for b in part):
            chapters.append(_Chapter(blocks=part))
    return chapters


def _chapter_notes(chapter: _Chapter, remarks: list[str], number: int) -> ParsedChapter:
    blocks = chapter.blocks
    summary: list[str] = []
    notes: list[str] = []
    endnotes: list[str] = []
    i = 0
    while i < len(blocks):
        taken = _take_labelled(blocks, i)
        if taken is None:
            break
        kind, body, i = taken
        (summary if kind == "summary" else notes).append(
            f"<p>Disclaimer: {_inner(body)}</p>" if kind == "disclaimer" else body
        )
        # A scene break under the notes separates them from the text.
        while i < len(blocks) and blocks[i].is_rule:
            i += 1
    body_blocks = blocks[i:]
    found: list[str] = []
    if summary or notes:
        found.append("notes at the start")
    # Notes at the end: the last labelled block among the last few, with everything after it.
    tail_start = max(0, len(body_blocks) - 8)
    for j in range(len(body_blocks) - 1, tail_start - 1, -1):
        label = _label_of(body_blocks[j])
        if label and label[0] in ("notes", "disclaimer") and j > 0:
            end_blocks = body_blocks[j:]
            first = _strip_label_html(end_blocks[0])
            endnotes.append(_join([first, *[b.html for b in end_blocks[1:] if not b.is_rule]]))
            body_blocks = body_blocks[:j]
            found.append("notes at the end")
            break
    while body_blocks and (body_blocks[-1].is_rule or END_MARKER.match(body_blocks[-1].text)):
        dropped = body_blocks.pop()
        if not dropped.is_rule:
            found.append(f"end marker “{dropped.text.strip()}” dropped")
    if found:
        remarks.append(f"Chapter {number}: " + ", ".join(found) + ".")
    return ParsedChapter(
        title=chapter.title,
        summary=_join(summary),
        notes=_join(notes),
        endnotes=_join(endnotes),
        html=blocks_to_html(body_blocks),
    )


def detect_structure(
    blocks: list[Block], *, filename_title: str, meta_title: str = "", work: ParsedWork | None = None
) -> ParsedWork:
    """Title, header, notes, chapters and end markers of a document given as paragraphs."""
    work = work or ParsedWork()
    remarks = work.detected
    blocks = _split_first_line(_mark_rules(blocks))
    title, start = _pick_title(blocks, meta_title, filename_title, remarks)
    work.title = work.title or title
    start = _read_header(blocks, start, work, remarks)
    preamble, chapters = _split_chapters(blocks[start:], remarks)
    if preamble:
        # Untitled text before the first heading: a short one is a note, a long one a chapter.
        words = sum(len(b.text.split()) for b in preamble)
        if words > 150:
            chapters.insert(0, _Chapter(blocks=preamble))
            remarks.append(gettext("The text before the first chapter heading became a chapter of its own."))
        else:
            work.notes = _join([work.notes, blocks_to_html(preamble)])
            remarks.append(gettext("The text before the first chapter heading became the work's notes."))
    last_marker = ""
    for block in reversed(blocks):
        if not block.is_rule:
            match = END_MARKER.match(block.text)
            last_marker = match.group("marker").lower() if match else ""
            break
    parsed = [_chapter_notes(chapter, remarks, n) for n, chapter in enumerate(chapters, start=1)]
    if len(parsed) == 1 and not chapters[0].heading:
        # A one-shot's notes are the work's notes, as on the posting form.
        only = parsed[0]
        work.summary = _join([work.summary, only.summary])
        work.notes = _join([work.notes, only.notes])
        work.endnotes = _join([work.endnotes, only.endnotes])
        only.summary = only.notes = only.endnotes = ""
    work.chapters = parsed
    if last_marker in ("tbc", "t.b.c.", "to be continued"):
        work.expected_chapters = None
        remarks.append(gettext("Marked “to be continued”: imported as a work in progress."))
    elif work.expected_chapters == -2:
        work.expected_chapters = None
        remarks.append(gettext("Status says in progress: imported as a work in progress."))
    else:
        if last_marker.startswith(("the end", "fin", "end")) and not last_marker.startswith("end of"):
            remarks.append(gettext("Marked as finished."))
        work.expected_chapters = len(parsed)
    return work
