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
