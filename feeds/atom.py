"""Atom (RFC 4287) documents of works, built with lxml so every value is escaped by the XML writer.

An entry is a work's blurb: its id is the work's address (stable), its
`updated` the work's revision time, so a new chapter moves the entry up and
feed readers show it again. Entries carry the blurb as HTML content plus
machine-readable authors and categories (one per tag, scheme = the tag type).
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from lxml import etree

from tags.models import DISPLAY_ORDER
from works.blurbs import BLURB_CACHE_SECONDS, blurb_version
from works.models import Work

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml"
XML_NS = "http://www.w3.org/XML/1998/namespace"
TAG_SCHEME = "urn:fanarchive:tag-type:"

# Builds an absolute address from a path ("/works/1/" -> "https://archive.example/works/1/").
Absolute = Callable[[str], str]


@dataclass
class Link:
    href: str
    rel: str = "alternate"
    type: str = ""
    title: str = ""
    # OPDS puts facet attributes on links (opds:facetGroup, opds:activeFacet).
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class Feed:
    id: str
    title: str
    links: list[Link]
    updated: datetime
    subtitle: str = ""
    entries: list[etree._Element] = field(default_factory=list)
    namespaces: dict[str | None, str] = field(default_factory=dict)


def element(parent: etree._Element, name: str, text: str | None = None, **attributes: str) -> etree._Element:
    child = etree.SubElement(parent, f"{{{ATOM_NS}}}{name}", {k: v for k, v in attributes.items() if v})
    if text is not None:
        child.text = text
    return child


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def add_link(parent: etree._Element, link: Link) -> None:
    node = element(parent, "link", href=link.href, rel=link.rel, type=link.type, title=link.title)
    for name, value in link.extra.items():
        node.set(name, value)


def build(feed: Feed) -> bytes:
    root = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS, **feed.namespaces})
    element(root, "id", feed.id)
    element(root, "title", feed.title)
    if feed.subtitle:
        element(root, "subtitle", feed.subtitle)
    element(root, "updated", stamp(feed.updated))
    for link in feed.links:
        add_link(root, link)
    root.extend(feed.entries)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def updated_of(works: Iterable[Work], fallback: datetime | None = None) -> datetime:
    """A feed's `updated`: its newest entry (or a fixed date for an empty feed, so its ETag holds)."""
    times = [w.revised_at for w in works]
    if times:
        return max(times)
    return fallback or datetime(2000, 1, 1, tzinfo=UTC)


def published_of(work: Work) -> datetime:
    return timezone.make_aware(datetime.combine(work.published_at, time()), UTC)


def blurb_html(work: Work, absolute: Absolute) -> SafeString:
    """The blurb as HTML for feed readers: absolute links, no classes or scripts.

    Cached as the pages' blurbs are (works.blurbs): under the blurb's key (everything the page's
    blurb shows, renames included) plus what only this one shows (word and chapter counts) and
    the site's address; the same for every reader, since feeds show only what guests see."""
    if "blurbs" not in settings.CACHES:
        return _blurb_html(work, absolute)
    shown = (work.word_count, work.chapter_count, work.chapter_total_display, absolute("/"))
    extra = hashlib.blake2b(repr(shown).encode(), digest_size=8).hexdigest()
    key = f"{blurb_version(work)}:feed:{extra}"
    cache = caches["blurbs"]
    html = cache.get(key)
    if html is None:
        html = _blurb_html(work, absolute)
        cache.set(key, html, BLURB_CACHE_SECONDS)
    return SafeString(html)


def _blurb_html(work: Work, absolute: Absolute) -> SafeString:
    groups = work.tag_groups

    def tag_links(type_value: str) -> SafeString:
        return format_html_join(
            ", ", '<a href="{}">{}</a>', ((absolute(t.works_url), t.name) for t in groups[type_value])
        )

    creators = format_html_join(
        ", ", '<a href="{}">{}</a>', ((absolute(p.get_absolute_url()), str(p)) for p in work.creator_pseuds)
    )
    rows = [
        (gettext("Creators:"), creators or gettext("Anonymous")),
        (gettext("Fandoms:"), tag_links("fandom")),
        (gettext("Rating:"), tag_links("rating")),
        (gettext("Warnings:"), tag_links("warning")),
        (gettext("Categories:"), tag_links("category")),
        (gettext("Relationships:"), tag_links("relationship")),
        (gettext("Characters:"), tag_links("character")),
        (gettext("Additional Tags:"), tag_links("freeform")),
        (gettext("Language:"), work.get_language_display()),
        (gettext("Words:"), f"{work.word_count}"),
        (gettext("Chapters:"), f"{work.chapter_count}/{work.chapter_total_display}"),
    ]
    series = format_html_join(
        "",
        "<p>{}</p>",
        (
            (_series_line(link.position, absolute(link.series.get_absolute_url()), link.series.title),)
            for link in work.serial_works.all()
        ),
    )
    details = format_html_join("", "<li>{} {}</li>", ((label, value) for label, value in rows if value))
    # The summary is stored sanitized (lib.html.clean_html), so it is printed as it is on the work page.
    summary = format_html("<blockquote>{}</blockquote>", SafeString(work.summary)) if work.summary else ""
    return format_html("<ul>{}</ul>{}{}", details, summary, series)


def _series_line(position: int, url: str, title: str) -> SafeString:
    series = format_html('<a href="{}">{}</a>', url, title)
    return SafeString(
        conditional_escape(gettext("Part %(position)s of %(series)s")) % {"position": position, "series": series}
    )


def work_entry(
    work: Work,
    absolute: Absolute,
    *,
    entry_id: str = "",
    updated: datetime | None = None,
    extra_html: SafeString | str = "",
) -> etree._Element:
    entry = etree.Element(f"{{{ATOM_NS}}}entry")
    url = absolute(work.get_absolute_url())
    element(entry, "id", entry_id or url)
    title = element(entry, "title", work.title)
    title.set(f"{{{XML_NS}}}lang", work.language)
    element(entry, "updated", stamp(updated or work.revised_at))
    element(entry, "published", stamp(published_of(work)))
    for pseud in work.creator_pseuds:
        author = element(entry, "author")
        element(author, "name", str(pseud))
        element(author, "uri", absolute(pseud.get_absolute_url()))
    if not work.creator_pseuds:
        element(element(entry, "author"), "name", gettext("Anonymous"))
    add_link(entry, Link(href=url, type="text/html"))
    for tag_type in DISPLAY_ORDER:
        for tag in work.tag_groups.get(tag_type.value, []):
            element(entry, "category", term=tag.name, scheme=f"{TAG_SCHEME}{tag_type.value}", label=tag.name)
    if work.summary:
        element(entry, "summary", work.summary, type="html")
    element(entry, "content", str(blurb_html(work, absolute)) + str(extra_html), type="html")
    return entry


def entry_count_subtitle(total: int) -> str:
    return ngettext("%(count)s work", "%(count)s works", total) % {"count": total}


def etag_for(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
