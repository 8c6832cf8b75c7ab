"""Bringing an eFiction archive in: authors, then each story whole (or not at all) with its reviews.

Authors become pseuds of the archivist's account (an `ArchivedCreator` keeps
their pen name and email for claims); stories become posted works through
imports.normalize and imports.actions.import_work (so text is sanitized and
limits apply as for any import), with their eFiction dates, series and
co-authors; reviews become comments, an author's appended response a reply. What a
member wrote or favourited is kept against their `ArchivedCreator` (ArchivedComment,
ArchivedFavourite), so it becomes theirs when they claim (migration.claims).
Every created item is recorded in `SourceRecord`, so a second run skips it.
"""

import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db import DatabaseError, transaction
from django.utils import timezone

from accounts.models import Pseud, User
from comments.models import Comment
from imports.actions import import_work
from imports.normalize import normalize
from imports.parsed import ImportRefused, ParsedChapter, ParsedWork
from lib.wordcount import count_words
from migration.efiction.mapping import TagPlan
from migration.efiction.source import (
    EFictionArchive,
    chapter_html,
    column,
    id_list,
    parse_date,
    plain_text,
    rich_text,
    split_response,
)
from migration.models import ArchivedComment, ArchivedCreator, ArchivedFavourite, SourceRecord
from tags.actions import TagTypeConflict
from works.models import Chapter, SerialWork, Series, Work

PSEUD_NAME_MAX = 40
Kind = SourceRecord.Kind


@dataclass
class Report:
    created: Counter[str] = field(default_factory=Counter)
    existing: Counter[str] = field(default_factory=Counter)
    # (kind, eFiction id, what it is, why it was left out)
    skipped: list[tuple[str, int, str, str]] = field(default_factory=list)
    no_home: Counter[str] = field(default_factory=Counter)

    def skip(self, kind: str, source_id: int, label: str, reason: str) -> None:
        self.skipped.append((kind, source_id, label, reason))

    def lines(self) -> list[str]:
        def counts(counter: Counter[str]) -> str:
            return ", ".join(f"{n:,} {kind}" for kind, n in sorted(counter.items())) or "nothing"

        out = [f"Created: {counts(self.created)}.", f"Already imported (unchanged): {counts(self.existing)}."]
        if self.no_home:
            out.append(f"Not imported, no home here yet: {counts(self.no_home)}.")
        out.append(f"Skipped: {len(self.skipped):,}.")
        out += [f"  {kind} {source_id} “{label}”: {reason}" for kind, source_id, label, reason in self.skipped]
        return out


@dataclass
class StoryPlan:
    """One story, read and checked, ready to write."""

    story: sqlite3.Row
    parsed: ParsedWork
    chapter_ids: list[int]
    author_uids: list[int]
    published: datetime | None
    updated: datetime | None


def _label(row: sqlite3.Row, column: str = "title") -> str:
    return plain_text(row[column])[:80]


def plan_story(archive: EFictionArchive, story: sqlite3.Row, tags: TagPlan, language: str) -> StoryPlan | str:
    """The story as a ParsedWork (normalized), or the reason it can't be imported."""
    if not int(story["validated"] or 0):
        return "not validated (it was waiting in eFiction's submission queue)"
    chapters = [
        chapter
        for chapter in archive.table("chapters", "sid = ? ORDER BY inorder, chapid", (story["sid"],))
        if int(chapter["validated"] or 0)
    ]
    if not chapters:
        return "no validated chapter"
    parsed_chapters = []
    for chapter in chapters:
        text = archive.chapter_text(chapter)
        if text is None or not text.strip():
            return f"chapter {chapter['chapid']} has no text (no stories/{chapter['uid']}/{chapter['chapid']}.txt)"
        parsed_chapters.append(
            ParsedChapter(
                title=plain_text(chapter["title"]),
                notes=rich_text(chapter["notes"]),
                endnotes=rich_text(column(chapter, "endnotes")),
                html=chapter_html(text),
            )
        )
    rids = id_list(story["rid"])
    parsed = ParsedWork(
        title=plain_text(story["title"]),
        summary=rich_text(story["summary"]),
        notes=rich_text(column(story, "storynotes")),
        rating=tags.rating.get(rids[0], "Not Rated") if rids else "Not Rated",
        fandoms=[tags.fandoms[i] for i in id_list(story["catid"]) if i in tags.fandoms],
        characters=[tags.characters[i] for i in id_list(story["charid"]) if i in tags.characters],
        language=language,
        expected_chapters=len(parsed_chapters) if int(story["completed"] or 0) else None,
        chapters=parsed_chapters,
        source_format="efiction",
    )
    for class_id in id_list(story["classes"]):
        if class_id in tags.classes:
            form_field, name = tags.classes[class_id]
            getattr(parsed, form_field).append(name)
    parsed.freeforms += [tags.challenges[i] for i in id_list(column(story, "challenges")) if i in tags.challenges]
    try:
        parsed = normalize(parsed, fallback_title=f"Story {story['sid']}")
    except ImportRefused as refusal:
        return str(refusal)
    if len(parsed.chapters) != len(chapters):
        return "a chapter has (almost) no text"
    authors = [int(story["uid"])]
    authors += id_list(column(story, "coauthors"))
    authors += [int(row["uid"]) for row in archive.table("coauthors", "sid = ?", (story["sid"],))]
    return StoryPlan(
        story=story,
        parsed=parsed,
        chapter_ids=[int(chapter["chapid"]) for chapter in chapters],
        author_uids=list(dict.fromkeys(uid for uid in authors if uid > 0)),
        published=parse_date(story["date"]),
        updated=parse_date(story["updated"]),
    )


class Importer:
    def __init__(
        self,
        archive: EFictionArchive,
        tags: TagPlan,
        *,
        source: str,
        archivist: User,
        language: str = "en",
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.archive = archive
        self.tags = tags
        self.source = source
        self.archivist = archivist
        self.language = language
        self.progress = progress
        self.report = Report()
        self.pseuds: dict[int, Pseud] = {}
        self.reviewer_names: dict[int, str] = {}
        self.creator_ids: dict[int, int] = {}  # eFiction uid -> ArchivedCreator id

    def _recorded(self, kind: str, source_id: int) -> int | None:
        record = SourceRecord.objects.filter(source=self.source, kind=kind, source_id=source_id).first()
        return record.target_id if record else None

    def _record(self, kind: str, source_id: int, target_id: int) -> None:
        SourceRecord.objects.create(source=self.source, kind=kind, source_id=source_id, target_id=target_id)

    def run(self) -> Report:
        stories = self.archive.table("stories", "1 ORDER BY sid")
        done = {
            record.source_id: record.target_id
            for record in SourceRecord.objects.filter(source=self.source, kind=Kind.STORY)
        }
        plans: list[StoryPlan] = []
        for story in stories:
            if int(story["sid"]) in done:
                self.report.existing["works"] += 1
                continue
            plan = plan_story(self.archive, story, self.tags, self.language)
            if isinstance(plan, str):
                self.report.skip("story", int(story["sid"]), _label(story), plan)
            else:
                plans.append(plan)
        credited = {uid for plan in plans for uid in plan.author_uids}
        credited |= {int(series["uid"]) for series in self.archive.table("series")}
        self._import_authors(credited)
        self._import_favourites()
        for number, plan in enumerate(plans, start=1):
            try:
                self._import_story(plan)
            except (ImportRefused, TagTypeConflict, DatabaseError) as refusal:
                # The story's transaction was rolled back: nothing of it stays.
                self.report.skip("story", int(plan.story["sid"]), _label(plan.story), str(refusal))
            if self.progress:
                self.progress(number, len(plans))
        self._count_what_has_no_home()
        return self.report

    def _import_authors(self, credited: set[int]) -> None:
        taken = {name.casefold() for name in self.archivist.pseuds.values_list("name", flat=True)}
        for author in self.archive.table("authors", "1 ORDER BY uid"):
            uid = int(author["uid"])
            pen_name = plain_text(author["penname"]) or f"eFiction author {uid}"
            self.reviewer_names[uid] = pen_name
            with transaction.atomic():
                creator, created = ArchivedCreator.objects.get_or_create(
                    source=self.source,
                    source_uid=uid,
                    defaults={
                        "pen_name": pen_name[:200],
                        "email": str(author["email"] or "")[:254],
                        "archivist": self.archivist,
                    },
                )
                if created:
                    self.report.created["archived creators"] += 1
                self.creator_ids[uid] = creator.pk
                if creator.pseud_id is not None:
                    self.pseuds[uid] = creator.pseud  # type: ignore[assignment]
                    continue
                if uid not in credited:
                    continue
                name = _unique_pseud_name(pen_name, taken)
                taken.add(name.casefold())
                pseud = Pseud.objects.create(user=self.archivist, name=name, is_archived=True)
                creator.pseud = pseud
                creator.save(update_fields=["pseud"])
                SourceRecord.objects.update_or_create(
                    source=self.source, kind=Kind.AUTHOR, source_id=uid, defaults={"target_id": pseud.pk}
                )
                self.pseuds[uid] = pseud
                self.report.created["pseuds"] += 1

    @transaction.atomic
    def _import_story(self, plan: StoryPlan) -> None:
        story = plan.story
        sid = int(story["sid"])
        pseuds = [self.pseuds[uid] for uid in plan.author_uids if uid in self.pseuds]
        if not pseuds:
            raise ImportRefused(f"its author (uid {story['uid']}) is not in the authors table")
        parsed = plan.parsed
        published = plan.published or timezone.now()
        updated = max(plan.updated or published, published)
        # The first chapter through import_work (tags, creators, filters, search: as any import); the
        # others in one insert, already posted, since add_chapter's per-chapter refresh (filters, search)
        # would halve the import's speed. The counts it would keep are set below from what was written.
        work = import_work(replace(parsed, chapters=parsed.chapters[:1]), pseuds, extra={"series": None})
        last = len(parsed.chapters)
        Chapter.objects.bulk_create(
            [
                Chapter(
                    work=work,
                    position=position,
                    title=chapter.title,
                    summary=chapter.summary,
                    notes=chapter.notes,
                    endnotes=chapter.endnotes,
                    content=chapter.html,
                    word_count=count_words(chapter.html),
                    posted=True,
                    published_at=(updated if position == last else published).date(),
                )
                for position, chapter in enumerate(parsed.chapters[1:], start=2)
            ]
        )
        Chapter.objects.filter(work=work, position=1).update(posted=True, published_at=published.date())
        chapters = list(work.chapters.order_by("position").only("id", "position", "work_id", "word_count"))
        records = [SourceRecord(source=self.source, kind=Kind.STORY, source_id=sid, target_id=work.pk)]
        records += [
            SourceRecord(source=self.source, kind=Kind.CHAPTER, source_id=chapid, target_id=chapter.pk)
            for chapid, chapter in zip(plan.chapter_ids, chapters, strict=True)
        ]
        self.report.created["works"] += 1
        self.report.created["chapters"] += len(chapters)
        self._import_series(sid, work)
        comments = self._import_reviews(
            sid, work, dict(zip(plan.chapter_ids, chapters, strict=True)), pseuds[0], published, records
        )
        SourceRecord.objects.bulk_create(records)
        # What refresh_work_stats and recount_comments would compute, from the rows just written (the
        # tags, hence the filters and crossover flag, were refreshed by import_work and did not change).
        work.posted = True
        work.backdated = True
        work.published_at = published.date()
        work.revised_at = updated
        work.hits = int(column(story, "count") or 0)
        work.word_count = sum(chapter.word_count for chapter in chapters)
        work.chapter_count = len(chapters)
        if work.expected_chapters is not None and work.expected_chapters < work.chapter_count:
            work.expected_chapters = work.chapter_count
        work.complete = work.expected_chapters is not None and work.chapter_count >= work.expected_chapters
        work.comments_count = comments
        work.save(
            update_fields=[
                "posted", "backdated", "published_at", "revised_at", "hits", "word_count", "chapter_count",
                "expected_chapters", "complete", "comments_count",
            ]
        )  # fmt: skip

    def _import_series(self, sid: int, work: Work) -> None:
        for link in self.archive.table("inseries", "sid = ? ORDER BY seriesid", (sid,)):
            seriesid = int(link["seriesid"])
            rows = self.archive.table("series", "seriesid = ?", (seriesid,))
            if not rows:
                continue
            series_id = self._recorded(Kind.SERIES, seriesid)
            if series_id is None:
                row = rows[0]
                series = Series.objects.create(
                    title=plain_text(row["title"])[:255] or f"Series {seriesid}", summary=rich_text(row["summary"])
                )
                self._record(Kind.SERIES, seriesid, series.pk)
                self.report.created["series"] += 1
                owner = self.pseuds.get(int(row["uid"]))
                if owner is not None:
                    series.pseuds.add(owner)
            else:
                series = Series.objects.get(pk=series_id)
            series.pseuds.add(*work.pseuds.all())
            SerialWork.objects.get_or_create(
                series=series, work=work, defaults={"position": max(1, int(link["inorder"] or 1))}
            )

    def _import_reviews(
        self,
        sid: int,
        work: Work,
        chapters: dict[int, Chapter],
        author: Pseud,
        published: datetime,
        records: list[SourceRecord],
    ) -> int:
        """Write the story's reviews as comments (their SourceRecords added to `records`); return how many."""
        written = 0
        for review in self.archive.table("reviews", "item = ? AND type = 'ST' ORDER BY reviewid", (sid,)):
            reviewid = int(review["reviewid"])
            text, response = split_response(str(review["review"] or ""))
            content = rich_text(text)
            if not content:
                self.report.skip("review", reviewid, plain_text(review["reviewer"]), "empty")
                continue
            uid = int(review["uid"] or 0)
            pseud = self.pseuds.get(uid) if uid else None
            name = plain_text(review["reviewer"]) or self.reviewer_names.get(uid, "") or "Anonymous"
            created = parse_date(review["date"]) or published
            chapter = chapters.get(int(review["chapid"] or 0))
            comment = self._comment(work, chapter, None, pseud, "" if pseud else name[:100], content, created)
            records.append(SourceRecord(source=self.source, kind=Kind.REVIEW, source_id=reviewid, target_id=comment.pk))
            if uid in self.creator_ids:
                ArchivedComment.objects.create(creator_id=self.creator_ids[uid], comment=comment)
            self.report.created["comments"] += 1
            written += 1
            reply = rich_text(response)
            if reply:
                answer = self._comment(work, chapter, comment, author, "", reply, created)
                records.append(
                    SourceRecord(source=self.source, kind=Kind.RESPONSE, source_id=reviewid, target_id=answer.pk)
                )
                self.report.created["replies"] += 1
                written += 1
        return written

    @staticmethod
    def _comment(
        work: Work,
        chapter: Chapter | None,
        parent: Comment | None,
        pseud: Pseud | None,
        guest_name: str,
        content: str,
        created: datetime,
    ) -> Comment:
        comment = Comment.objects.create(
            work=work,
            chapter=chapter,
            parent=parent,
            thread_id=parent.thread_id if parent else None,
            depth=parent.depth + 1 if parent else 0,
            pseud=pseud,
            guest_name=guest_name,
            content=content,
        )
        if comment.thread_id is None:
            comment.thread_id = comment.pk  # a top-level comment is its own thread
        # created_at is set on insert; an imported review keeps its own date.
        Comment.objects.filter(pk=comment.pk).update(created_at=created, thread_id=comment.thread_id)
        comment.created_at = created
        return comment

    def _favourite_rows(self) -> list[tuple[int, str, int, str]]:
        """(uid, kind, old id, comment) of every favourite: eFiction 3's `favorites` (ST, SE, AU) and
        the older separate `favstor` (stories) and `favauth` (authors) tables."""
        kinds = {"ST": ArchivedFavourite.Kind.STORY, "SE": ArchivedFavourite.Kind.SERIES}
        kinds["AU"] = ArchivedFavourite.Kind.AUTHOR
        rows: list[tuple[int, str, int, str]] = []
        if self.archive.has("favorites"):
            for row in self.archive.table("favorites", "1 ORDER BY uid, type, item"):
                kind = kinds.get(str(row["type"] or "").strip().upper())
                if kind is None:
                    self.report.skip("favourite", int(row["item"] or 0), str(row["type"]), "unknown type")
                    continue
                rows.append((int(row["uid"] or 0), kind, int(row["item"] or 0), str(column(row, "comments") or "")))
        if self.archive.has("favstor"):
            for row in self.archive.table("favstor"):
                story = column(row, "sid", column(row, "item"))
                rows.append((int(row["uid"] or 0), ArchivedFavourite.Kind.STORY, int(story or 0), ""))
        if self.archive.has("favauth"):
            for row in self.archive.table("favauth"):
                author = column(row, "favuid", column(row, "item"))
                rows.append((int(row["uid"] or 0), ArchivedFavourite.Kind.AUTHOR, int(author or 0), ""))
        return rows

    def _import_favourites(self) -> None:
        """Kept by old id: the story may be imported later, and the reader has no account until they claim."""
        for uid, kind, item, comments in self._favourite_rows():
            creator_id = self.creator_ids.get(uid)
            if creator_id is None or item <= 0:
                self.report.skip("favourite", item, kind, f"no member {uid} or no item")
                continue
            _favourite, created = ArchivedFavourite.objects.get_or_create(
                creator_id=creator_id, kind=kind, source_id=item, defaults={"notes": rich_text(comments)}
            )
            if created:
                self.report.created["favourites (bookmarks once claimed)"] += 1

    def _count_what_has_no_home(self) -> None:
        series_reviews = self.archive.table("reviews", "type != 'ST'")
        if series_reviews:
            self.report.no_home["reviews of series"] = len(series_reviews)
        scored = self.archive.table("reviews", "rating > 0")
        if scored:
            self.report.no_home["review scores"] = len(scored)
        nested = self.archive.table("inseries", "subseriesid > 0")
        if nested:
            self.report.no_home["series nested in series"] = len(nested)


def _unique_pseud_name(pen_name: str, taken: set[str]) -> str:
    base = pen_name[:PSEUD_NAME_MAX].strip()
    name, number = base, 2
    while name.casefold() in taken:
        suffix = f" {number}"
        name = base[: PSEUD_NAME_MAX - len(suffix)].rstrip() + suffix
        number += 1
    return name
