"""OPDS 1.2 catalogs (Atom with OPDS link relations) for reading apps: navigation feeds that lead to
acquisition feeds whose entries link to each work's EPUB, and its PDF once that is built."""

from datetime import datetime

from django.http import QueryDict
from lxml import etree

from feeds.atom import ATOM_NS, Absolute, Feed, Link, add_link, element, stamp, work_entry
from lib.html import strip_html
from lib.querystring import link_to_page
from works.models import Work

OPDS_NS = "http://opds-spec.org/2010/catalog"
NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPENSEARCH = "application/opensearchdescription+xml"
ACQUIRE = "http://opds-spec.org/acquisition/open-access"
FACET = "http://opds-spec.org/facet"
EPUB = "application/epub+zip"
PDF = "application/pdf"
NAMESPACES: dict[str | None, str] = {"opds": OPDS_NS}


def navigation_entry(
    absolute: Absolute, title: str, href: str, kind: str, updated: datetime, description: str = ""
) -> etree._Element:
    entry = etree.Element(f"{{{ATOM_NS}}}entry")
    element(entry, "title", title)
    element(entry, "id", absolute(href))
    element(entry, "updated", stamp(updated))
    add_link(entry, Link(href=absolute(href), rel="subsection", type=kind))
    if description:
        element(entry, "content", description, type="text")
    return entry


def acquisition_entry(work: Work, absolute: Absolute, acquisitions: list[Link]) -> etree._Element:
    """A work's blurb entry with the links a reading app follows to get its EPUB (and PDF once built)."""
    entry = work_entry(work, absolute)
    # OPDS wants a plain-text summary (the blurb's HTML stays in the content).
    summary = entry.find(f"{{{ATOM_NS}}}summary")
    if summary is not None:
        summary.text = strip_html(work.summary)
        del summary.attrib["type"]
    for link in acquisitions:
        add_link(entry, link)
    return entry


def facet(href: str, title: str, group: str, active: bool) -> Link:
    extra = {f"{{{OPDS_NS}}}facetGroup": group}
    if active:
        extra[f"{{{OPDS_NS}}}activeFacet"] = "true"
    return Link(href=href, rel=FACET, type=ACQUISITION, title=title, extra=extra)


def with_params(path: str, params: QueryDict, **changes: str | None) -> str:
    """`path` with the current query string, some parameters changed (None: removed), back to page 1."""
    query = params.copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None:
            query[name] = value
    return link_to_page(path, query)


def catalog(feed: Feed) -> Feed:
    feed.namespaces = NAMESPACES
    return feed


def opensearch_description(short_name: str, description: str, template: str) -> bytes:
    ns = "http://a9.com/-/spec/opensearch/1.1/"
    root = etree.Element(f"{{{ns}}}OpenSearchDescription", nsmap={None: ns})
    etree.SubElement(root, f"{{{ns}}}ShortName").text = short_name[:16]
    etree.SubElement(root, f"{{{ns}}}Description").text = description
    etree.SubElement(root, f"{{{ns}}}InputEncoding").text = "UTF-8"
    etree.SubElement(root, f"{{{ns}}}Url", {"type": ACQUISITION, "template": template})
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")
