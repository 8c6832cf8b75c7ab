"""The download writers: EPUB 3, PDF, single-file HTML and plain text.

Every format carries the same preface as AO3's own downloads (div#preface with
dl.tags, h1.title, div.byline, summary and notes; div#chapters with
h2.toc-heading, div.meta.group and div.userstuff; div#afterword), so the
imports app reads AO3 files and ours alike. EPUB is written directly with
zipfile (EbookLib is AGPL); PDF is WeasyPrint rendering the HTML with print CSS.
"""

import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path

from django.db.models import QuerySet

from downloads.document import ChapterEntry, WorkDocument, load_document, posted_chapters
from downloads.markup import clean_text, to_text, to_xhtml
from sitecontent.config import site_name
from works.models import Chapter, Work

_STYLES = Path(__file__).parent / "styles"
EBOOK_CSS = (_STYLES / "ebook.css").read_text()
PRINT_CSS = (_STYLES / "print.css").read_text()

Userstuff = Callable[[str], str]


@dataclass
class ChapterText:
    summary: str
    notes: str
    content: str
    endnotes: str


def load(work: Work, base_url: str, chapters: QuerySet[Chapter] | None = None) -> WorkDocument:
    """The document for `chapters` (by default the posted ones, which every reader of the work sees)."""
    if chapters is None:
        chapters = posted_chapters(work)
    return load_document(work, chapters, base_url, site_name())


def load_texts(document: WorkDocument) -> list[ChapterText]:
    rows = Chapter.objects.filter(pk__in=[entry.id for entry in document.chapters]).only(
        "id", "summary", "notes", "content", "endnotes"
    )
    by_id = {row.pk: ChapterText(row.summary, row.notes, row.content, row.endnotes) for row in rows}
    return [by_id[entry.id] for entry in document.chapters]


def build_epub(work: Work, base_url: str, chapters: QuerySet[Chapter] | None = None) -> bytes:
    document = load(work, base_url, chapters)
    return write_epub(document, load_texts(document))


def build_html(work: Work, base_url: str, chapters: QuerySet[Chapter] | None = None) -> str:
    document = load(work, base_url, chapters)
    return write_html(document, load_texts(document))


def build_txt(work: Work, base_url: str, chapters: QuerySet[Chapter] | None = None) -> str:
    document = load(work, base_url, chapters)
    return write_txt(document, load_texts(document))


def build_pdf(work: Work, base_url: str, chapters: QuerySet[Chapter] | None = None) -> bytes:
    document = load(work, base_url, chapters)
    return write_pdf(document, load_texts(document))


def _t(value: str) -> str:
    return escape(clean_text(value))


def _a(link_text: str, url: str, extra: str = "") -> str:
    return f'<a{extra} href="{_t(url)}">{_t(link_text)}</a>'


# The shared markup. It is XHTML-compatible (no void elements), so the HTML and EPUB
# writers share it; only the user HTML inside differs (raw for HTML, rewritten for XHTML).


def preface(document: WorkDocument, userstuff: Userstuff) -> str:
    rows = []
    for group in document.tag_groups:
        items = "".join("<li>" + _a(tag.text, tag.url, ' class="tag"') + "</li>" for tag in group.tags)
        rows.append(f'<dt class="{group.type}">{group.label}:</dt><dd class="{group.type} tags"><ul>{items}</ul></dd>')
    rows.append(f'<dt class="language">Language:</dt><dd class="language">{_t(document.language_name)}</dd>')
    for part in document.series:
        rows.append(
            f'<dt class="series">Series:</dt><dd class="series">Part {part.position} of {_a(part.title, part.url)}</dd>'
        )
    rows.append(f'<dt class="stats">Stats:</dt><dd class="stats">{_t(document.stats)}</dd>')
    byline = ", ".join(_a(creator.text, creator.url, ' rel="author"') for creator in document.creators)
    parts = [
        '<div id="preface"><div class="meta">',
        f'<p class="message">Posted originally on {_t(document.site_name)} at {_a(document.url, document.url)}.</p>',
        f'<dl class="tags">{"".join(rows)}</dl>',
        f'<h1 class="title">{_t(document.title)}</h1>',
        f'<div class="byline">by {byline or "Anonymous"}</div>',
    ]
    if document.summary:
        parts.append(f'<p>Summary</p><blockquote class="userstuff summary">{userstuff(document.summary)}</blockquote>')
    if document.notes:
        parts.append(f'<p>Notes</p><blockquote class="userstuff notes">{userstuff(document.notes)}</blockquote>')
    parts.append("</div></div>")
    return "".join(parts)


def chapter_block(document: WorkDocument, entry: ChapterEntry, text: ChapterText, userstuff: Userstuff) -> str:
    parts = []
    if len(document.chapters) > 1:
        parts.append(f'<h2 class="toc-heading" id="chapter-{entry.position}">{_t(entry.heading)}</h2>')
    before = []
    if text.summary:
        before.append(f'<p>Chapter Summary</p><blockquote class="userstuff">{userstuff(text.summary)}</blockquote>')
    if text.notes:
        before.append(f'<p>Chapter Notes</p><blockquote class="userstuff">{userstuff(text.notes)}</blockquote>')
    if before:
        parts.append(f'<div class="meta group">{"".join(before)}</div>')
    parts.append(f'<div class="userstuff">{userstuff(text.content)}</div>')
    if text.endnotes:
        parts.append(
            '<div class="meta group"><p>Chapter End Notes</p>'
            f'<blockquote class="userstuff">{userstuff(text.endnotes)}</blockquote></div>'
        )
    return "".join(parts)


def afterword(document: WorkDocument, userstuff: Userstuff) -> str:
    parts = ['<div id="afterword">']
    if document.endnotes:
        parts.append(f'<p>End Notes</p><blockquote class="userstuff">{userstuff(document.endnotes)}</blockquote>')
    parts.append(
        '<p class="message">Read this work online, and leave kudos or comments, at '
        f"{_a(document.url, document.url)}.</p>"
    )
    if len(document.chapters) > 1:
        links = "".join(f"<li>{_a(entry.heading, entry.url)}</li>" for entry in document.chapters)
        parts.append(f'<p>Chapters online:</p><ol class="online">{links}</ol>')
    parts.append("</div>")
    return "".join(parts)


def toc(document: WorkDocument) -> str:
    items = "".join(
        f'<li><a class="toc-entry" href="#chapter-{entry.position}">{_t(entry.heading)}</a></li>'
        for entry in document.chapters
    )
    return f'<nav id="toc" aria-labelledby="toc-title"><h2 id="toc-title">Contents</h2><ol>{items}</ol></nav>'


# HTML and PDF


def _html_document(document: WorkDocument, texts: list[ChapterText], css: str, raw: Userstuff) -> str:
    chapters = "".join(
        chapter_block(document, entry, text, raw) for entry, text in zip(document.chapters, texts, strict=True)
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{_t(document.language)}" dir="{document.direction}">'
        f'<head><meta charset="utf-8"><title>{_t(document.title)}</title>'
        f'<meta name="generator" content="{_t(document.site_name)}"><style>{css}</style></head><body>'
        f"{preface(document, raw)}"
        f"{toc(document) if len(document.chapters) > 1 else ''}"
        f'<div id="chapters">{chapters}</div>'
        f"{afterword(document, raw)}</body></html>\n"
    )


def write_html(document: WorkDocument, texts: list[ChapterText]) -> str:
    return _html_document(document, texts, EBOOK_CSS, clean_text)


def _refuse_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    # The printer must never fetch what a user's HTML points at (slow, and a way into the server's network).
    raise ValueError(f"Downloads fetch nothing: {url}")


def write_pdf(document: WorkDocument, texts: list[ChapterText]) -> bytes:
    from weasyprint import HTML  # Imported here: loading Pango costs web processes that never print.

    # The e-book rewrite of the user HTML: images become links, so nothing is fetched.
    source = _html_document(document, texts, EBOOK_CSS + PRINT_CSS, lambda value: to_xhtml(value, document.url))
    pdf: bytes = HTML(string=source, url_fetcher=_refuse_fetch).write_pdf()
    return pdf


# Plain text


def write_txt(document: WorkDocument, texts: list[ChapterText]) -> str:
    lines = [document.title, "by " + (", ".join(creator.text for creator in document.creators) or "Anonymous"), ""]
    for group in document.tag_groups:
        lines.append(f"{group.label}: {', '.join(tag.text for tag in group.tags)}")
    lines.append(f"Language: {document.language_name}")
    for part in document.series:
        lines.append(f"Series: Part {part.position} of {part.title} ({part.url})")
    lines.append(f"Stats: {document.stats}")
    lines.append(f"URL: {document.url}")
    for label, value in (("Summary", document.summary), ("Notes", document.notes)):
        if value:
            lines += ["", f"{label}:", "", _indent(to_text(value))]
    if len(document.chapters) > 1:
        lines += ["", "Contents:", ""]
        lines += [f"  {entry.heading}  {entry.url}" for entry in document.chapters]
    for entry, text in zip(document.chapters, texts, strict=True):
        lines += ["", ""]
        if len(document.chapters) > 1:
            lines += [entry.heading, "=" * _columns(entry.heading), entry.url, ""]
        for label, value in (("Chapter Summary", text.summary), ("Chapter Notes", text.notes)):
            if value:
                lines += [f"{label}:", "", _indent(to_text(value)), ""]
        lines.append(to_text(text.content))
        if text.endnotes:
            lines += ["", "Chapter End Notes:", "", _indent(to_text(text.endnotes))]
    if document.endnotes:
        lines += ["", "", "End Notes:", "", _indent(to_text(document.endnotes))]
    lines += ["", "", f"Posted on {document.site_name}: {document.url}", ""]
    return clean_text("\n".join(lines))


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in text.splitlines())


# EPUB 3

_XHTML_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
    '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
    ' lang="{lang}" xml:lang="{lang}" dir="{dir}"><head><meta charset="utf-8"/><title>{title}</title>'
    '<link rel="stylesheet" type="text/css" href="style.css"/></head>'
)


def _xhtml(document: WorkDocument, title: str, body: str, body_type: str = "") -> str:
    head = _XHTML_HEAD.format(lang=_t(document.language), dir=document.direction, title=_t(title))
    epub_type = f' epub:type="{body_type}"' if body_type else ""
    return f"{head}<body{epub_type}>{body}</body></html>\n"


def write_epub(document: WorkDocument, texts: list[ChapterText]) -> bytes:
    def userstuff(value: str) -> str:
        return to_xhtml(value, document.url)

    files: list[tuple[str, str, str, str]] = []  # (id, href, media type, content)
    files.append(("cover", "cover.xhtml", "application/xhtml+xml", _cover_page(document)))
    files.append(
        (
            "preface",
            "preface.xhtml",
            "application/xhtml+xml",
            _xhtml(document, document.title, preface(document, userstuff), "frontmatter"),
        )
    )
    for entry, text in zip(document.chapters, texts, strict=True):
        body = f'<div id="chapters">{chapter_block(document, entry, text, userstuff)}</div>'
        files.append(
            (
                f"chapter-{entry.position}",
                _chapter_href(entry),
                "application/xhtml+xml",
                _xhtml(document, entry.heading, body, "bodymatter"),
            )
        )
    files.append(
        (
            "afterword",
            "afterword.xhtml",
            "application/xhtml+xml",
            _xhtml(document, "Afterword", afterword(document, userstuff), "backmatter"),
        )
    )
    spine = [file_id for file_id, *_ in files]
    files.append(("nav", "nav.xhtml", "application/xhtml+xml", _nav(document)))
    files.append(("style", "style.css", "text/css", EBOOK_CSS))
    files.append(("cover-image", "cover.svg", "image/svg+xml", _cover_svg(document)))

    buffer = io.BytesIO()
    stamp = datetime.fromisoformat(document.modified.replace("Z", "+00:00")).timetuple()[:6]
    with zipfile.ZipFile(buffer, "w") as archive:
        # The mimetype entry comes first and uncompressed: readers sniff the file by it.
        archive.writestr(zipfile.ZipInfo("mimetype", stamp), "application/epub+zip", zipfile.ZIP_STORED)
        _deflate(archive, "META-INF/container.xml", _CONTAINER, stamp)
        _deflate(archive, "EPUB/content.opf", _opf(document, files, spine), stamp)
        for _file_id, href, _media_type, content in files:
            _deflate(archive, f"EPUB/{href}", content, stamp)
    return buffer.getvalue()


def _deflate(archive: zipfile.ZipFile, name: str, content: str, stamp: tuple[int, ...]) -> None:
    info = zipfile.ZipInfo(name, stamp)  # type: ignore[arg-type]
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, content.encode(), compresslevel=6)


def _chapter_href(entry: ChapterEntry) -> str:
    return f"chapter-{entry.position:03d}.xhtml"


_CONTAINER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
    '<rootfiles><rootfile full-path="EPUB/content.opf" media-type="application/oebps-package+xml"/></rootfiles>'
    "</container>\n"
)


def _opf(document: WorkDocument, files: Iterable[tuple[str, str, str, str]], spine: list[str]) -> str:
    meta = [
        f'<dc:identifier id="uid">{_t(document.identifier)}</dc:identifier>',
        f"<dc:title>{_t(document.title)}</dc:title>",
        f"<dc:language>{_t(document.language)}</dc:language>",
    ]
    for index, creator in enumerate(document.creators, start=1):
        meta.append(f'<dc:creator id="creator{index}">{_t(creator.text)}</dc:creator>')
        meta.append(f'<meta refines="#creator{index}" property="role" scheme="marc:relators">aut</meta>')
    meta.append(f"<dc:source>{_t(document.url)}</dc:source>")
    meta.append(f"<dc:publisher>{_t(document.site_name)}</dc:publisher>")
    meta.append(f"<dc:date>{document.published}</dc:date>")
    meta += [f"<dc:subject>{_t(subject)}</dc:subject>" for subject in document.subjects]
    summary = " ".join(to_text(document.summary).split())
    if summary:
        meta.append(f"<dc:description>{_t(summary)}</dc:description>")
    meta.append(f'<meta property="dcterms:modified">{document.modified}</meta>')
    for index, part in enumerate(document.series, start=1):
        meta.append(f'<meta property="belongs-to-collection" id="series{index}">{_t(part.title)}</meta>')
        meta.append(f'<meta refines="#series{index}" property="collection-type">series</meta>')
        meta.append(f'<meta refines="#series{index}" property="group-position">{part.position}</meta>')
    if document.series:
        # calibre reads only the first series, from its own (EPUB 2 style) metadata.
        meta.append(f'<meta name="calibre:series" content="{_t(document.series[0].title)}"/>')
        meta.append(f'<meta name="calibre:series_index" content="{document.series[0].position}"/>')
    meta.append('<meta name="cover" content="cover-image"/>')
    properties = {"nav": ' properties="nav"', "cover-image": ' properties="cover-image"'}
    manifest = "".join(
        f'<item id="{file_id}" href="{href}" media-type="{media_type}"{properties.get(file_id, "")}/>'
        for file_id, href, media_type, _content in files
    )
    itemrefs = "".join(f'<itemref idref="{file_id}"/>' for file_id in spine)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" '
        f'xml:lang="{_t(document.language)}" dir="{document.direction}">'
        f'<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">{"".join(meta)}</metadata>'
        f"<manifest>{manifest}</manifest><spine>{itemrefs}</spine></package>\n"
    )


def _nav(document: WorkDocument) -> str:
    entries = ['<li><a href="preface.xhtml">Preface</a></li>']
    entries += [f'<li><a href="{_chapter_href(entry)}">{_t(entry.heading)}</a></li>' for entry in document.chapters]
    entries.append('<li><a href="afterword.xhtml">Afterword</a></li>')
    start = _chapter_href(document.chapters[0]) if document.chapters else "afterword.xhtml"
    body = (
        f'<nav epub:type="toc" id="toc"><h1>Contents</h1><ol>{"".join(entries)}</ol></nav>'
        '<nav epub:type="landmarks" hidden=""><h2>Landmarks</h2><ol>'
        '<li><a epub:type="cover" href="cover.xhtml">Cover</a></li>'
        '<li><a epub:type="frontmatter" href="preface.xhtml">Preface</a></li>'
        f'<li><a epub:type="bodymatter" href="{start}">Start</a></li>'
        "</ol></nav>"
    )
    return _xhtml(document, "Contents", body)


def _cover_page(document: WorkDocument) -> str:
    body = f'<div class="cover"><img src="cover.svg" alt="{_t(document.title)}"/></div>'
    return _xhtml(document, "Cover", body, "cover")


def _wrap(text: str, width: int) -> list[str]:
    # Wide (CJK) characters take about two columns; break between words where there are any.
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}".strip()
        if _columns(candidate) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
        while _columns(current) > width:
            cut = _cut(current, width)
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines


def _columns(text: str) -> int:
    return sum(2 if ord(char) >= 0x1100 else 1 for char in text)


def _cut(text: str, width: int) -> int:
    columns = 0
    for index, char in enumerate(text):
        columns += 2 if ord(char) >= 0x1100 else 1
        if columns > width:
            return max(index, 1)
    return len(text)


def _cover_svg(document: WorkDocument) -> str:
    title_lines = _wrap(clean_text(document.title), 18)[:6]
    creators = ", ".join(creator.text for creator in document.creators) or "Anonymous"
    creator_lines = _wrap(clean_text(creators), 30)[:3]
    fandoms = next((group for group in document.tag_groups if group.type == "fandom"), None)
    fandom_line = _wrap(", ".join(tag.text for tag in fandoms.tags), 34)[0] if fandoms else ""
    text = []
    y = 300
    for line in title_lines:
        text.append(f'<text x="300" y="{y}" font-size="44" font-weight="bold">{_t(line)}</text>')
        y += 56
    y += 30
    for line in creator_lines:
        text.append(f'<text x="300" y="{y}" font-size="28" font-style="italic">{_t(line)}</text>')
        y += 38
    if fandom_line:
        text.append(f'<text x="300" y="160" font-size="24">{_t(fandom_line)}</text>')
    text.append(f'<text x="300" y="840" font-size="22">{_t(document.site_name)}</text>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="600" height="900" viewBox="0 0 600 900">'
        f"<title>{_t(document.title)}</title>"
        '<rect width="600" height="900" fill="#f4efe6"/><rect x="30" y="30" width="540" height="840" fill="none" '
        'stroke="#8a1c1c" stroke-width="6"/><rect x="30" y="200" width="540" height="4" fill="#8a1c1c"/>'
        '<g font-family="Georgia, DejaVu Serif, Noto Serif CJK SC, serif" text-anchor="middle" fill="#222">'
        f"{''.join(text)}</g></svg>\n"
    )
