"""axe-core on every page a reader, an author, a wrangler or staff can reach, not only the key ones:
each is opened in Chromium as the person who would see it, and must have no violation."""

import pytest
from playwright.sync_api import Page

from accounts.actions import create_account
from bookmarks.actions import create_bookmark
from comments.actions import post_comment
from community.actions import leave_kudos, subscribe
from e2e.conftest import PASSWORD, Archive
from e2e.helpers import assert_accessible
from moderation import actions as moderation_actions
from moderation.roles import Role
from moderation.targets import find_target
from search.indexer import apply_pending
from tags.models import WranglerAssignment
from works.models import Series


def visit_all(page: Page, paths: list[str]) -> None:
    failures = []
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status < 400, f"{path} answered {response and response.status}"
        try:
            assert_accessible(page)
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n\n".join(failures)


@pytest.fixture
def archive_with_everything(archive: Archive) -> Archive:
    work = archive.make_work(
        title="The Lighthouse Keeper",
        chapters=2,
        expected_chapters="3",
        new_series_title="Keepers",
        series_position="1",
    )
    archive.work = work  # type: ignore[attr-defined]
    archive.series = Series.objects.get()  # type: ignore[attr-defined]
    chapter = work.chapters.order_by("position").first()
    assert chapter is not None
    archive.chapter = chapter  # type: ignore[attr-defined]
    comment = post_comment(work, chapter, None, archive.bob, archive.bob.default_pseud, "", "", "Lovely.", "x")
    archive.comment = comment  # type: ignore[attr-defined]
    post_comment(work, chapter, comment, archive.alice, archive.alice.default_pseud, "", "", "Thank you!", "y")
    leave_kudos(work, archive.bob)
    subscribe(archive.bob, work=work)
    subscribe(archive.bob, creator=archive.alice)
    create_bookmark(
        archive.bob,
        {"pseud": archive.bob.default_pseud, "notes": "<p>Rainy day read.</p>", "private": False, "rec": True,
         "tags": ["Comfort Read"]},
        work=work,
    )  # fmt: skip
    staff = create_account("sam", "sam@example.org", PASSWORD)
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    archive.staff = staff  # type: ignore[attr-defined]
    WranglerAssignment.objects.create(user=archive.bob, fandom=None)
    apply_pending()
    return archive


def test_every_guest_page(archive_with_everything: Archive) -> None:
    archive = archive_with_everything
    work, series, comment = archive.work, archive.series, archive.comment  # type: ignore[attr-defined]
    page = archive.context().new_page()
    visit_all(
        page,
        [
            f"/works/{work.pk}/navigate",
            f"/works/{work.pk}/bookmarks",
            f"/series/{series.pk}",
            f"/comments/{comment.pk}",
            "/tags/Fluff",
            "/users/alice",
            "/users/alice/pseuds/alice",
            "/users/bob/bookmarks",
            "/search/?q=lighthouse&sort=kudos",
            "/api/v1/docs",
            "/account/login",
            "/account/password_reset",
            f"/works/{work.pk}/download/pdf",
        ],
    )


def test_every_reader_page(archive_with_everything: Archive) -> None:
    archive = archive_with_everything
    work = archive.work  # type: ignore[attr-defined]
    page = archive.context(user=archive.bob).new_page()
    visit_all(
        page,
        [
            "/inbox",
            "/history",
            "/later",
            "/account/drafts",
            "/account/filters",
            "/account/exclusions",
            "/account/stats",
            "/account/subscriptions",
            "/account/blocked",
            "/account/muted",
            "/account/tokens",
            "/account/pseuds/new",
            "/account/password_change",
            f"/works/{work.pk}/bookmarks/new",
            "/users/alice/mute",
            "/users/alice/block",
            "/wrangling",
            "/wrangling/log",
        ],
    )


def test_every_author_and_staff_page(archive_with_everything: Archive) -> None:
    archive = archive_with_everything
    work, chapter = archive.work, archive.chapter  # type: ignore[attr-defined]
    page = archive.context(user=archive.alice).new_page()
    visit_all(
        page,
        [
            f"/works/{work.pk}/edit",
            f"/works/{work.pk}/chapters/new",
            f"/works/{work.pk}/chapters/manage",
            f"/works/{work.pk}/chapters/{chapter.pk}/edit",
            f"/works/{work.pk}/delete",
            f"/works/{work.pk}/comments/unreviewed",
            "/account/stats",
        ],
    )
    page = archive.context(user=archive.staff).new_page()  # type: ignore[attr-defined]
    visit_all(page, ["/wrangling", "/wrangling/wranglers", "/tags/Fluff/edit", "/wrangling/log"])


def test_every_moderation_page(archive_with_everything: Archive) -> None:
    archive = archive_with_everything
    work, comment, staff = archive.work, archive.comment, archive.staff  # type: ignore[attr-defined]
    moderator = create_account("mo", "mo@example.org", PASSWORD)
    moderation_actions.appoint(staff, moderator, Role.MODERATOR)
    report = moderation_actions.file_report(
        find_target("work", work.pk, archive.bob), archive.bob, "", "rating", "Rated wrong."
    )
    page = archive.context().new_page()
    visit_all(page, [f"/report/comment/{comment.pk}", f"/report/user/{archive.alice.pk}"])
    moderation_actions.add_note(moderator, report, "Checking the chapters.")
    moderation_actions.hide_work(moderator, report, work, "Hidden while we check the rating.")
    archive.make_work(author=archive.bob, title="Two Lamps", co_creators="alice")
    page = archive.context(user=archive.alice).new_page()
    visit_all(page, ["/moderation/messages", f"/works/{work.pk}/", "/invitations"])
    page = archive.context(user=moderator).new_page()
    visit_all(
        page,
        ["/moderation", f"/moderation/reports/{report.pk}", "/moderation/log", "/moderation/users/alice"],
    )
    page = archive.context(user=staff).new_page()
    visit_all(page, ["/moderation/roles"])
