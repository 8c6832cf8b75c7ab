from django.db import IntegrityError, transaction

from tags.models import Tag, TagType, tag_name_key
from tags.parsing import describe_type


class TagTypeConflict(Exception):
    """A tag name is taken by a tag of another type (names are unique across types)."""


def find_or_create_tags(names: list[str], tag_type: TagType) -> list[Tag]:
    """The tags with these names, creating the missing ones (users create tags by using them)."""
    tags = []
    for name in names:
        tag = Tag.objects.filter(name_key=tag_name_key(name), type=tag_type).first()
        if tag is None:
            try:
                with transaction.atomic():
                    tag = Tag.objects.create(name=name, type=tag_type)
            except IntegrityError:
                # Someone created it between our look-up and insert, maybe as another type.
                tag = Tag.objects.get(name_key=tag_name_key(name))
                if tag.type != tag_type:
                    raise TagTypeConflict(
                        f"“{tag.name}” was just created as {describe_type(TagType(tag.type))}, "
                        f"so it can't be used as {describe_type(tag_type)}."
                    ) from None
        tags.append(tag)
    return tags
