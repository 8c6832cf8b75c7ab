from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import Pseud, User
from lib.admin import SanitizingAdmin


class PseudInline(admin.TabularInline[Pseud, User]):
    model = Pseud
    extra = 0
    fields = ("name", "is_default", "created_at")
    readonly_fields = ("created_at",)


@admin.register(User)
class ArchiveUserAdmin(UserAdmin[User]):
    list_display = ("username", "email", "is_active", "is_staff", "date_joined", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("username", "email", "pseuds__name")
    inlines = [PseudInline]
    fieldsets = (*UserAdmin.fieldsets, ("Preferences", {"fields": ("skip_adult_gate",)}))  # type: ignore[misc]


@admin.register(Pseud)
class PseudAdmin(SanitizingAdmin):
    html_fields = ("description",)
    list_display = ("name", "user", "is_default", "created_at")
    search_fields = ("name", "user__username")
    raw_id_fields = ("user",)
