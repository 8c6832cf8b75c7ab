"""Who a reader has muted or been blocked by: the questions other apps ask before showing or allowing things.

Muting is applied on the server (unlike AO3's CSS rule), so lists and their counts leave the muted
users' things out. Muted creators' works are left out of lists by the visibility rule itself
(works.access.listed_works, which bookmark lists use too); comments and bookmarkers use `muted_user_ids`.
The mute list is a part of the reader's record (accounts.reader: cached by the reader's version,
which community.actions bumps with every mute and unmute).
"""

from accounts.hooks import reader_part
from accounts.models import User
from accounts.reader import read_part
from community.models import Block, Mute
from works.access import AnyUser
from works.models import Work


@reader_part("muted")
def _muted(user_id: int) -> tuple[int, ...]:
    return tuple(Mute.objects.filter(muter_id=user_id).order_by("muted_id").values_list("muted_id", flat=True))


def muted_user_ids(user: AnyUser) -> set[int]:
    """The ids of the users this reader has muted (none for guests)."""
    if not isinstance(user, User) or not user.is_authenticated:
        return set()
    return set(read_part(user, "muted"))


def blocked_by_creators(user: AnyUser, work: Work) -> bool:
    """True when one of the work's creators has blocked this user: no kudos, comments or gifts from them."""
    if not user.is_authenticated:
        return False
    return Block.objects.filter(blocked_id=user.pk, blocker__pseuds__creatorships__work=work).exists()
