"""`{% load chapters %}` in templates/works/_chapter.html: chapter text with the paragraph ids
that search snippets link to.

Here rather than in works, because the anchors are the search index's (search.text): works never
imports search, and a template may load a higher app's tags.
"""

from collections.abc import Iterable

from django import template
from django.conf import settings
from django.core.cache import caches
from django.utils.safestring import SafeString, mark_safe

from search.text import anchor_paragraphs
from works.models import Chapter

register = template.Library()


def body_key(chapter: Chapter) -> str:
    """What the shown text depends on: the stored HTML (every write of it goes through save(),
    which moves updated_at) and the position (the anchors' ids; reordering moves no timestamp)."""
    return f"chapter-body:{chapter.pk}:{chapter.position}:{chapter.updated_at.isoformat()}"


@register.simple_tag
def chapter_bodies(chapters: Iterable[Chapter]) -> list[tuple[Chapter, SafeString]]:
    """Each chapter with its text as shown: stored (sanitized) HTML with paragraph anchors.

    A 100,000-word chapter is ~550 KB: reading it and anchoring its paragraphs cost ~3 ms of a
    work page, so the anchored text is kept per process (the "chapters" cache) by `body_key`.
    The views have already decided who may read these chapters; the cache only saves the work.
    Chapters whose content was deferred are read in one query for all those not cached.
    """
    chapters = list(chapters)
    # Settings without it (tests of a cache outage replace CACHES): every text is made afresh.
    cache = caches["chapters"] if "chapters" in settings.CACHES else None
    keys = {chapter.pk: body_key(chapter) for chapter in chapters}
    cached: dict[str, str] = cache.get_many(keys.values()) if cache else {}
    missing = [c.pk for c in chapters if keys[c.pk] not in cached and "content" in c.get_deferred_fields()]
    contents = dict(Chapter.objects.filter(pk__in=missing).values_list("pk", "content")) if missing else {}
    fresh: dict[str, str] = {}
    for chapter in chapters:
        key = keys[chapter.pk]
        if key not in cached:
            # Not contents.get(pk, chapter.content): that would read a deferred field (a query) every time.
            content = contents[chapter.pk] if chapter.pk in contents else chapter.content  # noqa: SIM401
            fresh[key] = anchor_paragraphs(content, chapter.position)
    if fresh and cache:
        cache.set_many(fresh)
    bodies = cached | fresh
    # Content is sanitized when saved (lib.html.clean_html).
    return [(chapter, mark_safe(bodies[keys[chapter.pk]])) for chapter in chapters]  # noqa: S308
