"""Cached blurb parts, found without building the models they were rendered from.

The part of a blurb that is the same for every reader (title, creators, tags, summary, series)
is cached under a key made of everything it shows (`blurb_version`): a renamed tag or pseud, an
edited work, a retitled series give a new key, so nothing stale is ever shown and nothing needs
invalidating. Computing that key from model instances means building ~300 tags, 20 creatorships
with their pseuds and users, and the series links for a page of 20 blurbs, which cost more than
rendering them. `prefill_blurbs` computes the same key from plain rows (tuples, no models) and
loads the models only for the works whose parts are not cached yet.
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone, translation

from tags.models import Tag
from works.models import Creatorship, SerialWork, Tagging, Work

# Rendered blurb parts live a day unless pushed out sooner (the cache is bounded).
BLURB_CACHE_SECONDS = 24 * 3600
# The parts templates/works/_blurb.html caches ({% blurb_cache work "head" %} …).
BLURB_PARTS = ("head", "body")
BLURB_TAG_FIELDS = ("name", "type", "sort_order", "adult")

TagRow = tuple[int, str, str, int, bool]
PseudRow = tuple[int, str, str]
SeriesRow = tuple[int, int, str]


def blurb_prefetches() -> list[Prefetch[Any]]:
    """Tags, creators and series as a blurb shows them: only the columns it reads, in its order."""
    return [
        Prefetch("tags", queryset=Tag.objects.only(*BLURB_TAG_FIELDS).order_by("sort_order", "name")),
        Prefetch(
            "creatorships",
            queryset=Creatorship.objects.select_related("pseud__user").only(
                "work_id", "position", "pseud__name", "pseud__is_archived", "pseud__user__username"
            ),
        ),
        Prefetch(
            "serial_works",
            queryset=SerialWork.objects.select_related("series").only("work_id", "position", "series__title"),
        ),
    ]


def _version(work: Work, tags: Iterable[TagRow], pseuds: list[PseudRow], series: list[SeriesRow]) -> str:
    shown: tuple[Any, ...] = (
        work.pk,
        work.title,
        work.language,
        work.summary,
        work.complete,
        work.revised_at.isoformat(),
        # Tags are shown in (sort order, name) order whatever order they came in.
        sorted(tags),
        # Creators and series in their own order: a change of order is a change of the blurb.
        pseuds,
        series,
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )
    return "blurb:" + hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()


def blurb_version(work: Work) -> str:
    """A key that changes whenever anything the cached parts of the blurb show changes
    (from the prefetched tags, creators and series: `blurb_prefetches`)."""
    return _version(
        work,
        [(tag.pk, tag.name, tag.type, tag.sort_order, tag.adult) for tag in work.tags.all()],
        [(pseud.pk, pseud.name, pseud.user.username) for pseud in work.creator_pseuds],
        [(link.position, link.series_id, link.series.title) for link in work.serial_works.all()],
    )


def prefill_blurbs(works: list[Work]) -> list[Work]:
    """Attach the cached parts of each work's blurb (`work.blurb_parts`), found by the same key
    as `blurb_version` computed from plain rows; prefetch tags, creators and series only for
    the works that miss, so their templates render and cache them. Returns `works`."""
    if not works:
        return works
    if "blurbs" not in settings.CACHES:
        prefetch_related_objects(works, *blurb_prefetches())
        return works
    ids = [work.pk for work in works]
    tags: dict[int, list[TagRow]] = defaultdict(list)
    for work_id, *tag in Tagging.objects.filter(work_id__in=ids).values_list(
        "work_id", "tag_id", "tag__name", "tag__type", "tag__sort_order", "tag__adult"
    ):
        tags[work_id].append(tuple(tag))  # type: ignore[arg-type]
    # In the models' own order (Creatorship and SerialWork: position, id), as the prefetches give them.
    pseuds: dict[int, list[PseudRow]] = defaultdict(list)
    for work_id, *pseud in (
        Creatorship.objects.filter(work_id__in=ids)
        .order_by("position", "id")
        .values_list("work_id", "pseud_id", "pseud__name", "pseud__user__username")
    ):
        pseuds[work_id].append(tuple(pseud))  # type: ignore[arg-type]
    series: dict[int, list[SeriesRow]] = defaultdict(list)
    for work_id, *link in (
        SerialWork.objects.filter(work_id__in=ids)
        .order_by("position", "id")
        .values_list("work_id", "position", "series_id", "series__title")
    ):
        series[work_id].append(tuple(link))  # type: ignore[arg-type]
    keys = {work.pk: _version(work, tags[work.pk], pseuds[work.pk], series[work.pk]) for work in works}
    found = caches["blurbs"].get_many([f"{key}:{part}" for key in keys.values() for part in BLURB_PARTS])
    missing = []
    for work in works:
        parts = {part: found.get(f"{keys[work.pk]}:{part}") for part in BLURB_PARTS}
        if all(html is not None for html in parts.values()):
            work.blurb_parts = parts  # type: ignore[attr-defined]
        else:
            missing.append(work)
    if missing:
        prefetch_related_objects(missing, *blurb_prefetches())
    return works
