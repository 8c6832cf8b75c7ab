"""Writes that touch several tables: works, chapters, creatorships, taggings, series.

Views call these; nothing else writes works. Each runs in one transaction.
"""

import re
from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.db.models import F, Max, Sum
from django.utils import timezone

from accounts.lifecycle import orphan_pseud
from accounts.models import Pseud, User
from lib.wordcount import count_words
from tags.actions import find_or_create_tags
from tags.models import Tag, TagType
from works import hooks
from works.filters import note_changed, refresh_filters
from works.models import Chapter, Creatorship, SerialWork, Series, Tagging, Work

_LEADING_ARTICLE = re.compile(r"^(a|an|the)\s+", re.IGNORECASE)
_NON_SORTING = re.compile(r"^[^\w]+")


# Counters other requests change with F() while a work is being edited.
COUNTERS = ("hits", "kudos_count", "comments_count", "bookmarks_count")


def title_sort_key(title: str) -> str:
    key = _LEADING_ARTICLE.sub("", title.strip().casefold())
    return _NON_SORTING.sub("", key)[:255]


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


@transaction.atomic
def create_work(pseuds: list[Pseud], data: dict[str, Any], *, post: bool) -> Work:
    """Create a work with its first chapter from the posting form's cleaned data."""
    work = Work(title=data["title"], title_sort=title_sort_key(data["title"]))
    _apply_work_fields(work, data)
    work.save()
    _set_creators(work, pseuds)
    # Co-creators are asked, not credited (moderation.consent.invite_co_creators).
    hooks.co_creators_named(work, pseuds[0].user, list(data.get("co_creators", [])))
    _set_tags(work, data)
    _set_series(work, data)
    Chapter.objects.create(work=work, position=1, **_chapter_values(data))
    if post:
        post_work(work)
    else:
        refresh_work_stats(work)
    return work


@transaction.atomic
def update_work(work: Work, own_pseuds: list[Pseud], data: dict[str, Any]) -> Work:
    """Apply the edit form. The user's own pseud choice replaces only their own creatorships."""
    # The whole row is saved below: take the counters other requests keep (kudos, hits, comments,
    # bookmarks) from the locked row, not from the copy the view loaded, or they would go back.
    locked = Work.objects.select_for_update().only(*COUNTERS).get(pk=work.pk)
    for counter in COUNTERS:
        setattr(work, counter, getattr(locked, counter))
    work.title = data["title"]
    work.title_sort = title_sort_key(work.title)
    _apply_work_fields(work, data)
    work.save()
    user_id = own_pseuds[0].user_id
    keep_others = [c.pseud for c in work.creatorships.select_related("pseud") if c.pseud.user_id != user_id]
    _set_creators(work, own_pseuds + keep_others)
    # Co-creators are asked, not credited (moderation.consent.invite_co_creators).
    hooks.co_creators_named(work, own_pseuds[0].user, list(data.get("co_creators", [])))
    _set_tags(work, data)
    _set_series(work, data)
    if "content" in data:
        chapter = work.chapters.get(position=1)
        for field, value in _chapter_values(data).items():
            setattr(chapter, field, value)
        chapter.save()
    refresh_work_stats(work)
    return work


@transaction.atomic
def post_work(work: Work) -> None:
    """Publish a draft: the work and all its chapters become visible."""
    today = timezone.localdate()
    if not work.backdated:
        work.published_at = today
    work.posted = True
    work.save(update_fields=["posted", "published_at"])
    work.chapters.filter(posted=False).update(posted=True, published_at=work.published_at)
    work.revised_at = _start_of_day(work.published_at) if work.backdated else timezone.now()
    work.save(update_fields=["revised_at"])
    refresh_work_stats(work)
    hooks.work_posted(work)


@transaction.atomic
def delete_work(work: Work) -> None:
    series_ids = list(work.serial_works.values_list("series_id", flat=True))
    note_changed([work.pk])
    hooks.works_changed([work.pk], True)
    work.delete()
    # A series without works has nothing left to show.
    Series.objects.filter(pk__in=series_ids, serial_works__isnull=True).delete()


def _lock_work(work: Work) -> Work:
    """The work's row, locked until the transaction ends: writes that derive something from its
    chapters (the next position, the counts) queue here instead of overwriting each other.
    (PostgreSQL's row lock; SQLite's IMMEDIATE transactions already run one writer at a time.)"""
    return Work.objects.select_for_update().only("expected_chapters").get(pk=work.pk)


@transaction.atomic
def add_chapter(work: Work, data: dict[str, Any], *, post: bool) -> Chapter:
    _lock_work(work)
    last = work.chapters.aggregate(last=Max("position"))["last"] or 0
    chapter = Chapter.objects.create(
        work=work,
        position=last + 1,
        posted=post and work.posted,
        **_chapter_values(data),
    )
    if chapter.posted:
        work.revised_at = timezone.now()
        work.save(update_fields=["revised_at"])
    refresh_work_stats(work)
    if chapter.posted:
        hooks.chapter_posted(chapter)
    return chapter


@transaction.atomic
def update_chapter(chapter: Chapter, data: dict[str, Any]) -> Chapter:
    for field, value in _chapter_values(data).items():
        setattr(chapter, field, value)
    chapter.save()
    refresh_work_stats(chapter.work)
    return chapter


@transaction.atomic
def post_chapter(chapter: Chapter) -> None:
    chapter.posted = True
    chapter.published_at = timezone.localdate()
    chapter.save(update_fields=["posted", "published_at"])
    work = chapter.work
    work.revised_at = timezone.now()
    work.save(update_fields=["revised_at"])
    refresh_work_stats(work)
    hooks.chapter_posted(chapter)


@transaction.atomic
def delete_chapter(chapter: Chapter) -> None:
    """Delete a chapter and close the gap in positions. The last chapter can't go (delete the work)."""
    work = chapter.work
    chapter.delete()
    # The chapter's comments went with it.
    hooks.chapter_deleted(work.pk)
    _renumber(work, list(work.chapters.order_by("position").values_list("pk", flat=True)))
    refresh_work_stats(work)


@transaction.atomic
def set_rating_and_warnings(work: Work, rating: Tag, warnings: list[Tag]) -> None:
    """Replace the work's rating and archive warnings (the moderators' correction), keeping its other tags."""
    work.taggings.filter(tag__type__in=[TagType.RATING, TagType.WARNING]).delete()
    Tagging.objects.bulk_create([Tagging(work=work, tag=tag) for tag in [rating, *warnings]])
    refresh_work_stats(work)


@transaction.atomic
def set_hidden(work_ids: list[int], hidden: bool) -> None:
    """Hide works from everyone but their creators and staff (or show them again), in every listing and search."""
    Work.objects.filter(pk__in=work_ids).update(hidden_by_admin=hidden)
    note_changed(work_ids)
    hooks.works_changed(work_ids, True)


@transaction.atomic
def reorder_chapters(work: Work, chapter_ids_in_order: list[int]) -> None:
    _renumber(work, chapter_ids_in_order)


def _renumber(work: Work, chapter_ids_in_order: list[int]) -> None:
    # Positions are unique per work, and SQLite cannot defer that check, so
    # move everything out of the way first.
    offset = 1_000_000
    work.chapters.update(position=F("position") + offset)
    for position, chapter_id in enumerate(chapter_ids_in_order, start=1):
        work.chapters.filter(pk=chapter_id).update(position=position)


@transaction.atomic
def refresh_work_stats(work: Work) -> None:
    """Recompute the denormalised counts from the posted chapters (a draft's: from all of them), under
    the work's row lock, so two chapters saved at once can't each write a total that misses the other's words."""
    work.expected_chapters = _lock_work(work).expected_chapters
    # A draft is seen only by its creators, in previews and the drafts list: its counts are what it holds.
    posted = work.chapters.filter(posted=True) if work.posted else work.chapters.all()
    totals = posted.aggregate(words=Sum("word_count"))
    work.word_count = totals["words"] or 0
    work.chapter_count = posted.count()
    if work.expected_chapters is not None and work.expected_chapters < work.chapter_count:
        work.expected_chapters = work.chapter_count
    work.complete = work.expected_chapters is not None and work.chapter_count >= work.expected_chapters
    first = work.creatorships.select_related("pseud").order_by("position", "id").first()
    work.creator_sort = first.pseud.name.casefold()[:40] if first else ""
    work.save(update_fields=["word_count", "chapter_count", "expected_chapters", "complete", "creator_sort"])
    refresh_filters([work.pk])
    # Every edit of a work or chapter ends here: search shows it within seconds.
    hooks.works_changed([work.pk], True)


@transaction.atomic
def move_credits(source: Pseud, target: Pseud) -> list[int]:
    """Credit `target` wherever `source` is credited, on works and series (a claim of archived works).

    Returns the works whose credit changed. In one pass for all of them (a prolific creator's claim
    moves thousands): creator sort keys as refresh_work_stats sets them, then filters, the filter
    index and search as every edit refreshes them; download versions follow from the names.
    """
    work_ids = list(Creatorship.objects.filter(pseud=source).order_by("work_id").values_list("work_id", flat=True))
    both = Creatorship.objects.filter(pseud=target, work_id__in=work_ids).values_list("work_id", flat=True)
    Creatorship.objects.filter(pseud=source, work_id__in=list(both)).delete()
    Creatorship.objects.filter(pseud=source).update(pseud=target)
    for series in Series.objects.filter(pseuds=source):
        series.pseuds.remove(source)
        series.pseuds.add(target)
    first_names: dict[int, str] = {}
    credits = Creatorship.objects.filter(work_id__in=work_ids).order_by("work_id", "position", "id")
    for work_id, name in credits.values_list("work_id", "pseud__name"):
        first_names.setdefault(work_id, name)
    works = list(Work.objects.filter(pk__in=work_ids).only("id", "creator_sort"))
    for work in works:
        work.creator_sort = first_names.get(work.pk, "").casefold()[:40]
    Work.objects.bulk_update(works, ["creator_sort"], batch_size=500)
    refresh_filters(work_ids)
    hooks.works_changed(work_ids, True)
    return work_ids


def _apply_work_fields(work: Work, data: dict[str, Any]) -> None:
    work.summary = data["summary"]
    work.notes = data["notes"]
    work.endnotes = data["endnotes"]
    work.language = data["language"]
    work.restricted = data["restricted"]
    work.comment_permission = data.get("comment_permission") or work.comment_permission
    work.moderated_comments = bool(data.get("moderated_comments"))
    work.expected_chapters = data["expected_chapters"]
    work.backdated = bool(data.get("backdate"))
    if work.backdated:
        work.published_at = data["published_at"]
        if work.posted and work.chapter_count <= 1:
            work.revised_at = _start_of_day(work.published_at)


def _chapter_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": data.get("chapter_title", ""),
        "summary": data.get("chapter_summary", ""),
        "notes": data.get("chapter_notes", ""),
        "endnotes": data.get("chapter_endnotes", ""),
        "content": data["content"],
        "word_count": count_words(data["content"]),
    }


def _set_creators(work: Work, pseuds: list[Pseud]) -> None:
    unique = list({p.pk: p for p in pseuds}.values())
    work.creatorships.exclude(pseud__in=unique).delete()
    existing = set(work.creatorships.values_list("pseud_id", flat=True))
    for position, pseud in enumerate(unique):
        if pseud.pk in existing:
            work.creatorships.filter(pseud=pseud).update(position=position)
        else:
            Creatorship.objects.create(work=work, pseud=pseud, position=position)


def credit_co_creator(work: Work, pseud: Pseud) -> None:
    """Credit an invited pseud on the work (after its creators) and its series; the caller holds the
    work's row lock and has used up the invitation (moderation.consent.accept_invitation)."""
    if not work.creatorships.filter(pseud=pseud).exists():
        last = work.creatorships.aggregate(last=Max("position"))["last"]
        Creatorship.objects.create(work=work, pseud=pseud, position=(last or 0) + 1)
    for link in work.serial_works.select_related("series"):
        link.series.pseuds.add(pseud)
    refresh_work_stats(work)


def _set_tags(work: Work, data: dict[str, Any]) -> None:
    wanted: list[Tag] = []
    fixed = [data["rating"], *data["warnings"], *data["categories"]]
    wanted += list(Tag.objects.filter(name__in=fixed, type__in=[TagType.RATING, TagType.WARNING, TagType.CATEGORY]))
    wanted += find_or_create_tags(data["fandoms"], TagType.FANDOM)
    wanted += find_or_create_tags(data["relationships"], TagType.RELATIONSHIP)
    wanted += find_or_create_tags(data["characters"], TagType.CHARACTER)
    wanted += find_or_create_tags(data["freeforms"], TagType.FREEFORM)
    wanted_ids = {tag.pk for tag in wanted}
    work.taggings.exclude(tag_id__in=wanted_ids).delete()
    existing = set(work.taggings.values_list("tag_id", flat=True))
    Tagging.objects.bulk_create([Tagging(work=work, tag_id=tag_id) for tag_id in wanted_ids - existing])


def _set_series(work: Work, data: dict[str, Any]) -> None:
    series = data.get("series")
    if data.get("new_series_title"):
        series = Series.objects.create(title=data["new_series_title"])
    if series is None:
        return
    series.pseuds.add(*[c.pseud for c in work.creatorships.select_related("pseud")])
    position = data.get("series_position")
    link = SerialWork.objects.filter(series=series, work=work).first()
    if link is None:
        if position is None:
            position = (series.serial_works.aggregate(last=Max("position"))["last"] or 0) + 1
        SerialWork.objects.create(series=series, work=work, position=position)
    elif position is not None and link.position != position:
        link.position = position
        link.save(update_fields=["position"])


@transaction.atomic
def orphan_works(user: User, work_ids: list[int], *, keep_pseud_names: bool) -> int:
    """Credit this user's share of these works to orphan_account (under their pseud's name if they wish)."""
    creatorships = list(
        Creatorship.objects.filter(pseud__user=user, work_id__in=work_ids).select_related("pseud").order_by("id")
    )
    changed: set[int] = set()
    for creatorship in creatorships:
        target = orphan_pseud(creatorship.pseud.name if keep_pseud_names else None)
        if Creatorship.objects.filter(work_id=creatorship.work_id, pseud=target).exists():
            creatorship.delete()  # two of the user's pseuds on one work become one orphan credit
        else:
            Creatorship.objects.filter(pk=creatorship.pk).update(pseud=target)
        changed.add(creatorship.work_id)
    for work in Work.objects.filter(pk__in=changed):
        # Creator names and sort keys changed: filters, search and download versions follow.
        refresh_work_stats(work)
    return len(changed)


def _solely_theirs(user: User, work_ids: set[int]) -> set[int]:
    shared = (
        Creatorship.objects.filter(work_id__in=work_ids).exclude(pseud__user=user).values_list("work_id", flat=True)
    )
    return work_ids - set(shared)


def remove_creator(user: User, delete_works: bool, keep_pseud_names: bool) -> None:
    """A creator deletes their account (accounts.hooks.account_deleting): their works deleted or orphaned."""
    work_ids = set(Creatorship.objects.filter(pseud__user=user).values_list("work_id", flat=True))
    if delete_works:
        # Works shared with co-creators stay theirs; only the works that are wholly this user's go.
        sole = _solely_theirs(user, work_ids)
        for work in Work.objects.filter(pk__in=sole):
            delete_work(work)
        # The deleted works' downloads go too, once the deletion is committed.
        hooks.works_purged(sole)
        Creatorship.objects.filter(pseud__user=user).delete()
        for work in Work.objects.filter(pk__in=work_ids - sole):
            refresh_work_stats(work)
    else:
        orphan_works(user, list(work_ids), keep_pseud_names=keep_pseud_names)
