from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Pseud
from lib.languages import LANGUAGES, text_direction
from tags.fixed import CHOSE_NOT_TO_WARN, NO_WARNINGS_APPLY, RATING_SYMBOLS
from tags.models import DISPLAY_ORDER, Tag

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

# Length limits, as AO3 (research/ao3.md §1).
TITLE_MAX = 255
SUMMARY_MAX = 1250
NOTES_MAX = 5000
CHAPTER_MAX = 510_000
USER_TAGS_MAX = 75


class Series(models.Model):
    title = models.CharField(max_length=TITLE_MAX)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    complete = models.BooleanField(default=False)
    pseuds = models.ManyToManyField(Pseud, related_name="series")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("series_detail", args=[self.pk])


# THE visibility rule, in one place. A work is *published* once posted, until staff hide it;
# a published work is *visible* to logged-in readers, and to guests unless restricted; it is
# *listed* to a reader unless one of its creators is muted by them. Queries use WorkQuerySet,
# single works `Work.is_published` / `Work.is_visible_to`; the filter index and the search
# index store exactly this (published works, and which of them are restricted).
PUBLISHED_FIELDS = {"posted": True, "hidden_by_admin": False}
PUBLISHED = models.Q(**PUBLISHED_FIELDS)


def _through(relation: str, name: str) -> str:
    """A work's field, seen from the model a relation starts at ("" for the work itself)."""
    return f"{relation}__{name}" if relation else name


def published_through(relation: str) -> models.Q:
    """PUBLISHED for the work a relation leads to (`"work"`, `"comment__work"`): a join, where a
    `work__in=Work.objects.published()` subquery would read every published work's id."""
    return models.Q(**{_through(relation, name): value for name, value in PUBLISHED_FIELDS.items()})


def visible_through(relation: str, *, members: bool) -> models.Q:
    """WorkQuerySet.visible for the work a relation leads to ("" for works themselves), as a join
    (see published_through): tags.visibility asks it once per tag, where `work__in=<visible works>`
    made SQLite weigh them all."""
    published = published_through(relation)
    return published if members else published & models.Q(**{_through(relation, "restricted"): False})


def listed_through(relation: str, user: "AbstractBaseUser | AnonymousUser") -> models.Q:
    """WorkQuerySet.listed_to for the work a relation leads to, as a join (see visible_through)."""
    visible = visible_through(relation, members=user.is_authenticated)
    if not user.is_authenticated:
        return visible
    return visible & ~models.Q(**{f"{relation}__in": _by_muted_creators(user)})


def _by_muted_creators(user: "AbstractBaseUser | AnonymousUser") -> "models.QuerySet[Creatorship, int]":
    """Ids (a subquery) of works credited to a creator this reader muted."""
    return Creatorship.objects.filter(pseud__user__muted_by__muter_id=user.pk).values_list("work_id", flat=True)


class WorkQuerySet(models.QuerySet["Work"]):
    def published(self) -> "WorkQuerySet":
        return self.filter(PUBLISHED)

    def visible(self, *, members: bool) -> "WorkQuerySet":
        """Works a logged-in reader (`members`) or a guest may see in listings and counts."""
        return self.filter(visible_through("", members=members))

    def visible_to(self, user: "AbstractBaseUser | AnonymousUser") -> "WorkQuerySet":
        """Works this reader may see in listings and counts (works.access.visible_works)."""
        return self.visible(members=user.is_authenticated)

    def listed_to(self, user: "AbstractBaseUser | AnonymousUser") -> "WorkQuerySet":
        """The visible works minus those by creators the reader muted (a muted creator's work still
        opens from a direct link; it just never shows up in lists)."""
        works = self.visible_to(user)
        if user.is_authenticated:
            works = works.exclude(pk__in=_by_muted_creators(user))
        return works


class Work(models.Model):
    title = models.CharField(max_length=TITLE_MAX)
    # Sort keys kept in step by works.actions: lower-cased, leading article dropped.
    title_sort = models.CharField(max_length=TITLE_MAX, db_index=True, editable=False)
    creator_sort = models.CharField(max_length=40, db_index=True, editable=False, default="")
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    endnotes = models.TextField(blank=True)
    language = models.CharField(max_length=8, choices=LANGUAGES, default="en")
    # None means the author does not know yet how many chapters there will be ("3/?").
    expected_chapters = models.PositiveIntegerField(null=True, blank=True)
    complete = models.BooleanField(default=False)
    posted = models.BooleanField(default=False)
    restricted = models.BooleanField(default=False, help_text=_("Only logged-in users can see it."))
    hidden_by_admin = models.BooleanField(default=False)
    word_count = models.PositiveIntegerField(default=0)
    # Posted chapters only, so blurbs read "2/5" while chapter 3 is a draft.
    chapter_count = models.PositiveIntegerField(default=0)
    # Counters are 64-bit: a popular work's hits may pass 2³¹ on a long-lived archive, and every
    # sort must stay exact there (the filter index and the search index hold them as 64-bit too).
    hits = models.PositiveBigIntegerField(default=0)
    # Engagement counters (kudos, comments, bookmarks arrive with reader engagement); sortable now.
    kudos_count = models.PositiveBigIntegerField(default=0)
    comments_count = models.PositiveBigIntegerField(default=0)
    bookmarks_count = models.PositiveBigIntegerField(default=0)
    # Set by works.filters when the work's filters are computed: fandoms that share no meta tag.
    crossover = models.BooleanField(default=False)

    class CommentPermission(models.TextChoices):
        EVERYONE = "everyone", _("Everyone, including guests")
        REGISTERED = "registered", _("Registered users only")
        OFF = "off", _("No one (comments off)")

    comment_permission = models.CharField(
        max_length=12, choices=CommentPermission.choices, default=CommentPermission.EVERYONE
    )
    # Moderated: new comments wait for a creator's approval before anyone else sees them.
    moderated_comments = models.BooleanField(default=False)
    published_at = models.DateField(default=timezone.localdate)
    backdated = models.BooleanField(default=False)
    revised_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    pseuds = models.ManyToManyField(Pseud, through="Creatorship", related_name="works")
    tags = models.ManyToManyField(Tag, through="Tagging", related_name="works")

    objects = WorkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expected_chapters__isnull=True) | models.Q(expected_chapters__gte=1),
                name="work_expected_chapters_positive",
            ),
        ]
        indexes = [
            # The default listing order, for guests and for logged-in readers. Partial
            # indexes because SQLite cannot use an index on a bare boolean test.
            models.Index(
                F("revised_at").desc(),
                F("id").desc(),
                name="work_public_by_revised",
                condition=models.Q(posted=True, hidden_by_admin=False, restricted=False),
            ),
            models.Index(
                F("revised_at").desc(),
                F("id").desc(),
                name="work_visible_by_revised",
                condition=models.Q(posted=True, hidden_by_admin=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("work_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        """Posted and not hidden by staff (PUBLISHED): kudos, comments, bookmarks and news need it."""
        return self.posted and not self.hidden_by_admin

    def is_visible_to(self, user: "AbstractBaseUser | AnonymousUser") -> bool:
        """Published, and restricted only for logged-in readers (WorkQuerySet.visible_to)."""
        return self.is_published and (user.is_authenticated or not self.restricted)

    @cached_property
    def tag_groups(self) -> dict[str, list[Tag]]:
        """Tags by type value ("rating", "fandom", …), from the prefetched tags."""
        groups: dict[str, list[Tag]] = {tag_type.value: [] for tag_type in DISPLAY_ORDER}
        for tag in self.tags.all():
            groups.setdefault(tag.type, []).append(tag)
        return groups

    @property
    def rating(self) -> Tag | None:
        ratings = self.tag_groups["rating"]
        return ratings[0] if ratings else None

    @property
    def rating_symbol(self) -> str:
        return RATING_SYMBOLS.get(self.rating.name, "?") if self.rating else "?"

    @cached_property
    def symbols(self) -> dict[str, str]:
        """Classes, letters and labels of the four required-tag symbols on a blurb."""
        warnings = [tag.name for tag in self.tag_groups["warning"]]
        # A glyph per state, not only a colour (WCAG 1.4.1); the listing's symbol key names them.
        if warnings == [NO_WARNINGS_APPLY]:
            warning_class, warning_symbol = "warnings-none", "–"
        elif warnings == [CHOSE_NOT_TO_WARN]:
            warning_class, warning_symbol = "warnings-chose-not", "?"
        else:
            warning_class, warning_symbol = "warnings-yes", "!"
        categories = [tag.name for tag in self.tag_groups["category"]]
        category_symbol = categories[0] if len(categories) == 1 else (gettext("Multi") if categories else "–")
        return {
            "rating_class": f"rating-{self.rating_symbol.lower()}",
            "rating_symbol": self.rating_symbol,
            "rating_label": self.rating.name if self.rating else gettext("No rating"),
            "warning_class": warning_class,
            "warning_symbol": warning_symbol,
            "warning_label": ", ".join(warnings) or gettext("No warnings given"),
            "category_symbol": category_symbol,
            # Longer than "F/M": a smaller size so it fits its square.
            "category_class": "symbol-long" if len(category_symbol) > 3 else "",
            "category_label": ", ".join(categories) or gettext("No category"),
        }

    @property
    def is_adult(self) -> bool:
        # As AO3: a missing rating counts as adult.
        return self.rating is None or self.rating.adult

    @cached_property
    def creator_pseuds(self) -> list[Pseud]:
        return [creatorship.pseud for creatorship in self.creatorships.all()]

    @property
    def chapter_total_display(self) -> str:
        return str(self.expected_chapters) if self.expected_chapters else "?"

    @property
    def text_direction(self) -> str:
        return text_direction(self.language)


class Creatorship(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="creatorships")
    pseud = models.ForeignKey(Pseud, on_delete=models.CASCADE, related_name="creatorships")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["work", "pseud"], name="creatorship_unique")]

    def __str__(self) -> str:
        return f"{self.pseud_id} created {self.work_id}"


class Tagging(models.Model):
    # No single-column indexes: the unique (work, tag) and the (tag, work) index cover both directions.
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="taggings", db_index=False)
    tag = models.ForeignKey(Tag, on_delete=models.PROTECT, related_name="taggings", db_index=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["work", "tag"], name="tagging_unique")]
        # The unique constraint's index serves work -> tags; tag pages need tag -> works.
        indexes = [models.Index(fields=["tag", "work"], name="tagging_tag_work")]

    def __str__(self) -> str:
        return f"{self.work_id} tagged {self.tag_id}"


class Chapter(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    endnotes = models.TextField(blank=True)
    content = models.TextField()
    word_count = models.PositiveIntegerField(default=0)
    posted = models.BooleanField(default=False)
    published_at = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["work", "position"], name="chapter_position_unique"),
            models.CheckConstraint(condition=models.Q(position__gte=1), name="chapter_position_positive"),
        ]
        indexes = [
            # Covers a work's chapter list without reading the rows: SQLite stores content
            # before posted and updated_at, so reading those from the table walks every
            # chapter's text (downloads read this list on every request for their version key).
            models.Index(fields=["work", "position", "posted", "updated_at", "title"], name="chapter_list_covering"),
        ]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("chapter_detail", args=[self.work_id, self.pk])

    @property
    def display_title(self) -> str:
        heading = gettext("Chapter %(number)s") % {"number": self.position}
        return f"{heading}: {self.title}" if self.title else heading


class SerialWork(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="serial_works")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="serial_works")
    position = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["series", "work"], name="serial_work_unique")]

    def __str__(self) -> str:
        return f"Part {self.position} of {self.series_id}"


class FilterTagging(models.Model):
    """What a work matches when readers filter by tag: its own tags, the canonical tags its
    synonyms merge into, and every meta tag above those (`inherited`). Written only by works.filters.
    """

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="filter_taggings", db_index=False)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="filter_taggings", db_index=False)
    inherited = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["work", "tag"], name="filter_tagging_unique")]
        indexes = [models.Index(fields=["tag", "work"], name="filter_tagging_tag_work")]

    def __str__(self) -> str:
        return f"{self.work_id} filters as {self.tag_id}"


class FilterChange(models.Model):
    """An append-only log of works whose listing data changed, so every process's
    in-memory filter index (works.filter_index) can catch up without a rebuild."""

    id = models.BigAutoField(primary_key=True)
    # No foreign key: deleted works are logged too.
    work_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"change {self.id}: work {self.work_id}"
