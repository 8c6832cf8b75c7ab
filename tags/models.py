from typing import Any
from urllib.parse import quote

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lib.tagurl import tag_to_url_part


class TagType(models.TextChoices):
    RATING = "rating", _("Rating")
    WARNING = "warning", _("Archive Warning")
    CATEGORY = "category", _("Category")
    MEDIA = "media", _("Media")
    FANDOM = "fandom", _("Fandom")
    RELATIONSHIP = "relationship", _("Relationship")
    CHARACTER = "character", _("Character")
    FREEFORM = "freeform", _("Additional Tag")


# The type as a noun phrase for sentences ("This is a Fandom tag").
TAG_KINDS = {
    TagType.RATING: _("Rating tag"),
    TagType.WARNING: _("Archive Warning tag"),
    TagType.CATEGORY: _("Category tag"),
    TagType.MEDIA: _("Media tag"),
    TagType.FANDOM: _("Fandom tag"),
    TagType.RELATIONSHIP: _("Relationship tag"),
    TagType.CHARACTER: _("Character tag"),
    TagType.FREEFORM: _("Additional Tag"),
}


# Tags users create by typing them; the other types are fixed and seeded by a migration.
USER_DEFINED_TYPES = (TagType.FANDOM, TagType.RELATIONSHIP, TagType.CHARACTER, TagType.FREEFORM)
# The order in which tag groups are shown on blurbs and work pages (as AO3).
DISPLAY_ORDER = (
    TagType.RATING,
    TagType.WARNING,
    TagType.CATEGORY,
    TagType.FANDOM,
    TagType.RELATIONSHIP,
    TagType.CHARACTER,
    TagType.FREEFORM,
)


# What reverse() leaves unquoted in a path (RFC 3986 sub-delimiters and "/~:@").
_URL_SAFE = "/~:@!$&'()*+,;="


def tag_name_key(name: str) -> str:
    return name.casefold()


class Tag(models.Model):
    """A tag. Names are unique across all types, ignoring case.

    `canonical`, `merger` and `unwrangleable` carry tag wrangling: a synonym is
    a non-canonical tag whose merger is a canonical tag of the same type, and
    filtering on a canonical tag also matches its synonyms. Until wranglers
    exist, fixed tags are canonical and user-created tags are not.
    """

    name = models.CharField(max_length=150)
    # casefold() of the name: the uniqueness key, identical on SQLite (whose
    # lower() only knows ASCII) and PostgreSQL.
    # casefold() can make a name up to three times longer ("ß" -> "ss", "ΐ" -> 3 characters).
    name_key = models.CharField(max_length=450, unique=True, editable=False)
    type = models.CharField(max_length=20, choices=TagType.choices)
    canonical = models.BooleanField(default=False)
    unwrangleable = models.BooleanField(default=False)
    merger = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="synonyms")
    # Ratings Not Rated, Mature and Explicit put a work behind the adult-content gate.
    adult = models.BooleanField(default=False)
    # Display order of fixed tags (ratings from general to explicit, and so on).
    sort_order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(type__in=TagType.values), name="tag_type_known"),
        ]
        indexes = [models.Index(fields=["type", "name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = tag_name_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("tag_detail", args=[self.name])

    @property
    def kind(self) -> str:
        """ "Fandom tag", _("Additional Tag"): the type as a noun phrase for sentences."""
        return str(TAG_KINDS[TagType(self.type)])

    def get_works_url(self) -> str:
        return reverse("tag_works", args=[self.name])

    @property
    def works_url(self) -> str:
        """The same URL as get_works_url, built without reverse(): blurbs need hundreds per page."""
        return f"{self.url}/works"

    @property
    def url(self) -> str:
        """The same URL as get_absolute_url, built without reverse(): API pages list hundreds of tags."""
        return f"/tags/{quote(tag_to_url_part(self.name), safe=_URL_SAFE)}"


class TagParent(models.Model):
    """A wrangling link: a fandom's media, or a character's or relationship's fandom."""

    child = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="parent_links")
    parent = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="child_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "parent"], name="tag_parent_unique"),
            models.CheckConstraint(condition=~models.Q(child=models.F("parent")), name="tag_parent_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.parent} > {self.child}"


class MetaTagging(models.Model):
    """A meta/sub tag link inside one type: filtering by the meta tag also finds the sub tag's works.

    Only direct links are stored; ancestors are followed transitively when filters are computed.
    """

    meta_tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="sub_links")
    sub_tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="meta_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meta_tag", "sub_tag"], name="meta_tagging_unique"),
            models.CheckConstraint(condition=~models.Q(meta_tag=models.F("sub_tag")), name="meta_tagging_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.meta_tag_id} ⊃ {self.sub_tag_id}"


class WranglerAssignment(models.Model):
    """A user appointed as tag wrangler, for one fandom or (fandom empty) for every fandom."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="wrangler_assignments")
    fandom = models.ForeignKey(
        Tag,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="wrangler_assignments",
        limit_choices_to={"type": TagType.FANDOM, "canonical": True},
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "fandom"], name="wrangler_assignment_unique"),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(fandom__isnull=True), name="wrangler_assignment_one_global"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} wrangles {self.fandom_id or 'everything'}"


class WranglingLog(models.Model):
    """Every wrangling change: who, what, when. Kept when the tag or user is deleted."""

    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    tag = models.ForeignKey(Tag, null=True, on_delete=models.SET_NULL, related_name="wrangling_log")
    tag_name = models.CharField(max_length=150)
    action = models.CharField(max_length=40)
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.tag_name}"
