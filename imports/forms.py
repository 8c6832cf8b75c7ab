from typing import Any

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from imports.actions import find_series
from imports.parsed import ParsedChapter, ParsedWork
from imports.parsers import SUPPORTED
from lib.html import editable_text
from works.forms import WorkForm
from works.models import TITLE_MAX


def _upload_help() -> str:
    return gettext(
        "One work per file: %(formats)s (AO3, FanFicFare and Fanarchive downloads too), at most %(size)s MB."
    ) % {"formats": SUPPORTED, "size": settings.IMPORT_MAX_BYTES // (1024 * 1024)}


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=lazy(_upload_help, str)(),
        error_messages={"required": _("Choose a file to import."), "empty": _("The file is empty.")},
    )


class ImportPreviewForm(WorkForm):
    """The posting form without the text (that stays on the server), plus each chapter's title."""

    def __init__(
        self, *args: Any, user: User, chapters: list[ParsedChapter], draft: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, user=user, include_chapter=False, draft=draft, **kwargs)
        self.chapter_count = len(chapters)
        for number, chapter in enumerate(chapters, start=1):
            self.fields[f"chapter_title_{number}"] = forms.CharField(
                label=gettext("Chapter %(number)s title") % {"number": number},
                required=False,
                max_length=TITLE_MAX,
                initial=chapter.title,
            )

    def chapter_title_fields(self) -> list[forms.BoundField]:
        return [self[f"chapter_title_{number}"] for number in range(1, self.chapter_count + 1)]


def initial_from_parsed(parsed: ParsedWork, user: User) -> dict[str, Any]:
    series = find_series(parsed, list(user.pseuds.all()))
    return {
        "title": parsed.title,
        "rating": parsed.rating,
        "warnings": parsed.warnings,
        "categories": parsed.categories,
        "fandoms": ", ".join(parsed.fandoms),
        "relationships": ", ".join(parsed.relationships),
        "characters": ", ".join(parsed.characters),
        "freeforms": ", ".join(parsed.freeforms),
        # Shown in a textarea: paragraphs as blank lines rather than <p> tags (saving adds them back).
        "summary": editable_text(parsed.summary),
        "notes": editable_text(parsed.notes),
        "endnotes": editable_text(parsed.endnotes),
        "language": parsed.language,
        "expected_chapters": parsed.expected_chapters,
        "series": series.pk if series else None,
        "new_series_title": "" if series else parsed.series_title,
        "series_position": parsed.series_position,
    }


# What the preview form decides beyond the parsed fields: passed to import_work as posting-form data.
EXTRA_FIELDS = (
    "co_creators", "restricted", "comment_permission", "moderated_comments", "series",
    "new_series_title", "series_position", "backdate", "published_at",
)  # fmt: skip


def apply_edits(parsed: ParsedWork, form: ImportPreviewForm) -> tuple[ParsedWork, dict[str, Any]]:
    """The parsed work with the author's corrections, and the other posting-form choices."""
    data = form.cleaned_data
    for field in (
        "title", "summary", "notes", "endnotes", "rating", "warnings", "categories", "fandoms",
        "relationships", "characters", "freeforms", "language", "expected_chapters",
    ):  # fmt: skip
        setattr(parsed, field, data[field])
    for number, chapter in enumerate(parsed.chapters, start=1):
        chapter.title = data[f"chapter_title_{number}"]
    return parsed, {field: data.get(field) for field in EXTRA_FIELDS}
