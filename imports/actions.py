"""Turning a parsed work into a draft (or a posted work), through works.actions, in one transaction."""

from dataclasses import replace
from typing import Any

from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from accounts.models import Pseud
from imports.parsed import ParsedChapter, ParsedWork
from tags.models import Tag, TagType, tag_name_key
from tags.parsing import describe_type
from works import actions as work_actions
from works.models import Series, Work

_TAG_TYPES = {
    "fandoms": TagType.FANDOM,
    "relationships": TagType.RELATIONSHIP,
    "characters": TagType.CHARACTER,
    "freeforms": TagType.FREEFORM,
}
# The tag fields as refusals name them ("… left out of fandoms").
_FIELD_NAMES = {
    "fandoms": gettext_lazy("fandoms"),
    "relationships": gettext_lazy("relationships"),
    "characters": gettext_lazy("characters"),
    "freeforms": gettext_lazy("additional tags"),
}


def drop_conflicting_tags(parsed: ParsedWork) -> ParsedWork:
    """Tags whose name already belongs to another kind of tag are left out (names are unique across kinds)."""
    parsed = replace(parsed, warnings_found=list(parsed.warnings_found))
    keys = {tag_name_key(name): field for field in _TAG_TYPES for name in getattr(parsed, field)}
    if not keys:
        return parsed
    existing = {tag.name_key: tag for tag in Tag.objects.filter(name_key__in=list(keys))}
    for field, tag_type in _TAG_TYPES.items():
        kept = []
        for name in getattr(parsed, field):
            tag = existing.get(tag_name_key(name))
            if tag is not None and tag.type != tag_type:
                parsed.warnings_found.append(
                    gettext("“%(name)s” is already %(kind)s here, so it was left out of %(field)s.")
                    % {"name": name, "kind": describe_type(TagType(tag.type)), "field": _FIELD_NAMES[field]}
                )
            else:
                kept.append(name)
        setattr(parsed, field, kept)
    return parsed


def find_series(parsed: ParsedWork, pseuds: list[Pseud]) -> Series | None:
    """The creator's own series of the parsed series' name, if they have one."""
    if not parsed.series_title or not pseuds:
        return None
    return (
        Series.objects.filter(pseuds__user_id=pseuds[0].user_id, title__iexact=parsed.series_title)
        .order_by("id")
        .first()
    )


def _work_data(parsed: ParsedWork, first: ParsedChapter, pseuds: list[Pseud]) -> dict[str, Any]:
    series = find_series(parsed, pseuds)
    return {
        "title": parsed.title,
        "summary": parsed.summary,
        "notes": parsed.notes,
        "endnotes": parsed.endnotes,
        "language": parsed.language or "en",
        "restricted": False,
        "expected_chapters": parsed.expected_chapters,
        "rating": parsed.rating,
        "warnings": parsed.warnings,
        "categories": parsed.categories,
        "fandoms": parsed.fandoms,
        "relationships": parsed.relationships,
        "characters": parsed.characters,
        "freeforms": parsed.freeforms,
        "series": series,
        "new_series_title": "" if series else parsed.series_title,
        "series_position": parsed.series_position,
        **_chapter_data(first),
    }


def _chapter_data(chapter: ParsedChapter) -> dict[str, Any]:
    return {
        "chapter_title": chapter.title,
        "chapter_summary": chapter.summary,
        "chapter_notes": chapter.notes,
        "chapter_endnotes": chapter.endnotes,
        "content": chapter.html,
    }


@transaction.atomic
def import_work(
    parsed: ParsedWork,
    pseuds: list[Pseud],
    *,
    post: bool = False,
    extra: dict[str, Any] | None = None,
) -> Work:
    """Create the work with all its chapters as a draft (or posted with `post`); all or nothing.

    `parsed` must have been through imports.normalize (known rating and warnings,
    sanitized HTML, limits met). `extra` overrides posting-form fields (the
    import preview passes its own choices: co-creators, restricted, comments…).
    """
    parsed = drop_conflicting_tags(parsed)
    data = _work_data(parsed, parsed.chapters[0], pseuds)
    data.update(extra or {})
    work = work_actions.create_work(pseuds, data, post=False)
    for chapter in parsed.chapters[1:]:
        work_actions.add_chapter(work, _chapter_data(chapter), post=False)
    if post:
        work_actions.post_work(work)
    return work
