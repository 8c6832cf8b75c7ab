"""Reader engagement that is not a text: kudos, subscriptions, reading history, blocks and mutes,
and the inbox every notification lands in."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from works.models import Chapter, Series, Work

# As AO3: how many users one person may block, and mute.
MAX_BLOCKED = 2000
MAX_MUTED = 2000


class Kudo(models.Model):
    """One per work per user; guests are told apart by a keyed hash of their address, never stored in clear."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="kudos")
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="kudos")
    guest_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["work", "user"], condition=Q(user__isnull=False), name="kudo_once_per_user"
            ),
            models.UniqueConstraint(
                fields=["work", "guest_hash"], condition=~Q(guest_hash=""), name="kudo_once_per_guest"
            ),
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(guest_hash="")) | (Q(user__isnull=True) & ~Q(guest_hash="")),
                name="kudo_from_user_or_guest",
            ),
        ]
        # The work page names the latest users who left kudos and counts them, without reading the guests' rows.
        indexes = [
            models.Index(
                F("work"),
                F("created_at").desc(),
                F("id").desc(),
                condition=Q(user__isnull=False),
                name="kudo_user_recent",
            )
        ]

    def __str__(self) -> str:
        return f"kudos on {self.work_id}"


class Subscription(models.Model):
    """Notify me of new chapters of a work, new works by a creator, or new parts of a series."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="subscriptions")
    work = models.ForeignKey(Work, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions")
    creator = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="subscribers")
    series = models.ForeignKey(Series, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(work__isnull=False, creator__isnull=True, series__isnull=True)
                    | Q(work__isnull=True, creator__isnull=False, series__isnull=True)
                    | Q(work__isnull=True, creator__isnull=True, series__isnull=False)
                ),
                name="subscription_has_one_target",
            ),
            models.UniqueConstraint(fields=["user", "work"], name="subscription_work_unique"),
            models.UniqueConstraint(fields=["user", "creator"], name="subscription_creator_unique"),
            models.UniqueConstraint(fields=["user", "series"], name="subscription_series_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} subscribes to {self.work_id or self.creator_id or self.series_id}"


class Reading(models.Model):
    """A logged-in reader's history of one work, and their "Mark for Later" flag."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="readings")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="readings")
    last_chapter = models.ForeignKey(Chapter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_visited = models.DateTimeField(null=True, blank=True)
    visit_count = models.PositiveIntegerField(default=0)
    marked_for_later = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "work"], name="reading_unique")]
        indexes = [models.Index(fields=["user", "-last_visited"], name="reading_user_recent")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.work_id}"


class Block(models.Model):
    """The blocked user cannot comment on, kudos, or gift to the blocker's works, nor reply to them."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocked_by")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique"),
            models.CheckConstraint(condition=~Q(blocker=models.F("blocked")), name="block_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class Mute(models.Model):
    """The muted user's works, bookmarks and comments disappear from what the muter sees (server side)."""

    muter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mutes")
    muted = models.ForeignKey(User, on_delete=models.CASCADE, related_name="muted_by")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["muter", "muted"], name="mute_unique"),
            models.CheckConstraint(condition=~Q(muter=models.F("muted")), name="mute_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.muter_id} mutes {self.muted_id}"


class InboxItem(models.Model):
    """Something for a user to see: a comment or reply, or news from a subscription."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment on your work")
        REPLY = "reply", _("Reply to your comment")
        NEW_CHAPTER = "new_chapter", _("New chapter")
        NEW_WORK = "new_work", _("New work")
        NEW_SERIES_PART = "new_series_part", _("New part of a series")
        DATA_EXPORT = "data_export", _("Your data export is ready")
        SUPPORT_REPLY = "support_reply", _("Support answered your request")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="inbox_items")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Comments live in the comments app; referenced by id to keep the apps independent of each other's order.
    comment = models.ForeignKey(
        "comments.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="inbox_items"
    )
    work = models.ForeignKey(Work, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    chapter = models.ForeignKey(Chapter, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    read = models.BooleanField(default=False)
    # Set once the item went out in an email (or the user wants no email for this kind).
    emailed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read", "-created_at"], name="inbox_user_unread"),
            models.Index(fields=["emailed", "created_at"], name="inbox_to_email"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"
