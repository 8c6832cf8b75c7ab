"""Reading the comma-separated tag fields of the posting form."""

import re

from django.core.exceptions import ValidationError

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


def describe_type(tag_type: TagType) -> str:
    """ "a Fandom tag", "an Archive Warning tag", "an Additional Tag"."""
    kind = tag_type.label if tag_type.label.endswith("Tag") else f"{tag_type.label} tag"
    return f"{'an' if kind[0] in 'AEIOU' else 'a'} {kind}"


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
                f"“{tag.name}” is already {describe_type(TagType(tag.type))}, "
                f"so it can't be used as {describe_type(tag_type)}."
            )
    if errors:
        raise ValidationError(errors)
