"""Reports, the moderation desk's cases, account standing, messages to users, and the moderation log."""

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from accounts.models import Pseud, User
from bookmarks.models import Bookmark
from comments.models import Comment
from news.models import NewsComment
from tags.models import Tag
from works.models import Chapter, Work

DESCRIPTION_MAX = 5000
REASON_MAX = 5000


class TargetKind(models.TextChoices):
    WORK = "work", _("Work")
    CHAPTER = "chapter", _("Chapter")
    COMMENT = "comment", _("Comment")
    BOOKMARK = "bookmark", _("Bookmark")
    USER = "user", _("Profile")
    TAG = "tag", _("Tag")
    NEWS_COMMENT = "news_comment", _("Comment on a news post")


class Category(models.TextChoices):
    HARASSMENT = "harassment", _("Harassment")
    SPAM = "spam", _("Spam")
    PLAGIARISM = "plagiarism", _("Plagiarism or copyright")
    RATING = "rating", _("Wrong rating or warnings")
    TERMS = "terms", _("Terms of service violation")
    OTHER = "other", _("Other")
    # Not offered on the report form: a creator answering a moderation decision opens one.
    APPEAL = "appeal", _("Appeal")


class Report(models.Model):
    """A report from a reader (or guest) about one thing on the archive: a case on the moderation desk.

    The target is kept as a foreign key (gone when the thing is deleted) and as a snapshot of
    what it was when reported, so the case still makes sense afterwards.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLAIMED = "claimed", _("Claimed")
        RESOLVED = "resolved", _("Resolved")

    kind = models.CharField(max_length=20, choices=TargetKind.choices)
    work = models.ForeignKey(Work, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    chapter = models.ForeignKey(Chapter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    bookmark = models.ForeignKey(Bookmark, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    news_comment = models.ForeignKey(NewsComment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The account responsible for the target (its creator, commenter, bookmarker, or the profile itself).
    target_user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    snapshot = models.JSONField(default=dict)
    category = models.CharField(max_length=12, choices=Category.choices)
    description = models.TextField()
    reporter = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    reporter_email = models.EmailField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    claimed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.TextField(blank=True)
    # Set once the outcome email went to a guest reporter (claimed by a conditional UPDATE).
    outcome_emailed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("moderate", "Can work the moderation desk"),
            ("support", "Can answer support questions"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("description"), DESCRIPTION_MAX),
                name="report_description_bounded",
                violation_error_message=_("The description is too long."),
            ),
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="report_queue")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"R-{self.pk:06d}"


class CaseNote(models.Model):
    """A moderator's internal comment on a case: never shown to the reporter or the reported."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note on {self.report_id}"


class Standing(models.Model):
    """An account's standing with the moderators; no row means good standing."""

    user = models.OneToOneField(User, primary_key=True, on_delete=models.CASCADE, related_name="standing")
    suspended_until = models.DateTimeField(null=True, blank=True)
    banned = models.BooleanField(default=False)
    spam = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"standing of {self.user_id}"


class Notice(models.Model):
    """A message from the moderators to one user: a decision about their content or account,
    or the outcome of their report. A creator may answer a decision once; the answer reopens the case."""

    class Kind(models.TextChoices):
        WORK_HIDDEN = "work_hidden", _("Your work was hidden")
        WORK_UNHIDDEN = "work_unhidden", _("Your work is visible again")
        WORK_DELETED = "work_deleted", _("Your work was deleted")
        COMMENT_HIDDEN = "comment_hidden", _("Your comment was hidden")
        COMMENT_UNHIDDEN = "comment_unhidden", _("Your comment is visible again")
        COMMENT_DELETED = "comment_deleted", _("Your comment was deleted")
        RATING_CORRECTED = "rating_corrected", _("The rating or warnings of your work were corrected")
        WARNING = "warning", _("A warning from the moderators")
        SUSPENDED = "suspended", _("Your account was suspended")
        BANNED = "banned", _("Your account was banned")
        REPORT_OUTCOME = "report_outcome", _("The outcome of your report")

    ANSWERABLE = {
        Kind.WORK_HIDDEN,
        Kind.WORK_DELETED,
        Kind.COMMENT_HIDDEN,
        Kind.COMMENT_DELETED,
        Kind.RATING_CORRECTED,
        Kind.WARNING,
        Kind.SUSPENDED,
    }

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="moderation_notices")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="notices")
    work = models.ForeignKey(Work, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # What it was about (a work's title, a comment's first words), for when it is gone.
    subject = models.CharField(max_length=255, blank=True)
    reason = models.TextField(blank=True)
    read = models.BooleanField(default=False)
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read"], name="notice_user_unread")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"

    @property
    def answerable(self) -> bool:
        return self.kind in self.ANSWERABLE and self.answered_at is None


class LogEntry(models.Model):
    """One moderation action: what, by whom, on what (a foreign key and a snapshot), why, when."""

    class Action(models.TextChoices):
        APPOINT = "appoint", _("Appointed to a role")
        DISMISS = "dismiss", _("Removed from a role")
        REPORT = "report", _("Report filed")
        CLAIM = "claim", _("Case claimed")
        NOTE = "note", _("Internal comment")
        RESOLVE = "resolve", _("Case resolved")
        APPEAL = "appeal", _("Decision answered (case reopened)")
        HIDE_WORK = "hide_work", _("Work hidden")
        UNHIDE_WORK = "unhide_work", _("Work unhidden")
        DELETE_WORK = "delete_work", _("Work deleted")
        HIDE_COMMENT = "hide_comment", _("Comment hidden")
        UNHIDE_COMMENT = "unhide_comment", _("Comment unhidden")
        DELETE_COMMENT = "delete_comment", _("Comment deleted")
        CORRECT_RATING = "correct_rating", _("Rating or warnings corrected")
        WARN = "warn", _("Warned")
        SUSPEND = "suspend", _("Suspended")
        UNSUSPEND = "unsuspend", _("Suspension lifted")
        BAN = "ban", _("Banned")
        UNBAN = "unban", _("Ban lifted")
        SPAM = "spam", _("Marked as spam")

    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="log")
    target_kind = models.CharField(max_length=20, choices=TargetKind.choices)
    work = models.ForeignKey(Work, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    news_comment = models.ForeignKey(NewsComment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The account concerned: the target user, or the creator of the target.
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    snapshot = models.JSONField(default=dict)
    # Machine-readable details of the action: the role, the days, the old and new rating.
    details = models.JSONField(default=dict)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="modlog_user"),
            models.Index(fields=["action", "-created_at"], name="modlog_action"),
        ]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_name}"


class CoCreatorInvitation(models.Model):
    """A creator asked this pseud to be credited on their work; it is credited only once its owner accepts."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="co_creator_invitations")
    pseud = models.ForeignKey(Pseud, on_delete=models.CASCADE, related_name="co_creator_invitations")
    invited_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Set once the invitation email went out (claimed by a conditional UPDATE).
    emailed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["work", "pseud"], name="co_creator_invitation_unique")]

    def __str__(self) -> str:
        return f"{self.pseud_id} invited to {self.work_id}"


class InvitationSetting(models.Model):
    """A user's choice about co-creator invitations; no row means they are welcome."""

    user = models.OneToOneField(User, primary_key=True, on_delete=models.CASCADE, related_name="invitation_setting")
    accepts_co_creator_invitations = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"invitations of {self.user_id}"
