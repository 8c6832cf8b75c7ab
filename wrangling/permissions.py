"""Who may wrangle which tags.

Staff and wranglers appointed for every fandom (an assignment without a
fandom) may wrangle every tag. A wrangler appointed for a fandom may wrangle:
- the fandom itself and its synonyms,
- tags whose parent is that fandom (and their synonyms),
- tags not yet sorted into a fandom that are used on works tagged with it:
  unwrangled fandom tags, and characters, relationships and additional tags
  without a parent fandom. Tags a wrangler has just made canonical stay in
  reach this way until they are given a fandom.
"""

from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from tags.models import USER_DEFINED_TYPES, Tag, TagParent, TagType, WranglerAssignment
from works.models import Tagging
from wrangling.bins import fandom_scope, has_parent_fandom

AnyUser = User | AnonymousUser


def is_wrangler(user: AnyUser) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_staff or WranglerAssignment.objects.filter(user=user).exists()


def wrangled_fandom_ids(user: AnyUser) -> set[int] | None:
    """The fandoms this user wrangles; None means every fandom (staff and global wranglers)."""
    if not user.is_authenticated:
        return set()
    if user.is_staff:
        return None
    fandom_ids = set(WranglerAssignment.objects.filter(user=user).values_list("fandom_id", flat=True))
    if None in fandom_ids:
        return None
    return {pk for pk in fandom_ids if pk is not None}


def can_wrangle(user: AnyUser, tag: Tag) -> bool:
    if tag.type not in USER_DEFINED_TYPES:
        # Ratings, warnings, categories and media are fixed: nobody wrangles them.
        return False
    fandom_ids = wrangled_fandom_ids(user)
    if fandom_ids is None:
        return True
    if not fandom_ids:
        return False
    own = {tag.pk} | ({tag.merger_id} if tag.merger_id else set())
    if own & fandom_ids:
        return True
    if TagParent.objects.filter(child_id__in=own, parent_id__in=fandom_ids).exists():
        return True
    unsorted = Tag.objects.filter(pk=tag.pk)
    if tag.type == TagType.FANDOM:
        unsorted = unsorted.filter(canonical=False, merger__isnull=True)
    else:
        unsorted = unsorted.exclude(has_parent_fandom())
    if not unsorted.exists():
        return False
    return Tagging.objects.filter(tag=tag, work__taggings__tag__in=fandom_scope(fandom_ids)).exists()
