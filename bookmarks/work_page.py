"""The bookmarks part of a work page (works/page.py): the reader's own bookmark of the work.

templates/community/_work_actions.html shows "Edit Bookmark" for it, else the Bookmark buttons.
"""

from typing import Any

from django.http import HttpRequest

from accounts.models import User
from bookmarks.models import Bookmark
from works.page import WorkPage, part


@part
def bookmark_state(request: HttpRequest, page: WorkPage) -> dict[str, Any]:
    user = request.user
    if not isinstance(user, User):
        return {}
    return {"bookmark_id": Bookmark.objects.filter(user=user, work=page.work).values_list("pk", flat=True).first()}
