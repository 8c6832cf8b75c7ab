"""The filter sheet's pieces: removable chips, ranges that cannot match, the "Show N works" label."""

from typing import Any

from django import template

from works.filter_sheet import Chip, RangeProblem, filter_chips, query_without, range_problems, show_works_label
from works.listing import Listing

register = template.Library()


@register.simple_tag(takes_context=True)
def listing_chips(context: dict[str, Any], listing: Listing, search_page: bool = False) -> list[Chip]:
    return filter_chips(context["request"].GET, listing.filters, words_filter=not search_page)


@register.simple_tag(takes_context=True)
def listing_range_problems(context: dict[str, Any], listing: Listing) -> list[RangeProblem]:
    return range_problems(context["request"].GET, listing.filters)


@register.simple_tag
def show_works(total: int) -> str:
    return show_works_label(total)


@register.simple_tag(name="query_without", takes_context=True)
def query_without_tag(context: dict[str, Any], name: str) -> str:
    """This page's query string without one parameter (and its page number)."""
    return query_without(context["request"].GET, name)
