"""The filter sidebar's checkbox lists and long <select>s, rendered in Python (a page has ~140 checkboxes)."""

from html import escape

from django import template
from django.core.paginator import Page
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

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


@register.simple_tag
def pagination(listing: Listing, page: Page[object]) -> SafeString:
    """Links to the other pages of a listing (nothing when there is one page)."""
    if not page.has_other_pages():
        return SafeString("")
    prefix = f"?{escape(listing.query)}&amp;page=" if listing.query else "?page="
    items = []
    if page.has_previous():
        items.append(
            f'<li><a rel="prev" href="{prefix}{page.previous_page_number():d}">{escape(_("← Previous"))}</a></li>'
        )
    for number in listing.page_numbers:
        if number == page.number:
            items.append(f'<li><span aria-current="page">{number}</span></li>')
        elif not isinstance(number, int):  # the paginator's ELLIPSIS
            items.append("<li><span>…</span></li>")
        else:
            items.append(f'<li><a href="{prefix}{number}">{number}</a></li>')
    if page.has_next():
        items.append(f'<li><a rel="next" href="{prefix}{page.next_page_number():d}">{escape(_("Next →"))}</a></li>')
    return SafeString(f'<nav class="pagination" aria-label="{escape(_("Pages"))}"><ul>{"".join(items)}</ul></nav>')
