"""`{% load chapters %}` in templates/works/_chapter.html: paragraph ids that search snippets link to.

Here rather than in works, because the anchors are the search index's (search.text): works never
imports search, and a template may load a higher app's tags.
"""

from django import template
from django.utils.safestring import SafeString, mark_safe

from search.text import anchor_paragraphs

register = template.Library()


@register.filter
def paragraph_anchors(content: str, chapter_position: int) -> SafeString:
    """Stored (sanitized) chapter HTML with ids on its paragraphs, for search snippet links."""
    return mark_safe(anchor_paragraphs(content, chapter_position))  # noqa: S308 - content is sanitized on save
