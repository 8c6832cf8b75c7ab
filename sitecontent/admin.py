"""Site content in the admin, to look things up. Settings and pages are edited on the staff pages
(/staff/settings, /staff/pages), which sanitize, number versions and clear the caches."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from lib.admin import ReadOnlyAdmin
from sitecontent.models import PageVersion, SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(ReadOnlyAdmin):
    list_display = ("site_name", "signup_mode", "require_email_verification", "downloads_enabled", "updated_at")
    readonly_fields = ("edit_on_the_site",)

    @admin.display(description="Edit")
    def edit_on_the_site(self, row: SiteSettings) -> SafeString:
        return format_html('<a href="{}">{}</a>', reverse("site_settings"), "Archive settings page")


@admin.register(PageVersion)
class PageVersionAdmin(ReadOnlyAdmin):
    """Versions are history (what each member accepted): a new one is published on the page's edit page."""

    list_display = ("slug", "number", "title", "created_by", "created_at")
    list_filter = ("slug",)
    search_fields = ("title", "body", "summary_of_changes")
    list_select_related = ("created_by",)
