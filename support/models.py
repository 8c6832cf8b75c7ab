"""What people ask the archive's support volunteers, and what support answers (AO3's Support, for a small archive)."""

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from accounts.models import User

MESSAGE_MAX = 5000
SUBJECT_MAX = 200


class SupportRequest(models.Model):
    """One question from a member or a guest: a case in the support queue."""

    class Category(models.TextChoices):
        ACCOUNT = "account", _("My account or logging in")
        BUG = "bug", _("Something is broken")
        FEEDBACK = "feedback", _("Feedback or a suggestion")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLAIMED = "claimed", _("Claimed")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")
        # Caught by the spam check: kept, out of the default queue, for support to look over.
        SPAM = "spam", _("Spam")

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="support_requests")
    # A guest's address, where answers go; empty for a member (answers go to their inbox).
    email = models.EmailField(blank=True)
    category = models.CharField(max_length=10, choices=Category.choices)
    subject = models.CharField(max_length=SUBJECT_MAX)
    message = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    claimed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # A keyed hash of the sender's address: for spam checks, never shown.
    ip_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("message"), MESSAGE_MAX),
                name="support_message_bounded",
                violation_error_message=_("The message is too long."),
            ),
            models.CheckConstraint(
                condition=models.Q(category__in=["account", "bug", "feedback", "other"]),
                name="support_category_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="support_queue")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"S-{self.pk:06d}"


class SupportNote(models.Model):
    """Support's internal comment on a request: never shown to whoever asked."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note on {self.request_id}"


class SupportReply(models.Model):
    """A message on a request after the question: support's answer (in a member's inbox, or emailed to a
    guest by the background worker), or the member's own follow-up (`from_member`), for support to read."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    # The member who asked wrote it (support.actions.follow_up); never emailed, never in anyone's inbox.
    from_member = models.BooleanField(default=False)
    # Set once the email went out to a guest (claimed by a conditional UPDATE, so it goes once).
    emailed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"reply to {self.request_id}"
