from django import forms
from django.utils.translation import gettext_lazy as _

from lib.html import clean_html
from sitecontent.models import SiteSettings

PAGE_MAX = 200_000


class SettingsForm(forms.ModelForm[SiteSettings]):
    class Meta:
        model = SiteSettings
        fields = (
            "site_name",
            "site_description",
            "signup_mode",
            "invitations_per_user",
            "queue_release_per_day",
            "require_email_verification",
            "minimum_age",
            "username_change_days",
            "guest_comments",
            "guest_kudos",
            "downloads_enabled",
            "default_language",
            "banner_text",
            "banner_kind",
        )
        widgets = {"signup_mode": forms.RadioSelect, "site_description": forms.Textarea(attrs={"rows": 3})}

    def clean_site_name(self) -> str:
        name = " ".join(self.cleaned_data["site_name"].split())
        if not name:
            raise forms.ValidationError(_("The archive needs a name."))
        return name

    def clean_banner_text(self) -> str:
        return clean_html(self.cleaned_data["banner_text"])


class PageForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 20}),
        max_length=PAGE_MAX,
        help_text=_("HTML is allowed (the same as in works)."),
    )
    summary_of_changes = forms.CharField(
        label=_("What changed"), max_length=500, required=False, help_text=_("Shown in the page's history.")
    )

    def clean_body(self) -> str:
        body = clean_html(self.cleaned_data["body"])
        if not body:
            raise forms.ValidationError(_("The page can't be empty."))
        return body
