"""Every key page, at phone and desktop widths: no axe-core violation, no layout shift, nothing
wider than the screen; a screenshot of each lands in artifacts/screenshots/ for a person to look at."""

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from e2e.conftest import Archive
from e2e.helpers import DESKTOP, PHONE, assert_accessible, assert_stable, screenshot
from search.indexer import apply_pending

WIDTHS = [pytest.param(PHONE, id="phone"), pytest.param(DESKTOP, id="desktop")]


def check(page: Page, name: str) -> None:
    page.wait_for_load_state("load")
    assert_accessible(page)
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} scrolls sideways at {width}px"
    assert_stable(page, name)
    screenshot(page, name)


@pytest.mark.parametrize("viewport", WIDTHS)
def test_reading_pages(archive: Archive, viewport: ViewportSize) -> None:
    archive.make_work(title="The Lighthouse Keeper", summary="A storm, a lamp, a long night.")
    archive.make_work(title="Salt Roads", rating="Explicit", characters="Jonah Reyes", freeforms="Angst, Hurt/Comfort")
    work = archive.make_work(
        title="Night Harbour", rating="Mature", expected_chapters="", chapters=3, notes="Thanks to my beta."
    )
    archive.make_work(
        title="بيت على البحر",
        language="ar",
        summary="ليلة طويلة ومنارة.",
        content="كانت الليلة طويلة.\n\nثم جاء الصباح.",
    )
    page = archive.context(viewport=viewport).new_page()
    for path, name in [
        ("/", "home"),
        ("/works?complete=complete&sort=title", "works-index-filtered"),
        ("/tags/Tidewater (TV)/works", "tag-page"),
        ("/media", "fandoms"),
    ]:
        page.goto(path)
        check(page, name)
    page.goto(f"/works/{work.pk}/")
    check(page, "adult-gate")
    page.get_by_role("link", name="Yes, Continue").click()
    check(page, "work")
    page.get_by_role("link", name="Next Chapter →").first.click()
    check(page, "chapter")
    page.goto("/works")
    expect(page.locator(".blurb-summary[lang=ar]")).to_have_attribute("dir", "rtl")
    # The Arabic title reads right to left inside the English byline, the summary is right-aligned.
    assert page.locator(".blurb-summary[lang=ar]").evaluate("e => getComputedStyle(e).direction") == "rtl"


@pytest.mark.parametrize("viewport", WIDTHS)
def test_account_and_posting_pages(archive: Archive, viewport: ViewportSize) -> None:
    page = archive.context(viewport=viewport).new_page()
    page.goto("/account/signup")
    check(page, "sign-up")
    page.get_by_role("button", name="Create Account").click()
    expect(page.locator("#form-errors")).to_be_visible()
    check(page, "sign-up-errors")
    page = archive.context(user=archive.alice, viewport=viewport).new_page()
    page.goto("/works/new")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.locator("#form-errors")).to_be_visible()
    check(page, "post-work-errors")
    page.goto("/account/preferences")
    check(page, "preferences")
    page.goto("/works/import")
    check(page, "import-work")


@pytest.mark.parametrize("viewport", WIDTHS)
def test_search_pages(archive: Archive, viewport: ViewportSize) -> None:
    archive.make_work(
        title="The Lighthouse Keeper", content="The lamp turned all night.\n\nShe kept the marigold lamp burning."
    )
    archive.make_work(title="Salt Roads", content="A road of salt.\n\nThe marigold fields were far behind.")
    apply_pending()  # what the job worker does every second
    page = archive.context(viewport=viewport).new_page()
    page.goto("/")
    page.get_by_role("searchbox", name="Search works").fill('"marigold lamp"')
    page.get_by_role("searchbox", name="Search works").press("Enter")
    expect(page.locator(".listing-count")).to_contain_text("1 of 1 Work")
    expect(page.locator(".search-snippets mark").filter(has_text="marigold")).to_have_count(1)
    check(page, "search-results")
    page.get_by_role("link", name="Chapter 1, paragraph 2").click()
    expect(page.locator("#c1p2")).to_be_in_viewport()
    page.goto("/search/?q=%22unclosed")
    check(page, "search-notice")
    page.goto("/search/advanced")
    check(page, "advanced-search")


@pytest.mark.parametrize("viewport", WIDTHS)
def test_dark_theme(archive: Archive, viewport: ViewportSize) -> None:
    work = archive.make_work(title="By Lamplight", chapters=2, expected_chapters="2")
    page = archive.context(viewport=viewport, color_scheme="dark").new_page()
    page.goto("/works")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(22, 23, 27)"
    check(page, "dark-works")
    page.goto(f"/works/{work.pk}/")
    check(page, "dark-work")
