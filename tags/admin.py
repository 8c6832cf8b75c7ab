from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from tags.models import Tag, TagParent


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
