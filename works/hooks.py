"""What other apps do when works change; each fills its hooks from its AppConfig.ready().

works calls these where the direct calls used to be, and never imports the apps behind them:
- `works_changed(work_ids, soon)`: a work's listing or search data changed (search queues
  index updates: at once when `soon`, else after SEARCH_LAZY_SECONDS, batched);
- `work_posted(work)`, `chapter_posted(chapter)`: a work or chapter became public (community
  tells subscribers);
- `chapter_deleted(work_id)`: a chapter went, with its comments (comments recounts the work's);
- `works_purged(work_ids)`: these works were deleted with their creator's account (downloads
  removes their files once the deletion is committed);
- `co_creators_named(work, inviter, pseuds)`: the posting form named co-creators (moderation
  invites them: they are asked, not credited);

and asks them:
- `muted_user_ids(reader)`: whom this reader muted (community): listings leave out their works;
- `co_creator_refusal(inviter, pseud)`: why this pseud may not be invited as co-creator, or None
  (moderation: blocks and invitation settings);
- `MUTED_COUNTS[counter](work_ids, muted)`: how much of these works' counter (comments_count,
  bookmarks_count) comes from muted users, per work (comments, bookmarks), so blurbs show counts
  as the muter sees them.
"""

from collections.abc import Callable

from accounts.models import Pseud, User
from lib.hooks import FunctionsByName, Hook, Provider
from works.access import AnyUser
from works.models import Chapter, Work

works_changed: Hook[[list[int], bool]] = Hook("works_changed")
work_posted: Hook[[Work]] = Hook("work_posted")
chapter_posted: Hook[[Chapter]] = Hook("chapter_posted")
chapter_deleted: Hook[[int]] = Hook("chapter_deleted")
works_purged: Hook[[set[int]]] = Hook("works_purged")
co_creators_named: Hook[[Work, User, list[Pseud]]] = Hook("co_creators_named")


def _nobody(reader: AnyUser) -> set[int]:
    return set()


muted_user_ids: Provider[[AnyUser], set[int]] = Provider("muted_user_ids", default=_nobody)


def _no_refusal(inviter: User, pseud: Pseud) -> str | None:
    return None


co_creator_refusal: Provider[[User, Pseud], str | None] = Provider("co_creator_refusal", default=_no_refusal)

MutedCount = Callable[[list[int], set[int]], dict[int, int]]
# By counter (a Work field): how many of its things on these works are by muted users.
MUTED_COUNTS: FunctionsByName[MutedCount] = FunctionsByName()
muted_count = MUTED_COUNTS.register
