from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from moderation.actions import MAX_SUSPENSION_DAYS
from moderation.models import DESCRIPTION_MAX, REASON_MAX, Category
from moderation.roles import Role
from tags.fixed import RATINGS, WARNINGS
from tags.models import Tag, TagType
from tags.parsing import TAG_NAME_MAX
from wrangling.forms import tag_by_name, tag_input

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

REPORT_CATEGORIES = [(value, label) for value, label in Category.choices if value != Category.APPEAL]


def _text(label: "StrOrPromise", *, required: bool = True, help_text: "StrOrPromise" = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=REASON_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReportForm(forms.Form):
    category = forms.ChoiceField(label=_("What is wrong?"), choices=REPORT_CATEGORIES)
    description = forms.CharField(
        label=_("Tell us more"),
        max_length=DESCRIPTION_MAX,
        help_text=_("What the problem is and where to see it. At most 5,000 characters."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("So we can tell you the outcome. Only the moderators see it."),
    )

    def __init__(self, *args: object, guest: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not guest:
            del self.fields["email"]


class ReasonForm(forms.Form):
    reason = _text(_("Reason"), help_text=_("The account concerned sees this."))


class NoteForm(forms.Form):
    text = _text(_("Internal comment"), help_text=_("Only moderators and staff see this."))


class ResolveForm(forms.Form):
    outcome = _text(_("Outcome"), help_text=_("Sent to whoever reported it (by email for a guest)."))


class AnswerForm(forms.Form):
    text = _text(_("Your answer"), help_text=_("The moderators will look at the decision again."))


class SuspendForm(ReasonForm):
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=MAX_SUSPENSION_DAYS, initial=7)
    hide_works = forms.BooleanField(label=_("Also hide their works"), required=False)


class RatingForm(ReasonForm):
    rating = forms.ChoiceField(label=_("Rating"), choices=[(name, name) for name, _s, _a in RATINGS])
    warnings = forms.MultipleChoiceField(
        label=_("Archive warnings"),
        choices=[(name, name) for name in WARNINGS],
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_rating(self) -> Tag:
        return Tag.objects.get(type=TagType.RATING, name=self.cleaned_data["rating"])

    def clean_warnings(self) -> list[Tag]:
        return list(Tag.objects.filter(type=TagType.WARNING, name__in=self.cleaned_data["warnings"]))


class AppointForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    fandom = forms.CharField(
        label=_("Fandom (wranglers only)"),
        required=False,
        max_length=TAG_NAME_MAX + 10,
        help_text=_("A canonical fandom. Leave empty to let a wrangler wrangle every fandom."),
        widget=tag_input(TagType.FANDOM),
    )

    def clean_fandom(self) -> Tag | None:
        return tag_by_name(self.cleaned_data["fandom"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("fandom") is not None and data.get("role") != Role.WRANGLER:
            self.add_error("fandom", gettext("Only tag wranglers are appointed to a fandom."))
        return data

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username__iexact=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(gettext("There is no user named “%(username)s”.") % {"username": username})
        return user
