from django.db import models

from accounts.models import Pseud, User
from works.models import Chapter, Work

# As AO3: replies deeper than this are shown on a "continue thread" page of their own.
THREAD_DISPLAY_DEPTH = 5
COMMENT_MAX = 10_000


class Comment(models.Model):
    """A comment on a chapter (or on the work as a whole), or a reply to another comment.

    Deleting keeps the row (status DELETED, content emptied) so replies keep their place:
    the thread shows "(Previous comment deleted.)".
    """

    class Status(models.TextChoices):
        PUBLISHED = "published"
        UNREVIEWED = "unreviewed"  # waiting for a creator's approval on a moderated work
        SPAM = "spam"
        DELETED = "deleted"
        HIDDEN = "hidden"  # hidden by the archive's moderators (moderation.actions), with a reason its author sees

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="comments")
    chapter = models.ForeignKey(Chapter, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    # The top-level comment of the thread (itself for a top-level comment, set after insert).
    thread = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    depth = models.PositiveSmallIntegerField(default=0)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments")
    pseud = models.ForeignKey(Pseud, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments")
    guest_name = models.CharField(max_length=100, blank=True)
    guest_email = models.EmailField(blank=True)
    content = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PUBLISHED)
    # A keyed hash of the poster's address: for rate limits and spam checks, never shown.
    ip_hash = models.CharField(max_length=64, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["work", "chapter", "status", "created_at"], name="comment_work_chapter"),
            models.Index(fields=["thread", "created_at"], name="comment_thread"),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.work_id}"
