"""Unwrangled tags and the fandoms they belong to (the wrangling dashboard's "bins").

A tag is unwrangled when it is not canonical, not a synonym, not marked
unwrangleable and, for characters, relationships and additional tags, has no
parent fandom. Such a tag belongs to a fandom when it is used on a posted work tagged
with that canonical fandom or with one of its synonyms. Tags used only on unposted
drafts are in no bin: their names are their creators' until the work is posted.
"""

from collections import Counter

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from tags.models import USER_DEFINED_TYPES, Tag, TagParent, TagType
from works.models import Tagging

# Types that are wrangled into a fandom by a parent link (fandoms themselves go under media).
NEEDS_FANDOM = (TagType.CHARACTER, TagType.RELATIONSHIP, TagType.FREEFORM)
# The order of the dashboard's columns.
BIN_TYPES = (TagType.FANDOM, TagType.CHARACTER, TagType.RELATIONSHIP, TagType.FREEFORM)


def has_parent_fandom() -> Exists:
    return Exists(TagParent.objects.filter(child=OuterRef("pk"), parent__type=TagType.FANDOM))


def unwrangled_tags() -> QuerySet[Tag]:
    on_posted_work = Exists(Tagging.objects.filter(tag_id=OuterRef("pk"), work__posted=True))
    return (
        Tag.objects.filter(type__in=USER_DEFINED_TYPES, canonical=False, merger__isnull=True, unwrangleable=False)
        .filter(on_posted_work)
        .exclude(Q(type__in=NEEDS_FANDOM) & has_parent_fandom())
    )


def fandom_scope(fandom_ids: set[int] | None) -> QuerySet[Tag]:
    """Tags that put a work in these canonical fandoms: the fandoms and their synonyms (None: every fandom)."""
    canonical = Tag.objects.filter(type=TagType.FANDOM, canonical=True)
    if fandom_ids is not None:
        canonical = canonical.filter(pk__in=fandom_ids)
    return Tag.objects.filter(Q(pk__in=canonical.values("pk")) | Q(merger__in=canonical.values("pk")))


def used_in_fandoms(fandom_ids: set[int] | None) -> Exists:
    """The tag (OuterRef "pk") is used on a posted work tagged with one of these fandoms."""
    in_fandoms = Tagging.objects.filter(work__posted=True, work__taggings__tag__in=fandom_scope(fandom_ids))
    return Exists(in_fandoms.filter(tag_id=OuterRef("pk")))


def fandom_bin(fandom: Tag, tag_type: str) -> QuerySet[Tag]:
    return unwrangled_tags().filter(used_in_fandoms({fandom.pk}), type=tag_type).order_by("name")


def unsorted_bin(tag_type: str) -> QuerySet[Tag]:
    """Unwrangled tags not used alongside any canonical fandom."""
    return unwrangled_tags().filter(~used_in_fandoms(None), type=tag_type).order_by("name")


def fandom_counts(fandom_ids: set[int] | None) -> dict[int, Counter[str]]:
    """canonical fandom id -> {tag type: number of unwrangled tags}, only fandoms that have some."""
    # From each use of an unwrangled tag to the fandom tags on the same work. The conditions
    # on the work's fandom tags are on joined columns, in one filter() call so they share one
    # join: an IN list there would make SQLite probe every listed id for every work.
    in_fandom = Q(work__taggings__tag__type=TagType.FANDOM) & (
        Q(work__taggings__tag__canonical=True) | Q(work__taggings__tag__merger__canonical=True)
    )
    if fandom_ids is not None:
        in_fandom &= Q(work__taggings__tag__in=fandom_scope(fandom_ids))
    rows = (
        Tagging.objects.filter(Q(tag__in=unwrangled_tags(), work__posted=True) & in_fandom)
        # A synonym fandom counts for its canonical fandom (canonical tags have no merger).
        .values(fandom=Coalesce("work__taggings__tag__merger_id", "work__taggings__tag_id"), tag_type=F("tag__type"))
        .annotate(count=Count("tag_id", distinct=True))
    )
    counts: dict[int, Counter[str]] = {}
    for row in rows:
        counts.setdefault(row["fandom"], Counter())[row["tag_type"]] += row["count"]
    return counts


def unsorted_counts() -> Counter[str]:
    rows = unwrangled_tags().filter(~used_in_fandoms(None)).values("type").annotate(count=Count("pk"))
    return Counter({row["type"]: row["count"] for row in rows})
