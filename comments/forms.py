from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Pseud
from comments import actions
from comments.models import COMMENT_MAX
from lib.params import IdChoiceField
from works.access import AnyUser
from works.forms import TextAreaField


def _content_help() -> str:
    return gettext(
        "Plain text (blank lines start new paragraphs) or HTML such as em, strong, a and blockquote; "
        "at most %(count)s characters."
    ) % {"count": number_format(COMMENT_MAX, force_grouping=True)}


# Lazy: the form class is built once, the help text is read in each reader's language.
CONTENT_HELP = lazy(_content_help, str)()


def _content_field() -> TextAreaField:
    return TextAreaField(
        label=_("Comment"),
        # The length is checked by actions.clean_comment_input, with its own message; the
        # browser still stops typing at the limit.
        required=False,
        help_text=CONTENT_HELP,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": COMMENT_MAX, "required": True}),
        strip=True,
    )


class CommentForm(forms.Form):
    """A new comment or reply. Guests give a name and an email address; users may pick a pseud."""

    pseud = IdChoiceField(label=_("Comment as"), queryset=Pseud.objects.none(), required=False, empty_label=None)
    guest_name = forms.CharField(
        label=_("Name"), required=False, max_length=actions.GUEST_NAME_MAX, widget=forms.TextInput({"required": True})
    )
    guest_email = forms.CharField(
        label=_("Email"),
        required=False,
        help_text=_("Never shown to anyone."),
        widget=forms.EmailInput({"required": True, "autocomplete": "email"}),
    )
    content = _content_field()

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if user.is_authenticated:
            del self.fields["guest_name"], self.fields["guest_email"]
            pseuds = list(user.pseuds.all())
            if len(pseuds) > 1:
                field = self.fields["pseud"]
                assert isinstance(field, forms.ModelChoiceField)
                field.queryset = user.pseuds.all()
                field.initial = next((p.pk for p in pseuds if p.is_default), None)
            else:
                del self.fields["pseud"]
        else:
            del self.fields["pseud"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            fields = actions.clean_comment_input(
                guest=not self.user.is_authenticated,
                guest_name=cleaned.get("guest_name", ""),
                guest_email=cleaned.get("guest_email", ""),
                content=cleaned.get("content", ""),
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name not in self.errors:
                    self.add_error(name, messages)
            return cleaned
        cleaned["guest_name"], cleaned["guest_email"] = fields.guest_name, fields.guest_email
        return cleaned


class CommentEditForm(forms.Form):
    content = _content_field()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            actions.clean_comment_input(guest=False, guest_name="", guest_email="", content=cleaned.get("content", ""))
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned
