from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Pseud, User
from tags.models import Tag
from works.models import Series, Work


def public(through: str = "") -> Q:
    """PUBLIC on Bookmark or, with `through` ("bookmark__"), on a model related to one."""
    return Q(**{through + "private": False, through + "hidden_by_admin": False})


# A bookmark everyone may see and its work counts: public, not hidden by the moderators.
PUBLIC = public()


class Bookmark(models.Model):
    """A reader's bookmark of a work or a series, with notes and their own tags.

    When the work is deleted the bookmark stays, as "This has been deleted, sorry!",
    with the notes kept and the title remembered.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="bookmarks")
    pseud = models.ForeignKey(Pseud, on_delete=models.CASCADE, related_name="bookmarks")
    work = models.ForeignKey(Work, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookmarks")
    series = models.ForeignKey(Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookmarks")
    # What was bookmarked, remembered for when it is gone.
    title_snapshot = models.CharField(max_length=255, blank=True)
    notes = models.TextField(blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="bookmarks")
    private = models.BooleanField(default=False)
    rec = models.BooleanField(default=False, help_text=_("Recommend it to others."))
    # Hidden by the moderators with its bookmarker's other content (an account banned or marked as
    # spam): shown to nobody but the bookmarker, and not counted on the work, as AO3.
    hidden_by_admin = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "work"], condition=Q(work__isnull=False), name="bookmark_work_once_per_user"
            ),
            models.UniqueConstraint(
                fields=["user", "series"], condition=Q(series__isnull=False), name="bookmark_series_once_per_user"
            ),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="bookmark_user_recent")]

    def __str__(self) -> str:
        return f"bookmark {self.pk} of {self.title_snapshot}"
