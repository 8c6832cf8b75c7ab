"""The one permission-checked way to reach works.

Every page, listing, count and download goes through `visible_works` or one
of the `get_work_for_*` functions, so drafts, works hidden by staff and
restricted (logged-in only) works never leak to someone who may not see them.
Moderators read a hidden work's full text through `get_work_for_moderator`
(the desk's page, never the public work page), and never a draft.
"""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _

from accounts.models import User
from lib.hooks import Provider
from works.models import Chapter, Creatorship, Tagging, Work, visible_through

AnyUser = User | AnonymousUser


class LoginRequiredForWork(Exception):
    """A guest asked for a work restricted to logged-in users."""


def require_login_for_restricted(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Decorates a view that reads a work: a guest asking for a restricted one is sent to log in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except LoginRequiredForWork:
            messages.info(request, _("This work is only available to logged-in users of the archive. Please log in."))
            return redirect_to_login(request.get_full_path())

    return wrapper


def visible_works(user: AnyUser) -> QuerySet[Work]:
    """Works this user may see in listings: posted, not hidden, and public unless logged in."""
    return Work.objects.visible_to(user)


def listed_works(user: AnyUser) -> QuerySet[Work]:
    """Works to list to this reader: the visible ones minus those by creators they muted.

    (A muted creator's work still opens from a direct link; it just never shows up in lists.)
    """
    return Work.objects.listed_to(user)


def tags_on_works(reader: AnyUser) -> tuple[Q, Q]:
    """Where works use tags (tags.hooks.TAG_USES): a tag (OuterRef "pk") on a work this reader may
    see or on one of their own drafts (its tags come back to them as suggestions), and on any work."""
    used = Tagging.objects.filter(tag_id=OuterRef("pk"))
    seen = Q(Exists(used.filter(visible_through("work", members=reader.is_authenticated))))
    if reader.is_authenticated:
        seen |= Q(Exists(used.filter(work__creatorships__pseud__user=reader.pk)))
    return seen, Q(Exists(used))


def is_creator(user: AnyUser, work: Work) -> bool:
    if not user.is_authenticated:
        return False
    return work.creatorships.filter(pseud__user=user).exists()


def get_work_for_reader(user: AnyUser, work_id: int) -> Work:
    """The work if this user may read it; drafts and hidden works are 404 to everyone else."""
    work = Work.objects.filter(pk=work_id).first()
    if work is None:
        raise Http404("No such work.")
    if is_creator(user, work) or user.is_staff:
        return work
    if not work.is_published:
        raise Http404("No such work.")
    if not work.is_visible_to(user):
        raise LoginRequiredForWork
    return work


def openable_work_ids(user: AnyUser, work_ids: Iterable[int]) -> set[int]:
    """Which of these works `get_work_for_reader` would open for this user, in one query: for a page
    that names works it did not find through `visible_works` (a message about a work hidden since,
    orphaned since) and may link only those the reader can open."""
    works = Work.objects.filter(pk__in=set(work_ids))
    if user.is_staff:
        return set(works.values_list("pk", flat=True))
    may_open = visible_through("", members=user.is_authenticated)
    if user.is_authenticated:
        may_open |= Q(Exists(Creatorship.objects.filter(work=OuterRef("pk"), pseud__user=user.pk)))
    return set(works.filter(may_open).values_list("pk", flat=True))


def get_work_for_creator(user: AnyUser, work_id: int) -> Work:
    """The work if this user is one of its creators.

    Someone else's draft stays a 404 (its existence is private); someone
    else's visible work is a 403.
    """
    work = Work.objects.filter(pk=work_id).first()
    if work is None:
        raise Http404("No such work.")
    if is_creator(user, work):
        return work
    if work.is_visible_to(user):
        raise PermissionDenied("Only the work's creators can change it.")
    raise Http404("No such work.")


def _staff_only(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


# Who may read a hidden work from a moderation case: the moderation app gives its role check
# (moderation.roles.can_moderate) from ready(); works never imports moderation (CONTRIBUTING, Layers).
may_moderate: Provider[[AnyUser], bool] = Provider("may_moderate", default=_staff_only)


def get_work_for_moderator(user: AnyUser, work_id: int) -> Work:
    """A posted work, hidden by the moderators or not, for a moderator (or staff) reading it from a case.

    Drafts are a 404 even here: a draft is its creators' alone, as on AO3. So is any work to
    someone who does not moderate, so this door tells nobody else that a work exists."""
    work = Work.objects.filter(pk=work_id, posted=True).first()
    if work is None or not may_moderate(user):
        raise Http404("No such work.")
    return work


def moderated_chapters(work: Work) -> QuerySet[Chapter]:
    """Every posted chapter of a work for the moderators; unposted chapters are drafts, never theirs to read."""
    return work.chapters.filter(posted=True)


def readable_chapters(work: Work, user: AnyUser) -> QuerySet[Chapter]:
    chapters = work.chapters.all()
    if not is_creator(user, work):
        chapters = chapters.filter(posted=True)
    return chapters


ADULT_SESSION_KEY = "view_adult"


def needs_adult_gate(request: HttpRequest, work: Work, creator: bool) -> bool:
    """Whether to show the adult-content warning before this work (its page, a download):
    Mature, Explicit or Not Rated, not the reader's own work, not yet accepted in this
    session (`?view_adult=true` accepts it) and not waived in the reader's preferences."""
    if not work.is_adult or creator:
        return False
    if request.GET.get("view_adult") == "true":
        # Written once: links keep ?view_adult=true, and a session written on every page
        # view is a database write (and on SQLite a write lock) per page.
        if not request.session.get(ADULT_SESSION_KEY, False):
            request.session[ADULT_SESSION_KEY] = True
        return False
    user = request.user
    if isinstance(user, User) and user.skip_adult_gate:
        return False
    return not request.session.get(ADULT_SESSION_KEY, False)
