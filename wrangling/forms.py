"""Forms of the wrangling pages. Tags are typed as names; the actions look them up and explain refusals."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from lib.params import IdMultipleChoiceField
from tags.actions import BULK_ACTIONS, PARENT_TYPES, TARGETED_ACTIONS, TagEdit
from tags.models import USER_DEFINED_TYPES, Tag, TagType, tag_name_key
from tags.parsing import TAG_NAME_MAX, split_tag_names
from wrangling.permissions import can_wrangle

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise


def tag_input(tag_type: str) -> forms.TextInput:
    """A tag name box that autocomplete scripts can find by class and tag type."""
    return forms.TextInput(attrs={"class": "tag-input", "data-tag-type": tag_type, "autocomplete": "off"})


def one_tag_name(raw: str) -> str:
    """The single tag name in a field ("" if empty); autocomplete leaves a trailing comma."""
    names = split_tag_names(raw)
    if len(names) > 1:
        raise forms.ValidationError(gettext("Give just one tag here."))
    return names[0] if names else ""


SEPARATE_TAGS = _("Separate tags with commas.")


def _tag_names_field(
    label: "_StrOrPromise", tag_type: str, help_text: "_StrOrPromise" = SEPARATE_TAGS
) -> forms.CharField:
    return forms.CharField(label=label, required=False, help_text=help_text, widget=tag_input(tag_type))


class TagChoices(IdMultipleChoiceField):
    """Checkboxes of linked tags, labelled with their type."""

    def label_from_instance(self, obj: Tag) -> str:
        return f"{obj.name} ({obj.get_type_display()})"


def _remove_field(label: "_StrOrPromise", tags: QuerySet[Tag]) -> TagChoices:
    return TagChoices(label=label, queryset=tags, required=False, widget=forms.CheckboxSelectMultiple)


# Parent field name -> (label, parent type), by the edited tag's type.
PARENT_FIELDS = {
    TagType.MEDIA: ("add_media", _("Add media")),
    TagType.FANDOM: ("add_fandoms", _("Add parent fandoms")),
    TagType.CHARACTER: ("add_characters", _("Add characters")),
}


class TagEditForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=TAG_NAME_MAX,
        help_text=_("Wranglers can change capitalisation and accents; archive staff can rename freely."),
    )
    canonical = forms.BooleanField(
        label=_("Canonical"),
        required=False,
        help_text=_("Canonical tags are the ones readers filter by; they can have synonyms, meta and sub tags."),
    )
    unwrangleable = forms.BooleanField(
        label=_("Unwrangleable"),
        required=False,
        help_text=_("Keeps an additional tag out of the unwrangled lists for good."),
    )

    def __init__(self, *args: Any, tag: Tag, user: User, **kwargs: Any) -> None:
        self.tag = tag
        self.user = user
        kwargs.setdefault(
            "initial",
            {
                "name": tag.name,
                "canonical": tag.canonical,
                "unwrangleable": tag.unwrangleable,
                "synonym_of": tag.merger.name if tag.merger else "",
            },
        )
        super().__init__(*args, **kwargs)
        if tag.type != TagType.FREEFORM:
            del self.fields["unwrangleable"]
        self.fields["synonym_of"] = _tag_names_field(
            gettext("Synonym of"),
            tag.type,
            gettext("The canonical tag this one means the same as. Leave empty for none."),
        )
        self.fields["add_synonyms"] = _tag_names_field(gettext("Add synonyms"), tag.type)
        if tag.synonyms.exists():
            self.fields["remove_synonyms"] = _remove_field(gettext("Remove synonyms"), tag.synonyms.order_by("name"))
        self.fields["add_meta_tags"] = _tag_names_field(gettext("Add meta tags"), tag.type)
        metas = Tag.objects.filter(sub_links__sub_tag=tag).order_by("name")
        if metas.exists():
            self.fields["remove_meta_tags"] = _remove_field(gettext("Remove meta tags"), metas)
        self.fields["add_sub_tags"] = _tag_names_field(gettext("Add sub tags"), tag.type)
        subs = Tag.objects.filter(meta_links__meta_tag=tag).order_by("name")
        if subs.exists():
            self.fields["remove_sub_tags"] = _remove_field(gettext("Remove sub tags"), subs)
        for parent_type in PARENT_TYPES.get(tag.type, ()):
            name, label = PARENT_FIELDS[parent_type]
            self.fields[name] = _tag_names_field(label, parent_type)
        parents = Tag.objects.filter(child_links__child=tag).order_by("type", "name")
        if parents.exists():
            self.fields["remove_parents"] = _remove_field(gettext("Remove parent tags"), parents)

    def clean_add_synonyms(self) -> str:
        # Making a tag a synonym changes that tag, so a fandom's wrangler may only merge their own tags.
        raw: str = self.cleaned_data["add_synonyms"]
        keys = [tag_name_key(name) for name in split_tag_names(raw)]
        refused = [t.name for t in Tag.objects.filter(name_key__in=keys) if not can_wrangle(self.user, t)]
        if refused:
            names = ", ".join(f"“{name}”" for name in refused)
            raise forms.ValidationError(
                gettext("You can't wrangle %(names)s, so you can't make it a synonym here.") % {"names": names}
            )
        return raw

    def clean_synonym_of(self) -> str:
        return one_tag_name(self.cleaned_data["synonym_of"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        if data.get("canonical") and data.get("synonym_of"):
            self.add_error(
                "synonym_of",
                gettext("A synonym can't be canonical: untick “Canonical” to make this tag a synonym."),
            )
        return data

    def parent_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, _label in PARENT_FIELDS.values() if name in self.fields]

    def edit(self) -> TagEdit:
        data = self.cleaned_data
        return TagEdit(
            name=data["name"],
            canonical=data["canonical"],
            unwrangleable=data.get("unwrangleable", False),
            synonym_of=data["synonym_of"],
            add_synonyms=split_tag_names(data["add_synonyms"]),
            remove_synonyms=list(data.get("remove_synonyms", [])),
            add_meta_tags=split_tag_names(data["add_meta_tags"]),
            remove_meta_tags=list(data.get("remove_meta_tags", [])),
            add_sub_tags=split_tag_names(data["add_sub_tags"]),
            remove_sub_tags=list(data.get("remove_sub_tags", [])),
            add_parents={
                name: split_tag_names(data[name]) for name, _label in PARENT_FIELDS.values() if name in self.fields
            },
            remove_parents=list(data.get("remove_parents", [])),
        )


class BulkWrangleForm(forms.Form):
    tags = IdMultipleChoiceField(
        label=_("Tags"),
        queryset=Tag.objects.filter(type__in=USER_DEFINED_TYPES),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select at least one tag.")},
    )
    action = forms.ChoiceField(label=_("Action"), choices=[("", _("Choose an action")), *BULK_ACTIONS.items()])
    target = forms.CharField(
        label=_("Target tag"),
        required=False,
        help_text=_(
            "The canonical tag to merge into, the parent fandom, or the meta tag. "
            "When adding a parent fandom in a fandom's list, leave it empty to use that fandom."
        ),
    )

    def __init__(self, *args: Any, tag_type: str = "", default_parent: Tag | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default_parent = default_parent
        self.fields["target"].widget = tag_input(tag_type)

    def clean_target(self) -> str:
        return one_tag_name(self.cleaned_data["target"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        action, name = data.get("action"), data.get("target", "")
        data["target_tag"] = None
        if action in TARGETED_ACTIONS and "target" not in self.errors:
            if name:
                target = Tag.objects.filter(name_key=tag_name_key(name)).first()
                if target is None:
                    self.add_error("target", gettext("There is no tag named “%(name)s”.") % {"name": name})
                data["target_tag"] = target
            elif action == "add_parent" and self.default_parent is not None:
                data["target_tag"] = self.default_parent
            else:
                self.add_error("target", gettext("This action needs a target tag."))
        return data


class AppointWranglerForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    fandom = forms.CharField(
        label=_("Fandom"),
        required=False,
        help_text=_("A canonical fandom. Leave empty to let this wrangler wrangle every fandom."),
        widget=tag_input(TagType.FANDOM),
    )

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            raise forms.ValidationError(gettext("There is no user named “%(username)s”.") % {"username": username})
        return user

    def clean_fandom(self) -> Tag | None:
        return tag_by_name(self.cleaned_data["fandom"])


def tag_by_name(raw: str) -> Tag | None:
    """The one tag named in a field (None if empty); moderation.actions.appoint checks it is a canonical fandom."""
    name = one_tag_name(raw)
    if not name:
        return None
    tag = Tag.objects.filter(name_key=tag_name_key(name)).first()
    if tag is None:
        raise forms.ValidationError(gettext("There is no tag named “%(name)s”.") % {"name": name})
    return tag
