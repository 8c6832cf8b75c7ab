"""Which tags a reader may learn the names of (autocomplete, tag pages, lists of synonyms).

A tag used only where the reader may not look (drafts, works hidden by staff, restricted
works for guests, other people's private bookmarks) stays unknown to them. Fixed tags and
canonical tags (chosen by wranglers) are public, as on AO3; a tag nothing uses any more
hides nothing. Each place tags are used says which uses a reader may see (tags.hooks.TAG_USES:
works through `works.models.visible_through`, bookmarks through `bookmarks.listing.visible_bookmark`),
as index lookups per candidate tag.
"""

from functools import reduce
from operator import and_

from django.db.models import Q

from tags.hooks import TAG_USES, AnyUser
from tags.models import USER_DEFINED_TYPES, Tag

# Fixed tags and canonical tags are public whatever uses them.
_ALWAYS_PUBLIC = ~Q(type__in=USER_DEFINED_TYPES) | Q(canonical=True)


def visible_tags(reader: AnyUser) -> Q:
    """A condition on Tag: the tags this reader may see named."""
    if (reader.is_authenticated and reader.is_staff) or not TAG_USES:
        return Q()
    uses = [tag_use(reader) for tag_use in TAG_USES]
    condition = _ALWAYS_PUBLIC
    for seen, _anywhere in uses:
        condition |= seen
    unused = reduce(and_, (~anywhere for _seen, anywhere in uses))
    return condition | unused


def may_see_tag(reader: AnyUser, tag: Tag) -> bool:
    """Whether this reader may see the tag named: `visible_tags` for one tag already loaded.

    A fixed or canonical tag (most tag pages) is answered without a query; only another tag
    asks where it is used."""
    if tag.type not in USER_DEFINED_TYPES or tag.canonical:
        return True
    return Tag.objects.filter(visible_tags(reader), pk=tag.pk).exists()
