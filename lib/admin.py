from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest

from lib.html import clean_html


class SanitizingAdmin(admin.ModelAdmin[Any]):
    """Staff edits go through the same sanitizer as everyone else's (templates print these fields as HTML)."""

    html_fields: tuple[str, ...] = ()

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm[Any], change: bool) -> None:
        for field in self.html_fields:
            setattr(obj, field, clean_html(getattr(obj, field)))
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Listed, searched and filtered in the admin, but changed only on the site's own pages, where each
    change is logged or has its effects (hiding works, clearing caches, counting allotments).
    `deletable` models may also be deleted here (an unused invitation, a news comment)."""

    deletable = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.deletable and super().has_delete_permission(request, obj)
