"""HTML: AO3's (and Fanarchive's) download markup, or any page turned into paragraphs.

The download markup (the "preface" contract, README "Importing works"): a
div#preface with dl.tags, h1 title, byline, summary and notes; div#chapters with
h2 headings, div.meta groups of chapter summary/notes/end notes and
div.userstuff text; div#afterword with the end notes. Labels are read by their
text as well as their classes, since AO3's own markup has changed over the years.
"""

import html
import re

import lxml.html
from django.utils.translation import gettext
from lxml.html import HtmlElement

from imports.parsed import ImportRefused, ParsedChapter, ParsedWork
from imports.parsers.structure import Block, chapter_title_from_heading, detect_structure

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_CONTAINERS = {"div", "section", "article", "main", "body", "header", "footer", "center", "html"}
_SKIPPED = {"script", "style", "head", "noscript", "template", "nav", "iframe", "object", "embed", "form"}
_BLOCKS = HEADINGS | _CONTAINERS | {"p", "blockquote", "ul", "ol", "dl", "table", "pre", "hr", "figure"}


def html_parser() -> lxml.html.HTMLParser:
    # No network, no comments or processing instructions; HTML parsing never resolves entities from outside.
    return lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)


def parse_document(data: bytes) -> HtmlElement:
    try:
        root = lxml.html.document_fromstring(data, parser=html_parser())
    except Exception as error:  # lxml raises several kinds for hopeless input
        raise ImportRefused(gettext("This HTML file can't be read.")) from error
    return root


def count_scripts(root: HtmlElement) -> int:
    found = root.xpath(".//script|.//*[@*[starts-with(name(), 'on')]]|.//iframe|.//object|.//embed")
    return len(found) if isinstance(found, list) else 0


def text_of(element: HtmlElement) -> str:
    return " ".join(str(element.text_content()).split())


def outer_html(element: HtmlElement) -> str:
    return lxml.html.tostring(element, encoding="unicode", with_tail=False)


def inner_html(element: HtmlElement) -> str:
    parts = [html.escape(element.text, quote=False)] if element.text else []
    for child in element:
        parts.append(lxml.html.tostring(child, encoding="unicode", with_tail=True))
    return "".join(parts).strip()


def _classes(element: HtmlElement) -> set[str]:
    return set(str(element.get("class", "")).split())


def _tag(element: HtmlElement) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


# Turning any HTML into paragraphs


def html_to_blocks(element: HtmlElement) -> list[Block]:
    blocks: list[Block] = []
    if element.text and element.text.strip():
        blocks.append(Block.paragraph(element.text.strip()))
    for child in element:
        tag = _tag(child)
        if not tag or tag in _SKIPPED:
            pass
        elif tag in _CONTAINERS and any(_tag(grandchild) in _BLOCKS for grandchild in child):
            blocks += html_to_blocks(child)
        elif tag in HEADINGS:
            blocks.append(Block(text=text_of(child), html=outer_html(child), heading=int(tag[1])))
        elif tag == "hr":
            blocks.append(Block(text="", html="<hr>", is_rule=True))
        elif tag in ("p", *_CONTAINERS):
            blocks.append(Block(text=_lines_of(child), html="<p>" + inner_html(child) + "</p>"))
        elif tag != "br":
            body = outer_html(child)
            blocks.append(Block(text=text_of(child), html=body if tag in _BLOCKS else f"<p>{body}</p>"))
        if child.tail and child.tail.strip():
            blocks.append(Block.paragraph(child.tail.strip()))
    return blocks


def _lines_of(element: HtmlElement) -> str:
    """Text with <br> as line breaks, so header lines in one paragraph stay apart."""
    copy = lxml.html.fromstring(outer_html(element), parser=html_parser())
    for br in copy.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return "\n".join(" ".join(line.split()) for line in str(copy.text_content()).split("\n")).strip()


# AO3 and Fanarchive downloads

_TAG_FIELDS = {
    "rating": "rating",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "warning": "warnings",
    "warnings": "warnings",
    "category": "categories",
    "categories": "categories",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "character": "characters",
    "characters": "characters",
    "additional tags": "freeforms",
    "freeform": "freeforms",
}


def _values(dd: HtmlElement) -> list[str]:
    links = [text_of(a) for a in dd.iter("a")]
    if links:
        return [name for name in links if name]
    return [part.strip() for part in text_of(dd).split(",") if part.strip()]


def _labelled_blockquotes(element: HtmlElement) -> dict[str, str]:
    """ "<p>Summary</p><blockquote>…</blockquote>" pairs under element, by lower-cased label."""
    found: dict[str, str] = {}
    for quote in element.iter("blockquote"):
        previous = quote.getprevious()
        label = text_of(previous).rstrip(":").lower() if previous is not None and _tag(previous) == "p" else ""
        classes = _classes(quote)
        if not label:
            label = "summary" if "summary" in classes else "notes" if "notes" in classes else ""
        if label and label not in found:
            found[label] = inner_html(quote)
    return found


def read_preface(preface: HtmlElement, work: ParsedWork) -> None:
    for dt in preface.iter("dt"):
        dd = dt.getnext()
        if dd is None or _tag(dd) != "dd":
            continue
        label = text_of(dt).rstrip(":").strip().lower()
        field = _TAG_FIELDS.get(label) or _TAG_FIELDS.get(next(iter(_classes(dt)), ""))
        if field == "rating":
            values = _values(dd)
            work.rating = values[0] if values else ""
            if len(values) > 1:
                work.warnings_found.append(
                    gettext("More than one rating (%(ratings)s): kept the first.") % {"ratings": ", ".join(values)}
                )
        elif field:
            getattr(work, field).extend(_values(dd))
        elif label == "language":
            work.language = text_of(dd)
        elif label == "series":
            _read_series(dd, work)
        elif label == "stats":
            _read_stats(text_of(dd), work)
    title = preface.find(".//h1")
    if title is None:
        title = preface.find(".//h2")
    if title is not None:
        work.title = text_of(title)
    byline = preface.find(".//*[@class='byline']")
    authors = [text_of(a) for a in preface.xpath(".//a[@rel='author']")] if hasattr(preface, "xpath") else []
    if authors:
        work.creators = [a for a in authors if a]
    elif byline is not None:
        work.creators = [n.strip() for n in re.sub(r"^\s*by\s+", "", text_of(byline)).split(",") if n.strip()]
    labelled = _labelled_blockquotes(preface)
    work.summary = labelled.get("summary", "")
    work.notes = labelled.get("notes", "")


def _read_series(dd: HtmlElement, work: ParsedWork) -> None:
    links = list(dd.iter("a"))
    match = re.search(r"part\s+(\d+)", text_of(dd), re.IGNORECASE)
    if links:
        work.series_title = text_of(links[0])
        work.series_position = int(match.group(1)) if match else None


def _read_stats(stats: str, work: ParsedWork) -> None:
    match = re.search(r"chapters:\s*(\d+)\s*/\s*(\d+|\?)", stats, re.IGNORECASE)
    if match:
        work.expected_chapters = None if match.group(2) == "?" else int(match.group(2))
        work.detected.append(
            gettext("Stats: %(posted)s/%(total)s chapters.") % {"posted": match.group(1), "total": match.group(2)}
        )


_CHAPTER_LABELS = {
    "chapter summary": "summary",
    "summary": "summary",
    "chapter notes": "notes",
    "notes": "notes",
    "chapter end notes": "endnotes",
    "end notes": "endnotes",
}


class ChapterReader:
    """Walks div#chapters (one or several, as in an EPUB's chapter files) in document order."""

    def __init__(self) -> None:
        self.chapters: list[ParsedChapter] = []
        self._current: ParsedChapter | None = None

    def _chapter(self) -> ParsedChapter:
        if self._current is None:
            self._current = ParsedChapter()
            self.chapters.append(self._current)
        return self._current

    def read(self, container: HtmlElement, loose_text: bool) -> None:
        """loose_text: the container itself is the chapter text (a one-chapter AO3 download)."""
        for child in container:
            tag = _tag(child)
            classes = _classes(child)
            if tag in ("h1", "h2", "h3") and (not loose_text or classes & {"toc-heading", "heading", "title"}):
                self._current = ParsedChapter(title=chapter_title_from_heading(text_of(child)))
                self.chapters.append(self._current)
            elif tag == "div" and "meta" in classes:
                self._read_meta(child)
            elif tag == "div" and "userstuff" in classes:
                chapter = self._chapter()
                chapter.html = "\n".join(part for part in (chapter.html, inner_html(child)) if part)
            elif (tag == "div" and "chapter" in classes) or (
                tag == "div" and child.get("id", "").startswith("chapter")
            ):
                self.read(child, loose_text=False)
            elif loose_text and tag and tag not in _SKIPPED:
                chapter = self._chapter()
                chapter.html = "\n".join(part for part in (chapter.html, outer_html(child)) if part)

    def _read_meta(self, meta: HtmlElement) -> None:
        for child in meta:
            tag = _tag(child)
            if tag in ("h1", "h2", "h3"):
                self._current = ParsedChapter(title=chapter_title_from_heading(text_of(child)))
                self.chapters.append(self._current)
            elif tag == "blockquote":
                previous = child.getprevious()
                label = text_of(previous).rstrip(":").lower() if previous is not None else ""
                field = _CHAPTER_LABELS.get(label)
                if field:
                    setattr(self._chapter(), field, inner_html(child))


def read_afterword(afterword: HtmlElement, work: ParsedWork) -> None:
    labelled = _labelled_blockquotes(afterword)
    work.endnotes = labelled.get("end notes", labelled.get("notes", ""))


def parse_download_html(root: HtmlElement, work: ParsedWork) -> bool:
    """Read an AO3 or Fanarchive download; False if the page isn't one."""
    preface = root.find(".//div[@id='preface']")
    chapters = root.find(".//div[@id='chapters']")
    if preface is None or chapters is None:
        return False
    work.expected_chapters = -1  # until the stats say otherwise
    read_preface(preface, work)
    reader = ChapterReader()
    reader.read(chapters, loose_text=not has_structure(chapters))
    work.chapters = reader.chapters
    afterword = root.find(".//div[@id='afterword']")
    if afterword is not None:
        read_afterword(afterword, work)
    if work.expected_chapters == -1:
        work.expected_chapters = len(work.chapters)
    work.detected.append(
        gettext("An AO3-style download: preface, %(count)s chapter(s), afterword.") % {"count": len(work.chapters)}
    )
    return True


def has_structure(chapters: HtmlElement) -> bool:
    return any(
        (_tag(child) == "div" and _classes(child) & {"userstuff", "meta", "chapter"})
        or (_tag(child) == "h2" and "toc-heading" in _classes(child))
        for child in chapters
    )


def parse_html(data: bytes, filename_title: str) -> ParsedWork:
    root = parse_document(data)
    work = ParsedWork(source_format="HTML")
    scripts = count_scripts(root)
    if scripts:
        work.warnings_found.append(
            gettext("Scripts, frames or event handlers removed (%(scripts)s).") % {"scripts": scripts}
        )
    if parse_download_html(root, work):
        work.source_format = gettext("HTML (AO3-style download)")
        return work
    title_element = root.find(".//title")
    meta_title = text_of(title_element) if title_element is not None else ""
    body = root.find(".//body")
    blocks = html_to_blocks(body if body is not None else root)
    if not blocks:
        raise ImportRefused(gettext("The HTML file has no text."))
    return detect_structure(blocks, filename_title=filename_title, meta_title=meta_title, work=work)


def parse_markdown(data: bytes, filename_title: str) -> ParsedWork:
    from markdown_it import MarkdownIt

    from imports.parsers.text import decode_text

    work = ParsedWork(source_format="Markdown")
    text = decode_text(data, work.detected)
    if not text.strip():
        raise ImportRefused(gettext("The file is empty."))
    # Inline HTML is allowed through here; the sanitizer takes out anything unsafe afterwards.
    rendered = MarkdownIt("commonmark", {"html": True, "typographer": False}).render(text)
    root = lxml.html.document_fromstring(f"<html><body>{rendered}</body></html>", parser=html_parser())
    body = root.find(".//body")
    assert body is not None
    return detect_structure(html_to_blocks(body), filename_title=filename_title, work=work)
