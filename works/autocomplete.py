"""Tag suggestions for the autocomplete on tag fields (posting form and filters).

Prefix matches come first, then names with a word starting with the term; in
each group, tags of the fandoms already chosen (characters, relationships),
then canonical tags, then the tags more works use, then by name. A synonym
carries the name of its canonical tag, which is what the field should get.
"""

from functools import reduce
from operator import or_
from typing import TypedDict

from django.db import connection
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from tags.models import DISPLAY_ORDER, Tag, TagParent, TagType, tag_name_key
from tags.visibility import visible_tags
from works.access import AnyUser
from works.models import FilterTagging

LIMIT = 15
# Words of a tag name start after these: "Mara Quill/Jonah Reyes", "Tidewater (TV)", "Half-Blood".
WORD_BREAKS = " /(-"
# LIKE '%…%' can't use an index, so word-start matches are a scan; ranking at most this many
# keeps a common word from making every keystroke count the works of thousands of tags.
WORD_CANDIDATES = 500
# Types a work can carry ("any" means these), plus media for the wrangling forms.
TYPES = tuple(str(tag_type) for tag_type in DISPLAY_ORDER)
ASKABLE_TYPES = (*TYPES, str(TagType.MEDIA))
# Fandoms a request may scope characters and relationships by.
FANDOMS_MAX = 20
SCOPED_TYPES = frozenset({TagType.CHARACTER.value, TagType.RELATIONSHIP.value})
# The highest code point: every name starting with a key sorts below key + this, in code point order.
_LAST_CHARACTER = chr(0x10FFFF)


class Suggestion(TypedDict):
    name: str
    type: str
    canonical: bool
    canonical_name: str | None


def _prefix_match(key: str) -> Q:
    if connection.vendor == "postgresql":
        # LIKE 'key%' uses the varchar_pattern_ops index Django adds to unique text columns, whatever
        # the database's collation; a range follows the collation, which outside "C" may not keep
        # all names starting with the key between key and key + _LAST_CHARACTER.
        return Q(name_key__startswith=key)
    # SQLite's LIKE ignores ASCII case, so it can't use the (binary) unique index; a range on it can,
    # and in SQLite's binary order the range holds exactly the names starting with the key.
    return Q(name_key__gte=key, name_key__lt=key + _LAST_CHARACTER)


def _fandom_scope(fandom_names: list[str]) -> Exists:
    """True for a tag (or the canonical tag it is a synonym of) whose parent is one of these fandoms.

    A fandom counts with its canonical tag and that tag's synonyms, so typing a synonym
    of the fandom or the fandom itself finds the characters linked to either.
    """
    named = Tag.objects.filter(type=TagType.FANDOM, name_key__in=[tag_name_key(n) for n in fandom_names]).order_by()
    fandoms = Tag.objects.filter(
        Q(pk__in=named.values("pk")) | Q(pk__in=named.values("merger_id")) | Q(merger__in=named.values("pk"))
    ).order_by()
    return Exists(
        TagParent.objects.filter(Q(child=OuterRef("pk")) | Q(child=OuterRef("merger_id")), parent__in=fandoms)
    )


def _ranked(candidates: "QuerySet[Tag]", scope: Exists | None, limit: int) -> list[Tag]:
    uses = FilterTagging.objects.filter(tag=OuterRef("pk")).order_by().values("tag").annotate(n=Count("*"))
    ranked = candidates.select_related("merger").annotate(
        uses=Coalesce(Subquery(uses.values("n")), 0, output_field=IntegerField())
    )
    order = ["-canonical", "-uses", "name_key"]
    if scope is not None:
        ranked = ranked.annotate(in_fandom=scope)
        order.insert(0, "-in_fandom")
    return list(ranked.order_by(*order)[:limit])


def suggest_tags(reader: AnyUser, term: str, types: tuple[str, ...], fandom_names: list[str]) -> list[Suggestion]:
    """At most LIMIT tags of these types matching the term, that this reader may see named:
    one query, two if prefixes are too few."""
    key = tag_name_key(term)
    scope = _fandom_scope(fandom_names) if fandom_names and SCOPED_TYPES.issuperset(types) else None
    of_types = Tag.objects.filter(visible_tags(reader), type__in=types).order_by()
    tags = _ranked(of_types.filter(_prefix_match(key)), scope, LIMIT)
    if len(tags) < LIMIT:
        # Every prefix match is in `tags`; the word-start matches fill the rest.
        word_start = reduce(or_, (Q(name_key__contains=sep + key) for sep in WORD_BREAKS))
        candidates = of_types.filter(word_start).exclude(pk__in=[t.pk for t in tags]).values("pk")[:WORD_CANDIDATES]
        tags += _ranked(Tag.objects.filter(pk__in=candidates), scope, LIMIT - len(tags))
    return [
        {
            "name": tag.name,
            "type": tag.type,
            "canonical": tag.canonical,
            "canonical_name": tag.merger.name if tag.merger is not None and tag.merger.canonical else None,
        }
        for tag in tags
    ]
