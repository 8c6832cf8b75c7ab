from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lib.languages import LANGUAGES


class SignupMode(models.TextChoices):
    OPEN = "open", _("Open: anyone may sign up")
    INVITATION = "invitation", _("Invitation only: an invitation code is needed")
    QUEUE = "queue", _("Request queue: people ask for an invitation and wait their turn")
    CLOSED = "closed", _("Closed: nobody can sign up")


class BannerKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", _("Announcement")
    OUTAGE = "outage", _("Outage or maintenance")


class SiteSettings(models.Model):
    """How this archive runs, as its staff set it: one row (pk 1), read through sitecontent.settings."""

    site_name = models.CharField(_("site name"), max_length=80, default="Fanarchive")
    site_description = models.TextField(
        _("site description"), max_length=500, blank=True, help_text=_("One or two sentences for the home page.")
    )
    signup_mode = models.CharField(_("sign-ups"), max_length=12, choices=SignupMode.choices, default=SignupMode.OPEN)
    invitations_per_user = models.PositiveSmallIntegerField(
        _("invitations per user"), default=3, help_text=_("How many people each member may invite (staff: any number).")
    )
    queue_release_per_day = models.PositiveIntegerField(
        _("invitations released from the queue each day"),
        default=10,
        help_text=_("The oldest requests get an invitation once a day; 0 releases none automatically."),
    )
    # When the daily release last ran: state, not a setting, but it belongs to the same singleton.
    queue_released_at = models.DateTimeField(null=True, blank=True, editable=False)
    require_email_verification = models.BooleanField(
        _("new accounts verify their email before posting or commenting"), default=True
    )
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"), default=13, help_text=_("People signing up confirm they are at least this old.")
    )
    username_change_days = models.PositiveSmallIntegerField(_("days between username changes"), default=7)
    guest_comments = models.BooleanField(_("guests may comment"), default=True)
    guest_kudos = models.BooleanField(_("guests may leave kudos"), default=True)
    downloads_enabled = models.BooleanField(_("downloads (EPUB, PDF, HTML, TXT) are on"), default=True)
    default_language = models.CharField(_("default work language"), max_length=8, choices=LANGUAGES, default="en")
    banner_text = models.TextField(
        _("banner"),
        blank=True,
        max_length=2000,
        help_text=_("Shown at the top of every page until a reader dismisses it; leave empty for none."),
    )
    banner_kind = models.CharField(
        _("banner kind"), max_length=12, choices=BannerKind.choices, default=BannerKind.ANNOUNCEMENT
    )
    # Changes with the banner's text, so a dismissed banner comes back when it says something new.
    banner_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("archive settings")
        verbose_name_plural = _("archive settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="site_settings_singleton"),
            models.CheckConstraint(
                condition=models.Q(signup_mode__in=SignupMode.values), name="site_settings_signup_mode_valid"
            ),
        ]

    def __str__(self) -> str:
        return str(self.site_name)


class PageSlug(models.TextChoices):
    TERMS = "terms", _("Terms of service")
    PRIVACY = "privacy", _("Privacy policy")
    CONTENT = "content-policy", _("Content policy")
    FAQ = "faq", _("Frequently asked questions")
    ABOUT = "about", _("About")


class PageVersion(models.Model):
    """One published version of a site page; the newest is the page. Old ones are kept (what a user accepted)."""

    slug = models.CharField(max_length=20, choices=PageSlug.choices)
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    # Sanitized by lib.html.clean_html when saved.
    body = models.TextField()
    summary_of_changes = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "number"], name="page_version_number_unique"),
            models.CheckConstraint(condition=models.Q(slug__in=PageSlug.values), name="page_version_slug_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.slug} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("site_page_version", args=[self.slug, self.number])
