"""OPDS 2.0 (JSON) versions of the catalog's root and acquisition feeds, at /opds/v2/: the same
works, links, facets and pages as the OPDS 1.2 (Atom) feeds in opds.py, for apps that prefer JSON
(Thorium, Readium-based readers). https://drafts.opds.io/opds-2.0"""

import json
from datetime import datetime
from typing import Any

from feeds.atom import Absolute, Link, published_of, stamp
from feeds.opds import OPDS_NS
from lib.html import strip_html
from tags.models import DISPLAY_ORDER
from works.models import Work

OPDS2 = "application/opds+json"
TAG_SCHEME = "tag:"


def link(item: Link, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"href": item.href, "type": item.type or None, "rel": item.rel, "title": item.title}
    return {key: value for key, value in {**data, **extra}.items() if value not in (None, "")}


def publication(work: Work, absolute: Absolute, acquisitions: list[Link]) -> dict[str, Any]:
    """A work as an OPDS 2.0 publication: the blurb's metadata and its download links."""
    url = absolute(work.get_absolute_url())
    metadata: dict[str, Any] = {
        "@type": "http://schema.org/Book",
        "identifier": url,
        "title": work.title,
        "author": [
            {"name": str(pseud), "links": [{"href": absolute(pseud.get_absolute_url()), "type": "text/html"}]}
            for pseud in work.creator_pseuds
        ],
        "language": work.language,
        "modified": stamp(work.revised_at),
        "published": stamp(published_of(work)),
        "subject": [
            {"name": tag.name, "scheme": f"{TAG_SCHEME}{tag_type.value}"}
            for tag_type in DISPLAY_ORDER
            for tag in work.tag_groups.get(tag_type.value, [])
        ],
    }
    if work.summary:
        metadata["description"] = " ".join(strip_html(work.summary).split())
    return {
        "metadata": metadata,
        "links": [
            {"rel": "alternate", "href": url, "type": "text/html"},
            *(link(item) for item in acquisitions),
        ],
    }


def facet_groups(facets: list[Link]) -> list[dict[str, Any]]:
    """OPDS 1.2 facet links (opds:facetGroup, opds:activeFacet) as OPDS 2.0 facet groups."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in facets:
        active = item.extra.get(f"{{{OPDS_NS}}}activeFacet") == "true"
        entry = {"href": item.href, "type": OPDS2, "title": item.title}
        if active:
            entry["rel"] = "self"
        groups.setdefault(item.extra[f"{{{OPDS_NS}}}facetGroup"], []).append(entry)
    return [{"metadata": {"title": title}, "links": links} for title, links in groups.items()]


def feed(
    title: str,
    links: list[Link],
    *,
    modified: datetime,
    navigation: list[Link] | None = None,
    publications: list[dict[str, Any]] | None = None,
    facets: list[Link] | None = None,
    total: int | None = None,
) -> bytes:
    metadata: dict[str, Any] = {"title": title, "modified": stamp(modified)}
    if total is not None:
        metadata["numberOfItems"] = total
    data: dict[str, Any] = {"metadata": metadata, "links": [link(item) for item in links]}
    if navigation is not None:
        data["navigation"] = [link(item) for item in navigation]
    if publications is not None:
        data["publications"] = publications
    if facets:
        data["facets"] = facet_groups(facets)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
