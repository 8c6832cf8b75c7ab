"""Bytes and a file name in, a `ParsedWork` out (or `ImportRefused` with a message for the person).

`parse_file` picks the format from the name and the first bytes, runs its
parser, then `imports.normalize` makes the result fit the archive (known
ratings and warnings, tag rules, length limits, sanitized HTML).
"""

import re
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext

from imports.normalize import normalize
from imports.parsed import ImportRefused, ParsedWork
from imports.parsers.docx import parse_docx
from imports.parsers.epub import parse_epub
from imports.parsers.html import parse_html, parse_markdown
from imports.parsers.text import parse_text

SUPPORTED = ".txt, .text, .html, .htm, .md, .markdown, .docx, .epub"
_REFUSED_KINDS = {
    b"%PDF": "a PDF",
    b"\xd0\xcf\x11\xe0": "an old Word (.doc) document",
    b"{\\rtf": "an RTF document",
    b"\x89PNG": "an image",
    b"\xff\xd8\xff": "an image",
    b"GIF8": "an image",
    b"\x1f\x8b": "a compressed (gzip) file",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"Rar!": "a RAR archive",
    b"\x7fELF": "a program",
    b"MZ": "a program",
}


def title_from_filename(filename: str) -> str:
    stem = PurePath(filename).stem
    return " ".join(re.sub(r"[_]+", " ", stem).split()) or "Untitled"


def check_size(size: int) -> None:
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise ImportRefused(
            gettext("The file is %(size)s MB; files can be at most %(limit)s MB.")
            % {"size": f"{size / 2**20:,.1f}", "limit": f"{limit / 2**20:,.0f}"}
        )


def parse_file(data: bytes, filename: str) -> ParsedWork:
    check_size(len(data))
    if not data.strip():
        raise ImportRefused(gettext("The file is empty."))
    suffix = PurePath(filename).suffix.lower()
    title = title_from_filename(filename)
    if suffix in (".docm", ".dotm"):
        raise ImportRefused(
            gettext("Macro-enabled Word documents (.docm) aren't accepted: save it as a plain Word document (.docx).")
        )
    for magic, kind in _REFUSED_KINDS.items():
        if data.startswith(magic):
            raise ImportRefused(
                gettext("This is %(kind)s, which can't be imported. Supported: %(supported)s.")
                % {"kind": kind, "supported": SUPPORTED}
            )
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        head = data[:2000]
        if suffix == ".epub" or b"application/epub+zip" in head:
            parsed = parse_epub(data, title)
        elif suffix == ".docx" or b"word/" in data[-200_000:] or b"word/" in head:
            parsed = parse_docx(data, title)
        elif suffix == ".odt":
            raise ImportRefused(
                gettext("OpenDocument (.odt) files can't be imported: save it as .docx and upload that.")
            )
        else:
            raise ImportRefused(
                gettext("Zip archives can't be imported: upload the files inside. Supported: %(supported)s.")
                % {"supported": SUPPORTED}
            )
    elif suffix in (".epub", ".docx"):
        raise ImportRefused(
            gettext("This file is damaged or is not a %(format)s file.") % {"format": suffix[1:].upper()}
        )
    elif suffix in (".html", ".htm", ".xhtml") or re.match(rb"\s*(<!doctype html|<html)", data[:500], re.IGNORECASE):
        parsed = parse_html(data, title)
    elif suffix in (".md", ".markdown", ".mdown"):
        parsed = parse_markdown(data, title)
    else:
        parsed = parse_text(data, title)
    return normalize(parsed, fallback_title=title)
