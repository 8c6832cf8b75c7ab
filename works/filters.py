"""Computing what each work matches in tag filters (AO3's filter semantics).

A work's filter tags are:
- its own tags (a non-canonical, unmerged tag matches only works carrying it),
- the canonical tag each of its synonyms is merged into,
- every meta tag above those canonical tags, followed transitively (`inherited`).

So filtering by a canonical tag finds works tagged with it, with any of its
synonyms, with any of its sub tags (at any depth) and with their synonyms.

Posting or editing a work refreshes that work at once. Wrangling changes
(synonyms, meta tags) can touch many works, so they queue a background job
(`refresh_filters_for_tags`) that recomputes the affected works in batches.
Every refresh also appends to FilterChange, which the in-memory filter index
reads to catch up.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from jobs.models import Job
from jobs.queue import active_jobs, enqueue, handler, pending_jobs
from tags.models import MetaTagging, Tag, TagType
from works import hooks
from works.models import FilterChange, FilterTagging, Tagging, Work

REFRESH_JOB = "refresh_filters_for_tags"
BATCH = 1000


@dataclass
class TagGraph:
    """Mergers, canonical flags, types and meta links of the tags one computation needs."""

    canonical: dict[int, bool] = field(default_factory=dict)
    merger: dict[int, int | None] = field(default_factory=dict)
    type: dict[int, str] = field(default_factory=dict)
    metas: dict[int, set[int]] = field(default_factory=dict)

    def load(self, tag_ids: Iterable[int]) -> None:
        missing = {t for t in tag_ids if t not in self.type}
        if not missing:
            return
        rows = Tag.objects.filter(pk__in=missing).values_list("pk", "canonical", "merger_id", "type")
        mergers = set()
        for pk, canonical, merger_id, tag_type in rows:
            self.canonical[pk], self.merger[pk], self.type[pk] = canonical, merger_id, tag_type
            if merger_id:
                mergers.add(merger_id)
        self.load(mergers)
        # Meta links of every newly loaded tag, walking up until no new ancestors appear.
        frontier = set(missing)
        while frontier:
            for pk in frontier:
                self.metas.setdefault(pk, set())
            links = MetaTagging.objects.filter(sub_tag_id__in=frontier).values_list("sub_tag_id", "meta_tag_id")
            found = set()
            for sub, meta in links:
                self.metas[sub].add(meta)
                found.add(meta)
            new = found - set(self.metas)
            if new:
                self.load(new)
            frontier = {pk for pk in new if pk not in self.metas}

    def filter_tag(self, tag_id: int) -> int:
        """The tag a filter on this tag means: its canonical merger if it is a synonym."""
        merger = self.merger.get(tag_id)
        if merger is not None and self.canonical.get(merger):
            return merger
        return tag_id

    def ancestors(self, tag_id: int) -> set[int]:
        seen: set[int] = set()
        stack = list(self.metas.get(tag_id, ()))
        while stack:
            meta = stack.pop()
            if meta not in seen:
                seen.add(meta)
                stack.extend(self.metas.get(meta, ()))
        return seen


def compute_filters(own_tags: dict[int, set[int]], graph: TagGraph) -> dict[int, dict[int, bool]]:
    """work id -> {filter tag id: inherited}."""
    result: dict[int, dict[int, bool]] = {}
    for work_id, tags in own_tags.items():
        filters = dict.fromkeys(tags, False)
        direct = {graph.filter_tag(t) for t in tags}
        for tag_id in direct:
            filters[tag_id] = False
        for tag_id in direct:
            for meta in graph.ancestors(tag_id):
                filters.setdefault(meta, True)
        result[work_id] = filters
    return result


def is_crossover(fandom_ids: set[int], graph: TagGraph) -> bool:
    """As AO3: a crossover unless one fandom shares a meta tag (or is one) with every other fandom."""
    if len(fandom_ids) < 2:
        return False
    roots = {f: graph.ancestors(f) | {f} for f in fandom_ids}
    return not any(all(roots[f] & roots[g] for g in fandom_ids if g != f) for f in fandom_ids)


def note_changed(work_ids: Iterable[int]) -> None:
    """Tell every process's filter index that these works' listing data (counters, tags, flags) changed.

    Not the search index: counters are not in its documents (search.engine), and the writes
    that change a document's text or tags queue its rewrite themselves.
    """
    ids = set(work_ids)
    FilterChange.objects.bulk_create([FilterChange(work_id=pk) for pk in ids])


@transaction.atomic
def refresh_filters(work_ids: Iterable[int]) -> None:
    """Recompute the filter taggings and crossover flag of these works (all in one go)."""
    ids = sorted(set(work_ids))
    if not ids:
        return
    own: dict[int, set[int]] = {pk: set() for pk in ids}
    for work_id, tag_id in Tagging.objects.filter(work_id__in=ids).values_list("work_id", "tag_id"):
        own[work_id].add(tag_id)
    existing_ids = set(Work.objects.filter(pk__in=ids).values_list("pk", flat=True))
    own = {pk: tags for pk, tags in own.items() if pk in existing_ids}
    graph = TagGraph()
    graph.load({t for tags in own.values() for t in tags})
    wanted = compute_filters(own, graph)
    current: dict[int, dict[int, bool]] = {pk: {} for pk in own}
    for work_id, tag_id, inherited in FilterTagging.objects.filter(work_id__in=list(own)).values_list(
        "work_id", "tag_id", "inherited"
    ):
        current[work_id][tag_id] = inherited
    to_create, to_delete, to_flip = [], [], []
    for work_id, filters in wanted.items():
        have = current[work_id]
        for tag_id, inherited in filters.items():
            if tag_id not in have:
                to_create.append(FilterTagging(work_id=work_id, tag_id=tag_id, inherited=inherited))
            elif have[tag_id] != inherited:
                to_flip.append((work_id, tag_id, inherited))
        to_delete += [(work_id, tag_id) for tag_id in have if tag_id not in filters]
    FilterTagging.objects.bulk_create(to_create, batch_size=BATCH)
    for work_id, tag_id, inherited in to_flip:
        FilterTagging.objects.filter(work_id=work_id, tag_id=tag_id).update(inherited=inherited)
    by_work: dict[int, list[int]] = {}
    for work_id, tag_id in to_delete:
        by_work.setdefault(work_id, []).append(tag_id)
    for work_id, tag_ids in by_work.items():
        FilterTagging.objects.filter(work_id=work_id, tag_id__in=tag_ids).delete()
    crossover_ids = [
        pk
        for pk, filters in wanted.items()
        if is_crossover({graph.filter_tag(t) for t in own[pk] if graph.type.get(t) == TagType.FANDOM}, graph)
    ]
    Work.objects.filter(pk__in=list(own)).exclude(crossover=False).exclude(pk__in=crossover_ids).update(crossover=False)
    Work.objects.filter(pk__in=crossover_ids, crossover=False).update(crossover=True)
    note_changed(ids)
    # Tag wrangling changes the tag names and filter tags in the search documents: rewritten
    # after a short delay, batched (posting and editing queue their own rewrite at once).
    hooks.works_changed(list(ids), False)


@handler("prune_filter_changes")
def _prune_change_log_job(payload: dict[str, Any]) -> None:
    prune_change_log()


def prune_change_log(keep: timedelta = timedelta(days=1)) -> int:
    """Drop change-log entries older than `keep` (indexes idle that long rebuild instead)."""
    deleted, _ = FilterChange.objects.filter(created_at__lt=timezone.now() - keep).delete()
    return deleted


def related_tag_ids(tag_ids: Iterable[int]) -> set[int]:
    """These tags, their synonyms, their sub tags at any depth, and the sub tags' synonyms."""
    result = set(tag_ids)
    frontier = set(result)
    while frontier:
        subs = set(MetaTagging.objects.filter(meta_tag_id__in=frontier).values_list("sub_tag_id", flat=True))
        synonyms = set(Tag.objects.filter(merger_id__in=frontier | subs).values_list("pk", flat=True))
        frontier = (subs | synonyms) - result
        result |= frontier
    return result


def works_affected_by(tag_ids: Iterable[int]) -> set[int]:
    """Works whose filters may change when these tags' wrangling changes: those carrying them
    (or a synonym or sub tag of them) now, and those filtered under them until now."""
    related = related_tag_ids(tag_ids)
    works = set(Tagging.objects.filter(tag_id__in=related).values_list("work_id", flat=True))
    works |= set(FilterTagging.objects.filter(tag_id__in=related).values_list("work_id", flat=True))
    return works


def queue_refresh_for_tags(tag_ids: Iterable[int]) -> None:
    """Recompute, in the background, every work a wrangling change to these tags may affect."""
    enqueue(REFRESH_JOB, {"tag_ids": sorted(set(tag_ids))})


def refresh_pending() -> bool:
    """True while wrangling changes are still being applied to works (counts may lag). Listings
    read it with their look at the change log instead (works.filter_index: refresh_pending)."""
    return pending_jobs(REFRESH_JOB) > 0


def refresh_jobs() -> QuerySet[Job]:
    """The refresh jobs pending or running (see refresh_pending)."""
    return active_jobs(REFRESH_JOB)


@handler(REFRESH_JOB)
def _refresh_for_tags(payload: dict[str, Any]) -> None:
    work_ids = sorted(works_affected_by(payload["tag_ids"]))
    for start in range(0, len(work_ids), BATCH):
        refresh_filters(work_ids[start : start + BATCH])
