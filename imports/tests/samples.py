"""Sample files built in the tests: DOCX and EPUB by hand with zipfile, AO3-style downloads per the contract."""

import functools
import io
import zipfile
from html import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

DOCX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
DOCM_CONTENT_TYPES = DOCX_CONTENT_TYPES.replace(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
)


def docx_paragraph(text: str = "", style: str = "", runs: str = "", page_break: bool = False) -> str:
    properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    body = runs or f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    if page_break:
        body = '<w:r><w:br w:type="page"/></w:r>' + body
    return f"<w:p>{properties}{body}</w:p>"


def run(text: str, bold: bool = False, italic: bool = False) -> str:
    formats = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    properties = f"<w:rPr>{formats}</w:rPr>" if formats else ""
    return f'<w:r>{properties}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def build_docx(
    paragraphs: list[str],
    content_types: str = DOCX_CONTENT_TYPES,
    rels: str = "",
    extra: dict[str, bytes] | None = None,
) -> bytes:
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{"".join(paragraphs)}</w:body></w:document>'
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{W_NS}">'
        '<w:style w:styleId="Title"><w:name w:val="Title"/></w:style>'
        '<w:style w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>'
        '<w:style w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>'
        "</w:styles>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", content_types)
        package.writestr("word/document.xml", document)
        package.writestr("word/styles.xml", styles)
        if rels:
            package.writestr(
                "word/_rels/document.xml.rels",
                '<?xml version="1.0" encoding="UTF-8"?>'
                f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
                "</Relationships>",
            )
        for name, data in (extra or {}).items():
            package.writestr(name, data)
    return buffer.getvalue()


def build_epub(documents: list[tuple[str, str]], metadata: str, opf_dir: str = "OEBPS") -> bytes:
    """An EPUB 2 with the given (file name, XHTML) spine documents and OPF metadata markup."""
    manifest = "".join(
        f'<item id="item{i}" href="{name}" media-type="application/xhtml+xml"/>'
        for i, (name, _x) in enumerate(documents)
    )
    spine = "".join(f'<itemref idref="item{i}"/>' for i in range(len(documents)))
    opf = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="id">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf" '
        f'xmlns:dcterms="http://purl.org/dc/terms/">{metadata}</metadata>'
        f'<manifest>{manifest}</manifest><spine toc="ncx">{spine}</spine></package>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        package.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
            f'<rootfiles><rootfile full-path="{opf_dir}/content.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>",
        )
        package.writestr(f"{opf_dir}/content.opf", opf)
        for name, xhtml in documents:
            package.writestr(f"{opf_dir}/{name}", xhtml, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def xhtml(title: str, body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>{escape(title)}</title></head>'
        f"<body>{body}</body></html>"
    )


def _tags(label: str, css: str, names: list[str]) -> str:
    items = "".join(
        f'<li><a class="tag" href="https://archive.example/tags/{escape(n)}">{escape(n)}</a></li>' for n in names
    )
    return f'<dt class="{css}">{label}</dt><dd class="{css} tags"><ul class="commas">{items}</ul></dd>'


PREFACE = (
    '<div id="preface"><div class="meta"><dl class="tags">'
    + _tags("Rating:", "rating", ["Mature"])
    + _tags("Archive Warnings:", "warning", ["Graphic Depictions Of Violence", "Major Character Death"])
    + _tags("Categories:", "category", ["F/M", "Gen"])
    + _tags("Fandom:", "fandom", ["Tidewater (TV)"])
    + _tags("Relationship:", "relationship", ["Mara Quill/Jonah Reyes"])
    + _tags("Characters:", "character", ["Mara Quill", "Jonah Reyes"])
    + _tags("Additional Tags:", "freeform", ["Lighthouses", "Slow Burn"])
    + '<dt class="language">Language:</dt><dd class="language">Français</dd>'
    + '<dt class="series">Series:</dt><dd class="series">Part 2 of <a href="https://archive.example/series/4">'
    "Tidewater Nights</a></dd>"
    + '<dt class="stats">Stats:</dt><dd class="stats">Published: 2024-01-02 Updated: 2024-02-03 Words: 1,234 '
    "Chapters: 2/3</dd>" + "</dl>"
    '<h1 class="title">The Keeper’s Light</h1>'
    '<div class="byline">by <a rel="author" href="https://archive.example/users/mara">mara</a>, '
    '<a rel="author" href="https://archive.example/users/jo">jonah_r</a></div>'
    '<p>Summary</p><blockquote class="userstuff summary"><p>A storm, a <em>lamp</em>, a long night.</p></blockquote>'
    '<p>Notes</p><blockquote class="userstuff notes"><p>For the winter exchange.</p></blockquote>'
    "</div></div>"
)
CHAPTER_ONE = (
    '<div id="chapters"><h2 class="toc-heading">Chapter 1: The Storm</h2>'
    '<div class="meta group"><p>Chapter Summary</p><blockquote class="userstuff"><p>The storm arrives.</p></blockquote>'
    '<p>Chapter Notes</p><blockquote class="userstuff"><p>Chapter one notes.</p></blockquote></div>'
    '<div class="userstuff"><p>The lamp turned all night. “Hold on,” she said — and he did.</p>'
    '<p align="center">* * *</p><p>In the morning the sea was flat and grey.</p></div>'
    '<div class="meta group"><p>Chapter End Notes</p><blockquote class="userstuff"><p>See you next week.</p>'
    "</blockquote></div></div>"
)
CHAPTER_TWO = (
    '<div id="chapters"><h2 class="toc-heading">Chapter 2</h2>'
    '<div class="userstuff"><p>The second night was quieter, and <strong>longer</strong>.</p></div></div>'
)
AFTERWORD = (
    '<div id="afterword"><p>End Notes</p><blockquote class="userstuff"><p>Thank you for reading.</p></blockquote>'
    '<p>Please <a href="https://archive.example/works/7">drop by the archive</a> and comment.</p></div>'
)
CONTRACT_METADATA = (
    "<dc:title>The Keeper’s Light</dc:title><dc:creator>mara</dc:creator><dc:creator>jonah_r</dc:creator>"
    "<dc:language>fr</dc:language><dc:identifier id='id'>urn:uuid:00000000-0000-0000-0000-000000000007</dc:identifier>"
    "<dc:source>https://archive.example/works/7</dc:source><dc:subject>Mature</dc:subject>"
    "<dc:subject>Lighthouses</dc:subject><dc:description>A storm, a lamp, a long night.</dc:description>"
    '<meta property="dcterms:modified">2024-02-03T00:00:00Z</meta>'
    '<meta name="calibre:series" content="Tidewater Nights"/><meta name="calibre:series_index" content="2"/>'
)


def contract_epub() -> bytes:
    """A Fanarchive/AO3-style EPUB following the shared download contract."""
    return build_epub(
        [
            ("preface.xhtml", xhtml("Preface", PREFACE)),
            ("chapter1.xhtml", xhtml("Chapter 1", CHAPTER_ONE)),
            ("chapter2.xhtml", xhtml("Chapter 2", CHAPTER_TWO)),
            ("afterword.xhtml", xhtml("Afterword", AFTERWORD)),
        ],
        CONTRACT_METADATA,
    )


def ao3_html() -> bytes:
    """An AO3 "Download → HTML" file: one page, preface, chapters, afterword (plus a script to be dropped)."""
    chapters = CHAPTER_ONE.replace('<div id="chapters">', '<div id="chapters" class="userstuff">').replace(
        "</div></div></div>", "</div></div>"
    )
    chapters = chapters[: -len("</div>")] + CHAPTER_TWO.replace('<div id="chapters">', "")
    return (
        '<!DOCTYPE html><html><head><meta charset="UTF-8"><title>The Keeper’s Light - mara - Tidewater (TV) '
        "[Archive of Our Own]</title><script>alert('x')</script></head><body>"
        f'<p class="message">Posted originally on the Archive of Our Own.</p>{PREFACE}{chapters}{AFTERWORD}'
        "</body></html>"
    ).encode()


def fanficfare_epub() -> bytes:
    title_page = xhtml(
        "The Keeper’s Light",
        "<h3>The Keeper’s Light by <a href='https://example.net/u/1'>mara</a></h3><div>"
        "<b>Category:</b> Tidewater (TV)<br/><b>Genre:</b> Angst, Romance<br/><b>Language:</b> English<br/>"
        "<b>Characters:</b> Mara Quill, Jonah Reyes<br/><b>Relationships:</b> Mara Quill/Jonah Reyes<br/>"
        "<b>Rating:</b> T<br/><b>Status:</b> In-Progress<br/><b>Chapters:</b> 2<br/>"
        "<b>Summary:</b> A storm, a lamp, a long night.<br/></div>",
    )
    return build_epub(
        [
            ("title_page.xhtml", title_page),
            ("file0001.xhtml", xhtml("One", '<h3 class="fff_chapter_title">The Storm</h3><p>The lamp turned.</p>')),
            ("file0002.xhtml", xhtml("Two", '<h3 class="fff_chapter_title">Morning</h3><p>The sea was flat.</p>')),
        ],
        "<dc:title>The Keeper’s Light</dc:title><dc:creator opf:role='aut'>mara</dc:creator>"
        "<dc:contributor opf:role='bkp'>FanFicFare [https://github.com/JimmXinu/FanFicFare]</dc:contributor>",
    )


@functools.cache
def zip_bomb() -> bytes:
    """A small zip that would unpack to hundreds of megabytes of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        chunk = b"\0" * (1024 * 1024)
        info = zipfile.ZipInfo("OEBPS/bomb.xhtml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with package.open(info, "w", force_zip64=True) as member:
            for _ in range(120):
                member.write(chunk)
    return buffer.getvalue()
