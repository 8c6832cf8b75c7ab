"""Which comments a reader sees, arranged as threads, in a fixed number of queries.

One query reads the skeleton of every comment in scope (ids, parents, authors,
statuses); the tree, the muting, the deleted-comment placeholders, the count
and the page of threads are worked out from it in Python; a second query loads
the comments on the page. Muting is applied here, server side: a muted user's
comments, and the replies under them, are left out for the muter, and the
count says what the reader actually sees.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count, Model, Q
from django.http import Http404, HttpRequest
from django.urls import reverse

from comments import actions
from comments.forms import CommentForm
from comments.models import THREAD_DISPLAY_DEPTH, Comment
from community.muting import muted_user_ids
from lib.querystring import page_query
from works.access import AnyUser
from works.hooks import muted_count
from works.models import Chapter, Work
from works.page import WorkPage, part

THREADS_PER_PAGE = 20
Status = Comment.Status


@dataclass
class Viewer:
    """The reader, and what about them decides what they see and may do."""

    user: AnyUser
    creators: set[int]
    blockers: set[int]
    muted: set[int]
    refusal: str | None

    @property
    def is_creator(self) -> bool:
        return self.user.pk in self.creators

    @property
    def moderates(self) -> bool:
        return self.is_creator


def viewer_for(user: AnyUser, work: Work, creators: set[int] | None = None) -> Viewer:
    creators = actions.creator_ids(work) if creators is None else creators
    blockers = actions.blockers_of(user)
    return Viewer(
        user=user,
        creators=creators,
        blockers=blockers,
        muted=muted_user_ids(user),
        refusal=actions.comment_refusal(work, user, creators, blockers),
    )


@dataclass
class Node:
    comment: Comment
    chapter: Chapter | None = None
    children: list["Node"] = field(default_factory=list)
    # Deleted (or otherwise hidden) but with replies someone sees: "(Previous comment deleted.)".
    placeholder: bool = False
    # The author's own comment, waiting for a creator's approval.
    awaiting_review: bool = False
    # Has replies deeper than the page shows: links to the comment's own thread page.
    continue_thread: bool = False
    can_reply: bool = False
    can_edit: bool = False
    can_delete: bool = False
    can_moderate: bool = False


@dataclass
class Skeleton:
    """Every comment in scope the reader sees, as ids: order, depth, children."""

    order: list[int]
    depth: dict[int, int]
    children: dict[int | None, list[int]]
    self_visible: set[int]
    published: set[int]

    @classmethod
    def load(cls, condition: Q, viewer: Viewer, model: type[Model] = Comment) -> "Skeleton":
        """`model` is Comment or news' NewsComment: the same columns and status values."""
        rows = (
            model._default_manager.filter(condition)
            .order_by("id")
            .values_list("id", "parent_id", "user_id", "status", "depth")
        )
        excluded: set[int] = set()
        children: dict[int | None, list[int]] = defaultdict(list)
        statuses: dict[int, str] = {}
        depth: dict[int, int] = {}
        authors: dict[int, int | None] = {}
        order: list[int] = []
        for pk, parent_id, user_id, status, level in rows:
            # Ids grow with time, so a parent is always read before its replies.
            if (user_id is not None and user_id in viewer.muted) or parent_id in excluded:
                excluded.add(pk)
                continue
            order.append(pk)
            children[parent_id].append(pk)
            statuses[pk], depth[pk], authors[pk] = status, level, user_id
        reader_id = viewer.user.pk if viewer.user.is_authenticated else None
        self_visible = {
            pk
            for pk in order
            if statuses[pk] == Status.PUBLISHED
            or (statuses[pk] == Status.UNREVIEWED and reader_id is not None and authors[pk] == reader_id)
        }
        shown: set[int] = set()
        for pk in reversed(order):
            if pk in self_visible or any(child in shown for child in children[pk]):
                shown.add(pk)
        return cls(
            order=[pk for pk in order if pk in shown],
            depth=depth,
            children={parent: [pk for pk in kids if pk in shown] for parent, kids in children.items()},
            self_visible=self_visible,
            published={pk for pk in shown if statuses[pk] == Status.PUBLISHED},
        )

    def subtree(self, root: int, max_depth: int) -> list[int]:
        found, stack = [], [root]
        while stack:
            pk = stack.pop()
            found.append(pk)
            if self.depth[pk] < max_depth:
                stack.extend(self.children.get(pk, []))
        return found


def _build(
    root: int,
    skeleton: Skeleton,
    loaded: dict[int, Comment],
    max_depth: int,
    viewer: Viewer,
    chapters: dict[int, Chapter],
) -> Node:
    comment = loaded[root]
    user = viewer.user
    placeholder = root not in skeleton.self_visible
    kids = skeleton.children.get(root, [])
    node = Node(
        comment=comment,
        chapter=chapters.get(comment.chapter_id) if comment.chapter_id else None,
        placeholder=placeholder,
        awaiting_review=comment.status == Status.UNREVIEWED,
        continue_thread=bool(kids) and comment.depth >= max_depth,
    )
    if not placeholder:
        node.can_reply = (
            viewer.refusal is None
            and comment.status == Status.PUBLISHED
            and (comment.user_id is None or comment.user_id not in viewer.blockers)
        )
        node.can_edit = actions.can_edit(comment, user, viewer.creators, viewer.blockers)
        node.can_delete = actions.can_delete(comment, user, viewer.creators)
        node.can_moderate = viewer.moderates and comment.user_id != user.pk
    if comment.depth < max_depth:
        node.children = [_build(kid, skeleton, loaded, max_depth, viewer, chapters) for kid in kids]
    return node


def _load(ids: list[int]) -> dict[int, Comment]:
    if not ids:
        return {}
    return {c.pk: c for c in Comment.objects.filter(pk__in=ids).select_related("pseud__user", "user")}


def scope_condition(work_id: int, chapter_id: int | None, readable_chapter_ids: list[int]) -> Q:
    """The comments shown on a chapter's page, or (chapter None) on the entire work's page."""
    if chapter_id is not None:
        return Q(work_id=work_id, chapter_id=chapter_id)
    # Never the comments on chapters this reader can't see (a creator's draft chapter).
    return Q(work_id=work_id) & (Q(chapter__isnull=True) | Q(chapter_id__in=readable_chapter_ids))


@dataclass
class CommentSection:
    work: Work
    count: int
    threads: list[Node]
    page: Page[int]
    page_links: list[tuple[int, str]]
    form: CommentForm | None
    refusal: str | None
    # Where a new comment from this page goes (None: the work as a whole).
    chapter: Chapter | None
    show_chapters: bool
    unreviewed_count: int


def comment_section(
    request: HttpRequest, work: Work, chapters: list[Chapter], shown_chapters: list[Chapter], is_creator: bool
) -> dict[str, Any]:
    """Context for templates/comments/_section.html on a work or chapter page (through works/page.py)."""
    one_chapter = len(shown_chapters) == 1
    # A chapter page shows that chapter's comments; a page of several chapters shows all of them.
    target = shown_chapters[0] if one_chapter else None
    scope_chapter = target if len(chapters) > 1 else None
    creators = {pseud.user_id for pseud in work.creator_pseuds}
    viewer = viewer_for(request.user, work, creators)
    condition = scope_condition(work.pk, scope_chapter.pk if scope_chapter else None, [c.pk for c in chapters])
    skeleton = Skeleton.load(condition, viewer)
    roots = [pk for pk in skeleton.order if skeleton.depth[pk] == 0]
    page = Paginator(roots, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    wanted = [pk for root in page.object_list for pk in skeleton.subtree(root, THREAD_DISPLAY_DEPTH)]
    loaded = _load(wanted)
    by_id = {c.pk: c for c in chapters}
    threads = [_build(root, skeleton, loaded, THREAD_DISPLAY_DEPTH, viewer, by_id) for root in page.object_list]
    section = CommentSection(
        work=work,
        count=len(skeleton.published),
        threads=threads,
        page=page,
        page_links=_page_links(request, page),
        form=CommentForm(user=request.user) if viewer.refusal is None else None,
        refusal=viewer.refusal,
        chapter=target,
        show_chapters=scope_chapter is None and len(chapters) > 1,
        unreviewed_count=(Comment.objects.filter(work=work, status=Status.UNREVIEWED).count() if is_creator else 0),
    )
    return {"comment_section": section}


@part
def work_page_part(request: HttpRequest, page: WorkPage) -> dict[str, Any]:
    return comment_section(request, page.work, page.chapters, page.shown, page.is_creator)


@muted_count("comments_count")
def comments_by_muted(work_ids: list[int], muted: set[int]) -> dict[int, int]:
    """Per work, the published comments by these muted users (blurbs show counts as the muter sees them)."""
    return dict(
        Comment.objects.filter(work_id__in=work_ids, user_id__in=muted, status=Comment.Status.PUBLISHED)
        .values_list("work_id")
        .annotate(n=Count("pk"))
        .values_list("work_id", "n")
    )


def _page_links(request: HttpRequest, page: Page[int]) -> list[tuple[int, str]]:
    if page.paginator.num_pages <= 1:
        return []
    links = []
    for number in page.paginator.page_range:
        links.append((number, f"?{page_query(request.GET, number)}#comments"))
    return links


def thread_tree(comment: Comment, work: Work, viewer: Viewer, chapters: dict[int, Chapter]) -> Node:
    """The comment and its replies, THREAD_DISPLAY_DEPTH levels down; 404 if the reader doesn't see it."""
    assert comment.thread_id is not None
    skeleton = Skeleton.load(Q(thread_id=comment.thread_id), viewer)
    if comment.pk not in skeleton.depth or comment.pk not in skeleton.order:
        raise Http404("No such comment.")
    max_depth = comment.depth + THREAD_DISPLAY_DEPTH
    loaded = _load(skeleton.subtree(comment.pk, max_depth))
    return _build(comment.pk, skeleton, loaded, max_depth, viewer, chapters)


def page_of_thread(comment: Comment, chapters: list[Chapter], viewer: Viewer) -> int:
    """Which page of comments a top-level comment is on, where comment_url sends the reader."""
    # On a one-chapter work, the chapter's page shows every comment.
    scope_chapter_id = comment.chapter_id if len(chapters) > 1 else None
    skeleton = Skeleton.load(scope_condition(comment.work_id, scope_chapter_id, [c.pk for c in chapters]), viewer)
    roots = [pk for pk in skeleton.order if skeleton.depth[pk] == 0]
    index = roots.index(comment.pk) if comment.pk in roots else len(roots)
    return index // THREADS_PER_PAGE + 1


def scope_url(work_id: int, chapter_id: int | None, page: int = 1) -> str:
    """The page that shows a chapter's comments, or (chapter None) the entire work's."""
    query = {} if chapter_id is not None else {"view_full_work": "true"}
    if page > 1:
        query["page"] = str(page)
    if chapter_id is not None:
        path = reverse("chapter_detail", args=[work_id, chapter_id])
    else:
        path = reverse("work_detail", args=[work_id])
    return path + (f"?{urlencode(query)}" if query else "")


def comment_url(comment: Comment, page: int = 1) -> str:
    """Where a comment is seen: a reply on its parent's thread page, a top-level comment on its chapter's page."""
    anchor = f"#comment-{comment.pk}"
    if comment.parent_id is not None:
        return reverse("comment_thread", args=[comment.parent_id]) + anchor
    return scope_url(comment.work_id, comment.chapter_id, page) + anchor
