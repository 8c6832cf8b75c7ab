from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from lib.admin import SanitizingAdmin
from lib.wordcount import count_words
from works.actions import refresh_work_stats
from works.models import Chapter, Creatorship, SerialWork, Series, Work


class CreatorshipInline(admin.TabularInline[Creatorship, Work]):
    model = Creatorship
    extra = 0
    raw_id_fields = ("pseud",)


class ChapterInline(admin.TabularInline[Chapter, Work]):
    model = Chapter
    extra = 0
    fields = ("position", "title", "posted", "word_count", "published_at")
    readonly_fields = ("word_count",)
    show_change_link = True


@admin.register(Work)
class WorkAdmin(SanitizingAdmin):
    html_fields = ("summary", "notes", "endnotes")
    list_display = (
        "title", "id", "posted", "restricted", "hidden_by_admin", "language",
        "word_count", "chapter_count", "hits", "revised_at",
    )  # fmt: skip
    list_filter = ("posted", "restricted", "hidden_by_admin", "complete", "language")
    search_fields = ("title", "creatorships__pseud__name", "creatorships__pseud__user__username")
    readonly_fields = ("word_count", "chapter_count", "hits", "created_at", "title_sort", "creator_sort")
    date_hierarchy = "revised_at"
    inlines = [CreatorshipInline, ChapterInline]
    list_per_page = 50
    show_full_result_count = False

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Hiding, restricting or retitling here must reach listings and search like any edit.
        refresh_work_stats(obj)


@admin.register(Chapter)
class ChapterAdmin(SanitizingAdmin):
    html_fields = ("summary", "notes", "endnotes", "content")
    list_display = ("__str__", "work", "position", "posted", "word_count", "published_at")
    list_filter = ("posted",)
    search_fields = ("title", "work__title")
    raw_id_fields = ("work",)
    readonly_fields = ("word_count",)

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool) -> None:
        super().save_model(request, obj, form, change)
        obj.word_count = count_words(obj.content)
        obj.save(update_fields=["word_count"])
        refresh_work_stats(obj.work)


class SerialWorkInline(admin.TabularInline[SerialWork, Series]):
    model = SerialWork
    extra = 0
    raw_id_fields = ("work",)


@admin.register(Series)
class SeriesAdmin(SanitizingAdmin):
    html_fields = ("summary", "notes")
    list_display = ("title", "complete", "created_at")
    search_fields = ("title",)
    filter_horizontal = ("pseuds",)
    inlines = [SerialWorkInline]
