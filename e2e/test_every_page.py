"""axe-core on every page a reader, an author, a wrangler or staff can reach, not only the key ones:
each is opened in Chromium as the person who would see it, and must have no violation."""

from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from accounts.actions import create_account
from accounts.models import Invitation, InviteRequest, TermsAcceptance
from accounts.verification import make_link
from bookmarks.actions import create_bookmark
from comments.actions import post_comment
from community.actions import leave_kudos, subscribe
from e2e.conftest import PASSWORD, Archive
from e2e.helpers import assert_accessible
from moderation import actions as moderation_actions
from moderation.roles import Role
from moderation.targets import find_target
from news.models import NewsComment, NewsPost
from news.news_comments import post_news_comment
from search.indexer import apply_pending
from sitecontent.config import forget_pages, forget_settings
from sitecontent.models import PageVersion, SiteSettings
from support import actions as support_actions
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
    # Site content: a banner on every page, terms (accepted by all but dana), news, an invitation queue.
    SiteSettings.objects.update_or_create(
        pk=1,
        defaults={
            "banner_text": "<p>Maintenance tonight.</p>",
            "banner_changed_at": timezone.now(),
            "signup_mode": "queue",
        },
    )
    forget_settings()
    terms = PageVersion.objects.create(slug="terms", number=1, title="Terms of Service", body="<p>Be kind.</p>")
    forget_pages()
    for user in [archive.alice, archive.bob, staff]:
        TermsAcceptance.objects.create(user=user, version=terms)
    news = NewsPost.objects.create(title="We opened", body="<p>Hello.</p>", author=staff)
    NewsComment.objects.create(post=news, user=archive.bob, body="<p>Hooray.</p>")
    archive.news = news  # type: ignore[attr-defined]
    InviteRequest.objects.create(email="queue@example.org", token="queue-token")  # noqa: S106
    archive.verify_path = urlsplit(make_link(archive.bob, archive.bob.email)).path  # type: ignore[attr-defined]
    Invitation.objects.create(code="harbour-code", created_by=archive.bob, email="wren@example.org")
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
            "/account/signup",
            "/account/invitations/request",
            "/account/invitations/queue/queue-token",
            archive.verify_path,  # type: ignore[attr-defined]
            "/news",
            f"/news/{archive.news.pk}",  # type: ignore[attr-defined]
            "/pages/terms",
            "/pages/terms/history",
            "/pages/terms/versions/1",
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
            "/account/tokens",
            "/account/pseuds/new",
            "/account/password_change",
            f"/works/{work.pk}/bookmarks/new",
            "/users/alice/mute",
            "/users/alice/block",
            "/wrangling",
            "/wrangling/log",
            "/account/invitations",
            "/account/username",
            "/account/email",
            "/account/preferences",
            f"/news/{archive.news.pk}",  # type: ignore[attr-defined]
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
            f"/works/{work.pk}/orphan",
            f"/account/pseuds/{archive.alice.default_pseud.pk}/orphan",
            "/account/delete",
            "/account/export",
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
        [
            "/moderation",
            f"/moderation/reports/{report.pk}",
            f"/moderation/works/{work.pk}",
            "/moderation/log",
            "/moderation/users/alice",
        ],
    )
    page = archive.context(user=staff).new_page()
    visit_all(page, ["/moderation/roles"])
    visit_all(
        page,
        [
            "/wrangling",
            "/wrangling/wranglers",
            "/tags/Fluff/edit",
            "/wrangling/log",
            "/staff/settings",
            "/staff/pages",
            "/staff/invitations",
            "/pages/terms/edit",
            "/pages/faq/edit",
            "/news/new",
            f"/news/{archive.news.pk}/edit",  # type: ignore[attr-defined]
            f"/news/{archive.news.pk}/delete",  # type: ignore[attr-defined]
        ],
    )
    # Dana hasn't accepted the terms yet: any page sends her to accept them.
    page = archive.context(user=create_account("dana", "dana@example.org", PASSWORD)).new_page()
    visit_all(page, ["/account/terms?next=/works", "/works"])


def test_every_support_and_news_comment_page(archive_with_everything: Archive) -> None:
    archive = archive_with_everything
    staff, news = archive.staff, archive.news  # type: ignore[attr-defined]
    top = post_news_comment(news, None, archive.alice, "<p>Welcome aboard.</p>", "")
    reply = post_news_comment(news, top, archive.bob, "<p>Thanks!</p>", "")
    asked = support_actions.ask(archive.bob, "", "account", "Can't log in", "I forgot my address.", "")
    support_actions.add_note(staff, asked, "Checked the account.")
    support_actions.reply(staff, asked, "Reset your password from the log-in page.")
    guest = support_actions.ask(None, "wren@example.org", "bug", "Blank page", "The page is blank.", "")
    page = archive.context().new_page()
    visit_all(page, ["/support/", f"/news/comments/{top.pk}", f"/report/news_comment/{reply.pk}"])
    page = archive.context(user=archive.bob).new_page()
    visit_all(
        page,
        [
            "/support/",
            "/support/mine",
            f"/news/{news.pk}",
            f"/news/comments/{top.pk}",
            f"/news/comments/{reply.pk}/edit",
            f"/news/comments/{reply.pk}/delete",
        ],
    )
    page = archive.context(user=staff).new_page()
    visit_all(
        page,
        [
            "/support/queue",
            "/support/queue?status=all",
            f"/support/requests/{asked.pk}",
            f"/support/requests/{guest.pk}",
            "/support/accounts?q=bob",
        ],
    )
