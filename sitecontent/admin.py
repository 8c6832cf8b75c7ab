"""Site content in the admin, to look things up. Settings, pages and news are edited on the staff
pages (/staff/settings, /staff/pages, /news), which sanitize, number versions and clear the caches."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from lib.admin import ReadOnlyAdmin
from sitecontent.models import NewsComment, NewsPost, PageVersion, SiteSettings


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


@admin.register(NewsPost)
class NewsPostAdmin(ReadOnlyAdmin):
    deletable = True
    list_display = ("title", "author", "comments_enabled", "published_at")
    list_filter = ("comments_enabled",)
    search_fields = ("title", "body")
    list_select_related = ("author",)
    date_hierarchy = "published_at"


@admin.register(NewsComment)
class NewsCommentAdmin(ReadOnlyAdmin):
    deletable = True
    list_display = ("post", "user", "created_at")
    search_fields = ("body", "user__username", "post__title")
    list_select_related = ("post", "user")
