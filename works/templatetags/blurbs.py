"""Blurb pieces rendered in Python: a listing page shows 20 blurbs of ~15 tags
each, and a template loop per tag costs more than the page's queries."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from accounts.models import Pseud
from tags.models import Tag

register = template.Library()


@register.simple_tag
def tag_items(tags: list[Tag], css_class: str, strong: bool = False) -> SafeString:
    """<li> links for a list of tags."""
    pattern = (
        '<li class="{}"><strong><a class="tag" href="{}">{}</a></strong></li>'
        if strong
        else '<li class="{}"><a class="tag" href="{}">{}</a></li>'
    )
    return format_html_join("", pattern, ((css_class, tag.works_url, tag.name) for tag in tags))


@register.simple_tag
def tag_names(tags: list[Tag], empty: str = "") -> str:
    """Comma-separated names, for titles and screen-reader text."""
    return ", ".join(tag.name for tag in tags) or empty


@register.simple_tag
def comma_tag_links(tags: list[Tag]) -> SafeString:
    return format_html_join(", ", '<a class="tag" href="{}">{}</a>', ((tag.works_url, tag.name) for tag in tags))


@register.simple_tag
def creator_links(pseuds: list[Pseud]) -> SafeString:
    if not pseuds:
        return format_html("{}", _("Anonymous"))
    return format_html_join(", ", '<a rel="author" href="{}">{}</a>', ((p.get_absolute_url(), str(p)) for p in pseuds))
