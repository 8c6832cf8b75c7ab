"""What a work page shows of reader engagement, and the visit it records in the reader's history.

works.views asks for `engagement` once per work or chapter view (the `work_page_part` registered
in works/page.py); templates/community/_work_actions.html and _kudos.html render the result. The
reader's bookmark is the bookmarks app's part (bookmarks/work_page.py).
"""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from accounts.models import User
from community import actions
from community.models import Kudo, Reading, Subscription
from community.muting import blocked_by_creators
from lib.ratelimit import client_address
from works.models import Chapter, Work
from works.page import WorkPage, part

# Names listed under a work before "and N more users", as AO3 does.
KUDOS_NAMES_SHOWN = 50


@dataclass
class Engagement:
    kudos_sentence: SafeString | None
    # The reader (user or guest address) has left kudos already.
    kudos_left: bool
    can_leave_kudos: bool
    subscription_id: int | None = None
    marked_for_later: bool = False
    # Where the reader stopped last time, when that is not the chapter shown now.
    continue_chapter: Chapter | None = None


def kudos_sentence(names: list[str], more_users: int, guests: int) -> SafeString | None:
    """ "alice, bob and 3 guests left kudos on this work!" (names linked to profiles)."""
    parts = [format_html('<a href="{}">{}</a>', reverse("user_profile", args=[name]), name) for name in names]
    if more_users:
        parts.append(format_html(ngettext("{count} more user", "{count} more users", more_users), count=more_users))
    if guests:
        parts.append(format_html(ngettext("{count} guest", "{count} guests", guests), count=guests))
    if not parts:
        return None
    if len(parts) == 1:
        listed = parts[0]
    else:
        listed = format_html(
            gettext("{names} and {last}"),
            names=format_html_join(gettext(", "), "{}", ((p,) for p in parts[:-1])),
            last=parts[-1],
        )
    # The translated sentences are ours, trusted as HTML; only the names are escaped.
    return format_html(gettext("{names} left kudos on this work!"), names=listed)


def engagement(
    request: HttpRequest, work: Work, chapter: Chapter | None, readable: list[Chapter], creator: bool
) -> Engagement:
    """The work page's kudos, subscription, bookmark and history state; records the visit for logged-in readers.

    `chapter` is the chapter shown (None for the entire work); `readable` the chapters the reader may see.
    The reader's place (for "Continue reading") moves to each chapter read, except back to the first.
    """
    user = request.user
    kudos = Kudo.objects.filter(work=work)
    # Users are counted through their unique index; guests are the rest of the counter (which
    # leave_kudos keeps exact), so a work with many kudos doesn't count them all on every view.
    users = kudos.filter(user__isnull=False).count()
    names = list(
        kudos.filter(user__isnull=False)
        .order_by("-created_at", "-id")
        .values_list("user__username", flat=True)[:KUDOS_NAMES_SHOWN]
    )
    if isinstance(user, User):
        mine = kudos.filter(user=user)
    else:
        # The index's own condition spelled out, or SQLite won't use the partial index (work, guest_hash).
        mine = kudos.exclude(guest_hash="").filter(guest_hash=actions.guest_hash(_address(request)))
    result = Engagement(
        kudos_sentence=kudos_sentence(names, users - len(names), max(work.kudos_count - users, 0)),
        kudos_left=not creator and mine.exists(),
        # Blocked readers are refused by leave_kudos; the button is not offered either.
        can_leave_kudos=not creator and not (isinstance(user, User) and blocked_by_creators(user, work)),
    )
    if not isinstance(user, User):
        return result
    result.subscription_id = Subscription.objects.filter(user=user, work=work).values_list("pk", flat=True).first()
    reading = Reading.objects.filter(user=user, work=work).only("last_chapter_id", "marked_for_later").first()
    if reading is not None:
        result.marked_for_later = reading.marked_for_later
        shown_id = chapter.pk if chapter is not None else None
        if reading.last_chapter_id != shown_id and len(readable) > 1:
            result.continue_chapter = next((c for c in readable if c.pk == reading.last_chapter_id), None)
    if not creator:
        # The work's own page shows the first chapter: landing there must not lose the reader's place.
        first_of_many = chapter is not None and len(readable) > 1 and chapter.pk == readable[0].pk
        actions.record_visit(user, work, None if first_of_many else chapter)
    return result


@part
def work_page_part(request: HttpRequest, page: WorkPage) -> dict[str, Any]:
    return {"engagement": engagement(request, page.work, page.chapter, page.chapters, page.is_creator)}


def _address(request: HttpRequest) -> str:
    return client_address(request)
