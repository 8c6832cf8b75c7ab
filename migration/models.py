"""What imports from other archives leave behind: the map of old ids and the creators without accounts."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Pseud, User
from comments.models import Comment


class SourceRecord(models.Model):
    """One item of an imported archive and what it became here.

    Re-running an import skips what is recorded, and the old archive's links
    (viewstory.php?sid=N …) redirect through this map.
    """

    class Kind(models.TextChoices):
        AUTHOR = "author"  # -> Pseud
        STORY = "story"  # -> Work
        CHAPTER = "chapter"  # -> Chapter
        SERIES = "series"  # -> Series
        REVIEW = "review"  # -> Comment
        RESPONSE = "response"  # an author's reply inside a review -> Comment
        CATEGORY = "category"  # -> Tag
        CHARACTER = "character"  # -> Tag
        CLASS = "class"  # -> Tag
        CHALLENGE = "challenge"  # -> Tag

    # The name the admin gave the imported archive, so two archives' ids never mix.
    source = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    source_id = models.BigIntegerField()
    target_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "source_id"], name="source_record_unique"),
        ]
        # Old links carry no archive name: they look items up by kind and id.
        indexes = [models.Index(fields=["kind", "source_id"], name="source_record_lookup")]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.source_id} -> {self.target_id}"


class ArchivedCreator(models.Model):
    """An author of an imported archive who has no account here: their name and email, kept for claims.

    Their works are credited to `pseud`, a pseud of the archivist's account named after them.
    Members who only reviewed have no pseud; their reviews carry their name.
    Until someone resolves it (migration.claims), `status` is unclaimed; it leaves that state
    once, by a conditional UPDATE, so two claims at once have exactly one winner.
    """

    class Status(models.TextChoices):
        UNCLAIMED = "unclaimed", _("Unclaimed")
        CLAIMED = "claimed", _("Claimed")
        ORPHANED = "orphaned", _("Orphaned")
        REMOVAL = "removal", _("Removal requested")

    source = models.CharField(max_length=100)
    source_uid = models.BigIntegerField()
    pen_name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254, blank=True)
    pseud = models.OneToOneField(Pseud, null=True, blank=True, on_delete=models.SET_NULL, related_name="archived")
    archivist = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="archived_creators")
    claimed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UNCLAIMED)
    # Set when an invitation run picked this creator (so the next run takes others), and when the
    # worker claimed the email just before sending it (so a retried job never sends it twice).
    invitation_queued_at = models.DateTimeField(null=True, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_uid"], name="archived_creator_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=["unclaimed", "claimed", "orphaned", "removal"]),
                name="archived_creator_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["archivist", "status"], name="archived_creator_status")]

    def __str__(self) -> str:
        return f"{self.pen_name} ({self.source})"


class ArchivedComment(models.Model):
    """A comment imported from a review this creator wrote as a member: theirs once they claim."""

    creator = models.ForeignKey(ArchivedCreator, on_delete=models.CASCADE, related_name="comments")
    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.creator_id} wrote {self.comment_id}"


class ArchivedFavourite(models.Model):
    """A favourite the creator kept on the old archive, by its old id: a bookmark (or a subscription,
    for an author) of their account once they claim."""

    class Kind(models.TextChoices):
        STORY = "story"
        SERIES = "series"
        AUTHOR = "author"

    creator = models.ForeignKey(ArchivedCreator, on_delete=models.CASCADE, related_name="favourites")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    source_id = models.BigIntegerField()
    notes = models.TextField(blank=True)  # the favourite's comment, sanitized HTML

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["creator", "kind", "source_id"], name="archived_favourite_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.creator_id} favourite {self.kind} {self.source_id}"
