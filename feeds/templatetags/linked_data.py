"""What a work page tells crawlers and social sites: schema.org JSON-LD and OpenGraph/Twitter cards.

Rating-aware: a work rated for adults (or not rated) gets no summary in any preview, so a
shared link never shows adult text on a social site. The JSON-LD is a data block
(type="application/ld+json"): browsers never run it, so the CSP's script-src 'self' does not
apply, and it is escaped so the stored text cannot close the element.
"""

import json
import re
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from lib.html import strip_html
from sitecontent.config import site_name
from works.models import Work

register = template.Library()

PREVIEW_CHARS = 300
_SPACE_BEFORE_PUNCTUATION = re.compile(r" ([,.;:!?)])")
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026", ord("'"): "\\u0027"}


def _preview(work: Work) -> str:
    if work.is_adult or not work.summary:
        return ""
    # strip_html spaces out every element ("a <em>lamp</em>," -> "a lamp ,"): close up punctuation again.
    text = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(strip_html(work.summary).split()))
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1].rstrip() + "…"


def linked_data(work: Work, url: str, absolute: Any) -> dict[str, Any]:
    groups = work.tag_groups
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Book",
        "bookFormat": "https://schema.org/EBook",
        "name": work.title,
        "url": url,
        "inLanguage": work.language,
        "datePublished": work.published_at.isoformat(),
        "dateModified": work.revised_at.isoformat(timespec="seconds"),
        "author": [
            {"@type": "Person", "name": str(p), "url": absolute(p.get_absolute_url())} for p in work.creator_pseuds
        ],
        "genre": [t.name for t in groups["fandom"]],
        "keywords": [t.name for t in (*groups["relationship"], *groups["character"], *groups["freeform"])],
        "contentRating": groups["rating"][0].name if groups["rating"] else "",
        "isFamilyFriendly": not work.is_adult,
        "wordCount": work.word_count,
        "publisher": {"@type": "Organization", "name": site_name(), "url": absolute("/")},
    }
    description = _preview(work)
    if description:
        data["description"] = description
    series = [
        {"@type": "CreativeWorkSeries", "name": link.series.title, "url": absolute(link.series.get_absolute_url())}
        for link in work.serial_works.all()
    ]
    if series:
        data["isPartOf"] = series
    return data


@register.simple_tag(takes_context=True)
def work_metadata(context: dict[str, Any], work: Work) -> SafeString:
    absolute = context["request"].build_absolute_uri
    url = absolute(work.get_absolute_url())
    description = _preview(work)
    properties = [
        ("og:type", "book"),
        ("og:title", work.title),
        ("og:url", url),
        ("og:site_name", site_name()),
        ("og:locale", work.language),
    ]
    names = [("twitter:card", "summary"), ("twitter:title", work.title)]
    if description:
        properties.append(("og:description", description))
        names += [("twitter:description", description), ("description", description)]
    payload = json.dumps(linked_data(work, url, absolute), ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html(
        '<link rel="canonical" href="{}">\n{}\n{}\n<script type="application/ld+json">{}</script>',
        url,
        format_html_join("\n", '<meta property="{}" content="{}">', properties),
        format_html_join("\n", '<meta name="{}" content="{}">', names),
        SafeString(payload),
    )
