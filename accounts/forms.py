import re

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Pseud, User
from lib.html import clean_html

_PSEUD_NAME = re.compile(r"^[\w][\w .\-]*$")


class SignupForm(UserCreationForm[User]):
    email = forms.EmailField(label=_("Email"), help_text=_("Used only for password resets and notifications."))

    class Meta:
        model = User
        fields = ("username", "email")
        # The rule clean_username enforces (Django's default text speaks of 150 characters and @/./+/-).
        help_texts = {"username": _("3 to 40 letters, digits or underscores.")}

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("That username is taken."))
        if not re.fullmatch(r"[A-Za-z0-9_]{3,40}", username):
            raise ValidationError(_("Use 3 to 40 letters, digits or underscores."))
        return str(username)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("An account with that email already exists. Try resetting your password."))
        return str(email)


class PseudForm(forms.ModelForm[Pseud]):
    class Meta:
        model = Pseud
        fields = ("name", "description")
        labels = {"name": _("Name"), "description": _("Description")}
        help_texts = {"name": _("Letters, digits, spaces, full stops, hyphens and underscores.")}

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not _PSEUD_NAME.match(name):
            raise ValidationError(_("Pseuds can have letters, digits, spaces, full stops, hyphens and underscores."))
        clash = Pseud.objects.filter(user=self.user, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("You already have a pseud with that name."))
        return name

    def clean_description(self) -> str:
        return clean_html(self.cleaned_data["description"])


READER_LABELS = {
    "theme": _("Theme"),
    "reader_font": _("Font"),
    "reader_size": _("Text size"),
    "reader_spacing": _("Line spacing"),
    "reader_width": _("Line width"),
    "hide_creator_style": _("Hide creators' styles"),
}


class ReaderSettingsForm(forms.ModelForm[User]):
    """How works look: the header's Display panel and the preferences page."""

    class Meta:
        model = User
        fields = tuple(READER_LABELS)
        labels = READER_LABELS
        help_texts = {"hide_creator_style": _("Read every work in the archive's own style, without its work skin.")}


class PreferencesForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ("skip_adult_gate", "history_enabled", "email_on_comments", "email_on_subscriptions")
        labels = {
            "skip_adult_gate": _("Show me adult content without checking"),
            "history_enabled": _("Keep my history"),
            "email_on_comments": _("Email me about comments"),
            "email_on_subscriptions": _("Email me about my subscriptions"),
        }
        help_texts = {
            "skip_adult_gate": _("Skip the warning page before works rated Mature, Explicit or Not Rated."),
            "history_enabled": _("Remember the works I read and the chapter I stopped at (only I can see it)."),
            "email_on_comments": _(
                "An email for each comment on my works and each reply to my comments (they always reach my inbox)."
            ),
            "email_on_subscriptions": _(
                "An hourly email with new chapters, works and series parts I subscribed to "
                "(they always reach my inbox)."
            ),
        }
