"""The archive's news: posts by staff and members' threaded comments on them.

The tables keep the names they had when these models lived in sitecontent (`db_table`): the move to
this app changed no rows (news/migrations/0001_initial.py).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class NewsPost(models.Model):
    title = models.CharField(max_length=200)
    # Sanitized by lib.html.clean_html when saved.
    body = models.TextField()
    comments_enabled = models.BooleanField(default=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "sitecontent_newspost"
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news_detail", args=[self.pk])


class NewsComment(models.Model):
    """A member's comment on a news post, or a reply to one (threaded like work comments).

    Same shape and statuses as comments.Comment, so comments.threads reads both; a separate table
    because a work comment carries the work's count, inbox items, emails and creators' moderation.
    Deleting keeps the row (status DELETED, body emptied) so replies keep their place.
    """

    # The same values as comments.Comment.Status (UNREVIEWED is never used: news has no creators to review).
    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        SPAM = "spam", _("Spam")
        DELETED = "deleted", _("Deleted")
        HIDDEN = "hidden", _("Hidden by the moderators")

    post = models.ForeignKey(NewsPost, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    # The top-level comment of the thread (itself for a top-level comment, set after insert).
    thread = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    depth = models.PositiveSmallIntegerField(default=0)
    # Null once the account is deleted: the comment stays, signed "(deleted account)".
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Sanitized by lib.html.clean_html when saved.
    body = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PUBLISHED)
    # A keyed hash of the poster's address: for rate limits and spam checks, never shown.
    ip_hash = models.CharField(max_length=64, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "sitecontent_newscomment"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "created_at"], name="news_comment_thread")]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.post_id}"

    def get_absolute_url(self) -> str:
        return reverse("news_comment_thread", args=[self.pk])
