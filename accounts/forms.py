import re

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Pseud, User
from lib.html import clean_notes_html

_PSEUD_NAME = re.compile(r"^[\w][\w .\-]*$")


# Names the archive itself uses (accounts.lifecycle.ORPHAN_USERNAME owns orphaned works).
RESERVED_USERNAMES = {"orphan_account"}


def check_username(username: str, exclude: User | None = None) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_]{3,40}", username):
        raise ValidationError(_("Use 3 to 40 letters, digits or underscores."))
    if username.casefold() in RESERVED_USERNAMES:
        raise ValidationError(_("That username is taken."))
    taken = User.objects.filter(username__iexact=username)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ValidationError(_("That username is taken."))
    return username


def check_new_email(email: str) -> str:
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("An account with that email already exists. Try resetting your password."))
    return email


class SignupForm(UserCreationForm[User]):
    email = forms.EmailField(label=_("Email"), help_text=_("Used only for password resets and notifications."))
    invitation = forms.CharField(label=_("Invitation code"), max_length=100, required=False)
    accept_terms = forms.BooleanField(label=_("I have read and accept the Terms of Service"), required=False)
    confirm_age = forms.BooleanField(required=True)
    # The honeypot: its wrapper is hidden from people, so only bots fill it in.
    website = forms.CharField(label=_("Leave this empty"), required=False, max_length=200)

    class Meta:
        model = User
        fields = ("username", "email")
        # The rule clean_username enforces (Django's default text speaks of 150 characters and @/./+/-).
        help_texts = {"username": _("3 to 40 letters, digits or underscores.")}

    def __init__(
        self, *args: object, needs_invitation: bool, terms_url: str | None, minimum_age: int, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.needs_invitation = needs_invitation
        self.terms_url = terms_url
        if not needs_invitation:
            del self.fields["invitation"]
        if terms_url is None:
            del self.fields["accept_terms"]
        self.fields["confirm_age"].label = _("I am at least %(age)s years old") % {"age": minimum_age}
        self.fields["confirm_age"].error_messages["required"] = _("You must be at least %(age)s to join.") % {
            "age": minimum_age
        }

    def clean_username(self) -> str:
        return check_username(str(self.cleaned_data["username"]))

    def clean_email(self) -> str:
        return check_new_email(str(self.cleaned_data["email"]))

    def clean_invitation(self) -> str:
        code = str(self.cleaned_data.get("invitation", "")).strip()
        if self.needs_invitation and not code:
            raise ValidationError(_("Signing up needs an invitation."))
        return code

    def clean_accept_terms(self) -> bool:
        if not self.cleaned_data.get("accept_terms"):
            raise ValidationError(_("Please accept the Terms of Service to sign up."))
        return True


class QueueForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    website = forms.CharField(label=_("Leave this empty"), required=False, max_length=200)


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Their email (optional)"),
        required=False,
        max_length=254,
        help_text=_("We email them the invitation; or copy its link yourself."),
    )


class IssueInvitationsForm(forms.Form):
    count = forms.IntegerField(label=_("How many"), min_value=1, max_value=500, initial=1)
    email = forms.EmailField(label=_("Send to (optional)"), required=False, max_length=254)


class ReleaseForm(forms.Form):
    count = forms.IntegerField(label=_("How many"), min_value=1, max_value=500, initial=10)


class UsernameChangeForm(forms.Form):
    username = forms.CharField(label=_("New username"), max_length=40)
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput)

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"])
        if username == self.user.username:
            raise ValidationError(_("That is already your username."))
        return check_username(username, exclude=self.user)

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not self.user.check_password(password):
            raise ValidationError(_("That password is not right."))
        return password


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label=_("New email"), max_length=254)
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput)

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"])
        if email.casefold() == self.user.email.casefold():
            raise ValidationError(_("That is already your email."))
        return check_new_email(email)

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not self.user.check_password(password):
            raise ValidationError(_("That password is not right."))
        return password


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
        return clean_notes_html(self.cleaned_data["description"])


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


class OrphanForm(forms.Form):
    keep_pseud_names = forms.BooleanField(
        label=_("Keep my pseud's name on the works"),
        required=False,
        initial=True,
        help_text=_("The works are credited to “name (orphan_account)” instead of plain “orphan_account”."),
    )


class DeleteAccountForm(OrphanForm):
    WORKS_CHOICES = [
        ("orphan", _("Orphan my works: they stay on the archive, credited to orphan_account")),
        ("delete", _("Delete my works (works shared with co-creators stay theirs)")),
    ]
    works = forms.ChoiceField(label=_("My works"), choices=WORKS_CHOICES, widget=forms.RadioSelect, initial="orphan")
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput)

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not self.user.check_password(password):
            raise ValidationError(_("That password is not right."))
        return password
