from typing import Any

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.signup import HONEYPOT_FIELD
from moderation.models import REASON_MAX
from support.models import MESSAGE_MAX, SUBJECT_MAX, SupportRequest


class ContactForm(forms.Form):
    category = forms.ChoiceField(label=_("What is it about?"), choices=SupportRequest.Category.choices)
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)
    # The length is checked in clean_message with a message that says how long it is; nothing is cut.
    message = forms.CharField(
        label=_("Your message"),
        help_text=_("What happened, and what you expected. At most 5,000 characters."),
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    email = forms.EmailField(
        label=_("Your email address"), help_text=_("Where we send our answer. Only support sees it.")
    )
    # The honeypot: its wrapper is hidden from people, so only bots fill it in (as on sign-up).
    website = forms.CharField(label=_("Leave this empty"), required=False, max_length=200)

    def __init__(self, *args: Any, guest: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert HONEYPOT_FIELD == "website"
        if not guest:
            del self.fields["email"]

    def clean_message(self) -> str:
        message = str(self.cleaned_data["message"]).replace("\r\n", "\n")
        if len(message) > MESSAGE_MAX:
            raise forms.ValidationError(
                gettext("Your message must be at most %(maximum)s characters long (it has %(count)s).")
                % {
                    "maximum": number_format(MESSAGE_MAX, force_grouping=True),
                    "count": number_format(len(message), force_grouping=True),
                }
            )
        return message


def _text(label: Any, help_text: Any) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=REASON_MAX, help_text=help_text, widget=forms.Textarea(attrs={"rows": 4})
    )


class NoteForm(forms.Form):
    text = _text(_("Internal comment"), _("Only support and staff see this."))


class ReplyForm(forms.Form):
    text = _text(_("Answer"), _("Goes to the member's inbox, or by email to a guest."))


class FollowUpForm(forms.Form):
    text = _text(_("Write to support"), _("Add to your request: support sees it with your question."))


class LookupForm(forms.Form):
    q = forms.CharField(label=_("Username or email address"), max_length=254)
