from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.models import User
from community import actions
from community.actions import CommunityError
from community.models import MAX_BLOCKED, MAX_MUTED, Block, Mute, Reading, Subscription
from lib.params import parse_id
from lib.ratelimit import check_rate, client_address, too_many_requests
from works.access import LoginRequiredForWork, get_work_for_reader, listed_works, visible_works
from works.listing import with_blurb_data
from works.models import Creatorship, Series, Work


def _back(request: HttpRequest, default: str) -> HttpResponse:
    """Redirect to the page the form was on (a `next` field on this site), or to `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(default)


def _work_or_login(request: HttpRequest, work_id: int) -> Work:
    """The work if this reader may see it; raises LoginRequiredForWork for guests on restricted works."""
    work = get_work_for_reader(request.user, work_id)
    if not work.is_published:
        raise Http404("No such work.")
    return work


# Kudos


@require_POST
def leave_kudos(request: HttpRequest, work_id: int) -> HttpResponse:
    try:
        work = _work_or_login(request, work_id)
    except LoginRequiredForWork:
        messages.error(request, gettext("Only logged-in users can leave kudos on this work. Please log in."))
        return redirect_to_login(f"/works/{work_id}/")
    user = request.user if isinstance(request.user, User) else None
    key = f"user:{user.pk}" if user else None  # guests by address
    limited = check_rate(request, "kudos", key, settings.KUDOS_RATE_LIMIT, settings.KUDOS_RATE_WINDOW_SECONDS)
    if limited:
        return too_many_requests(request, limited)
    try:
        actions.leave_kudos(work, user, client_address(request))
    except CommunityError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, gettext("Thank you for leaving kudos!"))
    return _back(request, work.get_absolute_url())


# Subscriptions


@require_POST
@login_required
def subscribe(request: HttpRequest) -> HttpResponse:
    """Subscribe to a work (new chapters), a creator (new works) or a series (new parts)."""
    assert isinstance(request.user, User)
    kind, target = request.POST.get("kind", ""), request.POST.get("target", "")
    target_id = parse_id(target)
    try:
        if kind in ("work", "series") and target_id is None:
            raise Http404("No such work or series.")
        if kind == "work" and target_id is not None:
            work = _work_or_login(request, target_id)
            actions.subscribe(request.user, work=work)
            destination, name = work.get_absolute_url(), f"“{work.title}”"
        elif kind == "series":
            series = get_object_or_404(Series, pk=target_id)
            if not visible_works(request.user).filter(serial_works__series=series).exists():
                raise Http404("No such series.")
            actions.subscribe(request.user, series=series)
            destination, name = series.get_absolute_url(), f"“{series.title}”"
        elif kind == "creator":
            creator = get_object_or_404(User, username=target, is_active=True)
            actions.subscribe(request.user, creator=creator)
            destination, name = creator.get_absolute_url(), creator.username
        else:
            return HttpResponseBadRequest("Unknown subscription.")
    except ValueError:
        return HttpResponseBadRequest("Unknown subscription.")
    except CommunityError as refused:
        messages.error(request, refused.message)
        return _back(request, "subscriptions")
    messages.success(request, gettext("You are now subscribed to %(name)s.") % {"name": name})
    return _back(request, destination)


@require_POST
@login_required
def unsubscribe(request: HttpRequest, subscription_id: int) -> HttpResponse:
    subscription = get_object_or_404(Subscription, pk=subscription_id, user_id=request.user.pk)
    actions.unsubscribe(subscription)
    messages.success(request, gettext("You have unsubscribed."))
    return _back(request, "subscriptions")


@login_required
def subscriptions(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    subscriptions = (
        Subscription.objects.filter(user=request.user)
        .select_related("work", "creator", "series")
        .order_by("-created_at", "-id")
    )
    # visible_works, not listed_works: a subscription to a muted creator's work stays here to be ended.
    visible = set(
        visible_works(request.user)
        .filter(pk__in=[s.work_id for s in subscriptions if s.work_id])
        .values_list("pk", flat=True)
    )
    return render(request, "community/subscriptions.html", {"subscriptions": subscriptions, "visible": visible})


# History and Marked for Later


def _reading_page(request: HttpRequest, readings: QuerySet[Reading]) -> Page[Reading]:
    # Lists, so muted creators' works leave them (listed_works), as in the API's and OPDS's Marked for Later.
    readings = readings.filter(work__in=listed_works(request.user)).prefetch_related(
        Prefetch("work", queryset=with_blurb_data(Work.objects.defer("notes", "endnotes"))),
    )
    readings = readings.select_related("last_chapter").defer("last_chapter__content")
    return Paginator(readings, settings.WORKS_PER_PAGE).get_page(request.GET.get("page", 1))


@login_required
def history(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    readings = Reading.objects.filter(user=request.user, last_visited__isnull=False).order_by("-last_visited", "-id")
    if not request.user.history_enabled:
        # Turned off means not shown, as well as not recorded (the rows wait for it to come back on).
        readings = readings.none()
    return render(request, "community/history.html", {"page": _reading_page(request, readings)})


@login_required
def history_clear(request: HttpRequest) -> HttpResponse:
    """Asks first (GET), clears on the confirmation (POST): the whole history goes in one step."""
    assert isinstance(request.user, User)
    if request.method != "POST":
        count = Reading.objects.filter(user=request.user, last_visited__isnull=False).count()
        return render(request, "community/history_confirm_clear.html", {"count": count})
    actions.clear_history(request.user)
    messages.success(request, gettext("Your history is now cleared."))
    return redirect("history")


@login_required
def later(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    readings = Reading.objects.filter(user=request.user, marked_for_later=True).order_by("-id")
    return render(request, "community/later.html", {"page": _reading_page(request, readings)})


@require_POST
@login_required
def mark_for_later(request: HttpRequest, work_id: int) -> HttpResponse:
    assert isinstance(request.user, User)
    work = _work_or_login(request, work_id)
    actions.mark_for_later(request.user, work)
    messages.success(request, gettext("This work was added to your Marked for Later list."))
    return _back(request, work.get_absolute_url())


@require_POST
@login_required
def mark_as_read(request: HttpRequest, work_id: int) -> HttpResponse:
    assert isinstance(request.user, User)
    work = _work_or_login(request, work_id)
    actions.mark_as_read(request.user, work)
    messages.success(request, gettext("This work was removed from your Marked for Later list."))
    return _back(request, work.get_absolute_url())


# Blocking and muting


def _other_user(request: HttpRequest, username: str) -> User:
    return get_object_or_404(User, username=username, is_active=True)


def _block_or_mute(request: HttpRequest, other: User, *, muting: bool) -> None:
    """Block (or mute) `other` for the requesting user and say how it went."""
    assert isinstance(request.user, User)
    try:
        (actions.mute_user if muting else actions.block_user)(request.user, other)
    except CommunityError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            (gettext("You have muted %(username)s.") if muting else gettext("You have blocked %(username)s."))
            % {"username": other.username},
        )


def _confirm_then(request: HttpRequest, username: str, *, muting: bool) -> HttpResponse:
    """GET explains what blocking (or muting) does; POST does it."""
    assert isinstance(request.user, User)
    other = _other_user(request, username)
    if request.method != "POST":
        return render(request, "community/confirm_block.html", {"other": other, "mute": muting})
    _block_or_mute(request, other, muting=muting)
    return _back(request, other.get_absolute_url())


def _undo(request: HttpRequest, username: str, *, muting: bool) -> HttpResponse:
    assert isinstance(request.user, User)
    other = _other_user(request, username)
    (actions.unmute_user if muting else actions.unblock_user)(request.user, other)
    messages.success(
        request,
        (gettext("You have unmuted %(username)s.") if muting else gettext("You have unblocked %(username)s."))
        % {"username": other.username},
    )
    return _back(request, other.get_absolute_url())


@login_required
def block(request: HttpRequest, username: str) -> HttpResponse:
    return _confirm_then(request, username, muting=False)


@require_POST
@login_required
def unblock(request: HttpRequest, username: str) -> HttpResponse:
    return _undo(request, username, muting=False)


@login_required
def mute(request: HttpRequest, username: str) -> HttpResponse:
    return _confirm_then(request, username, muting=True)


@require_POST
@login_required
def unmute(request: HttpRequest, username: str) -> HttpResponse:
    return _undo(request, username, muting=True)


def _manage(request: HttpRequest, *, muting: bool) -> HttpResponse:
    """The blocked or muted users list, with a form to add someone by username."""
    assert isinstance(request.user, User)
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        other = User.objects.filter(username__iexact=username, is_active=True).first()
        if other is None:
            messages.error(
                request,
                gettext("There is no user called “%(username)s”.") % {"username": username}
                if username
                else gettext("Type a username."),
            )
        else:
            _block_or_mute(request, other, muting=muting)
        return redirect("muted_users" if muting else "blocked_users")
    if muting:
        rows = Mute.objects.filter(muter=request.user).select_related("muted").order_by("muted__username")
        users = [(row.muted, row.created_at) for row in rows]
    else:
        blocks = Block.objects.filter(blocker=request.user).select_related("blocked").order_by("blocked__username")
        users = [(row.blocked, row.created_at) for row in blocks]
    context = {"users": users, "mute": muting, "limit": MAX_MUTED if muting else MAX_BLOCKED}
    return render(request, "community/manage_blocked.html", context)


@login_required
def blocked_users(request: HttpRequest) -> HttpResponse:
    return _manage(request, muting=False)


@login_required
def muted_users(request: HttpRequest) -> HttpResponse:
    return _manage(request, muting=True)


# Stats

STAT_COLUMNS = {
    "hits": _("Hits"),
    "kudos_count": _("Kudos"),
    "comments_count": _("Comments"),
    "bookmarks_count": _("Bookmarks"),
    "subscriber_count": _("Subscriptions"),
    "word_count": _("Words"),
}


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    """Each posted work's hits, kudos, comments, bookmarks, subscriptions and words, with totals.

    The counters are columns of Work; subscriptions are counted in the same query.
    """
    assert isinstance(request.user, User)
    sort = request.GET.get("sort", "")
    order = f"-{sort}" if sort in STAT_COLUMNS else "title_sort"
    works = list(
        Work.objects.filter(pk__in=Creatorship.objects.filter(pseud__user=request.user).values("work_id"))
        # Not the readers' rule (WorkQuerySet.visible_to): creators see their own posted works'
        # figures, those the moderators hid included (marked so in the table); drafts have none.
        .filter(posted=True)
        .annotate(subscriber_count=Count("subscriptions"))
        .only("title", "hidden_by_admin", *(c for c in STAT_COLUMNS if c != "subscriber_count"))
        .order_by(order, "id")
    )
    rows = [(work, [getattr(work, column) for column in STAT_COLUMNS]) for work in works]
    totals = [sum(values[i] for _work, values in rows) for i in range(len(STAT_COLUMNS))]
    creator_subscribers = Subscription.objects.filter(creator=request.user).count()
    context = {
        "rows": rows,
        "totals": totals,
        "columns": list(STAT_COLUMNS.items()),
        "sort": sort if sort in STAT_COLUMNS else "",
        "creator_subscribers": creator_subscribers,
    }
    return render(request, "community/stats.html", context)
