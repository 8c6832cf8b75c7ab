from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Pseud, User
from lib.html import clean_notes_html
from lib.params import IdChoiceField
from tags.parsing import FORBIDDEN_CHARACTERS, TAG_NAME_MAX, split_tag_names
from works.forms import TextAreaField
from works.models import NOTES_MAX, USER_TAGS_MAX


class BookmarkForm(forms.Form):
    pseud = IdChoiceField(queryset=Pseud.objects.none(), label=_("Bookmarker's pseud"), empty_label=None)
    notes = TextAreaField(
        label=_("Notes"),
        required=False,
        max_length=NOTES_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Plain text or HTML (p, em, strong, a, blockquote, lists…)."),
    )
    tags = forms.CharField(
        label=_("Your tags"),
        required=False,
        help_text=_(
            "Separate tags with commas. Existing tags of any kind are used as they are; new ones are "
            "created as additional tags."
        ),
        # data-tag-type turns on static/js/autocomplete.js; without JavaScript the field is plain text.
        widget=forms.TextInput(attrs={"class": "tag-input", "autocomplete": "off", "data-tag-type": "freeform"}),
    )
    private = forms.BooleanField(label=_("Private bookmark"), required=False, help_text=_("Only you will see it."))
    rec = forms.BooleanField(label=_("Rec"), required=False, help_text=_("Recommend it to others."))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pseud_field = self.fields["pseud"]
        assert isinstance(pseud_field, forms.ModelChoiceField)
        pseud_field.queryset = user.pseuds.all()
        if not self.is_bound and "pseud" not in self.initial:
            self.initial["pseud"] = next((p.pk for p in user.pseuds.all() if p.is_default), None)

    def clean_notes(self) -> str:
        return clean_notes_html(self.cleaned_data["notes"])

    def clean_tags(self) -> list[str]:
        names = split_tag_names(self.cleaned_data["tags"])
        errors = []
        for name in names:
            if len(name) > TAG_NAME_MAX:
                errors.append(
                    _("“%(name)s…” is too long: tags can be at most %(count)s characters.")
                    % {"name": name[:40], "count": TAG_NAME_MAX}
                )
            bad = sorted(FORBIDDEN_CHARACTERS.intersection(name))
            if bad:
                errors.append(
                    _("“%(name)s” contains characters tags can't have: %(characters)s")
                    % {"name": name, "characters": " ".join(bad)}
                )
        if len(names) > USER_TAGS_MAX:
            errors.append(_("A bookmark can have at most %(count)s tags.") % {"count": USER_TAGS_MAX})
        if errors:
            raise ValidationError(errors)
        return names
