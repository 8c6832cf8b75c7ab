from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from accounts.models import User
from lib.admin import ReadOnlyAdmin
from tags import hooks
from tags.models import MetaTagging, Tag, TagParent, WranglerAssignment, WranglingLog


class ParentInline(admin.TabularInline[TagParent, Tag]):
    model = TagParent
    fk_name = "child"
    extra = 1
    raw_id_fields = ("parent",)
    verbose_name = "parent tag (a fandom's media, a character's fandom…)"
    verbose_name_plural = "parent tags"


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin[Tag]):
    list_display = ("name", "type", "canonical", "merger", "unwrangleable", "usage_count", "created_at")
    list_filter = ("type", "canonical", "unwrangleable")
    search_fields = ("name",)
    raw_id_fields = ("merger",)
    inlines = [ParentInline]
    ordering = ("name",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Tag]:
        return super().get_queryset(request).annotate(usage=Count("taggings"))

    @admin.display(description="Works", ordering="usage")
    def usage_count(self, tag: Tag) -> int:
        return int(getattr(tag, "usage", 0))

    def save_model(self, request: HttpRequest, obj: Tag, form: Any, change: bool) -> None:
        old_merger = Tag.objects.filter(pk=obj.pk).values_list("merger_id", flat=True).first() if change else None
        super().save_model(request, obj, form, change)
        # "type" too: the autocomplete's name table follows this log (works.autocomplete.TagNames).
        fields = ("name", "type", "canonical", "merger", "unwrangleable")
        changed = [name for name in fields if name in form.changed_data]
        if change and changed:
            # Edits here bypass the wrangling pages: log them, and refresh filters a merger or canonical flag touches.
            actor = request.user if isinstance(request.user, User) else None
            WranglingLog.objects.create(
                actor=actor,
                tag=obj,
                tag_name=obj.name,
                action="admin_edit",
                detail=f"Changed in the admin: {', '.join(changed)}.",
            )
            if {"canonical", "merger"} & set(changed):
                hooks.wrangled({pk for pk in (obj.pk, obj.merger_id, old_merger) if pk is not None})


# Wrangling is done on the wrangling pages, which log every change and refresh filters;
# the admin shows it. Wranglers are appointed on the roles page (moderation.actions.appoint,
# in the moderation log), so their assignments are read-only here.


@admin.register(WranglerAssignment)
class WranglerAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("user", "fandom", "created_at")
    search_fields = ("user__username", "fandom__name")
    list_select_related = ("user", "fandom")


@admin.register(MetaTagging)
class MetaTaggingAdmin(admin.ModelAdmin[MetaTagging]):
    """Read-only: a meta link changes filters, so it is changed on the tag edit page (which refreshes them)."""

    list_display = ("meta_tag", "sub_tag")
    search_fields = ("meta_tag__name", "sub_tag__name")
    list_select_related = ("meta_tag", "sub_tag")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: MetaTagging | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: MetaTagging | None = None) -> bool:
        return False


@admin.register(WranglingLog)
class WranglingLogAdmin(admin.ModelAdmin[WranglingLog]):
    list_display = ("created_at", "actor", "tag_name", "action", "detail")
    list_filter = ("action",)
    search_fields = ("tag_name", "detail", "actor__username")
    list_select_related = ("actor",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: WranglingLog | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: WranglingLog | None = None) -> bool:
        return False
