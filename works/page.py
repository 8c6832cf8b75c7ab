"""The parts of a work page that other apps contribute, registered from their AppConfig.ready().

works.views builds the page (the work, its chapters, navigation) and asks each registered part
for its share of the template context, as Django's admin asks each app for its ModelAdmins:
comments adds `comment_section` (templates/comments/_section.html), community `engagement`
(kudos, subscription, history: templates/community/_work_actions.html and _kudos.html),
bookmarks `bookmark_id`. works never imports those apps.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from works.models import Chapter, Work


@dataclass(frozen=True)
class WorkPage:
    work: Work
    # The chapters this reader may read, in order (content deferred).
    chapters: list[Chapter]
    # The chapters on this page: one, or all of them for the entire work.
    shown: list[Chapter]
    is_creator: bool

    @property
    def chapter(self) -> Chapter | None:
        """The one chapter shown, or None for a page showing the entire work."""
        return self.shown[0] if len(self.shown) == 1 else None


Part = Callable[[HttpRequest, WorkPage], dict[str, Any]]
_parts: list[Part] = []


def part(function: Part) -> Part:
    """Register a function giving its part of the work page's context (called once per page view)."""
    if function not in _parts:
        _parts.append(function)
    return function


def parts_context(request: HttpRequest, page: WorkPage) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for function in _parts:
        context.update(function(request, page))
    return context
