"""What other apps do for tags, and what tags asks them; each fills its part from its AppConfig.ready().

- `wrangled(tag_ids)`: these tags' synonyms or meta tags changed, so every work a filter on them
  may match needs its filters recomputed (works queues that in the background);

and asks them:
- `may_wrangle(user, tag)`: whether this user may wrangle this tag (wrangling.permissions: a
  fandom's wranglers reach the tags used on its works). The wrangling verbs check it for every
  tag they touch; without an answer nobody may;
- `TAG_USES` (`@tag_use`): where tags are used (works' taggings, bookmarks' tags), each as two
  conditions on Tag (OuterRef "pk"): used where this reader may look, and used at all.
  tags.visibility shows a reader a tag's name only if a use they may see, or none at all, exists.

tags never imports works, bookmarks or wrangling.
"""

from collections.abc import Callable, Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from accounts.models import User
from lib.hooks import Hook, Provider
from tags.models import Tag

AnyUser = User | AnonymousUser

wrangled: Hook[[Iterable[int]]] = Hook("wrangled")


def _nobody(user: AnyUser, tag: Tag) -> bool:
    return False


may_wrangle: Provider[[AnyUser, Tag], bool] = Provider("may_wrangle", default=_nobody)

TagUse = Callable[[AnyUser], tuple[Q, Q]]
TAG_USES: list[TagUse] = []


def tag_use(function: TagUse) -> TagUse:
    """Register a place tags are used: (used where this reader may look, used at all)."""
    if function not in TAG_USES:
        TAG_USES.append(function)
    return function
