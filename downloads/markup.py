"""Stored (sanitized) HTML made fit for e-books and plain text.

The sanitizer (lib/html.py) keeps AO3's allowlist, which includes elements and
attributes HTML5 made obsolete (<center>, <tt>, align=…). Browsers shrug; EPUB
readers and EPUBCheck do not. `to_xhtml` rewrites a fragment into well-formed
XHTML that validates: obsolete elements become their modern equivalents,
attributes outside HTML5 are dropped, remote images (not allowed inside an
EPUB) become links, and relative links are made absolute.
"""

import re
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

# Characters XML 1.0 forbids; a stray one would make the whole file unreadable.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_RENAMED = {"acronym": "abbr", "strike": "s", "tt": "code"}
# Presentational elements without a modern twin keep their look through a class.
_AS_CLASS = {"big": ("span", "big"), "center": ("div", "center"), "u": ("span", "underline")}
_ALIGN_VALUES = {"left", "right", "center", "justify"}

_GLOBAL = {"dir", "lang", "title", "class"}
_ALLOWED = {
    "a": {"href"},
    "ol": {"start", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
}
_NUMERIC = {"start", "colspan", "rowspan", "span"}
_LIST_PARENTS = {"ul", "ol"}
_PHRASING_PARENTS = {"p", "span", "a", "em", "strong", "b", "i", "s", "small", "sub", "sup", "code", "q", "cite"}
_BLOCKS = {"p", "div", "blockquote", "ul", "ol", "dl", "table", "pre", "hr", "details", "figure", "address"}
_BLOCKS |= {f"h{level}" for level in range(1, 7)}


def clean_text(value: str) -> str:
    return _XML_INVALID.sub("", value)


def _fragment(value: str) -> lxml_html.HtmlElement:
    return lxml_html.fragment_fromstring(clean_text(value), create_parent="div")


def to_xhtml(value: str, base_url: str) -> str:
    """Well-formed, EPUB-valid XHTML for a sanitized HTML fragment (no namespace: the
    caller places it inside an XHTML document, whose default namespace it inherits)."""
    if not value.strip():
        return ""
    root = _fragment(value)
    for element in list(root.iter()):
        if element is root or not isinstance(element.tag, str):
            continue
        _modernise(element, base_url)
    # A block inside a paragraph or inline element is invalid: the parent becomes a div.
    for element in list(root.iter()):
        if (
            element is not root
            and element.tag in _PHRASING_PARENTS
            and any(child.tag in _BLOCKS for child in element.iterdescendants())
        ):
            element.tag = "div"
            element.attrib.pop("href", None)
    out = [etree.tostring(child, method="xml", encoding="unicode") for child in root]
    return _escape_text(root.text or "") + "".join(out)


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _modernise(element: lxml_html.HtmlElement, base_url: str) -> None:
    tag = element.tag
    classes = []
    align = element.attrib.get("align", "").lower()
    if align in _ALIGN_VALUES:
        classes.append(f"align-{align}")
    if tag in _RENAMED:
        element.tag = _RENAMED[tag]
    elif tag in _AS_CLASS:
        element.tag, extra = _AS_CLASS[tag]
        classes.append(extra)
    elif tag == "img":
        _image_to_link(element, base_url)
        return
    elif tag in ("li", "dt", "dd") and _orphan(element):
        element.tag = "div"
    allowed = _GLOBAL | _ALLOWED.get(str(element.tag), set())
    for name, attribute_value in list(element.attrib.items()):
        if name not in allowed or not _valid_value(name, attribute_value):
            del element.attrib[name]
    if element.tag == "a" and "href" in element.attrib:
        element.attrib["href"] = urljoin(base_url, element.attrib["href"].strip())
    if classes:
        element.attrib["class"] = " ".join(classes)


def _orphan(element: lxml_html.HtmlElement) -> bool:
    parent = element.getparent()
    wanted = _LIST_PARENTS if element.tag == "li" else {"dl"}
    return parent is None or parent.tag not in wanted


def _valid_value(name: str, value: str) -> bool:
    if name in _NUMERIC:
        return value.isdigit() and (name == "start" or int(value) > 0)
    if name == "dir":
        return value in ("ltr", "rtl", "auto")
    if name == "type":
        return value in ("1", "a", "A", "i", "I")
    if name == "scope":
        return value in ("row", "col", "rowgroup", "colgroup")
    if name == "lang":
        return bool(re.fullmatch(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*", value))
    return True


def _image_to_link(element: lxml_html.HtmlElement, base_url: str) -> None:
    # EPUB forbids remote images and the archive stores none: link to it instead.
    src = element.attrib.get("src", "")
    alt = element.attrib.get("alt", "").strip()
    element.attrib.clear()
    element.tag = "a"
    element.text = f"[Image: {alt}]" if alt else "[Image]"
    if src:
        element.attrib["href"] = urljoin(base_url, src)


# Plain text

_TEXT_BLOCKS = _BLOCKS | {"li", "dt", "dd", "tr", "caption", "figcaption", "summary", "center"}


def to_text(value: str) -> str:
    """Readable plain text for a sanitized fragment: blank lines between blocks, list bullets."""
    if not value.strip():
        return ""
    root = _fragment(value)
    parts: list[str] = []
    _walk_text(root, parts)
    text = "".join(parts)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _walk_text(element: lxml_html.HtmlElement, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    block = tag in _TEXT_BLOCKS
    # Items and rows start a line; other blocks stand apart by a blank line.
    line_only = tag in ("li", "tr", "dt", "dd")
    if block:
        parts.append("\n" if line_only else "\n\n")
    if tag == "li":
        parts.append("- ")
    elif tag == "br":
        parts.append("\n")
    elif tag == "hr":
        parts.append("* * *")
    elif tag == "img":
        alt = element.attrib.get("alt", "").strip()
        parts.append(f"[Image: {alt}]" if alt else "[Image]")
    if element.text and tag:
        parts.append(re.sub(r"\s+", " ", element.text) if tag != "pre" else element.text)
    for child in element:
        _walk_text(child, parts)
        if child.tail:
            parts.append(re.sub(r"\s+", " ", child.tail))
    if block and not line_only:
        parts.append("\n\n")
    elif tag in ("td", "th"):
        parts.append("  ")
