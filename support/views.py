"""Contacting support, support's queue, and support's account lookup (moderation.roles.can_support says who)."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts import verification
from accounts.models import EmailVerification, User
from accounts.signup import HONEYPOT_FIELD, take_signup_slot
from comments.ratelimit import ip_hash
from community.models import InboxItem
from lib.querystring import query_without_page
from lib.ratelimit import too_many_requests
from moderation.models import Standing
from moderation.roles import can_support, requires
from support import actions
from support.forms import ContactForm, FollowUpForm, LookupForm, NoteForm, ReplyForm
from support.models import SupportRequest
from support.ratelimit import take_support_slot

PAGE_SIZE = 50
LOOKUP_RESULTS = 20
View = Any


support_only = requires(can_support, "Only the archive's support volunteers and staff can do that.")


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


# Asking


def contact(request: HttpRequest) -> HttpResponse:
    """The "Contact support" form, for members and guests; a refused one keeps everything typed."""
    guest = not request.user.is_authenticated
    form = ContactForm(request.POST if request.method == "POST" else None, guest=guest)
    if request.method != "POST":
        return render(request, "support/contact.html", {"form": form})
    if request.POST.get(HONEYPOT_FIELD):
        form.add_error(None, gettext("Message refused: the form was not filled in by a person."))
        return render(request, "support/contact.html", {"form": form}, status=400)
    if not form.is_valid():
        return render(request, "support/contact.html", {"form": form}, status=400)
    limited = take_support_slot(request)
    if limited:
        form.add_error(None, limited.message)
        return too_many_requests(request, limited, "support/contact.html", {"form": form})
    data = form.cleaned_data
    asked = actions.ask(
        None if guest else _user(request),
        data.get("email", ""),
        data["category"],
        data["subject"],
        data["message"],
        ip_hash(request),
    )
    if guest:
        text = gettext("Thank you. Your request has the reference %(reference)s; we will answer by email.")
    else:
        text = gettext("Thank you. Your request has the reference %(reference)s; our answer will be in your inbox.")
    messages.success(request, text % {"reference": asked.reference})
    return redirect("support_mine" if not guest else "support_contact")


def _own_requests(user: User) -> QuerySet[SupportRequest]:
    return SupportRequest.objects.filter(user=user).exclude(status=SupportRequest.Status.SPAM)


def _mine_context(user: User, refused: tuple[int, FollowUpForm] | None = None) -> dict[str, Any]:
    """Each request with its messages and, unless closed, a form to write again (the refused one kept)."""
    requests = list(_own_requests(user).order_by("-created_at", "-id").prefetch_related("replies")[:100])
    for asked in requests:
        if refused is not None and refused[0] == asked.pk:
            asked.follow_up_form = refused[1]  # type: ignore[attr-defined]
        else:
            asked.follow_up_form = FollowUpForm(auto_id=f"follow-up-{asked.pk}-%s")  # type: ignore[attr-defined]
    return {"requests": requests}


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """A member's own requests, support's answers (where the inbox item points) and their follow-ups."""
    user = _user(request)
    InboxItem.objects.filter(user=user, kind=InboxItem.Kind.SUPPORT_REPLY, read=False).update(read=True)
    return render(request, "support/mine.html", _mine_context(user))


@require_POST
@login_required
def follow_up(request: HttpRequest, request_id: int) -> HttpResponse:
    """The member who asked writes again on their request; anyone else's request is a 404."""
    user = _user(request)
    asked = get_object_or_404(_own_requests(user), pk=request_id)
    form = FollowUpForm(request.POST, auto_id=f"follow-up-{asked.pk}-%s")
    if not form.is_valid():
        return render(request, "support/mine.html", _mine_context(user, (asked.pk, form)), status=400)
    limited = take_support_slot(request)
    if limited:
        form.add_error(None, limited.message)
        return too_many_requests(request, limited, "support/mine.html", _mine_context(user, (asked.pk, form)))
    try:
        actions.follow_up(user, asked, form.cleaned_data["text"])
    except actions.SupportError as refusal:
        messages.error(request, refusal.message)
        return redirect("support_mine")
    text = gettext("Support will read your message on %(reference)s.")
    messages.success(request, text % {"reference": asked.reference})
    return redirect(reverse("support_mine") + f"#support-{asked.pk}")


# The queue


@support_only
def queue(request: HttpRequest) -> HttpResponse:
    requests = SupportRequest.objects.select_related("user", "claimed_by")
    chosen = {}
    for name, choices in (("status", SupportRequest.Status), ("category", SupportRequest.Category)):
        value = request.GET.get(name, "open" if name == "status" else "")
        if value in choices.values:
            requests = requests.filter(**{name: value})
            chosen[name] = value
        else:
            chosen[name] = ""
    if request.GET.get("mine"):
        requests = requests.filter(claimed_by=_user(request))
    context = {
        "page": Paginator(requests.order_by("created_at", "id"), PAGE_SIZE).get_page(request.GET.get("page")),
        "chosen": chosen,
        "statuses": SupportRequest.Status.choices,
        "categories": SupportRequest.Category.choices,
        "query": query_without_page(request),
    }
    return render(request, "support/queue.html", context)


def _detail(request: HttpRequest, asked: SupportRequest, status: int = 200, **forms_: Any) -> HttpResponse:
    context = {
        "asked": asked,
        "notes": asked.notes.select_related("author"),
        "replies": asked.replies.select_related("author"),
        "note_form": NoteForm(),
        "reply_form": ReplyForm(),
        **forms_,
    }
    return render(request, "support/request.html", context, status=status)


def _request(request_id: int) -> SupportRequest:
    return get_object_or_404(SupportRequest.objects.select_related("user", "claimed_by"), pk=request_id)


@support_only
def detail(request: HttpRequest, request_id: int) -> HttpResponse:
    return _detail(request, _request(request_id))


@require_POST
@support_only
def claim(request: HttpRequest, request_id: int) -> HttpResponse:
    asked = _request(request_id)
    try:
        actions.claim(_user(request), asked)
    except actions.SupportError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, gettext("You claimed %(reference)s.") % {"reference": asked.reference})
    return redirect("support_request", asked.pk)


@require_POST
@support_only
def note(request: HttpRequest, request_id: int) -> HttpResponse:
    asked = _request(request_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _detail(request, asked, 400, note_form=form)
    actions.add_note(_user(request), asked, form.cleaned_data["text"])
    return redirect("support_request", asked.pk)


@require_POST
@support_only
def reply(request: HttpRequest, request_id: int) -> HttpResponse:
    asked = _request(request_id)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _detail(request, asked, 400, reply_form=form)
    actions.reply(_user(request), asked, form.cleaned_data["text"])
    if asked.user is not None:
        messages.success(
            request, gettext("Your answer is in %(username)s's inbox.") % {"username": asked.user.username}
        )
    else:
        messages.success(request, gettext("Your answer will be emailed to %(email)s.") % {"email": asked.email})
    return redirect("support_request", asked.pk)


@require_POST
@support_only
def close(request: HttpRequest, request_id: int) -> HttpResponse:
    asked = _request(request_id)
    try:
        actions.close(_user(request), asked)
    except actions.SupportError as refusal:
        messages.error(request, refusal.message)
        return redirect("support_request", asked.pk)
    messages.success(request, gettext("%(reference)s is closed.") % {"reference": asked.reference})
    return redirect("support_queue")


# Looking up an account


@support_only
def accounts(request: HttpRequest) -> HttpResponse:
    """Find an account by username or email: only what support needs to help with logging in."""
    form = LookupForm(request.GET if "q" in request.GET else None)
    found: list[dict[str, Any]] = []
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        users = User.objects.filter(Q(username__icontains=q) | Q(email__iexact=q)).order_by("username")
        accounts = list(users[:LOOKUP_RESULTS])
        standings = {s.user_id: s for s in Standing.objects.filter(user__in=accounts)}
        unverified = set(
            EmailVerification.objects.filter(user__in=accounts, verified_at=None).values_list("user_id", flat=True)
        )
        now = timezone.now()
        for account in accounts:
            standing = standings.get(account.pk)
            until = standing.suspended_until if standing else None
            found.append(
                {
                    "account": account,
                    "unverified": account.pk in unverified,
                    "banned": bool(standing and standing.banned),
                    "suspended_until": until if until and until > now else None,
                }
            )
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "support/accounts.html", {"form": form, "found": found}, status=status)


@require_POST
@support_only
def resend_verification(request: HttpRequest, user_id: int) -> HttpResponse:
    account = get_object_or_404(User, pk=user_id, is_active=True)
    if not verification.is_unverified(account):
        messages.info(
            request, gettext("%(username)s's email address is already confirmed.") % {"username": account.username}
        )
    elif not take_signup_slot(f"resend:{account.pk}"):
        messages.error(request, gettext("Several links went to this address already. Please wait an hour."))
    else:
        verification.send_verification(account)
        messages.success(request, gettext("A new link went to %(email)s.") % {"email": account.email})
    return redirect(reverse("support_accounts") + "?" + urlencode({"q": account.username}))
