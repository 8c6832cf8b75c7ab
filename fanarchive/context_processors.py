from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString

from accounts.forms import READER_LABELS, ReaderSettingsForm
from accounts.models import User
from comments.inbox import inbox_items

# User field -> the <html> data attribute site.css reads (reader-settings.js uses the same names).
READER_ATTRIBUTES = {
    "theme": "theme",
    "reader_font": "font",
    "reader_size": "size",
    "reader_spacing": "spacing",
    "reader_width": "width",
}


def _default(name: str) -> str:
    field = User._meta.get_field(name)
    assert isinstance(field, models.Field)
    return str(field.get_default())


# The Display panel's fields, rendered, by language and the reader's settings (guests share the
# defaults): every page shows them, and rendering a form through its templates costs ~4 ms. The
# values come from fixed choices, so there are few; the bound keeps a surprise from growing it.
_DISPLAY_FIELDS: dict[tuple[Any, ...], SafeString] = {}
_DISPLAY_FIELDS_MAX = 512


def display_fields(account: User | None) -> SafeString:
    """The Display form's fields as HTML, for this reader's settings (defaults for guests)."""
    values = tuple(getattr(account, name) for name in READER_LABELS) if account else None
    key = (translation.get_language(), values)
    html = _DISPLAY_FIELDS.get(key)
    if html is None:
        form = ReaderSettingsForm(instance=account, auto_id="display_%s")
        html = SafeString("".join(field.as_field_group() for field in form))
        if len(_DISPLAY_FIELDS) >= _DISPLAY_FIELDS_MAX:
            _DISPLAY_FIELDS.clear()
        _DISPLAY_FIELDS[key] = html
    return html


def reader(request: HttpRequest) -> dict[str, Any]:
    """Reader settings as <html> attributes: users' from their account; guests' are applied in the browser."""
    user = getattr(request, "user", None)
    account = user if isinstance(user, User) else None
    attributes = {
        attribute: getattr(account, field) if account else _default(field)
        for field, attribute in READER_ATTRIBUTES.items()
    }
    attributes["creator-style"] = "hide" if account and account.hide_creator_style else "show"
    return {
        "reader_attributes": attributes,
        "reader_saved": account is not None,
        "display_fields": SimpleLazyObject(lambda: display_fields(account)),
    }


def account_menu(request: HttpRequest) -> dict[str, Any]:
    """The unread count beside the account menu: one query, only when a page shows the menu."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {}

    def unread() -> int:
        # The inbox's own rule (comments.inbox), so the badge and the inbox page never disagree.
        return inbox_items(user, unread_only=True).count()

    return {"inbox_unread_count": SimpleLazyObject(unread)}
