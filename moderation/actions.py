"""Every moderation verb: filing and working reports, acting on content and accounts, appointing roles
(moderators, support and tag wranglers: the roles page and the wranglers page both call appoint/dismiss).

Each runs in one transaction and writes one structured LogEntry. Permission checks are the
callers' (views ask moderation.roles); these functions refuse only what is impossible.
"""

from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from bookmarks import actions as bookmark_actions
from comments import actions as comment_actions
from comments.models import Comment
from jobs.queue import enqueue
from moderation.models import CaseNote, Category, LogEntry, Notice, Report, Standing, TargetKind
from moderation.roles import Role, role_group
from moderation.targets import Target, comment_snapshot, news_comment_snapshot, user_snapshot, work_snapshot
from news import news_comments
from news.models import NewsComment
from tags.models import Tag, TagType, WranglerAssignment
from works import actions as work_actions
from works.models import Work

OUTCOME_EMAIL_JOB = "send_report_outcome_email"
MAX_SUSPENSION_DAYS = 3650


class ModerationError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _log(
    action: str,
    actor: User | None,
    *,
    kind: str,
    snapshot: dict[str, Any],
    reason: str = "",
    report: Report | None = None,
    work: Work | None = None,
    comment: Comment | None = None,
    news_comment: NewsComment | None = None,
    user: User | None = None,
    details: dict[str, Any] | None = None,
) -> LogEntry:
    return LogEntry.objects.create(
        action=action,
        actor=actor,
        actor_name=actor.username if actor else "",
        report=report,
        target_kind=kind,
        work=work,
        comment=comment,
        news_comment=news_comment,
        user=user,
        snapshot=snapshot,
        details=details or {},
        reason=reason,
    )


def _creators(work: Work) -> list[User]:
    return list(User.objects.filter(pseuds__creatorships__work=work).distinct())


# Decide, log, notify: every decision below logs one entry and tells the account(s) concerned.


def _work_decision(
    action: str,
    notice: str,
    actor: User,
    report: Report | None,
    work: Work,
    reason: str,
    *,
    snapshot: dict[str, Any] | None = None,
    details: dict[str, Any] | None = None,
    link_work: bool = True,
) -> None:
    """Log a decision on a work (its first creator as the account concerned) and tell each creator.
    `link_work` False: the work is about to be deleted, so the notice keeps only its title."""
    creators = _creators(work)
    _log(
        action,
        actor,
        kind=TargetKind.WORK,
        snapshot=work_snapshot(work) if snapshot is None else snapshot,
        reason=reason,
        report=report,
        work=work,
        user=creators[0] if creators else None,
        details=details,
    )
    link = {"work": work} if link_work else {}
    for creator in creators:
        _notice(creator, notice, report, reason, subject=work.title[:255], **link)


def _account_decision(
    action: str,
    actor: User,
    report: Report | None,
    user: User,
    reason: str = "",
    *,
    notice: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Log a decision on an account (a role, a warning, a suspension or ban) and, if `notice`, tell it."""
    _log(
        action,
        actor,
        kind=TargetKind.USER,
        snapshot=user_snapshot(user),
        reason=reason,
        report=report,
        user=user,
        details=details,
    )
    if notice is not None:
        _notice(user, notice, report, reason, subject=user.username)


# Roles


def _role_details(role: str, fandom: Tag | None) -> dict[str, Any]:
    if role != Role.WRANGLER:
        return {"role": role}
    return {"role": role, "fandom_id": fandom.pk if fandom else None, "fandom": fandom.name if fandom else None}


def _scope(fandom: Tag | None) -> str:
    return f"“{fandom.name}”" if fandom else gettext("every fandom")


@transaction.atomic
def appoint(actor: User, user: User, role: str, *, fandom: Tag | None = None) -> None:
    """Give the account a role; a wrangler wrangles one canonical fandom, or every fandom (fandom None)."""
    if role == Role.WRANGLER:
        if fandom is not None and (fandom.type != TagType.FANDOM or not fandom.canonical):
            raise ModerationError(
                gettext("“%(fandom_name)s” is not a canonical fandom: wranglers are appointed to canonical fandoms.")
                % {"fandom_name": fandom.name}
            )
        try:
            # A savepoint: the unique constraint decides between two appointments at once.
            with transaction.atomic():
                WranglerAssignment.objects.create(user=user, fandom=fandom)
        except IntegrityError:
            raise ModerationError(
                gettext("%(username)s already wrangles %(what)s.") % {"username": user.username, "what": _scope(fandom)}
            ) from None
    else:
        if fandom is not None:
            raise ModerationError(gettext("Only tag wranglers are appointed to a fandom."))
        user.groups.add(role_group(role))
    _account_decision(LogEntry.Action.APPOINT, actor, None, user, details=_role_details(role, fandom))


@transaction.atomic
def dismiss(actor: User, user: User, role: str, *, fandom: Tag | None = None) -> None:
    """Take a role away; for a wrangler, the assignment to that fandom (None: to every fandom)."""
    if role == Role.WRANGLER:
        deleted, _kinds = WranglerAssignment.objects.filter(user=user, fandom=fandom).delete()
        if not deleted:
            raise ModerationError(
                gettext("%(username)s does not wrangle %(what)s.") % {"username": user.username, "what": _scope(fandom)}
            )
    else:
        user.groups.remove(role_group(role))
    _account_decision(LogEntry.Action.DISMISS, actor, None, user, details=_role_details(role, fandom))


# Reports and cases


@transaction.atomic
def file_report(target: Target, reporter: User | None, email: str, category: str, description: str) -> Report:
    report = Report.objects.create(
        kind=target.kind,
        snapshot=target.snapshot,
        category=category,
        description=description,
        reporter=reporter,
        reporter_email="" if reporter else email,
        **target.foreign_keys(),
    )
    _log(
        LogEntry.Action.REPORT,
        reporter,
        kind=target.kind,
        snapshot=target.snapshot,
        report=report,
        work=target.work,
        comment=target.comment,
        news_comment=target.news_comment,
        user=target.user,
        details={"category": category},
    )
    return report


def _case_log(report: Report, action: str, actor: User, reason: str = "", **details: Any) -> None:
    _log(
        action,
        actor,
        kind=report.kind,
        snapshot=report.snapshot,
        reason=reason,
        report=report,
        work=report.work,
        comment=report.comment,
        news_comment=report.news_comment,
        user=report.target_user,
        details=details,
    )


@transaction.atomic
def claim(actor: User, report: Report) -> None:
    changed = (
        Report.objects.filter(pk=report.pk)
        .exclude(status=Report.Status.RESOLVED)
        .update(status=Report.Status.CLAIMED, claimed_by=actor)
    )
    if not changed:
        raise ModerationError(gettext("This case is resolved; it cannot be claimed."))
    _case_log(report, LogEntry.Action.CLAIM, actor)


@transaction.atomic
def add_note(actor: User, report: Report, text: str) -> CaseNote:
    note = CaseNote.objects.create(report=report, author=actor, text=text)
    _case_log(report, LogEntry.Action.NOTE, actor, text)
    return note


@transaction.atomic
def resolve(actor: User, report: Report, outcome: str) -> None:
    """Close the case and tell the reporter the outcome: in their messages, or by email for a guest."""
    changed = (
        Report.objects.filter(pk=report.pk)
        .exclude(status=Report.Status.RESOLVED)
        .update(status=Report.Status.RESOLVED, outcome=outcome, resolved_at=timezone.now(), outcome_emailed=False)
    )
    if not changed:
        raise ModerationError(gettext("This case is already resolved."))
    _case_log(report, LogEntry.Action.RESOLVE, actor, outcome)
    if report.category == Category.APPEAL:
        # The creator who appealed hears the answer like any decision.
        if report.target_user is not None:
            _notice(report.target_user, Notice.Kind.REPORT_OUTCOME, report, outcome, subject=report.reference)
        return
    if report.reporter is not None:
        _notice(report.reporter, Notice.Kind.REPORT_OUTCOME, report, outcome, subject=report.reference)
    elif report.reporter_email:
        enqueue(OUTCOME_EMAIL_JOB, {"report_id": report.pk})


def _notice(user: User, kind: str, report: Report | None, reason: str, **fields: Any) -> Notice:
    return Notice.objects.create(user=user, kind=kind, report=report, reason=reason, **fields)


@transaction.atomic
def answer_notice(user: User, notice: Notice, text: str) -> Report:
    """The creator answers a decision: the case reopens (an appeal) for the moderators to look again."""
    if notice.user_id != user.pk or not notice.answerable:
        raise ModerationError(gettext("This message cannot be answered."))
    if not Notice.objects.filter(pk=notice.pk, answered_at__isnull=True).update(
        answer=text, answered_at=timezone.now()
    ):
        raise ModerationError(gettext("You have already answered this message."))
    report = notice.report
    if report is None:
        report = Report.objects.create(
            kind=TargetKind.USER,
            target_user=user,
            snapshot=user_snapshot(user),
            category=Category.APPEAL,
            description=text[:5000],
            reporter=user,
            work=notice.work,
            comment=notice.comment,
        )
    else:
        Report.objects.filter(pk=report.pk).update(status=Report.Status.OPEN, claimed_by=None, resolved_at=None)
        CaseNote.objects.create(report=report, author=user, text=text)
    _log(
        LogEntry.Action.APPEAL,
        user,
        kind=report.kind,
        snapshot=report.snapshot,
        reason=text,
        report=report,
        work=notice.work,
        comment=notice.comment,
        user=user,
        details={"notice": notice.pk},
    )
    return report


# Content


@transaction.atomic
def hide_work(actor: User, report: Report | None, work: Work, reason: str) -> None:
    work_actions.set_hidden([work.pk], True)
    _work_decision(LogEntry.Action.HIDE_WORK, Notice.Kind.WORK_HIDDEN, actor, report, work, reason)


@transaction.atomic
def unhide_work(actor: User, report: Report | None, work: Work, reason: str) -> None:
    work_actions.set_hidden([work.pk], False)
    _work_decision(LogEntry.Action.UNHIDE_WORK, Notice.Kind.WORK_UNHIDDEN, actor, report, work, reason)


@transaction.atomic
def delete_work(actor: User, report: Report | None, work: Work, reason: str) -> None:
    # Logged (with its snapshot) and its creators told before the work is gone.
    _work_decision(LogEntry.Action.DELETE_WORK, Notice.Kind.WORK_DELETED, actor, report, work, reason, link_work=False)
    work_actions.delete_work(work)


@transaction.atomic
def correct_rating(
    actor: User, report: Report | None, work: Work, rating: Tag, warnings: list[Tag], reason: str
) -> None:
    before = work_snapshot(work)
    work_actions.set_rating_and_warnings(work, rating, warnings)
    work = Work.objects.get(pk=work.pk)
    details = {
        "old_rating": before["rating"],
        "old_warnings": before["warnings"],
        "rating": [rating.name],
        "warnings": [tag.name for tag in warnings],
    }
    _work_decision(
        LogEntry.Action.CORRECT_RATING,
        Notice.Kind.RATING_CORRECTED,
        actor,
        report,
        work,
        reason,
        snapshot=before,
        details=details,
    )


AnyComment = Comment | NewsComment


@transaction.atomic
def hide_comment(actor: User, report: Report | None, comment: AnyComment, reason: str) -> None:
    if isinstance(comment, NewsComment):
        news_comments.hide_by_moderator(comment)
    else:
        comment_actions.hide_by_moderator(comment)
    _comment_decision(LogEntry.Action.HIDE_COMMENT, Notice.Kind.COMMENT_HIDDEN, actor, report, comment, reason)


@transaction.atomic
def unhide_comment(actor: User, report: Report | None, comment: AnyComment, reason: str) -> None:
    if isinstance(comment, NewsComment):
        news_comments.unhide_by_moderator(comment)
    else:
        comment_actions.unhide_by_moderator(comment)
    _comment_decision(LogEntry.Action.UNHIDE_COMMENT, Notice.Kind.COMMENT_UNHIDDEN, actor, report, comment, reason)


@transaction.atomic
def delete_comment(actor: User, report: Report | None, comment: AnyComment, reason: str) -> None:
    # Logged (with the snapshot of its text) before the text is emptied.
    _comment_decision(LogEntry.Action.DELETE_COMMENT, Notice.Kind.COMMENT_DELETED, actor, report, comment, reason)
    if isinstance(comment, NewsComment):
        news_comments.delete_by_moderator(comment)
    else:
        comment_actions.delete_by_moderator(comment)


def _comment_decision(
    action: str, kind: str, actor: User, report: Report | None, comment: AnyComment, reason: str
) -> None:
    """Log the decision and tell the comment's author (a news comment is linked by the log, not the notice)."""
    if isinstance(comment, NewsComment):
        snapshot = news_comment_snapshot(comment)
        target: dict[str, Any] = {"kind": TargetKind.NEWS_COMMENT, "news_comment": comment}
        about: dict[str, Any] = {}
    else:
        snapshot = comment_snapshot(comment)
        target = {"kind": TargetKind.COMMENT, "comment": comment, "work": comment.work}
        about = {"comment": comment, "work": comment.work}
    _log(action, actor, snapshot=snapshot, reason=reason, report=report, user=comment.user, **target)
    if comment.user is not None:
        _notice(comment.user, kind, report, reason, subject=snapshot["content"][:255], **about)


# Accounts


def _standing(user: User) -> Standing:
    standing, _created = Standing.objects.select_for_update().get_or_create(user=user)
    return standing


def _works_of(user: User) -> list[int]:
    """The user's works not hidden yet (so lifting a ban shows only what the ban hid).

    The moderators' own flag, not the readers' rule (WorkQuerySet.published): drafts are included,
    so a draft of a suspended or banned account stays hidden if it is posted before the decision
    is lifted."""
    works = Work.objects.filter(creatorships__pseud__user=user, hidden_by_admin=False)
    return list(works.values_list("pk", flat=True).distinct())


@transaction.atomic
def warn(actor: User, report: Report | None, user: User, reason: str) -> None:
    _account_decision(LogEntry.Action.WARN, actor, report, user, reason, notice=Notice.Kind.WARNING)


@transaction.atomic
def suspend(actor: User, report: Report | None, user: User, days: int, reason: str, *, hide_works: bool) -> None:
    if not 1 <= days <= MAX_SUSPENSION_DAYS:
        raise ModerationError(gettext("A suspension lasts between 1 and %(max)s days.") % {"max": MAX_SUSPENSION_DAYS})
    standing = _standing(user)
    standing.suspended_until = timezone.now() + timedelta(days=days)
    standing.reason = reason
    standing.save(update_fields=["suspended_until", "reason", "updated_at"])
    hidden = _works_of(user) if hide_works else []
    if hidden:
        work_actions.set_hidden(hidden, True)
    details = {"days": days, "hidden_works": hidden}
    _account_decision(
        LogEntry.Action.SUSPEND, actor, report, user, reason, notice=Notice.Kind.SUSPENDED, details=details
    )


@transaction.atomic
def unsuspend(actor: User, report: Report | None, user: User, reason: str) -> None:
    """Lift a suspension now; the works it hid come back. (A suspension that simply runs out
    leaves them hidden until a moderator lifts it: hiding was a decision of its own.)"""
    standing = _standing(user)
    standing.suspended_until = None
    standing.save(update_fields=["suspended_until", "updated_at"])
    last = LogEntry.objects.filter(user=user, action=LogEntry.Action.SUSPEND).first()
    shown = list(last.details.get("hidden_works", [])) if last else []
    if shown:
        work_actions.set_hidden(shown, False)
    _account_decision(LogEntry.Action.UNSUSPEND, actor, report, user, reason, details={"shown_works": shown})


@transaction.atomic
def ban(actor: User, report: Report | None, user: User, reason: str, *, spam: bool = False) -> None:
    """Ban the account: its works and bookmarks are hidden (its comments too, as spam) and it can
    no longer log in (it is told why). What was hidden is logged, so lifting the ban shows exactly that."""
    if user.is_staff:
        raise ModerationError(gettext("Staff accounts cannot be banned."))
    standing = _standing(user)
    standing.banned = True
    standing.spam = spam
    standing.reason = reason
    standing.save(update_fields=["banned", "spam", "reason", "updated_at"])
    hidden = _works_of(user)
    if hidden:
        work_actions.set_hidden(hidden, True)
    hidden_comments, hidden_news_comments = [], []
    if spam:
        for comment in Comment.objects.filter(user=user, status__in=comment_actions.LIVE):
            comment_actions.hide_by_moderator(comment)
            hidden_comments.append(comment.pk)
        for news_comment in NewsComment.objects.filter(user=user, status=NewsComment.Status.PUBLISHED):
            news_comments.hide_by_moderator(news_comment)
            hidden_news_comments.append(news_comment.pk)
    hidden_bookmarks = bookmark_actions.set_hidden(list(user.bookmarks.values_list("pk", flat=True)), True)
    action = LogEntry.Action.SPAM if spam else LogEntry.Action.BAN
    details = {
        "hidden_works": hidden,
        "hidden_comments": hidden_comments,
        "hidden_news_comments": hidden_news_comments,
        "hidden_bookmarks": hidden_bookmarks,
    }
    _account_decision(action, actor, report, user, reason, notice=Notice.Kind.BANNED, details=details)


@transaction.atomic
def unban(actor: User, report: Report | None, user: User, reason: str) -> None:
    """Lift a ban; the works it hid come back (works hidden by a decision of their own stay hidden)."""
    standing = _standing(user)
    if not standing.banned:
        raise ModerationError(gettext("This account is not banned."))
    standing.banned = False
    standing.spam = False
    standing.save(update_fields=["banned", "spam", "updated_at"])
    last_ban = LogEntry.objects.filter(user=user, action__in=[LogEntry.Action.BAN, LogEntry.Action.SPAM]).first()
    shown = list(last_ban.details.get("hidden_works", [])) if last_ban else []
    if shown:
        work_actions.set_hidden(shown, False)
    if last_ban:
        for comment in Comment.objects.filter(pk__in=last_ban.details.get("hidden_comments", [])):
            comment_actions.unhide_by_moderator(comment)
        for news_comment in NewsComment.objects.filter(pk__in=last_ban.details.get("hidden_news_comments", [])):
            news_comments.unhide_by_moderator(news_comment)
        bookmark_actions.set_hidden(list(last_ban.details.get("hidden_bookmarks", [])), False)
    _account_decision(LogEntry.Action.UNBAN, actor, report, user, reason, details={"shown_works": shown})
