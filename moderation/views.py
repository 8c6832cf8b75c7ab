"""Reporting, the moderation desk, the moderation log, roles, and a user's messages from the moderators."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.models import User
from comments.models import Comment
from lib.params import parse_id
from lib.querystring import query_without_page
from lib.ratelimit import too_many_requests
from moderation import actions, consent
from moderation.forms import (
    AnswerForm,
    AppointForm,
    NoteForm,
    RatingForm,
    ReasonForm,
    ReportForm,
    ResolveForm,
    SuspendForm,
)
from moderation.models import (
    Category,
    CoCreatorInvitation,
    InvitationSetting,
    LogEntry,
    Notice,
    Report,
    Standing,
    TargetKind,
)
from moderation.ratelimit import take_report_slot
from moderation.roles import Role, can_manage_roles, can_moderate, members, requires
from moderation.targets import find_target
from news.models import NewsComment
from tags.models import Tag
from works.access import (
    get_work_for_moderator,
    moderated_chapters,
    openable_work_ids,
    require_login_for_restricted,
)
from works.listing import with_blurb_data
from works.models import Work

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


_REFUSAL = "Only the archive's moderators and staff can do that."
moderators_only = requires(can_moderate, _REFUSAL)
staff_only = requires(can_manage_roles, _REFUSAL)


# Reporting


@require_login_for_restricted
def report_new(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in TargetKind.values:
        raise Http404("Nothing of that kind can be reported.")
    target = find_target(kind, pk, request.user)
    guest = not request.user.is_authenticated
    form = ReportForm(request.POST if request.method == "POST" else None, guest=guest)
    if request.method == "POST" and form.is_valid():
        limited = take_report_slot(request)
        if limited:
            form.add_error(None, limited.message)
            context = {"form": form, "target": target, "kind_label": TargetKind(kind).label}
            return too_many_requests(request, limited, "moderation/report_form.html", context)
        report = actions.file_report(
            target,
            None if guest else _user(request),
            form.cleaned_data.get("email", ""),
            form.cleaned_data["category"],
            form.cleaned_data["description"],
        )
        messages.success(
            request,
            gettext("Thank you. Your report has the reference %(reference)s; we will tell you the outcome.")
            % {"reference": report.reference},
        )
        return redirect(target.url)
    status = 400 if form.is_bound else 200
    context = {"form": form, "target": target, "kind_label": TargetKind(kind).label}
    return render(request, "moderation/report_form.html", context, status=status)


# The desk


@moderators_only
def desk(request: HttpRequest) -> HttpResponse:
    """The queue of reports, open first, filtered by category, status and kind of target."""
    reports = Report.objects.select_related("reporter", "claimed_by", "target_user")
    chosen = {}
    for name, choices in (("status", Report.Status), ("category", Category), ("kind", TargetKind)):
        value = request.GET.get(name, "open" if name == "status" else "")
        if value in choices.values:
            reports = reports.filter(**{name: value})
            chosen[name] = value
        else:
            chosen[name] = ""
    if request.GET.get("mine"):
        reports = reports.filter(claimed_by=_user(request))
    page = Paginator(reports.order_by("created_at", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "chosen": chosen,
        "statuses": Report.Status.choices,
        "categories": Category.choices,
        "kinds": TargetKind.choices,
        "query": query_without_page(request),
    }
    return render(request, "moderation/desk.html", context)


@dataclass
class Decision:
    verb: str
    label: str
    form: forms.Form
    danger: bool = False


SNAPSHOT_LABELS = {
    "id": _("Id"),
    "title": _("Title"),
    "creators": _("Creators"),
    "rating": _("Rating"),
    "warnings": _("Archive warnings"),
    "fandoms": _("Fandoms"),
    "summary": _("Summary"),
    "chapter_id": _("Chapter id"),
    "position": _("Chapter number"),
    "chapter_title": _("Chapter title"),
    "content": _("Text"),
    "work_id": _("Work id"),
    "news_post_id": _("News post id"),
    "author": _("Author"),
    "bookmarker": _("Bookmarked by"),
    "notes": _("Notes"),
    "username": _("Username"),
    "name": _("Name"),
    "type": _("Tag type"),
}
DECISION_LABELS = {
    "hide_work": _("Hide the work"),
    "unhide_work": _("Unhide the work"),
    "correct_rating": _("Correct the rating and warnings"),
    "delete_work": _("Delete the work"),
    "hide_comment": _("Hide the comment"),
    "unhide_comment": _("Unhide the comment"),
    "delete_comment": _("Delete the comment"),
    "warn": _("Warn the account"),
    "suspend": _("Suspend the account"),
    "unsuspend": _("Lift the suspension"),
    "ban": _("Ban the account"),
    "unban": _("Lift the ban"),
    "spam": _("Mark the account as spam"),
}
DANGEROUS = {"delete_work", "delete_comment", "ban", "spam"}


def _decision_verbs(report: Report, work: Work | None, standing: Standing | None) -> list[str]:
    verbs = []
    if work is not None:
        verbs += ["unhide_work" if work.hidden_by_admin else "hide_work", "correct_rating", "delete_work"]
    comment = report.comment or report.news_comment
    # Both kinds of comment share the status values.
    if comment is not None and comment.status != Comment.Status.DELETED:
        verbs += ["unhide_comment" if comment.status == Comment.Status.HIDDEN else "hide_comment", "delete_comment"]
    if report.target_user is not None:
        verbs += ["warn", "suspend"]
        if standing is not None and standing.suspended_until:
            verbs.append("unsuspend")
        verbs += ["unban"] if standing is not None and standing.banned else ["ban", "spam"]
    return verbs


def _snapshot_rows(snapshot: dict[str, Any]) -> list[tuple[str, str]]:
    # In the labels' order, not the stored one: PostgreSQL's jsonb keeps keys in its own order.
    order = {key: number for number, key in enumerate(SNAPSHOT_LABELS)}
    rows = []
    for key, value in sorted(snapshot.items(), key=lambda item: (order.get(item[0], len(order)), item[0])):
        text = ", ".join(str(item) for item in value) if isinstance(value, list) else str(value)
        rows.append((str(SNAPSHOT_LABELS.get(key, key)), text))
    return rows


def _case_context(report: Report, failed: tuple[str, forms.Form] | None = None, **forms_: forms.Form) -> dict[str, Any]:
    work = report.work or (report.chapter.work if report.chapter else None)
    standing = Standing.objects.filter(user=report.target_user).first() if report.target_user else None
    decisions = []
    for verb in _decision_verbs(report, work, standing):
        form_class = (CONTENT_ACTIONS.get(verb) or ACCOUNT_ACTIONS[verb])[0]
        if failed is not None and failed[0] == verb:
            form = failed[1]
        elif form_class is RatingForm:
            rating = (report.snapshot.get("rating") or [""])[0]
            form = RatingForm(prefix=verb, initial={"rating": rating, "warnings": report.snapshot.get("warnings", [])})
        else:
            form = form_class(prefix=verb)
        decisions.append(Decision(verb, str(DECISION_LABELS[verb]), form, verb in DANGEROUS))
    context: dict[str, Any] = {
        "report": report,
        "work": work,
        "comment": report.comment or report.news_comment,
        "standing": standing,
        "snapshot_rows": _snapshot_rows(report.snapshot),
        "notes": report.notes.select_related("author"),
        "log": report.log.select_related("report")[:100],
        "note_form": NoteForm(),
        "resolve_form": ResolveForm(),
        "decisions": decisions,
    }
    context.update(forms_)
    return context


@moderators_only
def case(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_object_or_404(Report.objects.select_related("reporter", "claimed_by", "target_user"), pk=report_id)
    return render(request, "moderation/case.html", _case_context(report))


def _invalid(request: HttpRequest, report: Report, name: str, form: forms.Form) -> HttpResponse:
    messages.error(request, gettext("The action was not taken: correct the form below."))
    if name in DECISION_LABELS:
        context = _case_context(report, failed=(name, form))
    else:
        context = _case_context(report, None, **{name: form})
    return render(request, "moderation/case.html", context, status=400)


def _refused(request: HttpRequest, refusal: actions.ModerationError, report: Report) -> HttpResponse:
    messages.error(request, refusal.message)
    return redirect("moderation_case", report.pk)


@require_POST
@moderators_only
def case_claim(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_object_or_404(Report, pk=report_id)
    try:
        actions.claim(_user(request), report)
    except actions.ModerationError as refusal:
        return _refused(request, refusal, report)
    messages.success(request, gettext("You claimed case %(reference)s.") % {"reference": report.reference})
    return redirect("moderation_case", report.pk)


@require_POST
@moderators_only
def case_note(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_object_or_404(Report, pk=report_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _invalid(request, report, "note_form", form)
    actions.add_note(_user(request), report, form.cleaned_data["text"])
    return redirect("moderation_case", report.pk)


@require_POST
@moderators_only
def case_resolve(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_object_or_404(Report, pk=report_id)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        return _invalid(request, report, "resolve_form", form)
    try:
        actions.resolve(_user(request), report, form.cleaned_data["outcome"])
    except actions.ModerationError as refusal:
        return _refused(request, refusal, report)
    messages.success(request, gettext("Case %(reference)s is resolved.") % {"reference": report.reference})
    return redirect("moderation_desk")


# Actions on the reported content. Each verb: the form it reads, and the action on the case's target.
ContentAction = Callable[[User, Report, dict[str, Any]], None]


def _work_of(report: Report) -> Work:
    work = report.work or (report.chapter.work if report.chapter else None)
    if work is None:
        raise actions.ModerationError(gettext("This case is not about a work, or the work is gone."))
    return work


def _comment_of(report: Report) -> Comment | NewsComment:
    if report.news_comment is not None:
        return report.news_comment
    if report.comment is None:
        raise actions.ModerationError(gettext("This case is not about a comment, or the comment is gone."))
    return report.comment


CONTENT_ACTIONS: dict[str, tuple[type[forms.Form], ContentAction]] = {
    "hide_work": (ReasonForm, lambda actor, r, data: actions.hide_work(actor, r, _work_of(r), data["reason"])),
    "unhide_work": (ReasonForm, lambda actor, r, data: actions.unhide_work(actor, r, _work_of(r), data["reason"])),
    "delete_work": (ReasonForm, lambda actor, r, data: actions.delete_work(actor, r, _work_of(r), data["reason"])),
    "correct_rating": (
        RatingForm,
        lambda actor, r, data: actions.correct_rating(
            actor, r, _work_of(r), data["rating"], data["warnings"], data["reason"]
        ),
    ),
    "hide_comment": (ReasonForm, lambda actor, r, data: actions.hide_comment(actor, r, _comment_of(r), data["reason"])),
    "unhide_comment": (
        ReasonForm,
        lambda actor, r, data: actions.unhide_comment(actor, r, _comment_of(r), data["reason"]),
    ),
    "delete_comment": (
        ReasonForm,
        lambda actor, r, data: actions.delete_comment(actor, r, _comment_of(r), data["reason"]),
    ),
}


def _account_of(report: Report) -> User:
    if report.target_user is None:
        raise actions.ModerationError(gettext("No account is responsible for what this case is about."))
    return report.target_user


ACCOUNT_ACTIONS: dict[str, tuple[type[forms.Form], ContentAction]] = {
    "warn": (ReasonForm, lambda actor, r, data: actions.warn(actor, r, _account_of(r), data["reason"])),
    "suspend": (
        SuspendForm,
        lambda actor, r, data: actions.suspend(
            actor, r, _account_of(r), data["days"], data["reason"], hide_works=data["hide_works"]
        ),
    ),
    "unsuspend": (ReasonForm, lambda actor, r, data: actions.unsuspend(actor, r, _account_of(r), data["reason"])),
    "ban": (ReasonForm, lambda actor, r, data: actions.ban(actor, r, _account_of(r), data["reason"])),
    "spam": (ReasonForm, lambda actor, r, data: actions.ban(actor, r, _account_of(r), data["reason"], spam=True)),
    "unban": (ReasonForm, lambda actor, r, data: actions.unban(actor, r, _account_of(r), data["reason"])),
}


@require_POST
@moderators_only
def case_act(request: HttpRequest, report_id: int, verb: str) -> HttpResponse:
    """One decision on a case: hide, unhide, delete, correct the rating; warn, suspend, ban, mark as spam."""
    entry = CONTENT_ACTIONS.get(verb) or ACCOUNT_ACTIONS.get(verb)
    if entry is None:
        raise Http404("No such action.")
    report = get_object_or_404(
        Report.objects.select_related(
            "work", "chapter__work", "comment__work", "comment__user", "news_comment__user", "target_user"
        ),
        pk=report_id,
    )
    form_class, act = entry
    form = form_class(request.POST, prefix=verb)
    if not form.is_valid():
        return _invalid(request, report, verb, form)
    try:
        act(_user(request), report, form.cleaned_data)
    except actions.ModerationError as refusal:
        return _refused(request, refusal, report)
    messages.success(request, gettext("Done. The decision is in the moderation log."))
    return redirect("moderation_case", report.pk)


# Reading a work in full for a case


@moderators_only
def work_text(request: HttpRequest, work_id: int) -> HttpResponse:
    """A work's full text as its creators see it (every posted chapter), hidden or not, marked as such.

    Not the work page: no hits, history, kudos or comments, and nothing cached for anyone else."""
    work = get_work_for_moderator(request.user, work_id)
    work = with_blurb_data(Work.objects.filter(pk=work.pk)).get()
    chapters = list(moderated_chapters(work))
    cases = Report.objects.filter(Q(work=work) | Q(chapter__work=work)).order_by("-created_at", "-id")[:20]
    context = {"work": work, "chapters": chapters, "shown_chapters": chapters, "multi_chapter": len(chapters) > 1}
    response = render(request, "moderation/work_text.html", {**context, "cases": cases})
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


# The log and a user's history


@moderators_only
def log(request: HttpRequest) -> HttpResponse:
    """The moderation log, searchable by account, moderator, reason or what it was about."""
    entries = LogEntry.objects.select_related("actor", "user", "report")
    query = request.GET.get("q", "").strip()[:200]
    action = request.GET.get("action", "")
    if query:
        entries = entries.filter(
            Q(actor_name__icontains=query) | Q(user__username__icontains=query) | Q(reason__icontains=query)
        )
    if action in LogEntry.Action.values:
        entries = entries.filter(action=action)
    else:
        action = ""
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": query,
        "action": action,
        "actions": LogEntry.Action.choices,
        "query": query_without_page(request),
    }
    return render(request, "moderation/log.html", context)


@moderators_only
def user_history(request: HttpRequest, username: str) -> HttpResponse:
    account = get_object_or_404(User, username=username)
    context = {
        "account": account,
        "standing": Standing.objects.filter(user=account).first(),
        "entries": LogEntry.objects.filter(user=account).select_related("actor", "report")[:200],
        "reports": Report.objects.filter(target_user=account).order_by("-created_at")[:100],
    }
    return render(request, "moderation/user_history.html", context)


# Roles


APPOINTED = {
    Role.MODERATOR: _("%(username)s is now a moderator."),
    Role.SUPPORT: _("%(username)s is now a support volunteer."),
    Role.WRANGLER: _("%(username)s now wrangles %(what)s."),
}
DISMISSED = {
    Role.MODERATOR: _("%(username)s is no longer a moderator."),
    Role.SUPPORT: _("%(username)s is no longer a support volunteer."),
    Role.WRANGLER: _("%(username)s no longer wrangles %(what)s."),
}


def _role_message(template: "StrOrPromise", account: User, fandom: Tag | None) -> str:
    what = f"“{fandom.name}”" if fandom else gettext("every fandom")
    return str(template) % {"username": account.username, "what": what}


@staff_only
def roles(request: HttpRequest) -> HttpResponse:
    """Staff appoint and remove moderators, support volunteers and tag wranglers; every change is logged."""
    form = AppointForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        account, role, fandom = form.cleaned_data["username"], form.cleaned_data["role"], form.cleaned_data["fandom"]
        try:
            actions.appoint(_user(request), account, role, fandom=fandom)
        except actions.ModerationError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _role_message(APPOINTED[Role(role)], account, fandom))
            return redirect("moderation_roles")
    teams = [(role, label, members(role)) for role, label in Role.choices]
    return render(request, "moderation/roles.html", {"form": form, "teams": teams}, status=400 if form.errors else 200)


@require_POST
@staff_only
def role_remove(request: HttpRequest, role: str, user_id: int) -> HttpResponse:
    """Remove someone from a role; for a wrangler, from one fandom (the form's `fandom` id; none: every fandom)."""
    if role not in Role.values:
        raise Http404("No such role.")
    account = get_object_or_404(User, pk=user_id)
    fandom = None
    if role == Role.WRANGLER and request.POST.get("fandom"):
        fandom = get_object_or_404(Tag, pk=parse_id(request.POST["fandom"]))
    try:
        actions.dismiss(_user(request), account, role, fandom=fandom)
    except actions.ModerationError as refusal:
        messages.error(request, refusal.message)
        return redirect("moderation_roles")
    messages.success(request, _role_message(DISMISSED[Role(role)], account, fandom))
    return redirect("moderation_roles")


# A user's messages from the moderators


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    items = list(Notice.objects.filter(user=user).select_related("work", "report")[:200])
    Notice.objects.filter(user=user, read=False).update(read=True)
    return _notices_page(request, user, items, AnswerForm())


def _notices_page(
    request: HttpRequest, user: User, items: list[Notice], answer_form: AnswerForm, status: int = 200
) -> HttpResponse:
    # A message names its work; it links it only while the member may open it (hidden, orphaned since…).
    openable = openable_work_ids(user, [notice.work_id for notice in items if notice.work_id is not None])
    context = {"notices": items, "answer_form": answer_form, "openable_work_ids": openable}
    return render(request, "moderation/notices.html", context, status=status)


@require_POST
@login_required
def notice_answer(request: HttpRequest, notice_id: int) -> HttpResponse:
    user = _user(request)
    notice = get_object_or_404(Notice, pk=notice_id, user=user)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Your answer was not sent: %(error)s") % {"error": form.errors["text"][0]})
        return _notices_page(request, user, [notice], form, status=400)
    try:
        actions.answer_notice(user, notice, form.cleaned_data["text"])
    except actions.ModerationError as refusal:
        messages.error(request, refusal.message)
        return redirect("moderation_notices")
    messages.success(request, gettext("Your answer was sent. The moderators will look at the decision again."))
    return redirect("moderation_notices")


# Co-creator invitations (consent before credit)


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    """The co-creator invitations waiting for this user, and whether they accept any at all."""
    user = _user(request)
    if request.method == "POST":
        accepts = request.POST.get("accepts") == "on"
        InvitationSetting.objects.update_or_create(user=user, defaults={"accepts_co_creator_invitations": accepts})
        if accepts:
            messages.success(request, gettext("Other creators can invite you as a co-creator."))
        else:
            messages.success(request, gettext("Nobody can invite you as a co-creator now."))
        return redirect("co_creator_invitations")
    context = {"invitations": consent.pending_for(user), "accepts": consent.accepts_invitations(user)}
    return render(request, "moderation/invitations.html", context)


def _own_invitation(request: HttpRequest, invitation_id: int) -> CoCreatorInvitation:
    return get_object_or_404(
        CoCreatorInvitation.objects.select_related("work", "pseud"), pk=invitation_id, pseud__user=_user(request)
    )


@require_POST
@login_required
def invitation_accept(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = _own_invitation(request, invitation_id)
    consent.accept_invitation(invitation)
    messages.success(request, gettext("You are now credited on “%(title)s”.") % {"title": invitation.work.title})
    return redirect(invitation.work.get_absolute_url())


@require_POST
@login_required
def invitation_decline(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = _own_invitation(request, invitation_id)
    consent.decline(invitation)
    messages.success(request, gettext("Invitation declined."))
    return redirect("co_creator_invitations")
