from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from accounts.models import Pseud
from comments import actions
from comments.models import COMMENT_MAX
from works.access import AnyUser
from works.forms import TextAreaField

CONTENT_HELP = (
    f"Plain text (blank lines start new paragraphs) or HTML such as em, strong, a and blockquote; "
    f"at most {COMMENT_MAX:,} characters."
)


def _content_field() -> TextAreaField:
    return TextAreaField(
        label="Comment",
        # The length is checked by actions.clean_comment_input, with its own message; the
        # browser still stops typing at the limit.
        required=False,
        help_text=CONTENT_HELP,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": COMMENT_MAX, "required": True}),
        strip=True,
    )


class CommentForm(forms.Form):
    """A new comment or reply. Guests give a name and an email address; users may pick a pseud."""

    pseud = forms.ModelChoiceField(label="Comment as", queryset=Pseud.objects.none(), required=False, empty_label=None)
    guest_name = forms.CharField(
        label="Name", required=False, max_length=actions.GUEST_NAME_MAX, widget=forms.TextInput({"required": True})
    )
    guest_email = forms.CharField(
        label="Email",
        required=False,
        help_text="Never shown to anyone.",
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
