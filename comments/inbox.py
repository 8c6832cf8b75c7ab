"""The inbox's one rule: which items a user sees there, and so which ones the account menu counts.

News, and comments still there to read (published or awaiting the creator's approval), less
anything from users they muted and anything about a work they may no longer see (works.models'
PUBLISHED rule: a work the moderators hid), unless it is one of their own works. The inbox page
(comments.views) and the unread count beside the account menu (fanarchive.context_processors)
both call `inbox_items`, so they cannot disagree.
"""

from django.db.models import Q, QuerySet

from accounts.models import User
from comments.actions import LIVE
from community.models import InboxItem, Mute
from works.models import Creatorship, published_through


def inbox_items(user: User, *, unread_only: bool = False) -> QuerySet[InboxItem]:
    """The user's inbox, in one query (mutes and own works go in as subqueries): every logged-in
    page counts its unread items."""
    items = InboxItem.objects.filter(user=user)
    if unread_only:
        items = items.filter(read=False)
    own = Creatorship.objects.filter(pseud__user=user).values("work_id")
    about_work = Q(work__isnull=True) | published_through("work") | Q(work_id__in=own)
    about_comment = Q(comment__isnull=True) | (
        Q(comment__status__in=LIVE) & (published_through("comment__work") | Q(comment__work_id__in=own))
    )
    muted = Mute.objects.filter(muter=user).values("muted_id")
    return items.filter(about_work & about_comment).exclude(comment__user_id__in=muted)
