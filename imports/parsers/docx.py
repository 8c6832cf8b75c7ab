"""DOCX (Word, LibreOffice, Google Docs): word/document.xml read as paragraphs with their formatting.

Macro-enabled documents are refused; images are dropped (the archive stores
no uploaded media) with a remark, external ones included, so nothing is
fetched from the network.
"""

import html
import re

from django.utils.translation import gettext
from lxml import etree

from imports.parsed import ImportRefused, ParsedWork
from imports.parsers.safezip import SafeZip
from imports.parsers.structure import Block, detect_structure

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
# Elements whose runs are part of the paragraph's text (deleted text, w:del, is not).
_RUN_CONTAINERS = {W + name for name in ("hyperlink", "ins", "smartTag", "sdt", "sdtContent", "fldSimple")}
_FORMATS = (("b", "strong"), ("i", "em"), ("u", "u"), ("strike", "s"))


def _on(properties: etree._Element | None, name: str) -> bool:
    if properties is None:
        return False
    element = properties.find(W + name)
    if element is None:
        return False
    # <w:b w:val="0"/> turns bold off.
    return element.get(W + "val", "true").lower() not in ("0", "false", "off", "none")


class _Reader:
    def __init__(self, styles: dict[str, str], external_rels: set[str]) -> None:
        self.styles = styles
        self.external_rels = external_rels
        self.images = 0
        self.external_images = 0
        self.pending_page_break = False

    def paragraph(self, p: etree._Element) -> Block:
        properties = p.find(W + "pPr")
        style_id = ""
        if properties is not None:
            style = properties.find(W + "pStyle")
            style_id = style.get(W + "val", "") if style is not None else ""
        style_name = self.styles.get(style_id, style_id).strip()
        heading = _HEADING_STYLE.match(style_name) or _HEADING_STYLE.match(style_id)
        page_break = self.pending_page_break or _on(properties, "pageBreakBefore")
        self.pending_page_break = False
        pieces: list[tuple[str, tuple[str, ...]]] = []
        text_seen = False
        for run in self._runs(p):
            run_properties = run.find(W + "rPr")
            formats = tuple(tag for name, tag in _FORMATS if _on(run_properties, name))
            for child in run:
                tag = child.tag
                if tag == W + "t" and child.text:
                    pieces.append((html.escape(child.text, quote=False), formats))
                    text_seen = text_seen or bool(child.text.strip())
                elif tag == W + "tab":
                    pieces.append((" ", formats))
                elif tag == W + "br":
                    if child.get(W + "type") == "page":
                        if text_seen:
                            self.pending_page_break = True
                        else:
                            page_break = True
                    else:
                        pieces.append(("<br>", ()))
                elif tag in (W + "drawing", W + "pict", W + "object"):
                    self._count_images(child)
        body = _merge(pieces)
        text = html.unescape(re.sub(r"<br>", "\n", re.sub(r"<(?!br)[^>]+>", "", body)))
        return Block(
            text=text,
            html=f"<p>{body}</p>",
            heading=int(heading.group(1)) if heading else 0,
            is_title=style_name.lower() == "title",
            page_break=page_break,
        )

    def _runs(self, element: etree._Element) -> list[etree._Element]:
        runs = []
        for child in element:
            if child.tag == W + "r":
                runs.append(child)
            elif child.tag in (
                W + "hyperlink",
                W + "ins",
                W + "smartTag",
                W + "sdt",
                W + "sdtContent",
                W + "fldSimple",
            ):
                runs += self._runs(child)
        return runs

    def _count_images(self, element: etree._Element) -> None:
        for node in element.iter():
            for attribute in (R + "embed", R + "link", R + "id"):
                rel = node.get(attribute)
                if rel is None:
                    continue
                if attribute == R + "link" or rel in self.external_rels:
                    self.external_images += 1
                else:
                    self.images += 1
                return


def _merge(pieces: list[tuple[str, tuple[str, ...]]]) -> str:
    """Runs with the same formatting joined, so "<em>a</em><em>b</em>" comes out as "<em>ab</em>"."""
    out = []
    index = 0
    while index < len(pieces):
        formats = pieces[index][1]
        text = ""
        while index < len(pieces) and pieces[index][1] == formats:
            text += pieces[index][0]
            index += 1
        if formats and text.strip():
            for tag in formats:
                text = f"<{tag}>{text}</{tag}>"
        out.append(text)
    return "".join(out).strip()


def _styles(package: SafeZip) -> dict[str, str]:
    root = package.xml("word/styles.xml")
    if root is None:
        return {}
    names = {}
    for style in root.iter(W + "style"):
        name = style.find(W + "name")
        style_id = style.get(W + "styleId")
        if style_id and name is not None:
            names[style_id] = name.get(W + "val", "")
    return names


def _external_rels(package: SafeZip) -> set[str]:
    root = package.xml("word/_rels/document.xml.rels")
    if root is None:
        return set()
    return {rel.get("Id", "") for rel in root if rel.get("TargetMode") == "External"}


def parse_docx(data: bytes, filename_title: str) -> ParsedWork:
    package = SafeZip(data, "DOCX")
    content_types = package.read("[Content_Types].xml") or b""
    if b"macroEnabled" in content_types or any(name.lower().endswith("vbaproject.bin") for name in package.names):
        raise ImportRefused(
            gettext(
                "This document contains macros, which the archive doesn't accept: save it as a "
                "plain Word document (.docx) and upload that."
            )
        )
    document = package.xml("word/document.xml")
    if document is None:
        raise ImportRefused(gettext("This is not a Word document (word/document.xml is missing)."))
    body = document.find(W + "body")
    if body is None:
        raise ImportRefused(gettext("The document is empty."))
    work = ParsedWork(source_format="DOCX")
    reader = _Reader(_styles(package), _external_rels(package))
    blocks = [reader.paragraph(p) for p in body.iter(W + "p")]
    if not any(block.text.strip() for block in blocks):
        raise ImportRefused(gettext("The document has no text."))
    if reader.external_images:
        work.warnings_found.append(
            gettext("Linked (external) images dropped, never fetched: %(images)s.") % {"images": reader.external_images}
        )
    if reader.images:
        work.warnings_found.append(
            gettext(
                "Images dropped: %(images)s. The archive stores no uploaded pictures; "
                "link to a hosted image in the chapter text if you need one."
            )
            % {"images": reader.images}
        )
    return detect_structure(blocks, filename_title=filename_title, work=work)
