"""Reading the comma-separated tag fields of the posting form."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tags.models import Tag, TagType, tag_name_key

TAG_NAME_MAX = 150
# As AO3: characters that would break tag URLs, searches or lists.
FORBIDDEN_CHARACTERS = set("^*<>{}=`\\%")
_SEPARATORS = re.compile(r"[,，、]")
_SPACES = re.compile(r"\s+")


def split_tag_names(raw: str) -> list[str]:
    """Names from a comma-separated field, whitespace tidied, duplicates dropped (ignoring case)."""
    seen: set[str] = set()
    names = []
    for part in _SEPARATORS.split(raw or ""):
        name = _SPACES.sub(" ", part).strip()
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


# Whole phrases, so that each language can choose its own article and word order.
_TYPE_PHRASES = {
    TagType.RATING: _("a Rating tag"),
    TagType.WARNING: _("an Archive Warning tag"),
    TagType.CATEGORY: _("a Category tag"),
    TagType.MEDIA: _("a Media tag"),
    TagType.FANDOM: _("a Fandom tag"),
    TagType.RELATIONSHIP: _("a Relationship tag"),
    TagType.CHARACTER: _("a Character tag"),
    TagType.FREEFORM: _("an Additional Tag"),
}


def describe_type(tag_type: TagType) -> str:
    """ "a Fandom tag", "an Archive Warning tag", "an Additional Tag"."""
    return str(_TYPE_PHRASES[tag_type])


def validate_tag_names(names: list[str], tag_type: TagType) -> None:
    """Raise a ValidationError naming every bad tag: too long, bad characters, or another type."""
    errors = []
    for name in names:
        if len(name) > TAG_NAME_MAX:
            errors.append(f"“{name[:40]}…” is too long: tags can be at most {TAG_NAME_MAX} characters.")
        bad = sorted(FORBIDDEN_CHARACTERS.intersection(name))
        if bad:
            errors.append(f"“{name}” contains characters tags can't have: {' '.join(bad)}")
    if names:
        keys = [tag_name_key(name) for name in names]
        existing = Tag.objects.filter(name_key__in=keys).exclude(type=tag_type)
        for tag in existing:
            errors.append(
                gettext("“%(tag_name)s” is already %(existing_kind)s, so it can't be used as %(wanted_kind)s.")
                % {
                    "tag_name": tag.name,
                    "existing_kind": describe_type(TagType(tag.type)),
                    "wanted_kind": describe_type(tag_type),
                }
            )
    if errors:
        raise ValidationError(errors)
