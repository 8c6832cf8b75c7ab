"""The filter sidebar's checkbox lists, rendered in Python (a page has ~140 of them)."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from works.listing import Facet, Listing

register = template.Library()


@register.simple_tag
def facet_items(listing: Listing, facet: Facet, mode: str) -> SafeString:
    """<li> checkboxes for one facet: chosen tags first (checked), then the top tags with counts."""
    prefix = "inc" if mode == "include" else "exc"
    chosen = listing.filters.included if mode == "include" else listing.filters.excluded
    skip = listing.included_ids | listing.excluded_ids
    checked = '<li><input type="checkbox" id="{}-{}" name="{}" value="{}" checked> <label for="{}-{}">{}</label></li>'
    items = format_html_join(
        "",
        checked,
        ((prefix, t.pk, mode, t.pk, prefix, t.pk, t.name) for t in chosen if t.type == facet.type),
    )
    offered = format_html_join(
        "",
        '<li><input type="checkbox" id="{}-{}" name="{}" value="{}"> '
        '<label for="{}-{}">{} <span class="count">({})</span></label></li>',
        ((prefix, t.pk, mode, t.pk, prefix, t.pk, t.name, count) for t, count in facet.tags if t.pk not in skip),
    )
    return items + offered
