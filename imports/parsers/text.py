"""Plain text: the encoding, then paragraphs (from blank lines or from indentation)."""

import codecs
import html
import re
import statistics

from django.utils.translation import gettext

from imports.parsed import ImportRefused, ParsedWork
from imports.parsers.structure import Block, detect_structure, is_chapter_heading, is_scene_break

# Bytes that Windows-1252 leaves undefined: text containing them was not written in it.
_CP1252_HOLES = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text(data: bytes, remarks: list[str]) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16/32 with BOM, else Windows-1252 or Latin-1."""
    for bom, encoding, name in (
        (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
        (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
        (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
        (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                raise ImportRefused(
                    gettext("The file says it is %(name)s but isn't valid %(name)s.") % {"name": name}
                ) from None
            remarks.append(f"Encoding: {name}.")
            return _refuse_binary(text)
    if b"\x00" in data[:4096]:
        raise ImportRefused(
            gettext("This looks like a binary file, not text: save it as plain text, DOCX, EPUB or HTML.")
        )
    try:
        text = data.decode("utf-8")
        remarks.append(gettext("Encoding: UTF-8."))
    except UnicodeDecodeError:
        if not _CP1252_HOLES.intersection(data):
            text = data.decode("cp1252")
            remarks.append(gettext("Encoding: Windows-1252 (the file was not UTF-8)."))
        else:
            text = data.decode("latin-1")
            remarks.append(
                gettext("Encoding: Latin-1 (the file was not UTF-8); check accented letters in the preview.")
            )
    return _refuse_binary(text)


def _refuse_binary(text: str) -> str:
    sample = text[:20_000]
    if sample and len(_CONTROL.findall(sample)) > len(sample) // 100 + 2:
        raise ImportRefused(
            gettext("This looks like a binary file, not text: save it as plain text, DOCX, EPUB or HTML.")
        )
    return _CONTROL.sub("", text)


def _standalone(line: str) -> bool:
    """Lines that are always a block of their own, even without blank lines around them."""
    stripped = line.strip()
    return is_chapter_heading(stripped) or is_scene_break(stripped)


def text_to_blocks(text: str, remarks: list[str]) -> list[Block]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4).split("\n")
    filled = [line for line in lines if line.strip()]
    if not filled:
        return []
    blank = len(lines) - len(filled)
    indented = sum(1 for line in filled if line[:1] == " ")
    by_indent = blank < len(filled) * 0.05 and indented > len(filled) * 0.2
    remarks.append(
        gettext("Paragraphs: from indented lines.") if by_indent else gettext("Paragraphs: from blank lines.")
    )
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        starts_new = not line.strip() or _standalone(line) or (by_indent and line[:1] == " ")
        if starts_new and current:
            paragraphs.append(current)
            current = []
        if line.strip():
            current.append(line)
            if _standalone(line):
                paragraphs.append(current)
                current = []
    if current:
        paragraphs.append(current)
    # Hard-wrapped text (lines of ~60–80 characters) joins its lines; otherwise a line break stays one.
    lengths = [len(line.strip()) for line in filled]
    wrapped = len(filled) > 10 and 50 <= statistics.median(lengths) <= 90 and max(lengths) <= 100
    blocks = []
    for paragraph in paragraphs:
        stripped = [line.strip() for line in paragraph]
        if wrapped:
            body = html.escape(" ".join(stripped), quote=False)
        else:
            body = "<br>\n".join(html.escape(line, quote=False) for line in stripped)
        blocks.append(Block.paragraph("\n".join(stripped), body))
    return blocks


def parse_text(data: bytes, filename_title: str) -> ParsedWork:
    work = ParsedWork(source_format=gettext("Plain text"))
    text = decode_text(data, work.detected)
    blocks = text_to_blocks(text, work.detected)
    if not blocks:
        raise ImportRefused(gettext("The file is empty."))
    return detect_structure(blocks, filename_title=filename_title, work=work)
