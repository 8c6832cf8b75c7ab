"""`{% load snippets %}` in templates/search/_snippets.html: a search result's matched passages.

Built in Python rather than in the template: a results page shows twenty blurbs with a few
passages each, and Django's template engine spent more on them than on the search itself.
"""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

register = template.Library()

# Lazy: only the label a passage shows is translated (a page has some forty passages).
FIELD_LABELS = {
    "tags": gettext_lazy("Tags:"),
    "title": gettext_lazy("Title:"),
    "summary": gettext_lazy("Summary:"),
    "notes": gettext_lazy("Notes:"),
    "creators": gettext_lazy("Creators:"),
}


def _where(snippet: Any, work_id: int) -> SafeString:
    """The passage's label: a link to the chapter's paragraph, or the field's name."""
    if snippet.where == "text":
        url = reverse("chapter_detail", args=[work_id, snippet.chapter_id])
        if snippet.paragraph:
            url += f"#c{snippet.chapter_position}p{snippet.paragraph}"
        label = _("Chapter %(position)s") % {"position": snippet.chapter_position}
        if snippet.chapter_title:
            label += f": {snippet.chapter_title}"
        if snippet.paragraph:
            label += _(", paragraph %(paragraph)s") % {"paragraph": snippet.paragraph}
        return format_html('<a href="{}">{}</a>:', url, label)
    field_label = FIELD_LABELS.get(snippet.where)
    name = str(field_label) if field_label is not None else f"{snippet.where.capitalize()}:"
    return format_html('<span class="snippet-where">{}</span>', name)


@register.simple_tag
def search_snippets(work: Any) -> SafeString:
    """The work's `search_snippets` as a list under its title (nothing when it has none)."""
    snippets = getattr(work, "search_snippets", None)
    if not snippets:
        return mark_safe("")
    items = format_html_join(
        "\n",
        '<li class="snippet snippet-{}">{} <q>{}</q></li>',
        # The passage is escaped text with <mark>s, made by search.backend._marked.
        ((s.where, _where(s, work.pk), mark_safe(s.html)) for s in snippets),  # noqa: S308
    )
    return format_html(
        '<div class="search-snippets">\n<p class="visually-hidden">{}</p>\n<ul>\n{}\n</ul>\n</div>',
        _("Where the search matched:"),
        items,
    )
