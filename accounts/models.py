from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
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
