from django import forms

from api.models import PersonalToken


class TokenForm(forms.ModelForm[PersonalToken]):
    class Meta:
        model = PersonalToken
        fields = ["name", "read_restricted", "write", "view_adult"]
