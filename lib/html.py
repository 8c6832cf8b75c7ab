"""The one sanitizer for user-supplied HTML.

Every rich-text field (summaries, notes, chapter text, pseud descriptions)
goes through `clean_html` before it is stored; templates then mark the stored
value safe. The allowlist follows AO3's (research/ao3.md §4): no scripts, no
style attributes, no event handlers, http(s)/mailto links only, and
rel="nofollow" forced on links. Short texts about readers and users (bookmark
notes, pseud descriptions) take the stricter `NOTES` profile: no images, which
there would only be tracking pixels (AO3 shows none).
"""

import html
import re

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "acronym", "address", "b", "big", "blockquote", "br", "caption", "center",
    "cite", "code", "col", "colgroup", "details", "figcaption", "figure", "dd", "del", "dfn",
    "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span",
    "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "tt", "u", "ul", "var",
}  # fmt: skip

_GLOBAL_ATTRIBUTES = {"align", "dir", "lang", "title"}
ALLOWED_ATTRIBUTES = {
    "*": _GLOBAL_ATTRIBUTES,
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height", "border"},
    "ol": {"start", "type"},
    "ul": {"type"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "table": {"border", "cellpadding", "cellspacing", "summary", "width"},
    "col": {"span", "width"},
    "colgroup": {"span", "width"},
    "td": {"abbr", "axis", "colspan", "rowspan", "headers", "scope", "width", "valign"},
    "th": {"abbr", "axis", "colspan", "rowspan", "headers", "scope", "width", "valign"},
    "details": {"open"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "ftp"}
# Removed together with everything inside them, not just unwrapped.
CLEAN_CONTENT_TAGS = {
    "script", "style", "iframe", "math", "noembed", "noframes", "noscript", "plaintext",
    "svg", "xmp", "object", "embed", "template", "textarea", "select", "title",
}  # fmt: skip

_BLOCK_START = re.compile(
    r"^\s*<(p|div|blockquote|h[1-6]|ul|ol|dl|table|pre|hr|details|figure|center|address)\b",
    re.IGNORECASE,
)
_BLANK_LINES = re.compile(r"\n[ \t\r\f\v]*\n+")
_BREAKS = re.compile(r"<br\s*/?>|</p>|</div>|</li>|</h[1-6]>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")


def _image_attribute_filter(element: str, attribute: str, value: str) -> str | None:
    # Images load from the reader's browser, so only http(s) sources are allowed
    # (no data: or javascript: URLs, which the link allowlist would pass for mailto).
    if element == "img" and attribute == "src":
        return value if value.lower().startswith(("http://", "https://")) else None
    return value


# The stricter profile: everything of the full one but images.
NOTES_TAGS = ALLOWED_TAGS - {"img"}


def clean_html(value: str, *, images: bool = True) -> str:
    """Sanitize rich text, adding paragraphs to plain text first; `images=False` is the NOTES profile."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if not value.strip():
        return ""
    cleaned = nh3.clean(
        add_paragraphs(value),
        tags=ALLOWED_TAGS if images else NOTES_TAGS,
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_image_attribute_filter,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow",
        strip_comments=True,
    ).strip()
    # Nothing left but empty markup (say, a field that held only a script): store nothing.
    if not strip_html(cleaned).strip() and "<img" not in cleaned and "<hr" not in cleaned:
        return ""
    return cleaned


def clean_notes_html(value: str) -> str:
    """Bookmark notes and pseud descriptions: the NOTES profile (no images)."""
    return clean_html(value, images=False)


def markdown_to_html(text: str) -> str:
    """Markdown (CommonMark, inline HTML allowed) as sanitized HTML: the same sanitizer as every other text."""
    from markdown_it import MarkdownIt

    return clean_html(MarkdownIt("commonmark", {"html": True, "typographer": False}).render(text))


_PARAGRAPH_MARKUP = re.compile(r"</?p>|<br\s*/?>", re.IGNORECASE)


def editable_text(value: str) -> str:
    """HTML made only of paragraphs and line breaks, as the plain text that makes it again.

    For a textarea: blank lines instead of <p> tags (add_paragraphs puts them back when it is
    saved). Anything richer is returned as it is, since its tags are the formatting.
    """
    if not value or "<" in _PARAGRAPH_MARKUP.sub("", value):
        return value
    text = re.sub(r"</p>\s*<p>", "\n\n", value.strip(), flags=re.IGNORECASE)
    text = re.sub(r"<br\s*/?>\n?", "\n", text, flags=re.IGNORECASE)
    text = _PARAGRAPH_MARKUP.sub("", text)
    # Escaped angle brackets stay escaped, so text about <b> never turns into bold when saved.
    text = text.replace("&lt;", "\x00l").replace("&gt;", "\x00g")
    return html.unescape(text).replace("\x00l", "&lt;").replace("\x00g", "&gt;").strip()


def add_paragraphs(text: str) -> str:
    """Wrap blank-line-separated blocks in <p> and turn single newlines into <br>.

    Blocks that already start with a block-level tag are left alone, so authors
    can mix pasted HTML and plain text the way AO3's paragraph maker allows.
    """
    blocks = [block.strip() for block in _BLANK_LINES.split(text.strip())]
    out = []
    for block in blocks:
        if not block:
            continue
        if _BLOCK_START.match(block):
            out.append(block)
        else:
            out.append("<p>" + block.replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


def strip_html(value: str) -> str:
    """Plain text of an HTML fragment, for word counts, search and short descriptions."""
    if "<" not in value and "&" not in value:
        return value  # plain text already (most notes and summaries): skip three passes
    text = _BREAKS.sub("\n", value)
    return html.unescape(_TAGS.sub(" ", text))
