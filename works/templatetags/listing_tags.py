"""The filter sidebar's checkbox lists and long <select>s, rendered in Python (a page has ~140 checkboxes)."""

from html import escape

from django import template
from django.utils.safestring import SafeString

from works.listing import Facet, Listing

register = template.Library()


@register.simple_tag
def facet_items(listing: Listing, facet: Facet, mode: str) -> SafeString:
    """<li> checkboxes for one facet: chosen tags first (checked), then the top tags with counts."""
    # Tag names are the only text here (ids and counts are ints): escaped once each, by the
    # standard library, as format_html_join would but without its per-argument checks.
    prefix = "inc" if mode == "include" else "exc"
    chosen = listing.filters.included if mode == "include" else listing.filters.excluded
    skip = listing.included_ids | listing.excluded_ids
    items = [
        f'<li><input type="checkbox" id="{prefix}-{t.pk:d}" name="{mode}" value="{t.pk:d}" checked> '
        f'<label for="{prefix}-{t.pk:d}">{escape(t.name)}</label></li>'
        for t in chosen
        if t.type == facet.type
    ]
    items += [
        f'<li><input type="checkbox" id="{prefix}-{t.pk:d}" name="{mode}" value="{t.pk:d}"> '
        f'<label for="{prefix}-{t.pk:d}">{escape(t.name)} <span class="count">({count:d})</span></label></li>'
        for t, count in facet.tags
        if t.pk not in skip
    ]
    return SafeString("".join(items))


@register.simple_tag
def sort_options(listing: Listing) -> SafeString:
    """The "Sort by" <option>s, the listing's sort selected."""
    return SafeString(
        "".join(
            f'<option value="{escape(key)}"{" selected" if key == listing.sort else ""}>{escape(label)}</option>'
            for key, label in listing.sorts
        )
    )


@register.simple_tag
def language_options(listing: Listing) -> SafeString:
    """The language filter's <option>s (one per language the archive knows), the chosen one selected."""
    chosen = listing.filters.spec.language
    return SafeString(
        "".join(
            f'<option value="{escape(code)}"{" selected" if code == chosen else ""}>{escape(name)}</option>'
            for code, name in listing.languages
        )
    )
