"""The moderation models in the admin: to look things up. Every decision is taken on the desk
(/moderation), which logs it and notifies; so nothing here is added or changed, and the log is read-only."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from lib.admin import ReadOnlyAdmin
from moderation.models import CaseNote, CoCreatorInvitation, InvitationSetting, LogEntry, Notice, Report, Standing


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("reference", "kind", "category", "status", "reporter", "target_user", "created_at")
    list_filter = ("status", "category", "kind")
    search_fields = ("description", "reporter__username", "reporter_email", "target_user__username", "outcome")
    list_select_related = ("reporter", "target_user")
    date_hierarchy = "created_at"
    show_full_result_count = False
    readonly_fields = ("on_the_desk",)

    @admin.display(description="On the desk")
    def on_the_desk(self, report: Report) -> SafeString:
        return format_html('<a href="{}">{}</a>', reverse("moderation_case", args=[report.pk]), report.reference)


@admin.register(CaseNote)
class CaseNoteAdmin(ReadOnlyAdmin):
    list_display = ("report", "author", "created_at")
    search_fields = ("text", "author__username")
    list_select_related = ("report", "author")


@admin.register(Standing)
class StandingAdmin(ReadOnlyAdmin):
    list_display = ("user", "banned", "spam", "suspended_until", "updated_at")
    list_filter = ("banned", "spam")
    search_fields = ("user__username", "reason")
    list_select_related = ("user",)


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ("user", "kind", "subject", "read", "answered_at", "created_at")
    list_filter = ("kind", "read")
    search_fields = ("user__username", "subject", "reason", "answer")
    list_select_related = ("user",)


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "action", "actor_name", "target_kind", "user", "short_reason")
    list_filter = ("action", "target_kind")
    search_fields = ("actor_name", "user__username", "reason")
    list_select_related = ("user",)
    date_hierarchy = "created_at"
    show_full_result_count = False

    @admin.display(description="Reason")
    def short_reason(self, entry: LogEntry) -> str:
        return entry.reason[:100]


@admin.register(CoCreatorInvitation)
class CoCreatorInvitationAdmin(ReadOnlyAdmin):
    deletable = True  # withdrawing an invitation changes no credit
    list_display = ("work", "pseud", "invited_by", "emailed", "created_at")
    search_fields = ("work__title", "pseud__name", "invited_by__username")
    list_select_related = ("work", "pseud", "invited_by")


@admin.register(InvitationSetting)
class InvitationSettingAdmin(ReadOnlyAdmin):
    list_display = ("user", "accepts_co_creator_invitations")
    list_filter = ("accepts_co_creator_invitations",)
    search_fields = ("user__username",)
