"""EPUB: AO3 and Fanarchive downloads (the preface contract), FanFicFare books, and any other EPUB.

container.xml → the OPF → its metadata and spine; every spine document is
parsed as HTML (lxml's HTML parser: no DTDs, no entities, no network).
"""

import html
import posixpath
import re
from urllib.parse import unquote

import lxml.html
from django.utils.translation import gettext
from lxml.html import HtmlElement

from imports.parsed import ImportRefused, ParsedChapter, ParsedWork
from imports.parsers.html import (
    ChapterReader,
    count_scripts,
    has_structure,
    html_parser,
    html_to_blocks,
    read_afterword,
    read_preface,
    text_of,
)
from imports.parsers.safezip import SafeZip
from imports.parsers.structure import blocks_to_html, chapter_title_from_heading, is_chapter_heading

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_DOCUMENT_TYPES = {"application/xhtml+xml", "text/html", "application/x-dtbook+xml"}
# FanFicFare's title page: "<b>Label:</b> value<br/>" lines.
_FFF_FIELDS = {
    "author": "creators",
    "rating": "rating",
    "warnings": "warnings",
    "category": "fandoms",
    "fandoms": "fandoms",
    "fandom": "fandoms",
    "characters": "characters",
    "relationships": "relationships",
    "pairings": "relationships",
    "ships": "relationships",
    "genre": "freeforms",
    "additional tags": "freeforms",
    "freeform tags": "freeforms",
    "ao3 categories": "categories",
    "summary": "summary",
    "status": "status",
    "language": "language",
    "chapters": "chapters",
}


class _Book:
    def __init__(self, data: bytes) -> None:
        self.package = SafeZip(data, "EPUB")
        container = self.package.xml("META-INF/container.xml")
        if container is None:
            raise ImportRefused(gettext("This is not an EPUB file (META-INF/container.xml is missing)."))
        rootfile = container.find(f".//{CONTAINER}rootfile")
        opf_path = rootfile.get("full-path", "") if rootfile is not None else ""
        opf = self.package.xml(opf_path) if opf_path else None
        if opf is None:
            raise ImportRefused(gettext("This EPUB has no package document (OPF)."))
        self.opf = opf
        base = posixpath.dirname(opf_path)
        manifest: dict[str, tuple[str, str, str]] = {}
        for item in opf.iter(f"{OPF}item"):
            href = posixpath.normpath(posixpath.join(base, unquote(item.get("href", ""))))
            manifest[item.get("id", "")] = (href, item.get("media-type", ""), item.get("properties", ""))
        self.documents: list[tuple[str, HtmlElement]] = []
        for itemref in opf.iter(f"{OPF}itemref"):
            entry = manifest.get(itemref.get("idref", ""))
            if entry is None or entry[1] not in _DOCUMENT_TYPES or "nav" in entry[2].split():
                continue
            content = self.package.read(entry[0])
            if content is None or not content.strip():
                continue
            try:
                root = lxml.html.document_fromstring(content, parser=html_parser())
            except Exception:  # lxml raises several kinds for hopeless input
                raise ImportRefused(gettext("This EPUB's %(entry)s can't be read.") % {"entry": entry[0]}) from None
            self.documents.append((entry[0], root))

    def meta(self, name: str) -> list[str]:
        return [" ".join((element.text or "").split()) for element in self.opf.iter(f"{DC}{name}") if element.text]

    def calibre(self, name: str) -> str:
        for element in self.opf.iter(f"{OPF}meta"):
            if element.get("name") == name:
                return element.get("content", "")
        return ""


def _body(root: HtmlElement) -> HtmlElement:
    body = root.find(".//body")
    return body if body is not None else root


def _chapter_from_document(root: HtmlElement) -> ParsedChapter | None:
    blocks = html_to_blocks(_body(root))
    blocks = [b for b in blocks if b.text.strip() or b.is_rule or "<img" in b.html]
    title = ""
    if blocks and (blocks[0].heading or is_chapter_heading(blocks[0].text)):
        heading = blocks.pop(0).text
        title = chapter_title_from_heading(heading) if is_chapter_heading(heading) else heading
    if not any(b.text.strip() for b in blocks):
        return None
    return ParsedChapter(title=title, html=blocks_to_html(blocks))


def _read_fanficfare(root: HtmlElement, work: ParsedWork) -> None:
    body = _body(root)
    for br in body.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in body.iter("div", "p", "td", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6"):
        block.tail = "\n" + (block.tail or "")
    for line in str(body.text_content()).split("\n"):
        label, _, value = line.partition(":")
        field = _FFF_FIELDS.get(label.strip().lower())
        value = " ".join(value.split())
        if not field or not value:
            continue
        if field == "rating":
            work.rating = value
        elif field == "summary":
            work.summary = work.summary or f"<p>{html.escape(value, quote=False)}</p>"
        elif field == "language":
            work.language = value
        elif field == "status":
            work.expected_chapters = None if "progress" in value.lower() else -1
        elif field == "chapters":
            continue
        else:
            values = [part.strip() for part in value.split(",") if part.strip()]
            target: list[str] = getattr(work, field)
            target.extend(v for v in values if v not in target)
    work.detected.append(gettext("A FanFicFare EPUB: metadata from its title page."))


def _is_skippable(name: str) -> bool:
    stem = posixpath.basename(name).lower()
    return bool(re.match(r"(cover|toc|nav|title_?page|log_page|copyright|titlepage)", stem))


def parse_epub(data: bytes, filename_title: str) -> ParsedWork:
    book = _Book(data)
    work = ParsedWork(source_format="EPUB")
    scripts = sum(count_scripts(root) for _name, root in book.documents)
    if scripts:
        work.warnings_found.append(
            gettext("Scripts, frames or event handlers removed (%(scripts)s).") % {"scripts": scripts}
        )
    preface_index = next(
        (i for i, (_name, root) in enumerate(book.documents) if root.find(".//div[@id='preface']") is not None), None
    )
    if preface_index is not None:
        work.source_format = gettext("EPUB (AO3-style download)")
        work.expected_chapters = -1
        preface_root = book.documents[preface_index][1]
        preface = preface_root.find(".//div[@id='preface']")
        assert preface is not None
        read_preface(preface, work)
        reader = ChapterReader()
        for _name, root in book.documents:
            chapters = root.find(".//div[@id='chapters']")
            afterword = root.find(".//div[@id='afterword']")
            if chapters is not None:
                reader.read(chapters, loose_text=not has_structure(chapters))
            if afterword is not None:
                read_afterword(afterword, work)
            if chapters is None and afterword is None and root is not preface_root:
                body = _body(root)
                reader.read(body, loose_text=not has_structure(body))
        work.chapters = [c for c in reader.chapters if c.html.strip()]
        work.detected.append(
            gettext("An AO3-style download: preface, %(count)s chapter(s).") % {"count": len(work.chapters)}
        )
    else:
        fanficfare = any("fanficfare" in name.lower() for name in book.meta("contributor"))
        skipped = 0
        for name, root in book.documents:
            if fanficfare and "title_page" in name.lower():
                _read_fanficfare(root, work)
                continue
            if _is_skippable(name) and len(text_of(_body(root)).split()) < 300:
                skipped += 1
                continue
            chapter = _chapter_from_document(root)
            if chapter is None:
                skipped += 1
            else:
                work.chapters.append(chapter)
        if skipped:
            work.detected.append(
                gettext("Skipped %(skipped)s cover, contents or empty page(s).") % {"skipped": skipped}
            )
        if not fanficfare:
            work.freeforms += book.meta("subject")
            work.detected.append(
                gettext("An EPUB: %(count)s chapter(s), one per file.") % {"count": len(work.chapters)}
            )
        work.source_format = gettext("EPUB (FanFicFare)") if fanficfare else "EPUB"
    # The OPF fills what the pages didn't say.
    work.title = work.title or next(iter(book.meta("title")), "") or filename_title
    work.creators = work.creators or book.meta("creator")
    work.language = work.language or next(iter(book.meta("language")), "")
    description = next(iter(book.meta("description")), "")
    if not work.summary and description:
        # Descriptions are plain text in most EPUBs and escaped HTML in some (calibre).
        work.summary = html.unescape(description) if "&lt;" in description or "<" in description else description
    series = book.calibre("calibre:series")
    if series and not work.series_title:
        work.series_title = series
        index = book.calibre("calibre:series_index")
        work.series_position = int(float(index)) if re.fullmatch(r"\d+(\.0+)?", index) else None
    if work.expected_chapters == -1 or (
        work.expected_chapters is None and preface_index is None and "FanFicFare" not in work.source_format
    ):
        work.expected_chapters = len(work.chapters)
    if not work.chapters:
        raise ImportRefused(gettext("This EPUB has no chapters with text."))
    return work
