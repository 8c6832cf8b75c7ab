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
            "/history/clear",
            "/later",
            "/account/drafts",
            "/account/filters",
            "/account/exclusions",
            "/account/stats",
            "/account/subscriptions",
            "/account/blocked",
            "/account/muted",
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
