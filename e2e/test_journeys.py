"""The main journeys, in Debian's Chromium: each page on the way passes axe-core."""

import re

import pytest
from django.core import mail
from playwright.sync_api import ViewportSize, expect

from accounts.models import User
from bookmarks.models import Bookmark
from comments.models import Comment
from community.models import Kudo
from e2e.conftest import PASSWORD, Archive
from e2e.helpers import PHONE, assert_accessible, field, screenshot
from jobs.queue import run_pending
from works.models import Work


def test_a_new_user_signs_up_and_posts_a_multi_chapter_work_with_autocompleted_tags(archive: Archive) -> None:
    archive.make_work(fandoms="Tidewater (TV)", characters="Mara Quill")
    page = archive.context().new_page()
    page.goto("/")
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Sign up").click()
    assert_accessible(page)
    page.get_by_label(field("Username")).fill("carol")
    page.get_by_label(field("Email")).fill("carol@example.org")
    page.get_by_label(field("Password")).fill(PASSWORD)
    page.get_by_label(field("Password confirmation")).fill(PASSWORD)
    page.get_by_label(field("I am at least 13 years old")).check()
    page.get_by_role("button", name="Create Account").click()
    expect(page.locator(".account-menu > summary")).to_contain_text("carol")
    assert User.objects.filter(username="carol").exists()

    # Posting waits until the email address is confirmed, with the link the archive emailed.
    page.get_by_role("link", name="Post a work").click()
    expect(page.get_by_role("heading", name="Confirm your email first")).to_be_visible()
    run_pending()
    link = re.search(r"/account/verify/\S+", str(mail.outbox[-1].body))
    assert link is not None
    page.goto(link.group(0))
    expect(page.get_by_role("heading", name="Email confirmed")).to_be_visible()

    page.get_by_role("link", name="Post a work").click()
    page.get_by_role("button", name="Post").click()  # nothing filled in: errors, in place and at the top
    expect(page.locator("#form-errors")).to_contain_text("Choose a rating.")
    assert_accessible(page)

    page.get_by_label(field("Rating")).select_option("Teen And Up Audiences")
    page.get_by_label(field("No Archive Warnings Apply")).check()
    fandoms = page.get_by_role("combobox", name=field("Fandoms"))
    fandoms.press_sequentially("tidew")
    expect(page.get_by_role("option", name="Tidewater (TV)")).to_be_visible()
    assert_accessible(page)  # with the suggestions open
    fandoms.press("ArrowDown")
    fandoms.press("Enter")
    expect(fandoms).to_have_value(re.compile(r"^Tidewater \(TV\),\s*$"))
    characters = page.get_by_role("combobox", name=field("Characters"))
    characters.press_sequentially("Mara")
    page.get_by_role("option", name="Mara Quill").click()
    expect(characters).to_have_value(re.compile(r"^Mara Quill,\s*$"))
    page.get_by_label(field("Title")).fill("Low Tide")
    page.get_by_label(field("Expected number of chapters")).fill("2")
    page.get_by_label(field("Work Text")).fill("The water went out further than anyone remembered.")
    page.get_by_role("button", name="Post").click()
    expect(page.get_by_role("heading", name="Low Tide")).to_be_visible()

    page.get_by_role("link", name="Add chapter").click()
    page.get_by_label(field("Chapter Title")).fill("The Return")
    page.get_by_label(field("Work Text")).fill("And then it came back.")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_role("heading", name="Chapter 2: The Return", exact=True)).to_be_visible()
    work = Work.objects.get(title="Low Tide")
    assert work.chapter_count == 2
    assert sorted(work.tags.values_list("name", flat=True)) == [
        "Mara Quill",
        "No Archive Warnings Apply",
        "Teen And Up Audiences",
        "Tidewater (TV)",
    ]
    assert_accessible(page)


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_a_guest_reads_a_mature_work_through_the_gate_chapter_by_chapter_and_whole(
    archive: Archive, viewport: ViewportSize
) -> None:
    work = archive.make_work(title="Night Harbour", rating="Mature", expected_chapters="3", chapters=3)
    page = archive.context(viewport=viewport).new_page()
    page.goto(f"/works/{work.pk}/")
    expect(page.get_by_role("heading", name="Adult content")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Yes, Continue").click()
    expect(page.get_by_role("heading", name="Night Harbour")).to_be_visible()
    expect(page.locator(".chapter-text")).to_contain_text("The lamp turned all night.")
    assert_accessible(page)

    page.get_by_role("link", name="Next Chapter →").first.click()
    expect(page.get_by_role("heading", name="Chapter 2: Part 2", exact=True)).to_be_visible()
    page.get_by_role("link", name="Next Chapter →").first.click()
    expect(page.get_by_role("heading", name="Chapter 3: Part 3", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Next Chapter →")).to_have_count(0)
    page.get_by_role("link", name="← Previous Chapter").first.click()
    expect(page.get_by_role("heading", name="Chapter 2: Part 2", exact=True)).to_be_visible()

    page.get_by_role("link", name="Entire Work").click()
    expect(page.locator(".chapter-text")).to_have_count(3)
    assert_accessible(page)


def test_a_reader_filters_a_tag_page_by_a_character(archive: Archive) -> None:
    archive.make_work(title="With Mara", characters="Mara Quill")
    archive.make_work(title="With Jonah", characters="Jonah Reyes", relationships="")
    archive.make_work(title="Elsewhere", fandoms="Saltmarsh (Books)", characters="Mara Quill", relationships="")
    page = archive.context(viewport=PHONE).new_page()
    page.goto("/tags/Tidewater (TV)/works")
    expect(page.locator(".listing-count")).to_contain_text("1 – 2 of 2 Works")
    assert_accessible(page)
    # On a phone the sidebar starts closed, behind one button.
    expect(page.get_by_role("button", name="Show 2 works")).to_be_hidden()
    page.locator(".filters-toggle > summary").click()
    include = page.locator("fieldset.facet", has_text="Characters").first
    include.get_by_label(re.compile(r"^Mara Quill")).check()
    page.get_by_role("button", name="Show 1 work").click()
    expect(page.locator(".listing-count")).to_contain_text("1 – 1 of 1 Work")
    expect(page.get_by_role("link", name="With Mara")).to_be_visible()
    expect(page.get_by_role("link", name="With Jonah")).to_have_count(0)
    assert_accessible(page)


def test_a_reader_leaves_kudos_a_comment_and_a_bookmark(archive: Archive) -> None:
    work = archive.make_work(title="The Long Shore")
    page = archive.context().new_page()
    page.goto(f"/account/login?next=/works/{work.pk}/")
    page.get_by_label(field("Username")).fill("bob")
    page.get_by_label(field("Password")).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="The Long Shore")).to_be_visible()

    page.get_by_role("button", name="Kudos").click()
    expect(page.locator(".kudos-list")).to_contain_text("bob left kudos on this work!")
    assert Kudo.objects.filter(work=work, user=archive.bob).exists()

    page.get_by_label(field("Comment")).fill("The lighthouse scene stayed with me all day.")
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(page.locator(".comment-content")).to_contain_text("The lighthouse scene stayed with me all day.")
    assert Comment.objects.filter(work=work).count() == 1
    assert_accessible(page)

    page.get_by_role("link", name="Bookmark with notes…").click()
    assert_accessible(page)
    page.get_by_label(field("Notes")).fill("Read this one on a rainy day.")
    page.get_by_role("button", name=re.compile(r"^(Create|Bookmark|Save)")).first.click()
    assert Bookmark.objects.filter(work=work, user=archive.bob).exists()


def test_a_reader_downloads_a_work_as_epub(archive: Archive) -> None:
    work = archive.make_work(title="Paper Boats")
    page = archive.context().new_page()
    page.goto(f"/works/{work.pk}/")
    page.locator(".download-menu summary").click()
    assert_accessible(page)
    epub = page.get_by_role("link", name="EPUB", exact=True)
    expect(epub).to_be_visible()
    with page.expect_download() as info:
        epub.first.click()
    download = info.value
    assert download.suggested_filename.endswith(".epub")
    path = download.path()
    with open(path, "rb") as handle:
        head = handle.read(60)
    # An EPUB is a zip whose first entry is the uncompressed "mimetype" file.
    assert head.startswith(b"PK") and b"mimetypeapplication/epub+zip" in head
    response = page.request.get(epub.first.get_attribute("href") or "")
    assert response.headers["content-type"].startswith("application/epub+zip")


def test_the_skip_link_is_the_first_stop_for_keyboard_users(archive: Archive) -> None:
    page = archive.context().new_page()
    page.goto("/works")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_screenshots_of_the_phone_layout_are_saved(archive: Archive) -> None:
    work = archive.make_work(title="Phone Check")
    page = archive.context(viewport=PHONE).new_page()
    page.goto(f"/works/{work.pk}/")
    path = screenshot(page, "smoke-work")
    assert path.exists() and path.stat().st_size > 1000
    # Nothing on a 360 px phone scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_pdf_download_starts_by_itself_once_the_worker_has_printed_it(archive: Archive) -> None:
    work = archive.make_work(title="Paper Lanterns")
    page = archive.context().new_page()
    page.goto(f"/works/{work.pk}/download/pdf")
    expect(page.get_by_role("heading", name="Your PDF is being prepared")).to_be_visible()
    assert_accessible(page)
    with page.expect_download(timeout=20_000) as info:
        assert run_pending() == 1  # the background worker prints the PDF
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
