from django import forms
from django.utils.translation import gettext_lazy as _

from lib.html import clean_html
from news.models import NewsPost

NEWS_MAX = 100_000


class NewsForm(forms.ModelForm[NewsPost]):
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=NEWS_MAX,
        help_text=_("HTML is allowed (the same as in works)."),
    )

    class Meta:
        model = NewsPost
        fields = ("title", "body", "comments_enabled")
        labels = {"title": _("Title"), "comments_enabled": _("Members may comment")}

    def clean_body(self) -> str:
        body = clean_html(self.cleaned_data["body"])
        if not body:
            raise forms.ValidationError(_("The post can't be empty."))
        return body
