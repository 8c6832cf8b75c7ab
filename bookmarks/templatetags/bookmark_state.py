"""The reader's own bookmark of a series, for templates/community/_series_actions.html.

`{% series_bookmark_id series as bookmark_id %}`: the id of the reader's bookmark, or None
(asked only for logged-in readers; the template checks first).
"""

from django import template

from accounts.models import User
from bookmarks.models import Bookmark
from works.models import Series

register = template.Library()


@register.simple_tag(takes_context=True)
def series_bookmark_id(context: template.Context, series: Series) -> int | None:
    viewer = context["request"].user
    if not isinstance(viewer, User):
        return None
    return Bookmark.objects.filter(user=viewer, series=series).values_list("pk", flat=True).first()
