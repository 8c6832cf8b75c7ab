from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import (
    AgeConfirmation,
    DataExport,
    EmailVerification,
    Invitation,
    InviteRequest,
    Pseud,
    TermsAcceptance,
    User,
    UsernameChange,
)
from lib.admin import ReadOnlyAdmin, SanitizingAdmin


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


# Sign-ups and identity: issued, released, accepted and changed on the site (accounts.actions and
# accounts.invitations keep allotments, the queue and redirects right), looked up here.


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    deletable = True  # revoking an unused code
    list_display = ("code", "created_by", "email", "created_at", "used_by", "used_at")
    list_filter = (("used_by", admin.EmptyFieldListFilter),)
    search_fields = ("code", "email", "created_by__username", "used_by__username")
    list_select_related = ("created_by", "used_by")


@admin.register(InviteRequest)
class InviteRequestAdmin(ReadOnlyAdmin):
    deletable = True  # taking an address out of the queue
    list_display = ("email", "created_at", "released_at", "invitation")
    list_filter = (("released_at", admin.EmptyFieldListFilter),)
    search_fields = ("email",)
    list_select_related = ("invitation",)


@admin.register(EmailVerification)
class EmailVerificationAdmin(ReadOnlyAdmin):
    list_display = ("user", "verified_at", "created_at")
    list_filter = (("verified_at", admin.EmptyFieldListFilter),)
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)


@admin.register(TermsAcceptance)
class TermsAcceptanceAdmin(ReadOnlyAdmin):
    list_display = ("user", "version", "accepted_at")
    list_filter = ("version__number",)
    search_fields = ("user__username",)
    list_select_related = ("user", "version")


@admin.register(AgeConfirmation)
class AgeConfirmationAdmin(ReadOnlyAdmin):
    list_display = ("user", "minimum_age", "confirmed_at")
    search_fields = ("user__username",)
    list_select_related = ("user",)


@admin.register(UsernameChange)
class UsernameChangeAdmin(ReadOnlyAdmin):
    list_display = ("old_username", "new_username", "user", "changed_at")
    search_fields = ("old_username", "new_username", "user__username")
    list_select_related = ("user",)


@admin.register(DataExport)
class DataExportAdmin(ReadOnlyAdmin):
    list_display = ("user", "status", "size", "created_at", "expires_at")
    list_filter = ("status",)
    search_fields = ("user__username",)
    list_select_related = ("user",)
