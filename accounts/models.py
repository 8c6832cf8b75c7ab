from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Theme(models.TextChoices):
    AUTO = "auto", _("Same as my device")
    LIGHT = "light", _("Light")
    DARK = "dark", _("Dark")


class ReaderFont(models.TextChoices):
    SERIF = "serif", _("Serif")
    SANS = "sans", _("Sans-serif")


class ReaderSize(models.TextChoices):
    SMALL = "s", _("Small")
    MEDIUM = "m", _("Medium")
    LARGE = "l", _("Large")
    EXTRA_LARGE = "xl", _("Extra large")


class ReaderSpacing(models.TextChoices):
    COMPACT = "compact", _("Compact")
    NORMAL = "normal", _("Normal")
    AIRY = "airy", _("Airy")


class ReaderWidth(models.TextChoices):
    NARROW = "narrow", _("Narrow")
    NORMAL = "normal", _("Normal")
    WIDE = "wide", _("Wide")


# Reader settings: names and values as the <html> data attributes that site.css reads
# (static/js/reader-settings.js keeps the same names for guests, in localStorage).
READER_SETTINGS = {
    "theme": Theme,
    "reader_font": ReaderFont,
    "reader_size": ReaderSize,
    "reader_spacing": ReaderSpacing,
    "reader_width": ReaderWidth,
}


class User(AbstractUser):
    # Readers who have said once and for all that they want no adult-content interstitial.
    skip_adult_gate = models.BooleanField(default=False)
    # Reading history (community.Reading) is kept only while this is on.
    history_enabled = models.BooleanField(default=True)
    # Emails; the inbox gets everything regardless.
    email_on_comments = models.BooleanField(default=True, help_text=_("Comments on my works and replies to me."))
    email_on_subscriptions = models.BooleanField(default=True, help_text=_("New chapters, works and series parts."))
    # Reader settings, applied server-side (as attributes of <html>) on every page.
    theme = models.CharField(max_length=8, choices=Theme.choices, default=Theme.AUTO)
    reader_font = models.CharField(max_length=8, choices=ReaderFont.choices, default=ReaderFont.SERIF)
    reader_size = models.CharField(max_length=8, choices=ReaderSize.choices, default=ReaderSize.MEDIUM)
    reader_spacing = models.CharField(max_length=8, choices=ReaderSpacing.choices, default=ReaderSpacing.NORMAL)
    reader_width = models.CharField(max_length=8, choices=ReaderWidth.choices, default=ReaderWidth.NORMAL)
    # Ready for work skins: a reader may always read a work in the archive's own style.
    hide_creator_style = models.BooleanField(default=False)
    # Bumped (with F(), in the same transaction) by every write to what accounts.reader caches per
    # reader: mutes, tag exclusions, saved filters. Each request reads it with the user row, so a
    # cache entry of an older version is never read again.
    reader_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta(AbstractUser.Meta):
        constraints = [
            models.CheckConstraint(condition=models.Q(**{f"{name}__in": choices.values}), name=f"user_{name}_valid")
            for name, choices in READER_SETTINGS.items()
        ] + [
            # Sign-up checks these too, for its messages; here they hold when two sign-ups race.
            # (Sign-up allows ASCII usernames only, which both databases' Lower() folds alike.)
            models.UniqueConstraint(Lower("username"), name="user_username_unique_ignoring_case"),
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_email_unique_ignoring_case"
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("user_profile", args=[self.username])

    @property
    def default_pseud(self) -> "Pseud":
        # Accounts made outside sign-up (createsuperuser, the admin, scripts) start without
        # one; every user writes and comments under a pseud, so the first need creates it.
        pseud, _created = self.pseuds.get_or_create(is_default=True, defaults={"name": self.username[:40]})
        return pseud


class Pseud(models.Model):
    """A pen name. Works are credited to pseuds, never directly to users."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="pseuds")
    name = models.CharField(max_length=40)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False)
    # A pen name an archivist holds for a creator of an imported archive (migration.ArchivedCreator):
    # credited as "name (archived by archivist)" until the creator claims the works.
    is_archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "user", name="pseud_name_unique_per_user"),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(is_default=True), name="one_default_pseud_per_user"
            ),
        ]

    def __str__(self) -> str:
        if self.is_archived:
            return gettext("%(name)s (archived by %(archivist)s)") % {
                "name": self.name,
                "archivist": self.user.username,
            }
        if self.name == self.user.username:
            return self.name
        return f"{self.name} ({self.user.username})"

    def get_absolute_url(self) -> str:
        return reverse("pseud_profile", args=[self.user.username, self.name])


class SavedFilter(models.Model):
    """A reader's named filter: the query string of a listing URL."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="saved_filters")
    name = models.CharField(max_length=100)
    query = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_filter_name_unique")]

    def __str__(self) -> str:
        return self.name


class TagExclusion(models.Model):
    """A tag this reader never wants to see: works carrying it are left out of every listing."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tag_exclusions")
    tag = models.ForeignKey("tags.Tag", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "tag"], name="tag_exclusion_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} excludes {self.tag_id}"


# Sign-ups and identity. Kept out of User's own columns: each is its own small table.


class EmailVerification(models.Model):
    """An account whose address must be confirmed before it may post or comment.

    Only sign-ups create one (accounts made by staff or scripts need none); confirming sets
    verified_at. Changing one's email is confirmed by a link too, but changes nothing until then.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True, related_name="email_verification")
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user_id} {'verified' if self.verified_at else 'unverified'}"


class Invitation(models.Model):
    """A code that lets one person sign up: issued by staff, by a member from their allotment, or from the queue."""

    code = models.CharField(max_length=32, unique=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Where it was sent, if anywhere (queue invitations always have one).
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_by = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitation_used"
    )
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "created_at"], name="invitation_creator")]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("signup") + f"?invitation={self.code}"


class InviteRequest(models.Model):
    """A place in the invitation queue: released in order (oldest first), one invitation each."""

    email = models.EmailField()
    # The secret in the link that shows this request's place in the queue.
    token = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="queue_request"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(Lower("email"), name="invite_request_email_unique")]
        indexes = [models.Index(fields=["released_at", "id"], name="invite_request_waiting")]

    def __str__(self) -> str:
        return self.email


class TermsAcceptance(models.Model):
    """A member accepted this version of the terms of service (at sign-up, or when a new version came)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="terms_acceptances")
    version = models.ForeignKey("sitecontent.PageVersion", on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="terms_accepted_once")]

    def __str__(self) -> str:
        return f"{self.user_id} accepted {self.version_id}"


class AgeConfirmation(models.Model):
    """At sign-up: the minimum age the new member confirmed being over (also when no terms exist yet)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True, related_name="age_confirmation")
    minimum_age = models.PositiveSmallIntegerField()
    confirmed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user_id} is at least {self.minimum_age}"


class UsernameChange(models.Model):
    """An old username: its profile and pseud URLs redirect to the new one; limits how often names change."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="username_changes")
    old_username = models.CharField(max_length=150)
    new_username = models.CharField(max_length=150)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(Lower("old_username"), name="username_change_old")]

    def __str__(self) -> str:
        return f"{self.old_username} → {self.new_username}"


class DataExport(models.Model):
    """A member's "export my data" zip: built by a background job, downloadable until it expires."""

    class Status(models.TextChoices):
        PENDING = "pending"
        READY = "ready"
        EXPIRED = "expired"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="data_exports")
    # The file's name under DATA_DIR/exports: unguessable, so a leaked directory listing leaks nothing.
    token = models.CharField(max_length=48, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "expires_at"], name="data_export_expiry")]

    def __str__(self) -> str:
        return f"export {self.pk} of {self.user_id} ({self.status})"
