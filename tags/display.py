"""Tags as pages show them: types named in the plural, tags grouped under those names."""

from django.utils.translation import gettext_lazy as _

from tags.models import Tag, TagType

TYPE_PLURALS = {
    TagType.RATING: _("Ratings"),
    TagType.WARNING: _("Archive Warnings"),
    TagType.CATEGORY: _("Categories"),
    TagType.MEDIA: _("Media"),
    TagType.FANDOM: _("Fandoms"),
    TagType.RELATIONSHIP: _("Relationships"),
    TagType.CHARACTER: _("Characters"),
    TagType.FREEFORM: _("Additional Tags"),
}


def by_type(tags: list[Tag]) -> list[tuple[str, list[Tag]]]:
    """("Fandoms", [...]), ("Characters", [...]) …: tags grouped under plural type names."""
    groups: dict[str, list[Tag]] = {}
    for tag in tags:
        groups.setdefault(str(TYPE_PLURALS[TagType(tag.type)]), []).append(tag)
    return list(groups.items())
