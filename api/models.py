from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonalToken(models.Model):
    """A secret a user gives a tool (an API client, an OPDS reading app) to act for them.

    Only a hash of the secret is stored: the secret is shown once, when it is made.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_tokens")
    name = models.CharField(_("Name"), max_length=80)
    # SHA-256 of the secret: secrets are 256 random bits, so a fast hash is as safe as a slow one.
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the secret, so its owner can tell tokens apart.
    hint = models.CharField(max_length=12, editable=False)
    read_restricted = models.BooleanField(
        _("Read as me"),
        default=False,
        help_text=_("See what you see when logged in: works for registered users, your private bookmarks."),
    )
    write = models.BooleanField(_("Post and edit my works"), default=False)
    view_adult = models.BooleanField(
        _("I consent to see works rated for adults"),
        default=False,
        help_text=_("Apps using this token can open Mature, Explicit and Not Rated works without asking."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="token_user_recent")]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"
