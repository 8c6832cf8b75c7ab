"""Who a reader has muted or been blocked by: the questions other apps ask before showing or allowing things.

Muting is applied on the server (unlike AO3's CSS rule), so lists and their counts leave the muted
users' things out. Muted creators' works are left out of lists by the visibility rule itself
(works.access.listed_works, which bookmark lists use too); comments and bookmarkers use `muted_user_ids`.
"""

from community.models import Block, Mute
from works.access import AnyUser
from works.models import Work


def muted_user_ids(user: AnyUser) -> set[int]:
    """The ids of the users this reader has muted (none for guests)."""
    if not user.is_authenticated:
        return set()
    return set(Mute.objects.filter(muter_id=user.pk).values_list("muted_id", flat=True))


def blocked_by_creators(user: AnyUser, work: Work) -> bool:
    """True when one of the work's creators has blocked this user: no kudos, comments or gifts from them."""
    if not user.is_authenticated:
        return False
    return Block.objects.filter(blocked_id=user.pk, blocker__pseuds__creatorships__work=work).exists()
