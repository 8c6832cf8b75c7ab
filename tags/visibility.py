"""Which tags a reader may learn the names of (autocomplete, tag pages, lists of synonyms).

A tag used only where the reader may not look (drafts, works hidden by staff, restricted
works for guests, other people's private bookmarks) stays unknown to them. Fixed tags and
canonical tags (chosen by wranglers) are public, as on AO3; a tag nothing uses any more
hides nothing. Works are judged by `works.access.visible_works`, asked in one place here.
"""

from django.db.models import Exists, OuterRef, Q

from tags.models import USER_DEFINED_TYPES
from works.access import AnyUser, visible_works
from works.models import Tagging


def visible_tags(reader: AnyUser) -> Q:
    """A condition on Tag: the tags this reader may see named."""
    from bookmarks.listing import visible_bookmarks  # bookmarks reads tags: imported when asked
    from bookmarks.models import Bookmark

    if reader.is_authenticated and reader.is_staff:
        return Q()
    bookmark_tags = Bookmark.tags.through.objects.filter(tag_id=OuterRef("pk"))
    on_visible_work = Exists(Tagging.objects.filter(tag_id=OuterRef("pk"), work__in=visible_works(reader)))
    on_visible_bookmark = Exists(bookmark_tags.filter(bookmark__in=visible_bookmarks(reader)))
    unused = ~Exists(Tagging.objects.filter(tag_id=OuterRef("pk"))) & ~Exists(bookmark_tags)
    condition = ~Q(type__in=USER_DEFINED_TYPES) | Q(canonical=True) | on_visible_work | on_visible_bookmark | unused
    if reader.is_authenticated:
        # A creator's own drafts: their tags come back to them as suggestions.
        own = Tagging.objects.filter(tag_id=OuterRef("pk"), work__creatorships__pseud__user=reader.pk)
        condition = condition | Q(Exists(own))
    return condition
