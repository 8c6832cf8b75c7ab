from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Pseud, User
from lib.html import clean_html, markdown_to_html, strip_html
from lib.languages import LANGUAGES
from lib.params import IdChoiceField, IdMultipleChoiceField
from sitecontent.config import default_work_language
from tags.fixed import CATEGORIES, RATINGS, WARNINGS
from tags.models import TagType, tag_name_key
from tags.parsing import split_tag_names, validate_tag_names
from works import hooks
from works.models import CHAPTER_MAX, NOTES_MAX, SUMMARY_MAX, TITLE_MAX, USER_TAGS_MAX, Series, Work

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

# The minimum length of chapter text, as AO3.
CHAPTER_MIN = 10

TAG_FIELDS = {
    "fandoms": TagType.FANDOM,
    "relationships": TagType.RELATIONSHIP,
    "characters": TagType.CHARACTER,
    "freeforms": TagType.FREEFORM,
}


class TextAreaField(forms.CharField):
    """A textarea's text with browser line breaks (CR LF) made single, before lengths are checked.

    Browsers count a line break as one character against `maxlength` and then
    send two; counting them twice would refuse text the browser allowed.
    """

    def to_python(self, value: Any) -> str:
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return str(super().to_python(value))


def _text_field(
    label: "_StrOrPromise", max_length: int, help_text: "_StrOrPromise" = "", rows: int = 5
) -> forms.CharField:
    return TextAreaField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        strip=True,
    )


def _tag_field(
    label: "_StrOrPromise", tag_type: TagType, help_text: "_StrOrPromise" = "", required: bool = False
) -> forms.CharField:
    # data-tag-type turns on static/js/autocomplete.js; without JavaScript the field is plain text.
    attrs = {"class": "tag-input", "autocomplete": "off", "data-tag-type": tag_type.value}
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text or _("Separate tags with commas."),
        widget=forms.TextInput(attrs=attrs),
    )


TEXT_FORMATS = [
    ("html", _("Plain text or HTML")),
    ("markdown", _("Markdown (*italics*, **bold**, > quotes, --- for a line)")),
]


class ChapterFields(forms.Form):
    """Fields shared by the chapter form and the first chapter of the work form.

    `draft=True` (saving a draft, previewing one) asks for nothing: a writer may keep half a
    work. Posting asks for everything AO3 asks for; the labels of those fields carry a mark.
    """

    required_css_class = "required"
    # Only the fields a draft may leave empty; the rest are required for drafts too.
    DRAFT_OPTIONAL: tuple[str, ...] = ("content",)

    chapter_title = forms.CharField(label=_("Chapter Title"), required=False, max_length=TITLE_MAX)
    chapter_summary = _text_field(_("Chapter Summary"), SUMMARY_MAX, rows=3)
    chapter_notes = _text_field(_("Chapter Notes (at the beginning)"), NOTES_MAX, rows=3)
    chapter_endnotes = _text_field(_("Chapter End Notes"), NOTES_MAX, rows=3)
    # Before the text, so clean_content knows how to read it. The stored text is HTML either way.
    text_format = forms.ChoiceField(
        label=_("Text format"),
        choices=TEXT_FORMATS,
        initial="html",
        required=False,
        widget=forms.RadioSelect,
    )
    content = TextAreaField(
        label=_("Work Text"),
        max_length=CHAPTER_MAX,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_(
            "Plain text (blank lines start new paragraphs) or HTML: "
            "p, em, strong, a, blockquote, lists, tables and other formatting tags are allowed."
        ),
        error_messages={"required": _("The chapter text can't be empty.")},
    )

    def __init__(self, *args: Any, draft: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.draft = draft
        if draft:
            for name in self.DRAFT_OPTIONAL:
                if name in self.fields:
                    self.fields[name].required = False

    def clean_content(self) -> str:
        raw = self.cleaned_data["content"]
        content = markdown_to_html(raw) if self.cleaned_data.get("text_format") == "markdown" else clean_html(raw)
        if self.draft and not strip_html(content).strip():
            return content
        if len(strip_html(content).strip()) < CHAPTER_MIN:
            raise ValidationError(
                _("The chapter text must be at least %(count)s characters long.") % {"count": CHAPTER_MIN}
            )
        return content

    def clean_chapter_summary(self) -> str:
        return clean_html(self.cleaned_data["chapter_summary"])

    def clean_chapter_notes(self) -> str:
        return clean_html(self.cleaned_data["chapter_notes"])

    def clean_chapter_endnotes(self) -> str:
        return clean_html(self.cleaned_data["chapter_endnotes"])


class ChapterForm(ChapterFields):
    pass


class WorkForm(ChapterFields):
    """The posting form. Field labels are AO3's, so authors find what they know."""

    DRAFT_OPTIONAL = ("content", "title", "rating", "warnings", "fandoms")

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    pseuds = IdMultipleChoiceField(
        label=_("Creator/Pseud(s)"),
        queryset=Pseud.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one of your pseuds.")},
    )
    co_creators = forms.CharField(
        label=_("Add co-creators"),
        required=False,
        help_text=_(
            "Usernames, or “pseud (username)”, separated by commas. Each is invited, and credited once they accept."
        ),
    )
    rating = forms.ChoiceField(
        label=_("Rating"),
        choices=[("", _("Choose a rating"))] + [(name, name) for name, _s, _a in RATINGS],
        error_messages={"required": _("Choose a rating.")},
    )
    warnings = forms.MultipleChoiceField(
        label=_("Archive Warnings"),
        choices=[(name, name) for name in WARNINGS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one archive warning.")},
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories"),
        required=False,
        choices=[(name, name) for name in CATEGORIES],
        widget=forms.CheckboxSelectMultiple,
    )
    fandoms = _tag_field(_("Fandoms"), TagType.FANDOM, required=True)
    relationships = _tag_field(
        _("Relationships"), TagType.RELATIONSHIP, _("Use “/” for romantic and “&” for platonic relationships.")
    )
    characters = _tag_field(_("Characters"), TagType.CHARACTER)
    freeforms = _tag_field(_("Additional Tags"), TagType.FREEFORM)
    summary = _text_field(_("Summary"), SUMMARY_MAX)
    notes = _text_field(_("Notes (at the beginning)"), NOTES_MAX)
    endnotes = _text_field(_("End Notes"), NOTES_MAX)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES, initial=default_work_language)
    restricted = forms.BooleanField(
        label=_("Only show your work to registered users"),
        required=False,
    )
    comment_permission = forms.ChoiceField(
        label=_("Who can comment on this work"),
        choices=Work.CommentPermission.choices,
        initial=Work.CommentPermission.EVERYONE,
        widget=forms.RadioSelect,
        # Optional so that forms posted without it keep the default.
        required=False,
    )
    moderated_comments = forms.BooleanField(
        label=_("Enable comment moderation"),
        required=False,
        help_text=_("New comments wait for your approval before anyone else sees them."),
    )
    series = IdChoiceField(
        label=_("Add to series"),
        queryset=Series.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )
    new_series_title = forms.CharField(label=_("Or create a new series"), required=False, max_length=TITLE_MAX)
    series_position = forms.IntegerField(
        label=_("Position in series"),
        required=False,
        min_value=1,
        max_value=10_000,
        help_text=_("Leave empty to add it at the end."),
    )
    expected_chapters = forms.IntegerField(
        label=_("Expected number of chapters"),
        required=False,
        min_value=1,
        max_value=10_000,
        help_text=_("Leave empty if you don't know yet (shown as “?”)."),
    )
    backdate = forms.BooleanField(label=_("Set a different publication date"), required=False)
    published_at = forms.DateField(
        label=_("Publication date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    field_order = [
        "rating", "warnings", "fandoms", "categories", "relationships", "characters",
        "freeforms", "title", "pseuds", "co_creators", "summary", "notes", "endnotes",
        "series", "new_series_title", "series_position", "expected_chapters", "backdate",
        "published_at", "language", "restricted", "comment_permission", "moderated_comments",
    ]  # fmt: skip

    def __init__(
        self, *args: Any, user: User, include_chapter: bool = True, draft: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, draft=draft, **kwargs)
        self.user = user
        pseuds_field = self.fields["pseuds"]
        assert isinstance(pseuds_field, forms.ModelMultipleChoiceField)
        pseuds_field.queryset = user.pseuds.all()
        if not self.is_bound and "pseuds" not in self.initial:
            self.initial["pseuds"] = [p.pk for p in user.pseuds.all() if p.is_default]
        series_field = self.fields["series"]
        assert isinstance(series_field, forms.ModelChoiceField)
        series_field.queryset = Series.objects.filter(pseuds__user=user).distinct().order_by("title")
        if not include_chapter:
            for name in list(ChapterFields.base_fields):
                del self.fields[name]

    def clean_summary(self) -> str:
        return clean_html(self.cleaned_data["summary"])

    def clean_notes(self) -> str:
        return clean_html(self.cleaned_data["notes"])

    def clean_endnotes(self) -> str:
        return clean_html(self.cleaned_data["endnotes"])

    def clean_rating(self) -> str:
        # A select sends one value; a crafted request may send several. Refuse
        # rather than silently keep the last one.
        submitted = self.data.getlist("rating") if isinstance(self.data, QueryDict) else []
        if len(submitted) > 1:
            raise ValidationError(_("Choose only one rating."))
        return str(self.cleaned_data["rating"])

    def clean_title(self) -> str:
        title = str(self.cleaned_data["title"]).strip()
        if not title and not self.draft:
            raise ValidationError(self.fields["title"].error_messages["required"])
        return title

    def clean_co_creators(self) -> list[Pseud]:
        found = []
        errors = []
        for entry in split_tag_names(self.cleaned_data["co_creators"]):
            pseud = _find_pseud(entry)
            if pseud is None:
                errors.append(_("There is no user or pseud called “%(entry)s”.") % {"entry": entry})
            elif pseud.user_id == self.user.pk:
                errors.append(
                    _("“%(entry)s” is one of your own pseuds: tick it under Creator/Pseud(s).") % {"entry": entry}
                )
            elif refusal := hooks.co_creator_refusal(self.user, pseud):
                errors.append(refusal)
            else:
                found.append(pseud)
        if errors:
            raise ValidationError(errors)
        return found

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        total_user_tags = 0
        # Names are unique across types, so one new name can't go in two tag fields.
        field_of_name: dict[str, str] = {}
        for field, tag_type in TAG_FIELDS.items():
            if field not in cleaned:
                continue
            names = split_tag_names(cleaned[field])
            try:
                validate_tag_names(names, tag_type)
            except ValidationError as error:
                self.add_error(field, error)
                continue
            clashes = [name for name in names if tag_name_key(name) in field_of_name]
            if clashes:
                self.add_error(
                    field,
                    [
                        _("“%(name)s” is also in %(field)s: a tag can only be one kind of tag.")
                        % {"name": name, "field": self.fields[field_of_name[tag_name_key(name)]].label}
                        for name in clashes
                    ],
                )
                continue
            field_of_name.update((tag_name_key(name), field) for name in names)
            cleaned[field] = names
            total_user_tags += len(names)
        if "fandoms" in cleaned and not cleaned["fandoms"] and not self.has_error("fandoms") and not self.draft:
            self.add_error("fandoms", _("Add at least one fandom."))
        if total_user_tags > USER_TAGS_MAX:
            raise ValidationError(
                _("You have %(count)s fandom, relationship, character and additional tags; the maximum is %(maximum)s.")
                % {"count": total_user_tags, "maximum": USER_TAGS_MAX}
            )
        if cleaned.get("series") and cleaned.get("new_series_title"):
            self.add_error("new_series_title", _("Choose an existing series or name a new one, not both."))
        if cleaned.get("backdate"):
            published_at = cleaned.get("published_at")
            if published_at is None:
                self.add_error("published_at", _("Give the publication date, or untick the backdating box."))
            elif published_at > timezone.localdate():
                self.add_error("published_at", _("The publication date can't be in the future."))
        return cleaned


def _find_pseud(entry: str) -> Pseud | None:
    """A pseud from “name (username)” or a username (meaning that user's default pseud)."""
    if entry.endswith(")") and "(" in entry:
        name, _, username = entry[:-1].rpartition("(")
        return (
            Pseud.objects.select_related("user")
            .filter(name__iexact=name.strip(), user__username__iexact=username.strip())
            .first()
        )
    return Pseud.objects.select_related("user").filter(user__username__iexact=entry, is_default=True).first()
