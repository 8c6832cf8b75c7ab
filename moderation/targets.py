"""What a report is about: found with the reporter's own permissions, and remembered as a snapshot.

A forged or invisible id is a 404: nobody learns through the report form that a draft,
a private bookmark or a hidden comment exists.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import reverse

from accounts.models import User
from bookmarks.listing import visible_bookmarks
from bookmarks.models import Bookmark
from comments.models import Comment
from comments.threads import comment_url
from lib.html import strip_html
from moderation.models import TargetKind
from news.models import NewsComment
from tags.models import Tag
from works.access import get_work_for_reader, readable_chapters
from works.models import Chapter, Work

AnyUser = User | AnonymousUser
EXCERPT = 500


@dataclass
class Target:
    kind: str
    label: str
    url: str
    snapshot: dict[str, Any]
    work: Work | None = None
    chapter: Chapter | None = None
    comment: Comment | None = None
    bookmark: Bookmark | None = None
    tag: Tag | None = None
    news_comment: NewsComment | None = None
    # The account responsible for it.
    user: User | None = None

    def foreign_keys(self) -> dict[str, Any]:
        return {
            "work": self.work,
            "chapter": self.chapter,
            "comment": self.comment,
            "bookmark": self.bookmark,
            "tag": self.tag,
            "news_comment": self.news_comment,
            "target_user": self.user,
        }


def _excerpt(html: str) -> str:
    return strip_html(html).strip()[:EXCERPT]


def work_snapshot(work: Work) -> dict[str, Any]:
    groups = work.tag_groups
    return {
        "id": work.pk,
        "title": work.title,
        "creators": [str(pseud) for pseud in work.creator_pseuds],
        "rating": [tag.name for tag in groups["rating"]],
        "warnings": [tag.name for tag in groups["warning"]],
        "fandoms": [tag.name for tag in groups["fandom"]],
        "summary": _excerpt(work.summary),
    }


def comment_snapshot(comment: Comment) -> dict[str, Any]:
    author = comment.pseud.name if comment.pseud else comment.guest_name
    return {"id": comment.pk, "work_id": comment.work_id, "author": author, "content": _excerpt(comment.content)}


def news_comment_snapshot(comment: NewsComment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "news_post_id": comment.post_id,
        "author": comment.user.username if comment.user else "",
        "content": _excerpt(comment.body),
    }


def user_snapshot(user: User) -> dict[str, Any]:
    return {"id": user.pk, "username": user.username}


def _first_creator(work: Work) -> User | None:
    creatorship = work.creatorships.select_related("pseud__user").order_by("position", "id").first()
    return creatorship.pseud.user if creatorship else None


def find_target(kind: str, pk: int, reader: AnyUser) -> Target:
    """The thing `reader` wants to report, if they can see it; 404 otherwise (may raise LoginRequiredForWork)."""
    if kind == TargetKind.WORK:
        work = get_work_for_reader(reader, pk)
        return Target(
            kind, work.title, work.get_absolute_url(), work_snapshot(work), work=work, user=_first_creator(work)
        )
    if kind == TargetKind.CHAPTER:
        chapter = Chapter.objects.filter(pk=pk).first()
        if chapter is None:
            raise Http404("No such chapter.")
        work = get_work_for_reader(reader, chapter.work_id)
        if not readable_chapters(work, reader).filter(pk=pk).exists():
            raise Http404("No such chapter.")
        snapshot = work_snapshot(work) | {
            "chapter_id": chapter.pk,
            "position": chapter.position,
            "chapter_title": chapter.title,
            "content": _excerpt(chapter.content),
        }
        label = f"{work.title}: {chapter.display_title}"
        return Target(
            kind,
            label,
            chapter.get_absolute_url(),
            snapshot,
            work=work,
            chapter=chapter,
            user=_first_creator(work),
        )
    if kind == TargetKind.COMMENT:
        comment = Comment.objects.select_related("pseud", "user").filter(pk=pk).first()
        if comment is None:
            raise Http404("No such comment.")
        get_work_for_reader(reader, comment.work_id)
        own = reader.is_authenticated and comment.user_id == reader.pk
        if comment.status != Comment.Status.PUBLISHED and not own:
            raise Http404("No such comment.")
        label = comment_snapshot(comment)["author"]
        return Target(kind, label, comment_url(comment), comment_snapshot(comment), comment=comment, user=comment.user)
    if kind == TargetKind.BOOKMARK:
        bookmark = visible_bookmarks(reader).select_related("user").filter(pk=pk).first()
        if bookmark is None:
            raise Http404("No such bookmark.")
        snapshot = {
            "id": bookmark.pk,
            "title": bookmark.title_snapshot,
            "bookmarker": bookmark.user.username,
            "notes": _excerpt(bookmark.notes),
        }
        url = bookmark.user.get_absolute_url()
        return Target(kind, bookmark.title_snapshot, url, snapshot, bookmark=bookmark, user=bookmark.user)
    if kind == TargetKind.USER:
        user = User.objects.filter(pk=pk, is_active=True).first()
        if user is None:
            raise Http404("No such user.")
        return Target(kind, user.username, user.get_absolute_url(), user_snapshot(user), user=user)
    if kind == TargetKind.TAG:
        tag = Tag.objects.filter(pk=pk).first()
        if tag is None:
            raise Http404("No such tag.")
        snapshot = {"id": tag.pk, "name": tag.name, "type": tag.type}
        return Target(kind, tag.name, tag.get_absolute_url(), snapshot, tag=tag)
    if kind == TargetKind.NEWS_COMMENT:
        news = NewsComment.objects.select_related("user").filter(pk=pk, post__comments_enabled=True).first()
        own_news = news is not None and reader.is_authenticated and news.user_id == reader.pk
        if news is None or (news.status != NewsComment.Status.PUBLISHED and not own_news):
            raise Http404("No such comment.")
        snapshot = news_comment_snapshot(news)
        url = reverse("news_comment_thread", args=[news.pk])
        return Target(kind, snapshot["author"], url, snapshot, news_comment=news, user=news.user)
    raise Http404("Nothing of that kind can be reported.")
